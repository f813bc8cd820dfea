/**
 * The entry and exit rule every agent kind that can leave a market and come back shares (LPs,
 * triad hedgers; the speculator once wired): one figure, the trailing `edge` per unit of capital per
 * year, compared with an outside rate, with hysteresis so that it settles instead of churning.
 *
 * In the market, each check it snapshots its own value V and its holdings looked through to
 * reference tokens H (as its P&L does, docs/outputs.md); over the last `window` — from the newest
 * snapshot at least `window` old, t0, to now — its trailing edge is the edge as if P&L were
 * measured from t0:
 *
 *     edge = (V_now − V_t0) − (H_t0 at the marks now − H_t0 at the marks of t0)
 *     rate = edge / capital_t0 / ((now − t0) / year)
 *
 * where capital is the USD value of what it has committed (its LP position, its hedges), at t0.
 * It exits when rate < outsideRate − hysteresis. It publishes (rate, capital) for its cohort (same
 * kind on the same venue). Out of the market, it re-enters when the incumbents' trailing edge per
 * unit of capital — Σ published rate × capital / Σ capital over the other members in the market
 * with a full window — is above outsideRate + hysteresis. Its owner moves "in" and "out" only on
 * receipts (entered/left); a verdict is a wish to send a transaction, nothing more.
 */
import type { Outbox, SetupContext, View } from '../sim/agent';
import { SECONDS_PER_YEAR } from '../sim/units';

export interface ExitRuleSpec {
  /** Annual rate the agent could earn elsewhere, e.g. 0.05. */
  outsideRate: number;
  /** Trailing window, seconds. */
  window: number;
  /** Half-width of the no-action band around the outside rate, per year. Default 0.01. */
  hysteresis?: number;
  /** Blocks between checks. Default: one check per window/10. */
  checkEvery?: number;
  /** Re-enter on the incumbents' trailing edge. Default true. */
  reenter?: boolean;
}

export const DEFAULT_HYSTERESIS = 0.01;

/** What the rule wants done now. */
export const Verdict = { Stay: 0, Exit: 1, Enter: 2 } as const;
export type VerdictCode = (typeof Verdict)[keyof typeof Verdict];

export class ExitRule {
  readonly outsideRate: number;
  readonly hysteresis: number;
  readonly window: number;
  readonly reenter: boolean;
  checkEvery: number;
  private cohort = -1;
  private self = 0;
  // Ring of snapshots while in the market: time, value, H's value then, capital, and H itself.
  private cap = 0;
  private head = 0;
  private count = 0;
  private times = new Float64Array(0);
  private values = new Float64Array(0);
  private heldValues = new Float64Array(0);
  private capitals = new Float64Array(0);
  private held: Float64Array[] = [];
  /** Its window waits for its first act: a genesis deposit has not executed yet when it is sent. */
  waiting = false;
  /** The last trailing figure (NaN before a full window in the market). */
  rate = NaN;
  capital = 0;

  constructor(spec: ExitRuleSpec) {
    this.outsideRate = spec.outsideRate;
    this.hysteresis = spec.hysteresis ?? DEFAULT_HYSTERESIS;
    this.window = spec.window;
    this.reenter = spec.reenter !== false;
    this.checkEvery = spec.checkEvery ?? 0;
  }

  /** Join the cohort (e.g. `lp@pool`) and size the ring for one window of checks. */
  setup(ctx: SetupContext, cohort: string): void {
    this.cohort = ctx.cohort(cohort);
    this.self = ctx.agentIndex;
    if (this.checkEvery === 0) this.checkEvery = Math.max(1, Math.round(this.window / 10 / ctx.blockInterval));
    // Snapshots are at least one check apart: a window's worth, the one at or before its start, and the entry's (off the check grid).
    const spacing = this.checkEvery * ctx.blockInterval;
    this.cap = Math.ceil(this.window / spacing) + 3;
    this.times = new Float64Array(this.cap);
    this.values = new Float64Array(this.cap);
    this.heldValues = new Float64Array(this.cap);
    this.capitals = new Float64Array(this.cap);
    this.held = Array.from({ length: this.cap }, () => new Float64Array(ctx.tokenCount));
  }

