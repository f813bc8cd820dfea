/**
 * The common machinery of hedgers: enter one or more hedges (at genesis or a given block), and each
 * time the agent acts, let the hedges settle what is due, estimate realised volatility, ask the
 * trigger whether to rebalance, and restore the target — every hedge in one transaction when
 * batching, else each in its own. Its state moves on receipts: a position counts as taken, and the
 * trigger's anchor (last price, time, value) moves, only when the transaction carrying it is
 * included without reverting; one that reverts or is dropped is retried at the next look, with the
 * trigger checked again. The three hedger kinds differ only in their defaults.
 */
import type { AgentPlan, AgentWarning, Outbox, PreflightContext, Schedule, SetupContext, TxView, View } from '../sim/agent';
import { tokenLabel } from '../sim/preflight';
import { BaseAgent, type CommonSpec } from './common';
import { makeHedge, type Hedge, type HedgeSpec } from './hedges';
import { emptyState } from './hedges/types';
import type { OptionHedgeOptions } from './hedges/option';
import { RecordingOutbox } from './recording-outbox';
import { TxStatus } from '../sim/tx';
import { cohortName, EXIT_LIVE, ExitRule, Verdict, type ExitRuleSpec } from './entry';
import { TriadParityHedge } from './hedges/triad-parity';
import { fires, needsGain, RealisedVol, type LastRebalance, type TriggerInput, type TriggerSpec } from './triggers';

export interface HedgerSpec extends CommonSpec {
  hedges: HedgeSpec[];
  /** No trigger: hold after entry (static hedger). */
  trigger?: TriggerSpec;
  /** Block to enter before; default genesis (no gas). */
  atBlock?: number;
  /** Act every this many blocks. Default 1. */
  checkEvery?: number;
  /** Rebalance every hedge in one transaction when the trigger fires (saves the intrinsic gas). */
  batch?: boolean;
  /** Send rebalances privately (invisible to searchers). */
  private?: boolean;
  /** Half-life of the realised-volatility estimate, seconds. Default 1 day. */
  volHalfLife?: number;
  /**
   * Leave (burn its triad positions) and come back (forge them again) on trailing edge per unit of
   * capital against an outside rate (agents/entry.ts). Triad-parity hedges only.
   */
  exit?: ExitRuleSpec;
}

/** What a hedge's transaction in flight is for. */
const ENTRY = 1;
const REBALANCE = 2;
const OTHER = 3;

export abstract class Hedger extends BaseAgent {
  protected readonly hedges: Hedge[];
  /** Per hedge: its position is taken (its entry landed, or was off-chain). */
  private readonly entered: boolean[];
  private last: LastRebalance[] = [];
  private lastValue: number[] = [];
  /** Per hedge: id of its transaction in flight (0: none), what it is for, and the anchor it would set. */
  private readonly flight: number[];
  private readonly flightKind: number[];
  private readonly pendingLast: LastRebalance[];
  private readonly pendingValue: number[];
  private readonly vol: RealisedVol;
  private tag = 0;
  /** Rebalances included (not reverted), and rebalances sent (CEX ones count as both at once). */
  private rebalances = 0;
  private rebalancesAttempted = 0;
  private checks = 0;
  private readonly due: boolean[] = [];
  private readonly scratch = emptyState();
  private readonly rec = new RecordingOutbox();
  /** Value the positions each look only when the trigger reads the gain. */
  private needValue: boolean;
  private readonly rule: ExitRule | null;
  /** Out by the rule (its exit landed) and not yet all back in. */
  private ruleOut = false;
  /** Its exit transaction on its way (0: none). */
  private exitFlight = 0;
  private exits = 0;
  private exitsAttempted = 0;
  private reentries = 0;
  private reentriesAttempted = 0;
  private readonly input: TriggerInput = { time: 0, price: 0, valueRatio: 0, deviation: 0, gainUsd: 0, costUsd: 0, baseFee: 0, realisedVol: NaN, wwHalfWidth: NaN };

  /** A fork may change the trigger's parameters (triggers are pure functions of them). */
  get liveParams(): readonly string[] {
    return [...(this.spec.trigger === undefined ? [] : ['trigger']), ...(this.rule === null ? [] : EXIT_LIVE)];
  }

