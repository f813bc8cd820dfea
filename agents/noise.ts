/**
 * `noise`: retail flow. Poisson arrivals (mean interval in seconds), lognormal sizes in USD (median
 * and log-sd), a random side, a slippage tolerance turned into a min-out bound from the pool state it
 * sees, and a share of its orders sent privately (invisible to searchers).
 */
import type { AgentPlan, AgentWarning, Outbox, PreflightContext, SetupContext, TxView, View } from '../sim/agent';
import { TxStatus } from '../sim/tx';
import { tokenLabel } from '../sim/preflight';
import type { Stream } from '../sim/rng';
import { getAmountOut } from '../sim/venues/cpmm-math';
import { BaseAgent, type CommonSpec } from './common';

export interface NoiseSpec extends CommonSpec {
  venue: string;
  /** Mean seconds between orders (Poisson arrivals). */
  meanInterval: number;
  /** Median order size, USD. */
  medianUsd: number;
  /** Standard deviation of log size. Default 1. */
  logSd?: number;
  /** Probability an order buys token0. Default 0.5. */
  buyProbability?: number;
  /** Slippage tolerance as a fraction of the quote, e.g. 0.005. Default 0.01. */
  slippage?: number;
  /** Share of orders sent privately. Default 0. */
  privateShare?: number;
  /** Blocks an order stays valid. Default none. */
  deadlineBlocks?: number;
}

export class NoiseTrader extends BaseAgent {
  readonly kind = 'noise';
  private venue = 0;
  private token0 = 0;
  private token1 = 0;
  private phi = 1;
  private tag = 0;
  private rng!: Stream;
  /** Private-or-public draws on their own stream: a sweep over `privateShare` leaves sizes and sides paired. */
  private privateRng!: Stream;
  private mu = 0;
  private sd = 1;
  private buy = 0.5;
  private tolerance = 0.01;
  private privateShare = 0;
  /** Blocks an order stays valid, when it has a deadline (read once: `act` runs for every order). */
  private hasDeadline = false;
  private deadlineBlocks = 0;
  /** Orders included without reverting, orders sent, and orders not sent for want of balance. */
  private trades = 0;
  private tradesAttempted = 0;
  private skipped = 0;

  readonly liveParams = ['meanInterval', 'medianUsd', 'logSd', 'buyProbability', 'slippage', 'privateShare', 'deadlineBlocks'] as const;

  constructor(private spec: NoiseSpec) {
    super(spec, { kind: 'poisson', meanInterval: spec.meanInterval });
    this.read(spec);
  }

  /** The order parameters, from the spec (at construction, and at a fork). */
  private read(spec: NoiseSpec): void {
    this.mu = Math.log(spec.medianUsd);
    this.sd = spec.logSd ?? 1;
    this.buy = spec.buyProbability ?? 0.5;
    this.tolerance = spec.slippage ?? 0.01;
    this.privateShare = spec.privateShare ?? 0;
    this.hasDeadline = spec.deadlineBlocks !== undefined;
    this.deadlineBlocks = spec.deadlineBlocks ?? 0;
  }

  reconfigure(spec: NoiseSpec): void {
    this.spec = spec;
    this.schedule = { kind: 'poisson', meanInterval: spec.meanInterval };
    this.read(spec);
  }

  setup(ctx: SetupContext): void {
    this.venue = ctx.venue(this.spec.venue);
    const info = ctx.venueInfo(this.venue);
    if (info.kind !== 'cpmm') throw new Error(`noise trader '${this.id}' needs a cpmm venue`);
    [this.token0, this.token1] = info.tokens;
    this.phi = 1 - info.fee;
    this.tag = ctx.tag('noise');
    this.rng = ctx.stream();
    this.privateRng = ctx.stream('private');
  }

  act(view: View, out: Outbox): void {
    const rng = this.rng;
    // Draws in a fixed order whatever happens, so the streams stay aligned across scenarios (common
    // random numbers): size and side on the main stream, private-or-not on its own.
    const usd = rng.lognormal(this.mu, this.sd);
    const buy = rng.uniform() < this.buy;
    // Its own stream serves only this draw, so skipping it when no order can be private shifts nothing.
    const priv = this.privateShare > 0 && this.privateRng.uniform() < this.privateShare;
    // Buying token0 pays token1 (side 1).
    const side = buy ? 1 : 0;
    const tokenIn = buy ? this.token1 : this.token0;
    const amountIn = usd / view.priceUsd(tokenIn);
    if (!(amountIn > 0) || view.balance(tokenIn) < amountIn) {
      this.skipped++;
      return;
    }
    const x = view.reserve(this.venue, side);
    const y = view.reserve(this.venue, 1 - side);
    const quote = getAmountOut(amountIn, x, y, this.phi);
    out.setTag(this.tag);
    out.setPrivate(priv);
    if (this.hasDeadline) out.setDeadline(this.deadlineBlocks);
    out.swap(this.venue, side, amountIn, quote * (1 - this.tolerance));
    this.tradesAttempted++;
  }

  onReceipt(_view: View, _out: Outbox, tx: TxView): void {
    if (tx.status === TxStatus.Included) this.trades++;
  }

  metrics(): Record<string, number> {
    return { trades: this.trades, tradesAttempted: this.tradesAttempted, skipped: this.skipped };
  }

  /** Preflight: an order it cannot pay for is skipped; holding neither token, it skips them all. */
  preflight(view: View, ctx: PreflightContext): AgentPlan {
    const warnings: AgentWarning[] = [];
    if (!(view.balance(this.token0) > 0) && !(view.balance(this.token1) > 0)) {
      warnings.push({ code: 'NO_CAPITAL', field: 'balances', venue: this.venue, message: `noise trader '${this.id}' holds neither ${tokenLabel(ctx.tokenName(this.token0))} nor ${tokenLabel(ctx.tokenName(this.token1))}: it skips every order on pool '${ctx.venueName(this.venue)}'` });
    }
    return { sends: true, publicTxs: this.privateShare >= 1 ? 'never' : 'on-schedule', warnings };
  }
}
