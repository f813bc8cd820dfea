/**
 * A European option held over the counter and delta-hedged. The premium is paid or received through
 * the OTC desk at entry (priced by Black–Scholes at the implied volatility), the payoff settles there
 * at expiry, and the hedge — in the underlying token, on the CEX or on a pool — is traded toward
 * −(position) × Δ. With `deltaExchange` the initial hedge and the final unwind trade with the desk at
 * the reference price (no spread), as dealers do, so only rebalancing trades pay costs.
 */
import type { Outbox, SetupContext, TxView, View } from '../../sim/agent';
import { Op, TxStatus } from '../../sim/tx';
import { GWEI, SECONDS_PER_YEAR } from '../../sim/units';
import { getAmountIn, getAmountOut } from '../../sim/venues/cpmm-math';
import { bsDelta, bsGamma, bsPrice, payoff, whalleyWilmottBand, type OptionTerms } from '../math/black-scholes';
import { fillState, type Hedge, type HedgeState, type OptionSpec } from './types';

export interface OptionHedgeOptions {
  deltaExchange?: boolean;
  /** Proportional cost and risk aversion for the Whalley–Wilmott band. */
  wwCost?: number;
  wwRiskAversion?: number;
}

export class OptionHedge implements Hedge {
  private asset = 0;
  private token = 0;
  private quote = 0;
  private pool = -1;
  private poolSide = 0;
  private native = -1;
  private phi = 1;
  private terms: OptionTerms = { kind: 'call', strike: 0 };
  private expiresAt = 0;
  private sign = 1;
  /** Underlying units held as hedge (ordered on the CEX, or held in the wallet for a pool). */
  private hedged = 0;
  private walletBase = 0;
  private live = false;
  private premiumUsd = 0;
  private payoffUsd = 0;
  /** Hedge trades that landed (CEX orders fill at once; pool swaps on an included receipt), and those sent. */
  private trades = 0;
  private tradesAttempted = 0;
  /** The pool swap on its way (0: none), and whether the hedge is still to be unwound after expiry. */
  private inFlight = 0;
  private unwinding = false;
  /** The entry's hedge trade: sent (0 or 1), landed (0 or 1), and its pool swap (0: none). */
  private entryAttempted = 0;
  private entryLanded = 0;
  private entryTx = 0;
  /**
   * Gamma slippage: the hedged book's P&L before costs, Σ (hedge × ΔS + Δ option value) between
   * looks. Continuous hedging at the pricing volatility would make it 0; discrete hedging, or a
   * realised volatility off the implied one, does not.
   */
  private slippage = 0;
  private lastSpot = NaN;
  private lastValue = NaN;
  private lastHolding = 0;
  gas = 0;
  /** The option is bought or sold OTC at once: a hedge trade that fails is redone by the next rebalance. */
  readonly entryOffChain = true;

  constructor(
    readonly spec: OptionSpec,
    private readonly opts: OptionHedgeOptions = {},
  ) {}

  setup(ctx: SetupContext): void {
    this.asset = ctx.asset(this.spec.asset);
    this.token = ctx.token(this.spec.token ?? this.spec.asset);
    this.sign = this.spec.position === 'long' ? 1 : -1;
    this.native = ctx.nativeToken;
    const venue = this.spec.hedgeOn ?? 'cex';
    if (venue === 'cex') {
      if (ctx.cexQuote < 0) throw new Error(`option hedge of '${this.spec.asset}' trades on the CEX, but the market has no CEX`);
      this.quote = ctx.cexQuote;
    } else {
      this.pool = ctx.venue(venue);
      const info = ctx.venueInfo(this.pool);
      if (info.kind !== 'cpmm' || !info.tokens.includes(this.token)) throw new Error(`option hedge needs a cpmm pool holding its token; '${venue}' is not one`);
      this.poolSide = info.tokens[0] === this.token ? 0 : 1;
      this.quote = info.tokens[1 - this.poolSide]!;
      this.phi = 1 - info.fee;
      this.gas = 0;
    }
  }

