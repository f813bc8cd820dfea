/**
 * `arbitrageur`: closes the gap between a pool and the reference market with the profit-maximising
 * size after the fee (Uniswap v2 periphery's trade), trades only when the expected profit beats gas,
 * and bids a priority fee by its rule (none under `fcfs` ordering, where a fee buys nothing: it
 * competes by latency). Holding less than the optimal input, it trades what it holds (the profit is
 * concave in size: some beats none), keeping back the gas when it pays in the native token. One
 * attempt at a time: no new one while its last is on its way (until its receipt). Optionally hedges
 * each included fill on the CEX so it holds no inventory risk. It sees reference prices with its own
 * price latency.
 *
 * With `triad`, it closes the gap between that triad and the pool instead: the pool trades one of
 * the triad's tokens (U or 1/U) against its "1", and the arbitrageur mints that token on the triad
 * and sells it in the pool, or buys it there and burns it, in one transaction of two calls
 * (agents/math/triad-pool-arbitrage.ts), gaining "1".
 */
import type { AgentPlan, AgentWarning, Outbox, PreflightContext, SetupContext, TxView, View } from '../sim/agent';
import { tokenLabel } from '../sim/preflight';
import type { Stream } from '../sim/rng';
import { TxStatus } from '../sim/tx';
import { Op } from '../sim/tx';
import { GWEI } from '../sim/units';
import { getAmountOut, optimalArbitrageInput } from '../sim/venues/cpmm-math';
import { bestTriadPoolTrade } from './math/triad-pool-arbitrage';
import { BaseAgent, type CommonSpec } from './common';

export type BidRule =
  /** A fixed priority fee, gwei. */
  | { kind: 'fixed'; gwei: number }
  /** Give `share` of the expected profit to the proposer, optionally jittered by ±jitter (relative). */
  | { kind: 'share'; share: number; jitter?: number };

export interface ArbitrageurSpec extends CommonSpec {
  venue: string;
  bid?: BidRule;
  /** Minimum expected profit after gas, USD. Default 0. */
  minProfitUsd?: number;
  /** Offset every fill on the CEX. Default false. */
  hedge?: boolean;
  /** Ignore gas when deciding (for fee-only studies). Default false. */
  ignoreGas?: boolean;
  /** Look for an opportunity every this many blocks (a slow arbitrageur). Default 1. */
  every?: number;
  /** Arbitrage the pool against this triad (the pool trades its U or 1/U for its "1"), not the reference market. */
  triad?: string;
}

export class Arbitrageur extends BaseAgent {
  readonly kind = 'arbitrageur';
  private venue = 0;
  private token0 = 0;
  private token1 = 0;
  private phi = 1;
  private native = 0;
  private tag = 0;
  private rng: Stream | null = null;
  /** Triad mode: the triad, which of its sides T is (0 U, 1 1/U), the pool side holding T, "1", k. */
  private triad = -1;
  private triadSide = 0;
  private poolSideOfT = 0;
  private one = 0;
  private k = 2;
  private bid: BidRule;
  /** The rule read once (its kind is a string from the file, compared character by character): fixed gwei, or share and jitter. */
  private bidFixed = false;
  private bidGwei = 0;
  private bidShare = 0;
  private bidJitter = 0;
  private minProfit: number;
  /** Under `fcfs` a priority fee buys nothing: it bids none. */
  private fcfs = false;
  /** Opportunities seen; trades included (not reverted) and sent. */
  private seen = 0;
  private trades = 0;
  private tradesAttempted = 0;
  /** Its trade on its way (tx id, 0: none). */
  private inFlight = 0;
  /** Read from the spec once (`act` runs every block); a fork's reconfigure sets them again. */
  private every: number;
  private ignoreGas: boolean;

  readonly liveParams = ['bid', 'minProfitUsd', 'every', 'ignoreGas'] as const;

