/**
 * The read-only view an agent decides from. One instance per simulation, pointed at the acting agent
 * before each call; every accessor returns a number, so reading the world allocates nothing.
 */
import type { TxView, View } from './agent';
import type { Kernel } from './kernel';
import { Revert, TxStatus, type RevertCode, type Tx, type TxStatusCode } from './tx';
import { totalShares } from './venues/cpmm';
import { unitPrice } from './venues/triad';
import { formatUnits } from './venues/exact-math';
import { agentValue, heldValue } from './result';
import { TokenKind, type World } from './world';

/**
 * One of the agent's own transactions as the agent knows it before its receipt: in flight until the
 * mempool took it, then pending — even if it is already final (the receipt is still travelling). One
 * the mempool refused on arrival (a rejected replacement, a used nonce, a bundle that could not be
 * built) never was pending: it reads in flight until its receipt, so "pending" means "accepted".
 * Outcome fields read as not yet known; calls are the ones sent (read results from the receipt).
 */
class OwnTx implements TxView {
  tx: Tx = null as unknown as Tx;
  get id(): number {
    return this.tx.id;
  }
  get agent(): number {
    return this.tx.agent;
  }
  get nonce(): number {
    return this.tx.nonce;
  }
  get callCount(): number {
    return this.tx.callCount;
  }
  get calls(): TxView['calls'] {
    return this.tx.calls;
  }
  get gasLimit(): number {
    return this.tx.gasLimit;
  }
  get maxFee(): number {
    return this.tx.maxFee;
  }
  get priorityFee(): number {
    return this.tx.priorityFee;
  }
  get deadline(): number {
    return this.tx.deadline;
  }
  get isPrivate(): boolean {
    return this.tx.isPrivate;
  }
  /** Taken into the mempool (or a bundle's target block): firstBlock is set only there. */
  private get accepted(): boolean {
    return this.tx.status !== TxStatus.InFlight && this.tx.firstBlock > 0;
  }
  get arrivalTime(): number {
    return this.accepted ? this.tx.arrivalTime : 0;
  }
  get tag(): number {
    return this.tx.tag;
  }
  get status(): TxStatusCode {
    return this.accepted ? TxStatus.Pending : TxStatus.InFlight;
  }
  get revert(): RevertCode {
    return Revert.None;
  }
  get block(): number {
    return -1;
  }
  get position(): number {
    return -1;
  }
  get gasUsed(): number {
    return 0;
  }
  get gasCostUsd(): number {
    return 0;
  }
  get bundle(): number {
    return this.tx.bundle;
  }
  get victim(): number {
    return this.tx.victim;
  }
  get effectivePriority(): number {
    return 0;
  }
  get baseFee(): number {
    return 0;
  }
}

export class KernelView implements View {
  self = 0;
  private readonly visible: Tx[] = [];
  private readonly own: OwnTx[] = [];
  /** Reused OwnTx wrappers: the list grows to the most transactions an agent has had live at once. */
  private readonly ownPool: OwnTx[] = [];

  /**
   * Read once from the kernel and its world (fixed after set-up), for the accessors agents call every
   * block: the world, its balances and supplies, each agent's price lag, and each venue side's cell
   * (a pool's reserve: its ledger index; a triad's supply: ~token).
   */
  private readonly w: World;
  private readonly bal: Float64Array;
  private readonly supplies: Float64Array;
  private readonly lag: Float64Array;
  private readonly tokenCount: number;
  private readonly agentBase: number;
  private readonly reserveCell: Int32Array;

  constructor(private readonly k: Kernel) {
    const w = k.world;
    this.w = w;
    this.bal = w.ledger.bal;
    this.supplies = w.ledger.supply;
    this.lag = k.priceLag;
    this.tokenCount = w.ledger.tokenCount;
    this.agentBase = w.agentBase;
    this.reserveCell = Int32Array.from(w.venues.flatMap((v) => (v.kind === 'cpmm' ? [v.r0, v.r1] : [~v.unit, ~v.reciprocal])));
  }

  get time(): number {
    return this.k.time;
  }
  get block(): number {
    return this.k.blockNumber + 1;
  }
  get baseFee(): number {
    return this.k.baseFee;
  }

  // refPrice and priceUsd are kept short (their lagged paths out of line) so that an agent's `act`
  // inlines them within V8's inlining budget: a call left out of line returns its double boxed, a
  // heap allocation per call. `- 0` (exact) types an out-of-line result as a number.
  refPrice(asset: number): number {
    const lag = this.lag[this.self]!;
    return lag > 0 ? this.laggedRefPrice(asset, lag) - 0 : this.k.market.price[asset]!;
  }
  private laggedRefPrice(asset: number, lag: number): number {
    return this.k.market.priceAt(asset, this.k.time - lag);
  }
  volatility(asset: number): number {
    return this.k.market.volatility(asset);
  }
  priceUsd(token: number): number {
    const w = this.w;
    // World.markPriceLagged's direct cases read here: a fixed price, or a reference price seen without lag.
    const kind = w.tokenKind[token];
    if (kind === TokenKind.Fixed || (kind === TokenKind.Reference && !(this.lag[this.self]! > 0))) return w.basePrice[token]!;
    return this.markedUsd(token) - 0;
  }
  private markedUsd(token: number): number {
    return this.w.markPriceLagged(token, this.lag[this.self]!, this.k.time);
  }