  /** Spot price of the underlying, from the reference market or from the hedge pool. */
  private spot(view: View): number {
    if (this.spec.priceFrom !== 'pool' || this.pool < 0) return view.refPrice(this.asset);
    const p = view.venuePrice(this.pool);
    return this.poolSide === 0 ? p : 1 / p;
  }

  private years(view: View): number {
    return Math.max(this.expiresAt - view.time, 0) / SECONDS_PER_YEAR;
  }

  private hedgeVol(): number {
    const v = this.spec.hedgeVol;
    return v === undefined || v === 'implied' ? this.spec.impliedVol : v;
  }

  /** Hedge the position needs now: −sign × quantity × Δ. */
  private target(view: View): number {
    const s = this.spot(view);
    return -this.sign * this.spec.quantity * bsDelta(this.terms, s, this.years(view), this.hedgeVol());
  }

  enter(view: View, out: Outbox): void {
    const s = this.spot(view);
    this.terms = { kind: this.spec.option, strike: this.spec.strike === 'atm' ? s : this.spec.strike };
    this.expiresAt = view.time + this.spec.expiry;
    if (this.pool >= 0) {
      this.gas = view.gasFor(Op.Swap);
      this.walletBase = view.balance(this.token);
    }
    const premium = this.spec.quantity * bsPrice(this.terms, s, this.spec.expiry / SECONDS_PER_YEAR, this.spec.impliedVol);
    const quoteUsd = view.priceUsd(this.quote);
    // Buying pays the premium, selling receives it.
    out.otc(this.quote, -this.sign * premium);
    this.premiumUsd = -this.sign * premium * quoteUsd;
    this.live = true;
    if (this.opts.deltaExchange) {
      const h = this.target(view);
      out.otc(this.token, h);
      out.otc(this.quote, -h * s);
      this.hedged = h;
      this.walletBase -= h;
    } else this.trade(view, out, this.target(view));
    this.entryAttempted = this.tradesAttempted;
    // A CEX order counts at once; a pool swap when its receipt (or genesis) says it landed.
    if (this.pool < 0) this.entryLanded = this.trades;
    else this.entryTx = this.inFlight;
    this.trackSlippage(view, this.sign * this.spec.quantity * bsPrice(this.terms, s, this.spec.expiry / SECONDS_PER_YEAR, this.spec.impliedVol));
  }

  /**
   * Gas paid in the hedge's own token (ETH hedged on a pool, gas in ETH) would read as a sale of
   * the hedge: move the wallet's base by it, so that the holding is what the trades bought.
   */
  onReceipt(tx: TxView): void {
    if (this.pool >= 0 && this.token === this.native && tx.gasUsed > 0) this.walletBase -= tx.gasUsed * tx.baseFee * GWEI + tx.gasUsed * tx.effectivePriority * GWEI;
    if (tx.id !== this.inFlight) return;
    this.inFlight = 0;
    if (tx.status !== TxStatus.Included) return;
    this.trades++;
    if (tx.id === this.entryTx) this.entryLanded = 1;
  }

  onGenesis(): void {
    if (this.inFlight === 0) return;
    if (this.inFlight === this.entryTx) this.entryLanded = 1;
    this.inFlight = 0;
    this.trades++;
  }

  private holding(view: View): number {
    return this.pool >= 0 ? view.balance(this.token) - this.walletBase : this.hedged;
  }

  state(view: View, into?: HedgeState, withValue = true): HedgeState {
    const s = this.spot(view);
    const years = this.years(view);
    const dev = this.live ? Math.abs(this.target(view) - this.holding(view)) / this.spec.quantity : 0;
    const ww = this.opts.wwCost !== undefined ? whalleyWilmottBand(bsGamma(this.terms, s, years, this.hedgeVol()), s, this.opts.wwCost, this.opts.wwRiskAversion ?? 1, years) : NaN;
    const value = withValue ? this.offLedgerValue(view) + this.holding(view) * view.priceUsd(this.token) : NaN;
    return fillState(into, s, NaN, dev, value, ww, 0);
  }