  constructor(private spec: ArbitrageurSpec) {
    super(spec, { kind: 'block' });
    this.bid = spec.bid ?? { kind: 'fixed', gwei: spec.priorityFee ?? 0 };
    this.readBid();
    this.minProfit = spec.minProfitUsd ?? 0;
    this.every = spec.every ?? 1;
    this.ignoreGas = spec.ignoreGas === true;
    if (spec.hedge && spec.triad !== undefined) throw new Error(`arbitrageur '${spec.id}': hedge offsets fills on the CEX, which a triad arbitrage has none of`);
  }

  onReceipt(_view: View, out: Outbox, tx: TxView): void {
    if (tx.id !== this.inFlight) return;
    this.inFlight = 0;
    if (tx.status !== TxStatus.Included) return;
    this.trades++;
    if (this.spec.hedge) this.hedgeFill(out, tx);
  }

  reconfigure(spec: ArbitrageurSpec): void {
    const bid = spec.bid ?? { kind: 'fixed', gwei: spec.priorityFee ?? 0 };
    // The jitter stream is taken at setup: a rule that needs it must have had it from the start.
    if (bid.kind === 'share' && (bid.jitter ?? 0) > 0 && this.rng === null) throw new Error(`arbitrageur '${this.id}' had no bid jitter before the fork; jitter cannot be added during a run`);
    this.spec = spec;
    this.bid = bid;
    this.readBid();
    this.minProfit = spec.minProfitUsd ?? 0;
    this.every = spec.every ?? 1;
    this.ignoreGas = spec.ignoreGas === true;
  }

  private readBid(): void {
    const b = this.bid;
    this.bidFixed = b.kind === 'fixed';
    this.bidGwei = b.kind === 'fixed' ? b.gwei : 0;
    this.bidShare = b.kind === 'share' ? b.share : 0;
    this.bidJitter = b.kind === 'share' ? (b.jitter ?? 0) : 0;
  }

  setup(ctx: SetupContext): void {
    this.venue = ctx.venue(this.spec.venue);
    const info = ctx.venueInfo(this.venue);
    if (info.kind !== 'cpmm') throw new Error(`arbitrageur '${this.id}' needs a cpmm venue, '${this.spec.venue}' is a ${info.kind}`);
    [this.token0, this.token1] = info.tokens;
    this.phi = 1 - info.fee;
    this.native = ctx.nativeToken;
    this.tag = ctx.tag('arbitrage');
    this.fcfs = ctx.ordering === 'fcfs';
    if (this.bid.kind === 'share' && (this.bid.jitter ?? 0) > 0) this.rng = ctx.stream('bid');
    if (this.spec.triad !== undefined) this.setupTriad(ctx, this.spec.triad);
  }

  private setupTriad(ctx: SetupContext, name: string): void {
    this.triad = ctx.venue(name);
    const t = ctx.venueInfo(this.triad);
    if (t.kind !== 'triad') throw new Error(`arbitrageur '${this.id}': triad '${name}' is a ${t.kind}`);
    this.one = t.shareToken;
    this.k = t.k;
    // The pool's side holding "1", and the other: T, which must be the triad's U or 1/U.
    const oneSide = this.token0 === this.one ? 0 : this.token1 === this.one ? 1 : -1;
    this.poolSideOfT = 1 - oneSide;
    this.triadSide = t.tokens.indexOf(oneSide === 0 ? this.token1 : this.token0);
    if (oneSide < 0 || this.triadSide < 0) {
      throw new Error(`arbitrageur '${this.id}': pool '${this.spec.venue}' must trade one of triad '${name}'s tokens against its "1"`);
    }
  }

