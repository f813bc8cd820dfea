/**
 * Recorders: observers that turn a run into tidy tables, outside the engine's hot path. They listen
 * to the kernel's 'block' and 'tx' events (which are not even built when nobody listens) and hand
 * plain rows to a sink, so a caller can stream them to disk or keep them in memory.
 */
import type { TxView } from './agent';
import type { BlockInfo } from './kernel';
import type { MevRecord } from './mev';
import { agentPnl, PNL_LINES, type PnlBreakdown } from './result';
import type { Simulation } from './simulation';
import { gweiToWei } from './exact/execute';
import { callAmountWei } from './exact/venues';
import { Op, REVERT_NAMES, TX_STATUS_NAMES, TxStatus, type Call, type Tx } from './tx';
import { unitPrice } from './venues/triad';
import type { Venue } from './world';
import { TRANSFER_KINDS } from './transfers';

export type Row = (string | number)[];

/**
 * Transactions counted per block by what they are for (the viewer's event lanes): included, not
 * reverted — a reverted one counts in `reverted` whatever its tag. Tags of each kind, as agents set them.
 */
export const TAG_COUNTS = [
  ['rebalance_txs', ['rebalance']],
  ['sandwich_txs', ['sandwich-front', 'sandwich-back']],
  ['arbitrage_txs', ['arbitrage', 'backrun']],
  ['push_txs', ['adversary-push']],
  ['reversal_txs', ['adversary-reversal']],
] as const;

/** Included, not reverted transactions counted per block by what their calls do, whatever their tag. */
export const OP_COUNTS = [
  ['lp_entry_txs', Op.AddLiquidity],
  ['lp_exit_txs', Op.RemoveLiquidity],
  ['forge_txs', Op.Forge],
] as const;

/** Every per-block count column of blocks.csv after `tx_count` (a long run's report sums them per span). */
export const COUNT_COLUMNS = ['tx_count', 'reverted', ...TAG_COUNTS.map(([c]) => c), ...OP_COUNTS.map(([c]) => c), 'dropped', 'cex_fills'] as const;

/** Column names of the per-block table, in order. */
export function blockColumns(sim: Simulation): string[] {
  const k = sim.kernel;
  const cols = ['block', 'time', 'base_fee_gwei', 'gas_used', 'background_gas', ...COUNT_COLUMNS];
  for (const a of k.market.ids) cols.push(`ref_${a}`);
  for (const v of k.world.venues) {
    if (v.kind === 'cpmm') cols.push(`${v.id}_price`, `${v.id}_reserve0`, `${v.id}_reserve1`);
    else cols.push(`${v.id}_price`, `${v.id}_supply_unit`, `${v.id}_supply_reciprocal`);
  }
  for (const id of k.world.agentIds) cols.push(`pnl_${id}`);
  return cols;
}

/** Call `sink` with one row per block (columns as `blockColumns`). */
export function recordBlocks(sim: Simulation, sink: (row: Row) => void): void {
  const k = sim.kernel;
  const w = k.world;
  // Counters by kind for the block being built. The 'tx' events of a block's receipts come before
  // its 'block' event; counting them costs an array lookup per transaction, no allocation. Kinds
  // are resolved per tag id on first sight (agents may register tags at any time): -1 for none.
  const counts = new Array<number>(TAG_COUNTS.length).fill(0);
  const ops = new Array<number>(OP_COUNTS.length).fill(0);
  let dropped = 0;
  const kindOfTag: number[] = [];
  sim.events.on('tx', (tx: TxView) => {
    // A dropped transaction is final when the block after which it left is: counted in that block.
    if (tx.status === TxStatus.Dropped) dropped++;
    if (tx.status !== TxStatus.Included || tx.block < 1) return;
    for (let j = 0; j < OP_COUNTS.length; j++) {
      const op = OP_COUNTS[j]![1];
      for (let c = 0; c < tx.callCount; c++) {
        if (tx.calls[c]!.op === op) {
          ops[j]!++;
          break;
        }
      }
    }
    let kind = kindOfTag[tx.tag];
    if (kind === undefined) {
      const name = k.tags[tx.tag] ?? '';
      kind = TAG_COUNTS.findIndex(([, tags]) => (tags as readonly string[]).includes(name));
      kindOfTag[tx.tag] = kind;
    }
    if (kind >= 0) counts[kind]!++;
  });
  sim.events.on('block', (b: BlockInfo) => {
    const row: Row = [b.number, b.time, b.baseFee, b.gasUsed, b.backgroundGas, b.txCount, b.reverted];
    for (let i = 0; i < counts.length; i++) {
      row.push(counts[i]!);
      counts[i] = 0;
    }
    for (let i = 0; i < ops.length; i++) {
      row.push(ops[i]!);
      ops[i] = 0;
    }
    row.push(dropped, b.cexFills);
    dropped = 0;
    const price = k.market.price;
    for (let i = 0; i < price.length; i++) row.push(price[i]!);
    const bal = w.ledger.bal;
    const supply = w.ledger.supply;
    for (const v of w.venues) {
      if (v.kind === 'cpmm') row.push(bal[v.r0]! > 0 && bal[v.r1]! > 0 ? bal[v.r1]! / bal[v.r0]! : NaN, bal[v.r0]!, bal[v.r1]!);
      else {
        const u = supply[v.unit]!;
        const s = supply[v.reciprocal]!;
        row.push(u > 0 && s > 0 ? unitPrice(w, v) : NaN, u, s);
      }
    }
    // Before the measurement point P&L is undefined: written empty.
    if (sim.measuring) {
      const base = sim.baseline;
      for (let i = 0; i < w.agentIds.length; i++) row.push(agentPnl(k, i, base).total);
    } else for (let i = 0; i < w.agentIds.length; i++) row.push(NaN);
    sink(row);
  });
}