  constructor(protected spec: HedgerSpec, options: OptionHedgeOptions = {}, schedule: Schedule = { kind: 'block' }) {
    super(spec, schedule);
    if (spec.hedges.length === 0) throw new Error(`hedger '${spec.id}' needs at least one hedge`);
    this.hedges = spec.hedges.map((h) => makeHedge(h, options));
    this.vol = new RealisedVol(spec.volHalfLife ?? 86_400);
    this.needValue = spec.trigger !== undefined && needsGain(spec.trigger);
    const n = this.hedges.length;
    this.entered = new Array<boolean>(n).fill(false);
    this.flight = new Array<number>(n).fill(0);
    this.flightKind = new Array<number>(n).fill(0);
    this.pendingLast = this.hedges.map(() => ({ time: 0, price: NaN }));
    this.pendingValue = new Array<number>(n).fill(NaN);
    this.last = this.hedges.map(() => ({ time: 0, price: NaN }));
    this.lastValue = new Array<number>(n).fill(NaN);
    this.rule = spec.exit ? new ExitRule(spec.exit) : null;
    if (this.rule !== null && spec.hedges.some((h) => h.kind !== 'triad-parity')) throw new Error(`hedger '${spec.id}': an exit rule needs every hedge to be a triad-parity position`);
  }

  reconfigure(spec: { trigger?: TriggerSpec; exit?: ExitRuleSpec }): void {
    if ((spec.trigger === undefined) !== (this.spec.trigger === undefined)) throw new Error(`hedger '${this.id}': a trigger cannot be added or removed during a run`);
    this.rule?.retune(spec.exit, `hedger '${this.id}'`);
    this.spec = { ...this.spec, trigger: spec.trigger, exit: spec.exit };
    this.needValue = spec.trigger !== undefined && needsGain(spec.trigger);
  }

  setup(ctx: SetupContext): void {
    for (const h of this.hedges) h.setup(ctx);
    this.tag = ctx.tag('rebalance');
    // Its cohort: hedgers of the same kind on the same triads, passive ones included (others' exit
    // rules measure them); only triad-parity hedgers, the ones that can leave.
    if (!this.hedges.every((h) => h instanceof TriadParityHedge)) return;
    const cohort = cohortName(this.kind, this.spec.hedges.map((h) => (h.kind === 'triad-parity' ? h.venue : '')).join('+'));
    if (this.rule !== null) this.rule.setup(ctx, cohort, (view, agent) => this.capitalOf(view, agent));
    else ctx.cohort(cohort);
  }

  /** USD value of an agent's U and 1/U on its triads: the capital its edge is per unit of. */
  private capitalOf(view: View, agent: number): number {
    let v = 0;
    for (const h of this.hedges) v += (h as TriadParityHedge).valueOf(view, agent);
    return v;
  }

  genesis(view: View, out: Outbox): void {
    // Genesis calls execute at once (a failing one is a configuration error): the entry has landed.
    if (this.spec.atBlock === undefined) {
      this.enter(view, out, true);
      for (const h of this.hedges) h.onGenesis?.();
    }
  }

  /** Take every position not yet taken (and not on its way). */
  private enter(view: View, out: Outbox, atGenesis: boolean): void {
    out.setTag(this.tag);
    out.setPrivate(this.spec.private === true);
    const rec = this.rec.wrap(out);
    for (let i = 0; i < this.hedges.length; i++) {
      if (this.entered[i] || this.flight[i] !== 0) continue;
      const h = this.hedges[i]!;
      rec.mark();
      h.enter(view, rec);
      // A price-move trigger counts from the price the hedge was entered at (NaN, e.g. an empty triad,
      // leaves it to the first look); the value waits for the first look, once the entry has landed.
      const at = { time: view.time, price: h.state(view, this.scratch, false).price };
      if (atGenesis || rec.last === 0 || h.entryOffChain === true) {
        this.entered[i] = true;
        this.last[i] = at;
        this.lastValue[i] = NaN;
        // An off-chain position's hedge trade is still a transaction to wait for.
        if (!atGenesis && rec.last !== 0) this.fly(i, rec.last, OTHER);
      } else {
        this.fly(i, rec.last, ENTRY);
        this.pendingLast[i] = at;
      }
    }
  }

  private fly(i: number, id: number, kind: number): void {
    this.flight[i] = id;
    this.flightKind[i] = kind;
  }

  /** Is any of its transactions still on its way (sent, no receipt yet)? */
  private inFlight(): boolean {
    if (this.exitFlight !== 0) return true;
    for (let i = 0; i < this.flight.length; i++) if (this.flight[i] !== 0) return true;
    return false;
  }

