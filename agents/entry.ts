/**
 * The entry and exit rule every agent kind that can leave a market and come back shares (LPs,
 * triad hedgers; others by the same interface): one figure, the trailing `edge` per unit of capital
 * per year, compared with an outside rate, with hysteresis so that it settles instead of churning.
 *
 * Its cohort is the agents of its kind on its venue (named by the agent, e.g. `lp@pool`; passive
 * ones join too). At each check it snapshots, for every member, the value V and the holdings H
 * looked through to reference tokens, both as the P&L has them (docs/outputs.md), and the capital
 * the member has committed (what `capitalOf` says: an LP's position, a hedger's U and 1/U). Over the
 * last window — from the newest snapshot at least `window` old, t0, to now — a member's trailing
 * edge is its edge as if P&L were measured from t0:
 *
 *     edge = (V_now − V_t0) − (H_t0 at the marks now − H_t0 at the marks of t0)
 *     rate = edge / capital_t0 / ((now − t0) / year)
 *
 * defined for a member with capital committed at both t0 and now (in for the whole window, as far as
 * its holdings show). In the market, the agent exits when its own rate < outsideRate − hysteresis;
 * out of it, it re-enters when the incumbents' rate — Σ edge / Σ capital_t0 over the other members
 * with a rate, per year — is > outsideRate + hysteresis. Its owner moves "in" and "out" only on
 * receipts; a verdict is only a wish to send a transaction.
 */
import type { SetupContext, View } from '../sim/agent';
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

/** USD value an agent has committed to the market (0: out), as the rule's owner reads its kind's positions. */
export type CapitalOf = (view: View, agent: number) => number;

/** What the rule wants done now. */
export const Verdict = { Stay: 0, Exit: 1, Enter: 2 } as const;
export type VerdictCode = (typeof Verdict)[keyof typeof Verdict];

/** The cohort of an agent kind on a venue (or venues): every such agent joins, with a rule or not. */
export function cohortName(kind: string, venues: string): string {
  return `${kind}@${venues}`;
}

/** The fields of an exit rule a fork may change (docs/forks.md): the window and check period size its memory. */
export const EXIT_LIVE = ['exit.outsideRate', 'exit.hysteresis', 'exit.reenter'] as const;

export class ExitRule {
  outsideRate: number;
  hysteresis: number;
  readonly window: number;
  reenter: boolean;
  checkEvery: number;
  private cohort = -1;
  private self = 0;
  private capitalOf: CapitalOf = () => 0;
  private tokenCount = 0;
  // Ring of snapshots, one slot per check, per member (slot·members + member).
  private cap = 0;
  private head = 0;
  private count = 0;
  private members = 0;
  private times = new Float64Array(0);
  private values = new Float64Array(0);
  private heldValues = new Float64Array(0);
  private capitals = new Float64Array(0);
  private held: Float64Array[] = [];
  /** Its own last trailing figure (NaN when it has none), and the capital it is per unit of. */
  rate = NaN;
  capital = 0;
  /** The incumbents' last trailing figure (NaN when none of them has one). */
  incumbentsRate = NaN;

  constructor(spec: ExitRuleSpec) {
    this.outsideRate = spec.outsideRate;
    this.hysteresis = spec.hysteresis ?? DEFAULT_HYSTERESIS;
    this.window = spec.window;
    this.reenter = spec.reenter !== false;
    this.checkEvery = spec.checkEvery ?? 0;
  }

  /** New thresholds between blocks (a fork); the snapshots taken so far stay. */
  retune(spec: ExitRuleSpec | undefined, who: string): void {
    if (spec === undefined) throw new Error(`${who}: an exit rule cannot be removed during a run`);
    this.outsideRate = spec.outsideRate;
    this.hysteresis = spec.hysteresis ?? DEFAULT_HYSTERESIS;
    this.reenter = spec.reenter !== false;
  }