/**
 * Version of the transactions.jsonl line format, in every line's `format` field. 1: lines without the
 * field. 2: the field; the `…Wei` siblings of exact-mode runs; a forge without a bound has no
 * `boundA`/`boundB`. 3: `target` and `assetChanges`.
 */
export const TX_LOG_FORMAT = 3;

/** One token of a transaction's asset changes: what its sender's wallet gave (−) or got (+). */
export interface AssetChange {
  token: string;
  amount: number;
  /** USD at the marks right after the transaction (the block's reference prices). */
  usd: number;
  /** Exact-integer mode: the amount in wei, as a decimal integer string. */
  amountWei?: string;
}

export interface CallRecord {
  venue: string;
  op: string;
  side: number;
  a: number;
  b: number;
  /** Absent on a forge without a bound (an unprotected triad, or none given); a forge never has `boundB`. */
  boundA?: number | undefined;
  boundB?: number | undefined;
  outA: number;
  outB: number;
  outC: number;
  /** Exact-integer mode: each amount in wei, as a decimal integer string (absent for an infinite bound). */
  aWei?: string | undefined;
  bWei?: string | undefined;
  boundAWei?: string | undefined;
  boundBWei?: string | undefined;
  outAWei?: string | undefined;
  outBWei?: string | undefined;
  outCWei?: string | undefined;
}

export interface TxRecord {
  format: typeof TX_LOG_FORMAT;
  id: number;
  block: number;
  position: number;
  agent: string;
  tag: string;
  status: string;
  revert: string | null;
  private: boolean;
  bundle: number | null;
  /** A searcher's bundle leg: the id of the other agent's transaction it was built around. */
  victim: number | null;
  /** The agent id it aims at: the sender of that transaction, or an adversary's target; else null. */
  target: string | null;
  arrivalTime: number;
  gasUsed: number;
  priorityFee: number;
  effectivePriorityFee: number;
  baseFee: number;
  gasCostUsd: number;
  /** Exact-integer mode: the fees per gas in wei, and the native token paid for gas in wei. */
  priorityFeeWei?: string;
  effectivePriorityFeeWei?: string;
  baseFeeWei?: string;
  gasCostWei?: string;
  calls: CallRecord[];
  /** Its sender's wallet change by token, gas included, in token order; tokens unchanged left out ([] when dropped). */
  assetChanges: AssetChange[];
}

const OP_NAMES: Record<number, string> = {
  [Op.Swap]: 'swap',
  [Op.SwapExactOut]: 'swapExactOut',
  [Op.AddLiquidity]: 'addLiquidity',
  [Op.RemoveLiquidity]: 'removeLiquidity',
  [Op.Forge]: 'forge',
};

