/**
 * The seed's volatility hedge: hold equal value of U and 1/U in a reciprocal triad. Entering forges
 * a pool-proportional slice (du, dv) ∝ (u, v), which leaves the price unchanged and makes the two
 * legs equal in value; rebalancing forges to equal values again at the current price, which costs
 * no "1" to first order (it swaps one leg for the other along the invariant).
 */
import type { Outbox, SetupContext, View } from '../../sim/agent';
import { Op } from '../../sim/tx';
import { forgeQuote } from '../../sim/venues/triad-math';
import { fillState, type Hedge, type HedgeState, type TriadParitySpec } from './types';
import { triadSeat } from '../math/triad-seat';

export class TriadParityHedge implements Hedge {
  private venue = 0;
  private unit = 0;
  private reciprocal = 0;
  private one = 0;
  private k = 2;
  private bounded = false;
  gas = 0;

  constructor(readonly spec: TriadParitySpec) {}

  setup(ctx: SetupContext): void {
    const seat = triadSeat(ctx, this.spec.venue, 'triad-parity hedge');
    ({ venue: this.venue, unit: this.unit, reciprocal: this.reciprocal, one: this.one, k: this.k } = seat);
    this.bounded = seat.info.variant === 'protected';
  }

  /** Forge (du, dv), bounded on a protected triad by the quote less the slippage on the value traded. */
  private forge(view: View, out: Outbox, du: number, dv: number): void {
    let min = -Infinity;
    if (this.bounded) {
      const u = view.reserve(this.venue, 0);
      const v = view.reserve(this.venue, 1);
      const pu = view.venuePrice(this.venue);
      const traded = Math.abs(du) * pu + Math.abs(dv) * ((this.k * this.k) / 4 / pu);
      min = forgeQuote(u, v, du, dv, this.k) - (this.spec.slippage ?? 0.005) * traded;
    }
    out.forge(this.venue, du, dv, min);
  }

  enter(view: View, out: Outbox): void {
    this.gas = view.gasFor(Op.Forge);
    const u = view.reserve(this.venue, 0);
    const v = view.reserve(this.venue, 1);
    if (u > 0 && v > 0) {
      const budget = this.spec.budget ?? (this.spec.units ?? 0) * this.k;
      const f = budget / (this.k * Math.sqrt(u * v));
      this.forge(view, out, f * u, f * v);
    } else {
      const x = this.spec.units ?? (this.spec.budget ?? 0) / this.k;
      out.forge(this.venue, x, x, -Infinity);
    }
  }

  state(view: View, into?: HedgeState): HedgeState {
    const pu = view.venuePrice(this.venue);
    const pv = (this.k * this.k) / 4 / pu;
    const a = view.balance(this.unit);
    const b = view.balance(this.reciprocal);
    const value = a * pu + b * pv;
    const ratio = (a * pu) / (b * pv);
    return fillState(into, pu, ratio, Math.abs(ratio - 1), value * view.priceUsd(this.one), NaN, 0);
  }

  rebalance(view: View, out: Outbox): boolean {
    const pu = view.venuePrice(this.venue);
    const pv = (this.k * this.k) / 4 / pu;
    const a = view.balance(this.unit);
    const b = view.balance(this.reciprocal);
    const value = a * pu + b * pv;
    const du = value / (2 * pu) - a;
    const dv = value / (2 * pv) - b;
    if (du === 0 && dv === 0) return false;
    this.forge(view, out, du, dv);
    return true;
  }

  /** USD value of an agent's U and 1/U on this triad, at their marginal prices in "1". */
  valueOf(view: View, agent: number): number {
    const pu = view.venuePrice(this.venue);
    if (!(pu > 0)) return 0;
    const pv = (this.k * this.k) / 4 / pu;
    return (view.balanceOf(agent, this.unit) * pu + view.balanceOf(agent, this.reciprocal) * pv) * view.priceUsd(this.one);
  }

  /** Burn both legs back into "1". */
  exit(view: View, out: Outbox): void {
    out.forge(this.venue, -view.balance(this.unit), -view.balance(this.reciprocal), -Infinity);
  }
}
