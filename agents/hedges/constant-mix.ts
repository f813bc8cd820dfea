/**
 * A constant-mix portfolio held in the CEX account: target weights by value, restored by CEX orders
 * (the quote token takes up the difference). With no costs, rebalancing often earns the excess growth
 * ½·Σ wᵢ(1 − wᵢ)σᵢ² over buy-and-hold (for one risky asset against cash: ½·w(1 − w)·σ²).
 */
import type { Outbox, SetupContext, View } from '../../sim/agent';
import { fillState, type ConstantMixSpec, type Hedge, type HedgeState } from './types';

export class ConstantMixHedge implements Hedge {
  private tokens: number[] = [];
  private weights: number[] = [];
  private quote = -1;
  readonly gas = 0;

  constructor(readonly spec: ConstantMixSpec) {}

  setup(ctx: SetupContext): void {
    const entries = Object.entries(this.spec.weights);
    const sum = entries.reduce((s, [, w]) => s + w, 0);
    if (!(Math.abs(sum - 1) < 1e-9)) throw new Error(`constant-mix weights must sum to 1, they sum to ${sum}`);
    this.tokens = entries.map(([t]) => ctx.token(t));
    this.weights = entries.map(([, w]) => w);
    this.quote = ctx.cexQuote;
    if (this.quote < 0 || !this.tokens.includes(this.quote)) throw new Error('a constant-mix hedge trades on the CEX and must weight its quote token');
  }

  private values(view: View): { values: number[]; total: number } {
    const values = this.tokens.map((t) => view.cexBalance(t) * view.priceUsd(t));
    return { values, total: values.reduce((s, v) => s + v, 0) };
  }

  enter(view: View, out: Outbox): void {
    this.rebalance(view, out);
  }

  state(view: View, into?: HedgeState): HedgeState {
    const { values, total } = this.values(view);
    let dev = 0;
    for (let i = 0; i < values.length; i++) dev = Math.max(dev, Math.abs(values[i]! / total - this.weights[i]!));
    const risky = this.tokens.findIndex((t) => t !== this.quote);
    const ratio = values.length >= 2 ? values[0]! / this.weights[0]! / (values[1]! / this.weights[1]!) : NaN;
    return fillState(into, risky >= 0 ? view.priceUsd(this.tokens[risky]!) : 1, ratio, dev, total, NaN, 0);
  }

  rebalance(view: View, out: Outbox): boolean {
    const { values, total } = this.values(view);
    let traded = false;
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t === this.quote) continue;
      const qty = (this.weights[i]! * total - values[i]!) / view.priceUsd(t);
      if (qty !== 0) {
        out.cexOrder(t, qty);
        traded = true;
      }
    }
    return traded;
  }
}