  /** Join the cohort (also done by members without a rule: see `cohortName`) and learn how to read capital. */
  setup(ctx: SetupContext, cohort: string, capitalOf: CapitalOf): void {
    this.cohort = ctx.cohort(cohort);
    this.self = ctx.agentIndex;
    this.capitalOf = capitalOf;
    this.tokenCount = ctx.tokenCount;
    if (this.checkEvery === 0) this.checkEvery = Math.max(1, Math.round(this.window / 10 / ctx.blockInterval));
    // Snapshots are at least a check apart: a window's worth and the one at or before its start.
    this.cap = Math.ceil(this.window / (this.checkEvery * ctx.blockInterval)) + 2;
  }

  /** Is this block one of its checks? */
  isCheck(view: View): boolean {
    return view.block % this.checkEvery === 0;
  }

  /**
   * A check: snapshot every member, update the trailing figures, and say what to do — Exit when in
   * (`inMarket`, as its receipts have it) and its own rate is below outsideRate − hysteresis, Enter
   * when out and the incumbents' is above outsideRate + hysteresis, else Stay (also while no full
   * window has passed).
   */
  check(view: View, inMarket: boolean): VerdictCode {
    this.snapshot(view);
    this.measure(view);
    if (inMarket) return this.rate < this.outsideRate - this.hysteresis ? Verdict.Exit : Verdict.Stay;
    return this.reenter && this.incumbentsRate > this.outsideRate + this.hysteresis ? Verdict.Enter : Verdict.Stay;
  }

  /** The trailing figures from the snapshot just taken and the newest one at least a window old. */
  private measure(view: View): void {
    this.rate = NaN;
    this.capital = 0;
    this.incumbentsRate = NaN;
    const t = view.time;
    let j = -1;
    for (let k = 0; k < this.count; k++) {
      const s = (this.head - this.count + k + this.cap) % this.cap;
      if (t - this.times[s]! >= this.window) j = s;
      else break;
    }
    if (j < 0) return;
    const now = (this.head - 1 + this.cap) % this.cap;
    const years = (t - this.times[j]!) / SECONDS_PER_YEAR;
    const m = this.members;
    let edges = 0;
    let capitals = 0;
    for (let i = 0; i < m; i++) {
      const a = j * m + i;
      const c0 = this.capitals[a]!;
      if (!(c0 > 0 && this.capitals[now * m + i]! > 0)) continue;
      const edge = this.values[now * m + i]! - this.values[a]! - (view.heldValue(this.held[a]!) - this.heldValues[a]!);
      if (view.cohortAgent(this.cohort, i) === this.self) {
        this.rate = edge / c0 / years;
        this.capital = c0;
      } else {
        edges += edge;
        capitals += c0;
      }
    }
    if (capitals > 0) this.incumbentsRate = edges / capitals / years;
  }

  private snapshot(view: View): void {
    if (this.members === 0) this.allocate(view);
    const m = this.members;
    const s = this.head;
    this.times[s] = view.time;
    for (let i = 0; i < m; i++) {
      const agent = view.cohortAgent(this.cohort, i);
      const a = s * m + i;
      this.values[a] = view.agentValue(agent);
      view.lookThrough(agent, this.held[a]!);
      this.heldValues[a] = view.heldValue(this.held[a]!);
      this.capitals[a] = this.capitalOf(view, agent);
    }
    this.head = (s + 1) % this.cap;
    if (this.count < this.cap) this.count++;
  }

  /** At the first check, once every agent has joined its cohort. */
  private allocate(view: View): void {
    const m = view.cohortSize(this.cohort);
    const n = this.cap * m;
    this.members = m;
    this.times = new Float64Array(this.cap);
    this.values = new Float64Array(n);
    this.heldValues = new Float64Array(n);
    this.capitals = new Float64Array(n);
    this.held = Array.from({ length: n }, () => new Float64Array(this.tokenCount));
  }

  /**
   * Its trailing figures for the summary: `trailingEdgeRate` and `trailingCapitalUsd` (its own, while
   * it has a full window in the market) and `incumbentsEdgeRate` (the others', when one has).
   */
  metrics(): Record<string, number> {
    const m: Record<string, number> = {};
    if (Number.isFinite(this.rate)) Object.assign(m, { trailingEdgeRate: this.rate, trailingCapitalUsd: this.capital });
    if (Number.isFinite(this.incumbentsRate)) m.incumbentsEdgeRate = this.incumbentsRate;
    return m;
  }
}