  /** Is this block one of its checks? */
  isCheck(view: View): boolean {
    return view.block % this.checkEvery === 0;
  }

  /**
   * Its position landed: the trailing window restarts here. At genesis (`atGenesis`), where calls
   * execute only once every agent has sent its own, it starts at the agent's first act instead
   * (`waiting`; the agent then calls `start`).
   */
  entered(view: View, out: Outbox, capitalUsd: number, atGenesis = false): void {
    this.head = 0;
    this.count = 0;
    this.rate = NaN;
    this.capital = 0;
    out.publish(NaN, 0);
    this.waiting = atGenesis;
    if (!atGenesis) this.snapshot(view, capitalUsd);
  }

  /** Start the window a genesis entry deferred (see `entered`). */
  start(view: View, capitalUsd: number): void {
    this.waiting = false;
    this.snapshot(view, capitalUsd);
  }

  /** Its exit landed: it publishes nothing while out. */
  left(out: Outbox): void {
    this.count = 0;
    this.rate = NaN;
    this.capital = 0;
    out.publish(NaN, 0);
  }

  /**
   * A check while in the market: snapshot, update and publish the trailing figure, and say Exit
   * when it is below outsideRate − hysteresis (Stay before a full window has passed).
   */
  checkIn(view: View, out: Outbox, capitalUsd: number): VerdictCode {
    this.snapshot(view, capitalUsd);
    const t = view.time;
    // The newest snapshot at least a window old.
    let j = -1;
    for (let k = 0; k < this.count; k++) {
      const i = (this.head - this.count + k + this.cap) % this.cap;
      if (t - this.times[i]! >= this.window) j = i;
      else break;
    }
    if (j < 0) return Verdict.Stay;
    const years = (t - this.times[j]!) / SECONDS_PER_YEAR;
    const edge = view.agentValue(this.self) - this.values[j]! - (view.heldValue(this.held[j]!) - this.heldValues[j]!);
    const capital = this.capitals[j]!;
    this.rate = capital > 0 ? edge / capital / years : NaN;
    this.capital = capital > 0 ? capital : 0;
    out.publish(this.rate, this.capital);
    return this.rate < this.outsideRate - this.hysteresis ? Verdict.Exit : Verdict.Stay;
  }

  /** A check while out: Enter when the incumbents' trailing edge per capital beats outsideRate + hysteresis. */
  checkOut(view: View): VerdictCode {
    if (!this.reenter) return Verdict.Stay;
    const r = this.incumbentsRate(view);
    return r > this.outsideRate + this.hysteresis ? Verdict.Enter : Verdict.Stay;
  }

  /**
   * The capital-weighted trailing edge per unit of capital per year of the other members in the
   * market with a full window: Σ rate·capital / Σ capital. NaN when none publishes one.
   */
  incumbentsRate(view: View): number {
    let num = 0;
    let den = 0;
    const n = view.cohortSize(this.cohort);
    for (let j = 0; j < n; j++) {
      const a = view.cohortAgent(this.cohort, j);
      if (a === this.self) continue;
      const c = view.publishedCapital(a);
      const r = view.publishedRate(a);
      if (!(c > 0) || !Number.isFinite(r)) continue;
      num += r * c;
      den += c;
    }
    return den > 0 ? num / den : NaN;
  }

  /**
   * Its last trailing figure, for the summary: `trailingEdgeRate` (per year) and `trailingCapitalUsd`
   * — only while it has one (in the market, a full window since it entered).
   */
  metrics(): Record<string, number> {
    return Number.isFinite(this.rate) ? { trailingEdgeRate: this.rate, trailingCapitalUsd: this.capital } : {};
  }

  private snapshot(view: View, capitalUsd: number): void {
    const i = this.head;
    this.times[i] = view.time;
    this.values[i] = view.agentValue(this.self);
    view.lookThrough(this.self, this.held[i]!);
    this.heldValues[i] = view.heldValue(this.held[i]!);
    this.capitals[i] = capitalUsd;
    this.head = (i + 1) % this.cap;
    if (this.count < this.cap) this.count++;
  }
}