/** Call `sink` with every transaction when it becomes final, in a self-describing record. */
export function recordTransactions(sim: Simulation, sink: (tx: TxRecord) => void): void {
  const k = sim.kernel;
  const exact = k.world.ledger.exact !== null;
  // The executor notes each transaction's asset changes only for this recorder (attach it before the run: genesis included).
  k.executor.recordChanges = true;
  sim.events.on('tx', (view: TxView) => {
    // The 'tx' event carries the engine's transaction, whose calls hold the exact amounts too.
    const tx = view as Tx;
    const calls: CallRecord[] = [];
    for (let i = 0; i < tx.callCount; i++) calls.push(callRecord(k.world.venues[tx.calls[i]!.venue], tx.calls[i]!, exact));
    sink({
      format: TX_LOG_FORMAT,
      id: tx.id,
      block: tx.block,
      position: tx.position,
      agent: k.world.agentIds[tx.agent]!,
      tag: k.tags[tx.tag] ?? '',
      status: TX_STATUS_NAMES[tx.status]!,
      revert: tx.revert === 0 ? null : REVERT_NAMES[tx.revert]!,
      private: tx.isPrivate,
      bundle: tx.bundle >= 0 ? tx.bundle : null,
      victim: tx.victim >= 0 ? tx.victim : null,
      target: tx.target >= 0 ? (k.world.agentIds[tx.target] ?? null) : null,
      arrivalTime: tx.arrivalTime,
      gasUsed: tx.gasUsed,
      priorityFee: tx.priorityFee,
      effectivePriorityFee: tx.effectivePriority,
      baseFee: tx.baseFee,
      gasCostUsd: tx.gasCostUsd,
      ...(exact ? feesWei(tx) : undefined),
      calls,
      assetChanges: tx.status === TxStatus.Dropped ? [] : assetChanges(tx, k.world.ledger.tokens),
    });
  });
}

/** The executor's record of the sender's changes (tx.ts `changeToken`…), sorted by token. */
function assetChanges(tx: Tx, tokens: readonly string[]): AssetChange[] {
  const out: AssetChange[] = [];
  const order: number[] = [];
  for (let j = 0; j < tx.changeCount; j++) order.push(j);
  order.sort((a, b) => tx.changeToken[a]! - tx.changeToken[b]!);
  for (const j of order) {
    const wei = tx.changeWei[j];
    const c: AssetChange = { token: tokens[tx.changeToken[j]!] ?? String(tx.changeToken[j]), amount: tx.changeAmount[j]!, usd: tx.changeUsd[j]! };
    if (wei !== null && wei !== undefined) c.amountWei = wei.toString();
    out.push(c);
  }
  return out;
}

/**
 * The fees in wei. The exact executor prices gas in whole wei: the tip offered is
 * gweiToWei(priorityFee), and the base fee and tip paid are integers of wei it stored as gwei, which
 * convert back exactly below 2^51 wei (2.25 million gwei) per gas.
 */
function feesWei(tx: Tx): Pick<TxRecord, 'priorityFeeWei' | 'effectivePriorityFeeWei' | 'baseFeeWei' | 'gasCostWei'> {
  const base = gweiToWei(tx.baseFee);
  const tip = gweiToWei(tx.effectivePriority);
  return {
    priorityFeeWei: gweiToWei(tx.priorityFee).toString(),
    effectivePriorityFeeWei: tip.toString(),
    baseFeeWei: base.toString(),
    gasCostWei: (BigInt(tx.gasUsed) * (base + tip)).toString(),
  };
}

function callRecord(venue: Venue | undefined, c: Call, exact: boolean): CallRecord {
  // A forge's bound is a minimum "1" that only a protected triad (or a compound pool) enforces.
  const forge = c.op === Op.Forge;
  const bounded = !forge || (Number.isFinite(c.boundA) && !(venue?.kind === 'triad' && !venue.isProtected));
  // Undefined fields are left out of the JSON line; each wei amount sits beside its float.
  const wei = (x: bigint | null): string | undefined => (exact && x !== null ? x.toString() : undefined);
  return {
    venue: venue?.id ?? String(c.venue),
    op: OP_NAMES[c.op] ?? String(c.op),
    side: c.side,
    a: c.a,
    aWei: wei(callAmountWei(c.xa, c.a)),
    b: c.b,
    bWei: wei(callAmountWei(c.xb, c.b)),
    boundA: bounded ? c.boundA : undefined,
    boundAWei: bounded ? wei(callAmountWei(c.xboundA, c.boundA)) : undefined,
    boundB: forge ? undefined : c.boundB,
    boundBWei: forge ? undefined : wei(callAmountWei(c.xboundB, c.boundB)),
    outA: c.outA,
    outAWei: wei(c.xoutA ?? callAmountWei(null, c.outA)),
    outB: c.outB,
    outBWei: wei(c.xoutB ?? callAmountWei(null, c.outB)),
    outC: c.outC,
    outCWei: wei(c.xoutC ?? callAmountWei(null, c.outC)),
  };
}

/** Columns of transfers.csv (the whole run) and transfers-blocks.csv (per block: `block` first). */
export const TRANSFER_COLUMNS = ['from', 'to', 'venue', 'kind', 'usd'] as const;

/**
 * Call `sink` with the net transfers of every block, from the measurement point on: one row
 * `block, from, to, venue, kind, usd` per pair, venue and kind that moved anything, the net payer
 * first (usd > 0). Genesis is block 0; a CEX fill or OTC settlement between blocks counts in the next.
 */
