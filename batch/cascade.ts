/**
 * Cascades, counted as a run goes (flat memory: a few numbers per venue): events are included
 * transactions that are rebalances (tag `rebalance`), LP exits (a RemoveLiquidity call) or
 * liquidation-like (tag `liquidate` or `liquidation`). An event is **triggered** when it follows,
 * within `window` blocks (the same block: at a later position), another agent's event on a venue it
 * touches; its chain depth is then that event's plus one. Ordinary trades (a tracker, noise,
 * arbitrage) are not triggers: they happen every block, so every event would follow one.
 * Only events after the measurement point (the scenario's `measureFrom`) count, so that a burn-in
 * — agents' entries, which carry their rebalance tag — can be left out as for every P&L figure.
 */
import type { TxView } from '../sim/agent';
import { Op, TxStatus } from '../sim/tx';

export const CASCADE_FIELDS = ['events', 'rebalances', 'lpExits', 'liquidations', 'eventBlocks', 'clusteredBlocks', 'maxCluster', 'maxClusterBlock', 'triggered', 'triggeredShare', 'longestChain'] as const;
/** Fields that are block numbers, not counts: per run only (an average of block numbers across runs means nothing). */
export const CASCADE_BLOCK_FIELDS: readonly (typeof CASCADE_FIELDS)[number][] = ['maxClusterBlock'];
export type CascadeSummary = Record<(typeof CASCADE_FIELDS)[number], number>;

export class CascadeCounter {
  private readonly lastBlock: Float64Array;
  private readonly lastAgent: Int32Array;
  private readonly lastDepth: Int32Array;
  private readonly out: CascadeSummary = Object.fromEntries(CASCADE_FIELDS.map((f) => [f, 0])) as CascadeSummary;
  private block = -1;
  private inBlock = 0;
  /** Whether the measurement point has passed (set by `blockEnded`). */
  private counting: boolean;

  constructor(
    private readonly window: number,
    venues: number,
    private readonly tagName: (tag: number) => string,
    private readonly measureFrom?: { block: number } | { time: number },
  ) {
    this.counting = measureFrom === undefined;
    this.lastBlock = new Float64Array(venues).fill(-Infinity);
    this.lastAgent = new Int32Array(venues).fill(-1);
    this.lastDepth = new Int32Array(venues);
  }

  /** After each block: the measurement point is the end of block N, or of the first block at or after time T. */
  blockEnded(number: number, time: number): void {
    const m = this.measureFrom;
    if (!this.counting && m !== undefined && ('block' in m ? number >= m.block : time >= m.time)) this.counting = true;
  }

  onTx(tx: TxView): void {
    if (!this.counting || tx.status !== TxStatus.Included) return;
    const tag = this.tagName(tx.tag);
    let exit = false;
    for (let i = 0; i < tx.callCount; i++) if (tx.calls[i]!.op === Op.RemoveLiquidity) exit = true;
    const rebalance = tag === 'rebalance';
    const liquidation = tag === 'liquidate' || tag === 'liquidation';
    if (!rebalance && !exit && !liquidation) return;
    const o = this.out;
    o.events++;
    if (rebalance) o.rebalances++;
    if (exit) o.lpExits++;
    if (liquidation) o.liquidations++;
    if (tx.block !== this.block) {
      this.block = tx.block;
      this.inBlock = 0;
      o.eventBlocks++;
    }
    if (++this.inBlock === 2) o.clusteredBlocks++;
    if (this.inBlock > o.maxCluster) {
      o.maxCluster = this.inBlock;
      o.maxClusterBlock = tx.block;
    }
    // The latest other agent's event on a venue this one touches, within the window.
    let depth = 1;
    for (let i = 0; i < tx.callCount; i++) {
      const v = tx.calls[i]!.venue;
      if (this.lastAgent[v] !== -1 && this.lastAgent[v] !== tx.agent && tx.block - this.lastBlock[v]! <= this.window) depth = Math.max(depth, this.lastDepth[v]! + 1);
    }
    if (depth > 1) o.triggered++;
    if (depth > o.longestChain) o.longestChain = depth;
    for (let i = 0; i < tx.callCount; i++) {
      const v = tx.calls[i]!.venue;
      this.lastBlock[v] = tx.block;
      this.lastAgent[v] = tx.agent;
      this.lastDepth[v] = depth;
    }
  }

  summary(): CascadeSummary {
    this.out.triggeredShare = this.out.events === 0 ? 0 : this.out.triggered / this.out.events;
    return { ...this.out };
  }
}