  /**
   * A transaction of the hedger became final. The anchor moves, and a rebalance counts, only when
   * it was included without reverting; otherwise the trigger is looked at again at the next check.
   */
  onReceipt(_view: View, _out: Outbox, tx: TxView): void {
    const landed = tx.status === TxStatus.Included;
    if (tx.id === this.exitFlight) {
      this.exitFlight = 0;
      if (landed) {
        // Out: every position burned; it comes back only when the rule says so.
        this.entered.fill(false);
        this.ruleOut = true;
        this.exits++;
      }
    }
    for (let i = 0; i < this.hedges.length; i++) {
      if (this.flight[i] !== tx.id) continue;
      const kind = this.flightKind[i];
      this.flight[i] = 0;
      this.flightKind[i] = 0;
      if (!landed) continue;
      const p = this.pendingLast[i]!;
      if (kind === ENTRY) {
        this.entered[i] = true;
        this.last[i] = { time: p.time, price: p.price };
        this.lastValue[i] = NaN;
      } else if (kind === REBALANCE) {
        this.last[i] = { time: p.time, price: p.price };
        this.lastValue[i] = this.pendingValue[i]!;
        this.rebalances++;
      }
    }
    for (let i = 0; i < this.hedges.length; i++) this.hedges[i]!.onReceipt?.(tx);
    // Back in once every position has landed again.
    if (landed && this.ruleOut && this.allEntered()) {
      this.ruleOut = false;
      this.reentries++;
    }
  }

  act(view: View, out: Outbox): void {
    const rule = this.rule;
    if (!this.allEntered()) {
      if (this.ruleOut) {
        // Out by its rule: back in (every position again) when the incumbents earn enough.
        if (this.inFlight() || !rule!.isCheck(view)) return;
        let some = false;
        for (let i = 0; i < this.entered.length; i++) some ||= this.entered[i]!;
        // A re-entry partly landed (one of several hedges reverted) completes without asking again.
        if (rule!.check(view, false) === Verdict.Enter || some) {
          if (!some) this.reentriesAttempted++;
          this.enter(view, out, false);
        }
        return;
      }
      if (this.spec.atBlock !== undefined && view.block >= this.spec.atBlock) this.enter(view, out, false);
      return;
    }
    out.setTag(this.tag);
    out.setPrivate(this.spec.private === true);
    const rec = this.rec.wrap(out);
    for (let i = 0; i < this.hedges.length; i++) {
      const h = this.hedges[i]!;
      if (h.tick === undefined) continue;
      rec.mark();
      h.tick(view, rec);
      if (rec.last !== 0 && this.flight[i] === 0) this.fly(i, rec.last, OTHER);
    }
    // The exit rule first (on its own checks): a hedger leaving does not rebalance.
    if (rule !== null && !this.inFlight() && rule.isCheck(view) && rule.check(view, true) === Verdict.Exit) {
      this.leave(view, out);
      return;
    }
    if (view.block % (this.spec.checkEvery ?? 1) !== 0) return;
    // A transaction still on its way would be sent twice: wait for its receipt.
    if (this.inFlight()) return;
    this.checks++;
    const trigger = this.spec.trigger;
    const x = this.input;
    let any = false;
    const due = this.due;
    for (let i = 0; i < this.hedges.length; i++) {
      const h = this.hedges[i]!;
      const s = h.state(view, this.scratch, this.needValue);
      const last = this.last[i]!;
      // The first look after entry sets the reference value (and the price, if entry could not).
      if (Number.isNaN(last.price)) last.price = s.price;
      if (Number.isNaN(this.lastValue[i]!)) this.lastValue[i] = s.valueUsd;
      if (i === 0) this.vol.observe(view.time, s.price);
      x.time = view.time;
      x.price = s.price;
      x.valueRatio = s.valueRatio;
      x.deviation = s.deviation;
      x.gainUsd = s.valueUsd - this.lastValue[i]!;
      x.costUsd = (h.gas > 0 ? view.gasCostUsd(h.gas, this.priorityFee) : 0) + s.tradeCostUsd;
      x.baseFee = view.baseFee;
      x.realisedVol = this.vol.value;
      x.wwHalfWidth = s.wwHalfWidth;
      const f = trigger !== undefined && fires(trigger, last, x);
      due[i] = f;
      any ||= f;
    }
    if (!any) return;
    if (this.spec.batch) rec.batch(true);
    for (let i = 0; i < this.hedges.length; i++) {
      // Batching takes every hedge along once one fires.
      if (!(due[i] || this.spec.batch)) continue;
      const h = this.hedges[i]!;
      rec.mark();
      if (!h.rebalance(view, rec)) continue;
      this.rebalancesAttempted++;
      const s = h.state(view, this.scratch, this.needValue);
      if (rec.last === 0) {
        // Off-chain (CEX orders fill whatever happens): done at once.
        this.last[i] = { time: view.time, price: s.price };
        this.lastValue[i] = s.valueUsd;
        this.rebalances++;
      } else {
        this.fly(i, rec.last, REBALANCE);
        const p = this.pendingLast[i]!;
        p.time = view.time;
        p.price = s.price;
        this.pendingValue[i] = s.valueUsd;
      }
    }
    if (this.spec.batch) rec.batch(false);
  }

