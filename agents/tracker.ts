/**
 * `tracker`: keeps a triad's price of U (in "1") on a target made from reference prices,
 * target = scale · Π P_asset^exponent / P("1") — e.g. √(pA·pB) for the seed's U = √(A·B). Each time it
 * acts and the price is off by more than its tolerance it forges toward the target: along u·v = const
 * at zero "1" (burning the side it holds), or, when it lacks that inventory or is told to, by minting
 * only — which costs "1". Either way it is the price mover whose mark-to-market the hedgers gain.
 * One move at a time: it waits for the receipt of the last before looking again.
 *
 * It pays only what it is willing to: `maxSpend` (per day or for the run) and `maxSpendPerBlock` cap
 * its spend — what its moves hand the other holders of U and 1/U, plus its gas (docs/outputs.md,
 * "tracker"). A move that would cost more is shortened to what is left; when not even the gas of a
 * move is left it stands still (a daily budget resumes the next day).
 */
import type { AgentPlan, AgentWarning, Outbox, PreflightContext, SetupContext, TxView, View } from '../sim/agent';
import { TxStatus } from '../sim/tx';
import { formatAmount, formatDeviation, PRICE_TOLERANCE, tokenLabel } from '../sim/preflight';
import { forgeQuote, mintToPrice, moveAtZeroCostFrom, priceOfUnit } from '../sim/venues/triad-math';
import { Op } from '../sim/tx';
import { AssetProduct } from './asset-product';
import { BaseAgent, type CommonSpec } from './common';
import { ratioWithin, transferToOthers, transferToOthersFrom } from './math/triad-transfer';
import { triadSeat } from './math/triad-seat';

/** A cap on spend: an amount in USD or in "1", per simulated day or for the whole run. */
export interface SpendLimit {
  amount: number;
  /** `usd` (default) or `"1"` (the triad's invariant token). */
  unit?: 'usd' | '1';
  /** `run` (default): the whole run; `day`: each day of simulated time (from t = 0), resetting. */
  per?: 'run' | 'day';
}

const DAY = 86_400;

export interface TrackerSpec extends CommonSpec {
  venue: string;
  /** Target USD value of one U as scale · Π P_asset^exponent. */
  target: { assets: Record<string, number>; scale?: number };
  /** `zero-cost` (default) or `mint`. */
  mode?: 'zero-cost' | 'mint';
  /** Relative deviation tolerated before forging. Default 0. */
  tolerance?: number;
  /** Forge at genesis to create inventory: [U, 1/U] (pays "1"). */
  initial?: [number, number];
  /** Act every this many blocks. Default 1. */
  every?: number;
  /** Most it spends (moves' transfers to other holders plus gas), per day or for the run. Default: no cap. */
  maxSpend?: SpendLimit;
  /** Most one move may spend, in maxSpend's unit (USD without maxSpend). Default: no cap. */
  maxSpendPerBlock?: number;
  /** |ln(price / target)| beyond which a block counts as off-peg in its metrics. Default 0.01. */
  offPegBand?: number;
}

export class Tracker extends BaseAgent {
  readonly kind = 'tracker';
  private venue = 0;
  private unit = 0;
  private reciprocal = 0;
  private one = 0;
  private k = 2;
  private tag = 0;
  private readonly target: AssetProduct;
  /** Moves included (not reverted), and sent. */
  private moves = 0;
  private movesAttempted = 0;
  /** Its move on its way (tx id, 0: none). */
  private inFlight = 0;
  private every: number;
  /** Budget in "1" (true) or USD; cap per period, per move (Infinity: none). */
  private readonly inOne: boolean;
  private readonly cap: number;
  private capPerMove: number;
  private readonly daily: boolean;
  private band: number;
  /** Read from the spec once (act runs every block); a fork's reconfigure sets them again. */
  private tolerance: number;
  private mintOnly: boolean;
  /**
   * The move in flight as decided: supplies, others' holdings, "1" quoted, its spend predicted
   * (budget unit), the forge sent (du, dv) and what it hands the others on the decided state.
   */
  private readonly decided = new Float64Array(9);
  /** The forge (du, dv) being worked out (scratch, reused every move). */
  private readonly move = new Float64Array(2);
  /** The largest excess of a move's measured spend over its predicted spend (budget unit). */
  private spentExcessMax = 0;
  /** Spend in the budget's unit: this period (day or run), and the largest day and move. */
  private spentPeriod = 0;
  private period = 0;
  private spentMaxDay = 0;
  private spentMaxMove = 0;
  /** Spend in USD at the times paid: all, and its gas. */
  private spentUsd = 0;
  private spentGasUsd = 0;
  private exhaustedAtBlock = -1;
  private blocksExhausted = 0;
  private exhaustedNow = false;
  /** Tracking error: Σ x², max |x|, blocks looked, blocks off-peg; Σ x² and count while exhausted. */
  private sumSq = 0;
  private maxAbs = 0;
  private looked = 0;
  private offPeg = 0;
  private sumSqExhausted = 0;
  private exhaustions = 0;

  readonly liveParams = ['tolerance', 'every', 'mode', 'maxSpendPerBlock', 'offPegBand'] as const;