  act(view: View, out: Outbox): void {
    if (this.every > 1 && view.block % this.every !== 0) return;
    // Its last attempt is on its way: a second one would trade the same gap twice.
    if (this.inFlight !== 0) return;
    if (this.triad >= 0) return this.actTriad(view, out);
    const v = this.venue;
    const x = view.reserve(v, 0);
    const y = view.reserve(v, 1);
    const p0 = view.priceUsd(this.token0);
    const p1 = view.priceUsd(this.token1);
    const input = optimalArbitrageInput(x, y, p0 / p1, this.phi);
    if (input === 0) return;
    this.seen++;
    // input > 0: pay token1 for token0; < 0: pay token0 for token1.
    const side = input > 0 ? 1 : 0;
    const tokenIn = side === 1 ? this.token1 : this.token0;
    const gas = view.gasFor(Op.Swap);
    const phi = this.phi;
    // USD per (gas × gwei), read once: the native token's price is one of the pool's when it trades it.
    // units.ts GWEI as a local: a module constant is a context load (and a type check) at each use.
    const gwei = 1e-9;
    const unit = this.ignoreGas ? 0 : gas * gwei * (this.native === this.token0 ? p0 : this.native === this.token1 ? p1 : view.priceUsd(this.native));
    const baseFee = view.baseFee;
    // Inlined rather than closures: this runs every block.
    let amountIn = Math.abs(input);
    // Paying in the native token, keep its gas back: the bid at the optimal size bounds the one at any smaller size.
    let spare = view.balance(tokenIn);
    // The output at the optimal size, when known (paying in the native token): kept if the size stays.
    let out0 = NaN;
    if (tokenIn === this.native) {
      out0 = side === 1 ? getAmountOut(amountIn, y, x, phi) : getAmountOut(amountIn, x, y, phi);
      const profit0 = side === 1 ? out0 * p0 - amountIn * p1 : out0 * p1 - amountIn * p0;
      spare -= gas * (2 * baseFee + this.bidTop(unit, baseFee, profit0)) * gwei;
    }
    // Short of capital: the profit is concave in size, so trading what it has beats not trading.
    if (spare < amountIn) {
      amountIn = spare;
      out0 = NaN;
    }
    if (!(amountIn > 0)) return;
    const amountOut = out0 === out0 ? out0 : side === 1 ? getAmountOut(amountIn, y, x, phi) : getAmountOut(amountIn, x, y, phi);
    const priority = this.priorityFor(unit, baseFee, side === 1 ? amountOut * p0 - amountIn * p1 : amountOut * p1 - amountIn * p0);
    if (priority !== priority) return;
    out.setTag(this.tag);
    out.setPriorityFee(priority);
    // Any trade ahead of it moves the pool: then the bound fails and it reverts.
    this.inFlight = out.swap(v, side, amountIn, amountOut * (1 - 1e-9)).id;
    this.tradesAttempted++;
  }

  /**
   * The priority fee (gwei) its rule bids for a trade of `profit` USD before gas, or NaN when what is
   * left after gas does not beat the minimum profit (a NaN bid never does, so NaN means only that).
   * `unit`: USD per (gas × gwei) of the trade's gas. NaN rather than null: a number-or-null result
   * is a boxed double, a heap allocation per trade.
   */
  private priorityFor(unit: number, baseFee: number, profit: number): number {
    const priority = this.bidFor(unit, baseFee, profit, this.rng);
    const cost = unit * (baseFee + priority);
    return profit - cost > this.minProfit ? priority : NaN;
  }

  /** USD per (gas × gwei) for `gas`: converts fees to dollars (0 when it ignores gas). */
  private usdPerGasGwei(view: View, gas: number): number {
    return this.ignoreGas ? 0 : gas * GWEI * view.priceUsd(this.native);
  }

  /**
   * The bid by its rule (gwei): none under `fcfs`; the jitter drawn from `rng` when it has one, else
   * its top (bidTop, an upper bound, which draws nothing).
   */
  private bidFor(unit: number, baseFee: number, profit: number, rng: Stream | null): number {
    if (rng === null || this.fcfs || this.bidFixed) return this.bidTop(unit, baseFee, profit);
    return shareBid(this.bidShare * (1 + this.bidJitter * (2 * rng.uniform() - 1)), unit, baseFee, profit);
  }

  /**
   * bidFor's upper bound, the jitter at its top. Its own short method so that `act` inlines it: out
   * of line, its three double arguments and its result are boxed, allocations per block.
   */
  private bidTop(unit: number, baseFee: number, profit: number): number {
    if (this.fcfs) return 0;
    if (this.bidFixed) return this.bidGwei;
    return shareBid(this.bidShare * (1 + this.bidJitter), unit, baseFee, profit);
  }