export function recordTransfers(sim: Simulation, sink: (row: Row) => void): void {
  const t = sim.kernel.transfers;
  t.perBlock = true;
  const flush = (block: number): void => {
    if (!t.blockDirty) return;
    t.forEachPair('block', (from, to, venue, kind, usd) => sink([block, t.partyNames[from]!, t.partyNames[to]!, t.venueNames[venue]!, TRANSFER_KINDS[kind]!, usd]));
    t.resetBlock();
  };
  t.afterGenesis = () => flush(0);
  sim.events.on('block', (b: BlockInfo) => flush(b.number));
}

/** The net transfers of the whole run (from the measurement point): rows `from, to, venue, kind, usd`. */
export function transferRows(sim: Simulation): Row[] {
  const t = sim.kernel.transfers;
  const rows: Row[] = [];
  t.forEachPair('run', (from, to, venue, kind, usd) => rows.push([t.partyNames[from]!, t.partyNames[to]!, t.venueNames[venue]!, TRANSFER_KINDS[kind]!, usd]));
  return rows;
}

export const PNL_COMPONENTS: readonly (keyof PnlBreakdown)[] = PNL_LINES;

/**
 * Call `sink` with each agent's P&L decomposition every `every` blocks (and at the last block), from
 * the measurement point on: tidy rows `block, time, agent, total, edge, hold, trading, fees, lvr,
 * swapFees, gas, cex, mev, options`.
 */
export function recordPnl(sim: Simulation, every: number, sink: (row: Row) => void): void {
  const k = sim.kernel;
  const last = sim.config.blocks;
  sim.events.on('block', (b: BlockInfo) => {
    if ((b.number % every !== 0 && b.number !== last) || !sim.measuring) return;
    const base = sim.baseline;
    k.world.agentIds.forEach((id, i) => {
      const p = agentPnl(k, i, base);
      sink([b.number, b.time, id, ...PNL_COMPONENTS.map((c) => p[c])]);
    });
  });
}

export interface CandidateRecord {
  block: number;
  /** What the builder saw before executing the block, in arrival order. */
  txs: { id: number; agent: string; tag: string; priorityFee: number; maxFee: number; arrivalTime: number; private: boolean; bundle: number | null }[];
}

/** Call `sink` with the builder's candidates of every block (the mempool as it saw it). */
export function recordCandidates(sim: Simulation, sink: (c: CandidateRecord) => void): void {
  const k = sim.kernel;
  sim.events.on('candidates', (block: number, txs: readonly TxView[]) => {
    sink({
      block,
      txs: txs.map((t) => ({ id: t.id, agent: k.world.agentIds[t.agent]!, tag: k.tags[t.tag] ?? '', priorityFee: t.priorityFee, maxFee: t.maxFee, arrivalTime: t.arrivalTime, private: t.isPrivate, bundle: t.bundle >= 0 ? t.bundle : null })),
    });
  });
}

/** Columns of mev.csv, in order (docs/outputs.md). */
export const MEV_COLUMNS = ['block', 'bundle', 'tx', 'kind', 'searcher', 'victim', 'victim_tx', 'victim_loss_usd', 'gross_usd', 'swap_fees_usd', 'base_fee_usd', 'builder_usd', 'net_usd'] as const;

/** What an MEV event is, from the tag of the bundler's first own transaction (as agents set tags). */
const MEV_KINDS: Record<string, string> = {
  'sandwich-front': 'sandwich',
  'sandwich-back': 'sandwich',
  backrun: 'backrun',
  arbitrage: 'arbitrage',
  'adversary-push': 'push',
  'adversary-reversal': 'reversal',
};

/**
 * Call `sink` with one row of MEV_COLUMNS per MEV event as the meter books it (sim/mev.ts
 * `MevRecord`): every included bundle that books anything, every included lone transaction of an
 * agent that extracts MEV. Empty cells are '' (a lone transaction's bundle, no victim).
 */
export function recordMev(sim: Simulation, sink: (row: Row) => void): void {
  const k = sim.kernel;
  const ids = k.world.agentIds;
  sim.events.on('mev', (r: MevRecord) => {
    const tag = k.tags[r.tag] ?? '';
    sink([
      r.block,
      r.bundle >= 0 ? r.bundle : '',
      r.tx,
      MEV_KINDS[tag] ?? tag,
      ids[r.agent]!,
      r.target >= 0 ? ids[r.target]! : '',
      r.victimTx >= 0 ? r.victimTx : '',
      r.victimLossUsd,
      r.grossUsd,
      r.swapFeesUsd,
      r.baseFeeUsd,
      r.priorityFeeUsd,
      r.netUsd,
    ]);
  });
}
