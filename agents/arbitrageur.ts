/**
 * `arbitrageur`: closes the gap between a pool and the reference market with the profit-maximising
 * size after the fee (Uniswap v2 periphery's trade), trades only when the expected profit beats gas,
 * and bids a priority fee by its rule. Optionally hedges each fill on the CEX so it holds no
 * inventory risk. It sees reference prices with its own price latency.
 */
import type { Outbox, SetupContext, TxView, View } from '../sim/agent';
import type { Stream } from '../sim/rng';
import { TxStatus } from '../sim/tx';
import { Op } from '../sim/tx';
import { GWEI } from '../sim/units';
import { getAmountOut, optimalArbitrageInput } from '../sim/venues/cpmm-math';
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
  private readonly bid: BidRule;
  private readonly minProfit: number;
  /** Opportunities seen, trades sent, expected profit of the trades sent (USD). */
  private seen = 0;
  private tradesSent = 0;

  /** Receipts are asked for only when fills are hedged (the kernel skips agents without the hook). */
  readonly onReceipt?: (view: View, out: Outbox, tx: TxView) => void;

  constructor(private readonly spec: ArbitrageurSpec) {
    super(spec, { kind: 'block' });
    this.bid = spec.bid ?? { kind: 'fixed', gwei: spec.priorityFee ?? 0 };
    this.minProfit = spec.minProfitUsd ?? 0;
    if (spec.hedge) this.onReceipt = (_view, out, tx) => this.hedgeFill(out, tx);
  }

  setup(ctx: SetupContext): void {
    this.venue = ctx.venue(this.spec.venue);
    const info = ctx.venueInfo(this.venue);
    if (info.kind !== 'cpmm') throw new Error(`arbitrageur '${this.id}' needs a cpmm venue, '${this.spec.venue}' is a ${info.kind}`);
    [this.token0, this.token1] = info.tokens;
    this.phi = 1 - info.fee;
    this.native = ctx.nativeToken;
    this.tag = ctx.tag('arbitrage');
    if (this.bid.kind === 'share' && (this.bid.jitter ?? 0) > 0) this.rng = ctx.stream('bid');
  }

  act(view: View, out: Outbox): void {
    if (this.spec.every !== undefined && this.spec.every > 1 && view.block % this.spec.every !== 0) return;
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
    const amountIn = Math.abs(input);
    const amountOut = side === 1 ? getAmountOut(amountIn, y, x, this.phi) : getAmountOut(amountIn, x, y, this.phi);
    const profit = side === 1 ? amountOut * p0 - amountIn * p1 : amountOut * p1 - amountIn * p0;
    const gas = view.gasFor(Op.Swap);
    // USD per (gas × gwei): converts fees to dollars.
    const usdPerGasGwei = this.spec.ignoreGas ? 0 : gas * GWEI * view.priceUsd(this.native);
    let priority: number;
    if (this.bid.kind === 'fixed') priority = this.bid.gwei;
    else {
      const j = this.bid.jitter ?? 0;
      const share = this.bid.share * (this.rng !== null ? 1 + j * (2 * this.rng.uniform() - 1) : 1);
      const baseCost = usdPerGasGwei * view.baseFee;
      priority = usdPerGasGwei > 0 ? Math.max(0, (share * (profit - baseCost)) / usdPerGasGwei) : 0;
    }
    const cost = usdPerGasGwei * (view.baseFee + priority);
    if (!(profit - cost > this.minProfit)) return;
    if (view.balance(side === 1 ? this.token1 : this.token0) < amountIn) return;
    out.setTag(this.tag);
    out.setPriorityFee(priority);
    // Any trade ahead of it moves the pool: then the bound fails and it reverts.
    out.swap(v, side, amountIn, amountOut * (1 - 1e-9));
    this.tradesSent++;
  }

  private hedgeFill(out: Outbox, tx: TxView): void {
    if (tx.status !== TxStatus.Included) return;
    const c = tx.calls[0]!;
    // Bought token0 (paid token1): sell it on the CEX; sold token0: buy it back.
    if (c.side === 1) out.cexOrder(this.token0, -c.outA);
    else out.cexOrder(this.token0, c.outB);
  }

  metrics(): Record<string, number> {
    return { opportunities: this.seen, tradesSent: this.tradesSent };
  }
}
