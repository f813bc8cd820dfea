/**
 * The common machinery of hedgers: enter one or more hedges (at genesis or a given block), and each
 * time the agent acts, let the hedges settle what is due, estimate realised volatility, ask the
 * trigger whether to rebalance, and restore the target — every hedge in one transaction when
 * batching, else each in its own. The three hedger kinds differ only in their defaults.
 */
import type { AgentPlan, AgentWarning, Outbox, PreflightContext, Schedule, SetupContext, TxView, View } from '../sim/agent';
import { tokenLabel } from '../sim/preflight';
import { BaseAgent, type CommonSpec } from './common';
import { makeHedge, type Hedge, type HedgeSpec } from './hedges';
import { emptyState } from './hedges/types';
import type { OptionHedgeOptions } from './hedges/option';
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
}

export abstract class Hedger extends BaseAgent {
  protected readonly hedges: Hedge[];
  private entered = false;
  private last: LastRebalance[] = [];
  private lastValue: number[] = [];
  private readonly vol: RealisedVol;
  private tag = 0;
  private rebalances = 0;
  private checks = 0;
  private readonly due: boolean[] = [];
  private readonly scratch = emptyState();
  /** Value the positions each look only when the trigger reads the gain. */
  private readonly needValue: boolean;
  readonly onReceipt?: (view: View, out: Outbox, tx: TxView) => void;
  private readonly input: TriggerInput = { time: 0, price: 0, valueRatio: 0, deviation: 0, gainUsd: 0, costUsd: 0, baseFee: 0, realisedVol: NaN, wwHalfWidth: NaN };

  constructor(protected readonly spec: HedgerSpec, options: OptionHedgeOptions = {}, schedule: Schedule = { kind: 'block' }) {
    super(spec, schedule);
    if (spec.hedges.length === 0) throw new Error(`hedger '${spec.id}' needs at least one hedge`);
    this.hedges = spec.hedges.map((h) => makeHedge(h, options));
    this.vol = new RealisedVol(spec.volHalfLife ?? 86_400);
    this.needValue = spec.trigger !== undefined && needsGain(spec.trigger);
    // Only hedges that track their own fills need receipts (the kernel skips agents without the hook).
    if (this.hedges.some((h) => h.onReceipt !== undefined)) {
      this.onReceipt = (_view, _out, tx) => {
        for (let i = 0; i < this.hedges.length; i++) this.hedges[i]!.onReceipt?.(tx);
      };
    }
  }

  setup(ctx: SetupContext): void {
    for (const h of this.hedges) h.setup(ctx);
    this.tag = ctx.tag('rebalance');
  }

  genesis(view: View, out: Outbox): void {
    if (this.spec.atBlock === undefined) this.enter(view, out);
  }

  private enter(view: View, out: Outbox): void {
    out.setTag(this.tag);
    out.setPrivate(this.spec.private === true);
    for (const h of this.hedges) h.enter(view, out);
    this.entered = true;
    // A price-move trigger counts from the price the hedge was entered at (NaN, e.g. an empty triad,
    // leaves it to the first look); the value waits for the first look, once the entry has landed.
    this.last = this.hedges.map((h) => ({ time: view.time, price: h.state(view, this.scratch, false).price }));
    this.lastValue = this.hedges.map(() => NaN);
  }

  act(view: View, out: Outbox): void {
    if (!this.entered) {
      if (this.spec.atBlock !== undefined && view.block >= this.spec.atBlock) this.enter(view, out);
      return;
    }
    out.setTag(this.tag);
    out.setPrivate(this.spec.private === true);
    for (const h of this.hedges) h.tick?.(view, out);
    if (view.block % (this.spec.checkEvery ?? 1) !== 0) return;
    // A rebalance still on its way would be sent twice: wait until it has landed.
    if (view.pendingCount() > 0) return;
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
    if (this.spec.batch) out.batch(true);
    for (let i = 0; i < this.hedges.length; i++) {
      // Batching takes every hedge along once one fires.
      if (!(due[i] || this.spec.batch)) continue;
      const h = this.hedges[i]!;
      if (!h.rebalance(view, out)) continue;
      const s = h.state(view, this.scratch, this.needValue);
      this.last[i] = { time: view.time, price: s.price };
      this.lastValue[i] = s.valueUsd;
      this.rebalances++;
    }
    if (this.spec.batch) out.batch(false);
  }

  offLedgerValue(view: View): number {
    let v = 0;
    for (const h of this.hedges) if (h.offLedgerValue) v += h.offLedgerValue(view);
    return v;
  }

  metrics(): Record<string, number> {
    const m: Record<string, number> = { rebalances: this.rebalances, checks: this.checks };
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
    const sends = onPool || (forges.length > 0 && (later || this.spec.trigger !== undefined));
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