  rebalance(view: View, out: Outbox): boolean {
    if (!this.live || this.inFlight !== 0) return false;
    const d = this.target(view) - this.holding(view);
    if (d === 0) return false;
    this.trade(view, out, d);
    return true;
  }

  /** Buy (qty > 0) or sell the underlying. */
  private trade(view: View, out: Outbox, qty: number): void {
    if (qty === 0) return;
    this.tradesAttempted++;
    if (this.pool < 0) {
      this.trades++;
      out.cexOrder(this.token, qty);
      this.hedged += qty;
      this.lastHolding = this.hedged;
      return;
    }
    const tol = this.spec.slippage ?? 0.01;
    const side = this.poolSide;
    const rToken = view.reserve(this.pool, side);
    const rQuote = view.reserve(this.pool, 1 - side);
    if (qty > 0) {
      // Pay the quote token for exactly qty of the underlying.
      const cost = getAmountIn(qty, rQuote, rToken, this.phi);
      this.inFlight = out.swapExactOut(this.pool, 1 - side, qty, cost * (1 + tol)).id;
    } else {
      const proceeds = getAmountOut(-qty, rToken, rQuote, this.phi);
      this.inFlight = out.swap(this.pool, side, -qty, proceeds * (1 - tol)).id;
    }
  }

  /** Book the hedged position's P&L since the last look (at reference prices, before costs). */
  private trackSlippage(view: View, optionValue: number): void {
    const s = view.refPrice(this.asset);
    if (Number.isFinite(this.lastSpot)) this.slippage += this.lastHolding * (s - this.lastSpot) + (optionValue - this.lastValue);
    this.lastSpot = s;
    this.lastValue = optionValue;
    this.lastHolding = this.holding(view);
  }

  tick(view: View, out: Outbox): void {
    if (!this.live) {
      // An unwind swap that reverted or was dropped is sent again until the hedge is gone.
      if (this.unwinding && this.inFlight === 0) {
        const h = this.holding(view);
        if (Math.abs(h) > 1e-9 * this.spec.quantity) this.trade(view, out, -h);
        else this.unwinding = false;
      }
      return;
    }
    const expired = view.time >= this.expiresAt;
    const s0 = view.refPrice(this.asset);
    this.trackSlippage(view, expired ? this.sign * this.spec.quantity * payoff(this.terms, s0) : this.sign * this.spec.quantity * bsPrice(this.terms, s0, this.years(view), this.spec.impliedVol));
    if (!expired) return;
    // Expiry: settle the payoff with the desk, unwind the hedge.
    const s = view.refPrice(this.asset);
    const pay = this.spec.quantity * payoff(this.terms, s);
    out.otc(this.quote, this.sign * pay);
    this.payoffUsd = this.sign * pay * view.priceUsd(this.quote);
    const h = this.holding(view);
    if (this.opts.deltaExchange) {
      out.otc(this.token, -h);
      out.otc(this.quote, h * s);
      this.hedged = 0;
      this.walletBase += h;
    } else {
      // Wait for a hedge trade still on its way: the next look unwinds what it left.
      if (this.inFlight === 0) this.trade(view, out, -h);
      this.unwinding = this.pool >= 0;
    }
    this.live = false;
  }

  offLedgerValue(view: View): number {
    if (!this.live) return 0;
    const s = view.refPrice(this.asset);
    return this.sign * this.spec.quantity * bsPrice(this.terms, s, this.years(view), this.spec.impliedVol) * view.priceUsd(this.quote);
  }

  /** Hedge trades after entry, landed and sent: every rebalancing trade and the unwind at expiry. */
  get tradesAfterEntry(): number {
    return this.trades - this.entryLanded;
  }
  get tradesAttemptedAfterEntry(): number {
    return this.tradesAttempted - this.entryAttempted;
  }

  get expired(): boolean {
    return !this.live;
  }

  metrics(): Record<string, number> {
    return { premiumUsd: this.premiumUsd, payoffUsd: this.payoffUsd, hedgeTrades: this.trades, hedgeTradesAttempted: this.tradesAttempted, gammaSlippageUsd: this.slippage };
  }
}