  constructor(private spec: TrackerSpec) {
    super(spec, { kind: 'block' });
    this.every = spec.every ?? 1;
    this.target = new AssetProduct(spec.target);
    this.inOne = spec.maxSpend?.unit === '1';
    this.cap = spec.maxSpend?.amount ?? Infinity;
    this.daily = spec.maxSpend?.per === 'day';
    this.capPerMove = spec.maxSpendPerBlock ?? Infinity;
    this.band = spec.offPegBand ?? 0.01;
    this.tolerance = spec.tolerance ?? 0;
    this.mintOnly = spec.mode === 'mint';
  }

  reconfigure(spec: TrackerSpec): void {
    this.spec = spec;
    this.every = spec.every ?? 1;
    this.capPerMove = spec.maxSpendPerBlock ?? Infinity;
    this.band = spec.offPegBand ?? 0.01;
    this.tolerance = spec.tolerance ?? 0;
    this.mintOnly = spec.mode === 'mint';
  }

  setup(ctx: SetupContext): void {
    ({ venue: this.venue, unit: this.unit, reciprocal: this.reciprocal, one: this.one, k: this.k } = triadSeat(ctx, this.spec.venue, `tracker '${this.id}'`));
    this.tag = ctx.tag('track');
    this.target.setup(ctx);
  }

  genesis(_view: View, out: Outbox): void {
    const init = this.spec.initial;
    if (init) out.forge(this.venue, init[0], init[1], -Infinity);
  }

  /** The target price of U in "1" as this agent sees the market. */
  targetPrice(view: View): number {
    return this.target.usd(view) / view.priceUsd(this.one);
  }

  /** Start a new day's budget when the day has turned (per-day budgets only). */
  private roll(time: number): void {
    if (!this.daily) return;
    const day = Math.floor(time / DAY);
    if (day !== this.period) {
      this.period = day;
      this.spentPeriod = 0;
    }
  }

  act(view: View, out: Outbox): void {
    const u = view.reserve(this.venue, 0);
    const v = view.reserve(this.venue, 1);
    if (!(u > 0 && v > 0)) return;
    // Read once, used for the target and the budget (targetPrice's arithmetic); the triad's price is
    // venuePrice's, (k/2)·√(v/u), from the supplies just read.
    const oneUsd = view.priceUsd(this.one);
    const target = this.target.usd(view) / oneUsd;
    const current = priceOfUnit(u, v, this.k);
    if (this.daily) this.roll(view.time);
    // What it may still spend this period and on this move, in the budget's unit, and a move's gas.
    const gasUsd = view.gasCostUsd(view.gasFor(Op.Forge), this.priorityFee);
    const gas = this.inOne ? gasUsd / oneUsd : gasUsd;
    const left = this.cap - this.spentPeriod;
    // Exhausted: not even the gas of a move is left. It stands still until its budget resumes.
    const exhausted = !(left > gas);
    if (exhausted && !this.exhaustedNow) {
      if (this.exhaustedAtBlock < 0) this.exhaustedAtBlock = view.block;
      this.exhaustions++;
    }
    this.exhaustedNow = exhausted;
    // The peg statistics, written here rather than in a method: `act` runs every block and V8's
    // inlining budget is better spent on the view's price reads (out of line, each returns a boxed double).
    const x = Math.log(current / target);
    const ax = Math.abs(x);
    this.looked++;
    this.sumSq += x * x;
    if (ax > this.maxAbs) this.maxAbs = ax;
    if (ax > this.band) this.offPeg++;
    if (exhausted) {
      this.sumSqExhausted += x * x;
      this.blocksExhausted++;
    }
    if (exhausted) return;
    if (this.every !== 1 && view.block % this.every !== 0) return;
    // A move still on its way would be sent twice (and overshoot): wait for its receipt.
    if (this.inFlight !== 0) return;
    if (Math.abs(current / target - 1) <= this.tolerance) return;
    const allowance = Math.min(this.capPerMove, left);
    // A per-move cap below a move's gas prices every move out.
    if (!(allowance > gas)) return;
    const ownU = view.balance(this.unit);
    const ownV = view.balance(this.reciprocal);
    const othersU = Math.max(0, u - ownU);
    const othersV = Math.max(0, v - ownV);
    let aim = target;
    if (allowance !== Infinity) {
      // Shorten the move so that what it hands the others (in "1") stays within what is left after gas.
      const capOne = (allowance - gas) * (this.inOne ? 1 : 1 / oneUsd);
      const q = (this.k * this.k) / 4 / current;
      aim = current * ratioWithin(othersU * current, othersV * q, target / current, capOne);
    }
    const move = this.move;
    let mint = this.mintOnly;
    if (!mint) {
      moveAtZeroCostFrom(u, v, current, aim, move);
      // Burning needs inventory: fall back to minting when it lacks the side to burn.
      if ((move[0]! < 0 && ownU < -move[0]!) || (move[1]! < 0 && ownV < -move[1]!)) mint = true;
    }
    if (mint) mintToPrice(u, v, this.k, aim, move);
    let du = move[0]!;
    let dv = move[1]!;
    // Along u·v = const the "1" due is zero but rounds either way: minting a hair less makes it
    // never negative, so the move needs no "1" it may not hold (the price lands within 1e-12).
    if (!mint) {
      if (dv > 0) dv = dv * (1 - 1e-12);
      else if (du > 0) du = du * (1 - 1e-12);
    }
    out.setTag(this.tag);
    this.inFlight = out.forge(this.venue, du, dv, -Infinity).id;
    const d = this.decided;
    d[0] = u;
    d[1] = v;
    d[2] = othersU;
    d[3] = othersV;
    d[4] = forgeQuote(u, v, du, dv, this.k);
    const transfer = transferToOthersFrom(u, v, this.k, current, othersU, othersV, du, dv);
    d[5] = (this.inOne ? transfer : transfer * oneUsd) + gas;
    d[6] = du;
    d[7] = dv;
    d[8] = transfer;
    this.movesAttempted++;
  }