  /** Burn every position back into "1", in one transaction. */
  private leave(view: View, out: Outbox): void {
    out.setTag(this.tag);
    out.setPrivate(this.spec.private === true);
    const rec = this.rec.wrap(out);
    rec.batch(true);
    for (const h of this.hedges) (h as TriadParityHedge).exit(view, rec);
    rec.batch(false);
    if (rec.last === 0) return;
    this.exitFlight = rec.last;
    this.exitsAttempted++;
  }

  private allEntered(): boolean {
    for (let i = 0; i < this.entered.length; i++) if (!this.entered[i]) return false;
    return true;
  }

  offLedgerValue(view: View): number {
    let v = 0;
    for (const h of this.hedges) if (h.offLedgerValue) v += h.offLedgerValue(view);
    return v;
  }

  metrics(): Record<string, number> {
    const m: Record<string, number> = { rebalances: this.rebalances, rebalancesAttempted: this.rebalancesAttempted, checks: this.checks };
    if (this.rule !== null) {
      Object.assign(m, { exits: this.exits, exitsAttempted: this.exitsAttempted, reentries: this.reentries, reentriesAttempted: this.reentriesAttempted, inMarket: this.allEntered() ? 1 : 0 }, this.rule.metrics());
    }
    this.hedges.forEach((h, i) => {
      for (const [k, v] of Object.entries(h.metrics?.() ?? {})) m[this.hedges.length > 1 ? `${k}[${i}]` : k] = v;
    });
    return m;
  }

  /**
   * Preflight: on-chain hedges (forges on a triad, option hedges on a pool) send transactions when
   * they enter later or rebalance. A rebalancing forge costs no "1" at the price it was decided at,
   * but one that meets a price moved since (another forge in the same block, a sandwich) must pay
   * some: with no "1" beyond what entering costs, it reverts.
   */
  preflight(view: View, ctx: PreflightContext): AgentPlan {
    const later = this.spec.atBlock !== undefined;
    const onPool = this.spec.hedges.some((h) => h.kind === 'option' && (h.hedgeOn ?? 'cex') !== 'cex');
    const forges = this.spec.hedges.flatMap((h) => (h.kind === 'triad-parity' ? [h] : []));
    const sends = onPool || (forges.length > 0 && (later || this.spec.trigger !== undefined || this.spec.exit !== undefined));
    const warnings: AgentWarning[] = [];
    if (this.spec.trigger !== undefined) {
      for (const venue of new Set(forges.map((h) => ctx.venue(h.venue)))) {
        const info = ctx.venueInfo(venue);
        // What entering later still costs: the budget, or the units forged on each side (k each).
        const entry = later ? forges.filter((h) => ctx.venue(h.venue) === venue).reduce((s, h) => s + (h.budget ?? (h.units ?? 0) * info.k), 0) : 0;
        const spare = view.balance(info.shareToken) - entry;
        if (spare > 1e-9 * Math.max(entry, 1)) continue;
        const one = tokenLabel(ctx.tokenName(info.shareToken));
        warnings.push({
          code: 'NO_SPARE_ONE',
          field: `balances.${ctx.tokenName(info.shareToken)}`,
          venue,
          message: `hedger '${this.id}' holds no ${one} beyond ${later ? 'what entering' : 'its entry into'} triad '${info.id}'${later ? ' costs' : ''}: a rebalancing forge that meets a price moved since it decided (another forge in the same block, a sandwich) must pay ${one}, and reverts (give it some spare ${one})`,
        });
      }
    }
    return { sends, publicTxs: sends && this.spec.private !== true ? 'on-schedule' : 'never', warnings };
  }
}