  /** Triad mode: the best mint-and-sell or buy-and-burn within the "1" it holds, if it beats gas. */
  private actTriad(view: View, out: Outbox): void {
    const pool = this.venue;
    const tri = this.triad;
    const tSide = this.poolSideOfT;
    const s = view.reserve(tri, this.triadSide);
    const o = view.reserve(tri, 1 - this.triadSide);
    const trade = bestTriadPoolTrade(view.reserve(pool, tSide), view.reserve(pool, 1 - tSide), this.phi, s, o, this.k, view.balance(this.one));
    if (trade === null) return;
    this.seen++;
    const gas = view.gasForCalls(trade.direction === 'mint-sell' ? MINT_SELL : BUY_BURN);
    const priority = this.priorityFor(this.usdPerGasGwei(view, gas), view.baseFee, trade.profit * view.priceUsd(this.one));
    if (priority !== priority) return;
    const a = trade.amount;
    const du = this.triadSide === 0 ? a : 0;
    const dv = this.triadSide === 1 ? a : 0;
    out.setTag(this.tag);
    out.setPriorityFee(priority);
    this.tradesAttempted++;
    // Bounds a hair inside the quotes: a trade ahead of it in the pool makes it revert (a protected
    // triad bounds the forge too; an unprotected one forges at whatever price it finds).
    if (trade.direction === 'mint-sell') {
      this.inFlight = out.forge(tri, du, dv, -trade.oneIn * (1 + 1e-9)).id;
      out.andSwap(pool, tSide, a, trade.oneOut * (1 - 1e-9));
    } else {
      this.inFlight = out.swapExactOut(pool, 1 - tSide, a, trade.oneIn * (1 + 1e-9)).id;
      out.andForge(tri, -du, -dv, trade.oneOut * (1 - 1e-9));
    }
  }

  private hedgeFill(out: Outbox, tx: TxView): void {
    const c = tx.calls[0]!;
    // Bought token0 (paid token1): sell it on the CEX; sold token0: buy it back.
    if (c.side === 1) out.cexOrder(this.token0, -c.outA);
    else out.cexOrder(this.token0, c.outB);
  }

  metrics(): Record<string, number> {
    return { opportunities: this.seen, trades: this.trades, tradesAttempted: this.tradesAttempted };
  }

  /** Preflight: it needs something to trade — either pool token, or "1" against a triad. */
  preflight(view: View, ctx: PreflightContext): AgentPlan {
    const warnings: AgentWarning[] = [];
    const pool = ctx.venueName(this.venue);
    if (this.triad >= 0) {
      if (!(view.balance(this.one) > 0)) {
        const one = tokenLabel(ctx.tokenName(this.one));
        warnings.push({ code: 'NO_CAPITAL', field: `balances.${ctx.tokenName(this.one)}`, venue: this.venue, message: `arbitrageur '${this.id}' holds no ${one}: it can never arbitrage pool '${pool}' against triad '${ctx.venueName(this.triad)}', which takes ${one} both ways` });
      }
    } else if (!(view.balance(this.token0) > 0) && !(view.balance(this.token1) > 0)) {
      warnings.push({ code: 'NO_CAPITAL', field: 'balances', venue: this.venue, message: `arbitrageur '${this.id}' holds neither ${tokenLabel(ctx.tokenName(this.token0))} nor ${tokenLabel(ctx.tokenName(this.token1))}: it can never arbitrage pool '${pool}'` });
    }
    return { sends: true, bids: this.bid.kind === 'share' || this.bid.gwei > 0, publicTxs: 'on-schedule', warnings };
  }
}

const MINT_SELL = [Op.Forge, Op.Swap];
const BUY_BURN = [Op.SwapExactOut, Op.Forge];

/** A share of the profit left after the base fee, as a priority fee (gwei); `unit` is USD per (gas × gwei). */
function shareBid(share: number, unit: number, baseFee: number, profit: number): number {
  return unit > 0 ? Math.max(0, (share * (profit - unit * baseFee)) / unit) : 0;
}