  onReceipt(view: View, _out: Outbox, tx: TxView): void {
    if (tx.id !== this.inFlight) return;
    this.inFlight = 0;
    // Spend, from what landed: the gas paid (reverted or not) and, for an included move, what it
    // handed the other holders on the state it was decided on, plus any "1" it paid beyond the quote
    // there (the state it ran on had moved).
    const oneUsd = view.priceUsd(this.one);
    let transferOne = 0;
    if (tx.status === TxStatus.Included) {
      this.moves++;
      const c = tx.calls[0]!;
      const d = this.decided;
      // The same forge on the same decided state hands the others what `act` computed.
      const transfer = c.a === d[6] && c.b === d[7] ? d[8]! : transferToOthers(d[0]!, d[1]!, this.k, d[2]!, d[3]!, c.a, c.b);
      transferOne = transfer + (d[4]! - c.outC);
    }
    const usd = transferOne * oneUsd + tx.gasCostUsd;
    this.spentUsd += usd;
    this.spentGasUsd += tx.gasCostUsd;
    const spent = this.inOne ? usd / oneUsd : usd;
    this.roll(view.time);
    this.spentPeriod += spent;
    if (spent > this.spentMaxMove) this.spentMaxMove = spent;
    if (spent - this.decided[5]! > this.spentExcessMax) this.spentExcessMax = spent - this.decided[5]!;
    if (this.spentPeriod > this.spentMaxDay && this.daily) this.spentMaxDay = this.spentPeriod;
  }

  metrics(): Record<string, number> {
    const m: Record<string, number> = {
      moves: this.moves,
      movesAttempted: this.movesAttempted,
      spentUsd: this.spentUsd,
      spentGasUsd: this.spentGasUsd,
      spentMaxMove: this.spentMaxMove,
      spentExcessMax: this.spentExcessMax,
      exhaustedAtBlock: this.exhaustedAtBlock,
      blocksExhausted: this.blocksExhausted,
      exhaustions: this.exhaustions,
      trackingRmsLog: this.looked > 0 ? Math.sqrt(this.sumSq / this.looked) : 0,
      trackingMaxAbsLog: this.maxAbs,
      offPegShare: this.looked > 0 ? this.offPeg / this.looked : 0,
    };
    if (this.daily) m.spentMaxDay = this.spentMaxDay;
    if (this.cap !== Infinity) m.budgetLeft = this.cap - this.spentPeriod;
    // Split at the blocks it looked at while out of budget.
    const active = this.looked - this.blocksExhausted;
    if (this.blocksExhausted > 0) m.trackingRmsLogExhausted = Math.sqrt(this.sumSqExhausted / this.blocksExhausted);
    if (this.blocksExhausted > 0 && active > 0) m.trackingRmsLogActive = Math.sqrt((this.sumSq - this.sumSqExhausted) / active);
    return m;
  }

  /**
   * Preflight: a triad that starts off the target is moved onto it in the first block, handing the
   * holders of U and 1/U a gain that is a set-up artefact, not a market move.
   */
  preflight(view: View, ctx: PreflightContext): AgentPlan {
    const warnings: AgentWarning[] = [];
    if (view.reserve(this.venue, 0) > 0 && view.reserve(this.venue, 1) > 0) {
      const target = this.targetPrice(view);
      const price = view.venuePrice(this.venue);
      const d = price / target - 1;
      if (Math.abs(d) > PRICE_TOLERANCE) {
        const one = tokenLabel(ctx.tokenName(this.one));
        warnings.push({
          code: 'TRIAD_OFF_TARGET',
          field: 'target',
          venue: this.venue,
          message: `triad '${ctx.venueName(this.venue)}' starts at ${formatAmount(price)} ${one} per ${tokenLabel(ctx.tokenName(this.unit))}, ${formatDeviation(d)} tracker '${this.id}'s target ${formatAmount(target)}: its first move hands the holders of ${tokenLabel(ctx.tokenName(this.unit))} and ${tokenLabel(ctx.tokenName(this.reciprocal))} a set-up artefact as profit (start the triad on the target)`,
        });
      }
    }
    return { sends: true, publicTxs: 'on-schedule', warnings };
  }
}