  balance(token: number): number {
    return this.bal[(this.agentBase + this.self) * this.tokenCount + token]!;
  }
  balanceExact(token: number): string | undefined {
    const L = this.k.world.ledger;
    return L.exact === null ? undefined : formatUnits(L.xget(this.k.world.agentAccount(this.self), token));
  }
  cexBalance(token: number): number {
    return this.k.world.ledger.get(this.k.world.cexAccount(this.self), token);
  }
  balanceOf(agent: number, token: number): number {
    return this.k.world.ledger.get(this.k.world.agentAccount(agent), token);
  }
  supply(token: number): number {
    return this.k.world.ledger.supply[token]!;
  }

  reserve(venue: number, side: number): number {
    // Venue ids come from set-up (VenueInfo); no range check here: one kept this accessor from being
    // inlined into the agents' acts (about 100 instructions a block).
    const c = this.reserveCell[2 * venue + (side === 0 ? 0 : 1)]!;
    return c >= 0 ? this.bal[c]! : this.supplies[~c]!;
  }
  reserveWei(venue: number, side: number): bigint | undefined {
    const w = this.k.world;
    const x = w.ledger.exact;
    if (x === null) return undefined;
    const v = w.venues[venue]!;
    if (v.kind === 'cpmm') return x.bal[side === 0 ? v.r0 : v.r1]!;
    return x.supply[side === 0 ? v.unit : v.reciprocal]!;
  }
  totalShares(venue: number): number {
    const v = this.k.world.venues[venue]!;
    return v.kind === 'cpmm' ? totalShares(this.k.world, v) : NaN;
  }
  venuePrice(venue: number): number {
    const w = this.k.world;
    const v = w.venues[venue]!;
    if (v.kind === 'cpmm') return w.ledger.bal[v.r1]! / w.ledger.bal[v.r0]!;
    return unitPrice(w, v);
  }

  agentValue(agent: number): number {
    // Valuing another agent's off-ledger book calls that agent with the view pointed at it.
    const self = this.self;
    try {
      return agentValue(this.k, agent);
    } finally {
      this.self = self;
    }
  }
  lookThrough(agent: number, out: Float64Array): void {
    const w = this.k.world;
    out.fill(0);
    w.lookThroughAccount(w.agentAccount(agent), out);
    w.lookThroughAccount(w.cexAccount(agent), out);
  }
  heldValue(held: Float64Array): number {
    return heldValue(this.k.world, held);
  }
  cohortSize(cohort: number): number {
    return this.k.table.cohorts[cohort]!.length;
  }
  cohortAgent(cohort: number, j: number): number {
    return this.k.table.cohorts[cohort]![j]!;
  }

  gasFor(op: number): number {
    return this.k.gasByOp[op]!;
  }

  gasForCalls(ops: readonly number[]): number {
    const intrinsic = this.k.gasTable.intrinsic;
    let g = intrinsic;
    for (const op of ops) g += this.k.gasByOp[op]! - intrinsic;
    return g;
  }
  gasCostUsd(gas: number, priorityFee: number): number {
    // units.ts GWEI as a local: a module constant is a context load (and a type check) at each use.
    const gwei = 1e-9;
    return gas * (this.k.baseFee + priorityFee) * gwei * this.priceUsd(this.w.native);
  }

  mempool(): readonly TxView[] {
    const out = this.visible;
    out.length = 0;
    const seen = this.k.mempoolSeen;
    const self = this.self;
    const pending = this.k.mempool.pending;
    for (let i = 0; i < pending.size; i++) {
      const tx = pending.get(i);
      if (tx.status === TxStatus.Pending && !tx.isPrivate && tx.agent !== self && seen(self, tx)) out.push(tx);
    }
    return out;
  }

  nonce(): number {
    return this.k.nextNonce(this.self);
  }

  accountNonce(agent: number): number {
    return this.k.table.nonce[agent]!;
  }

  pendingCount(): number {
    return this.k.table.live[this.self]!.length;
  }

  ownPending(): readonly TxView[] {
    const out = this.own;
    const live = this.k.table.live[this.self]!;
    const pool = this.ownPool;
    while (pool.length < live.length) pool.push(new OwnTx());
    out.length = 0;
    for (let k = 0; k < live.length; k++) {
      const w = pool[k]!;
      w.tx = live[k]!;
      out.push(w);
    }
    return out;
  }
}
