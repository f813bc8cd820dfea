/**
 * `speculator`: demand for a triad's units from an agent that expects to gain. It holds a view of U's
 * fair value in "1" — the reference target (scale · Π P_asset^exponent / P("1"), as a tracker's), or a
 * belief that mean-reverts around it (ln(fair/target) an Ornstein–Uhlenbeck process drawn from its
 * stream `agent:<id>:belief`) — and, each time it acts, takes the trade its view says pays:
 * - it sells (burns) all it holds of the side that is dear at its fair value, if the "1" received,
 *   less gas, beats that side's fair value by `minReturn`;
 * - else it buys (mints) the side that is cheap, up to `maxPosition`, if that side's fair value
 *   beats the "1" paid plus gas by `minReturn`.
 * There are no fees on a triad. It bears the mark-to-market risk of what it holds.
 *
 * Forging is dilution: minting the cheap side makes it cheaper, burning the dear side dearer. So on a
 * triad every trade that pays at fair value moves the price AWAY from fair — the speculator gains only
 * if someone else (a tracker) moves it back. docs/scenarios.md says so; who-pays.yaml measures it.
 *
 * Its state follows receipts: its position is its wallet (what landed), one trade in flight at a time,
 * counters move on inclusion; a reverted trade costs gas and changes nothing else. `setActive(false)`
 * takes it out of the market — it sells everything at the next look whatever the return, then idles —
 * and `setActive(true)` back in: the seam its `exit` rule (agents/entry.ts, shared with LPs and
 * hedgers) drives — out when its trailing edge per unit of capital is below the outside rate, back in
 * when the other speculators on the triad earn above it.
 */
import type { AgentPlan, AgentWarning, Outbox, PreflightContext, SetupContext, TxView, View } from '../sim/agent';
import { tokenLabel } from '../sim/preflight';
import type { Stream } from '../sim/rng';
import { Op, TxStatus } from '../sim/tx';
import { forgeQuote } from '../sim/venues/triad-math';
import { AssetProduct } from './asset-product';
import { BaseAgent, type CommonSpec } from './common';
import { cohortName, EXIT_LIVE, ExitRule, Verdict, type ExitRuleSpec } from './entry';
import { triadSeat } from './math/triad-seat';

export interface SpeculatorSpec extends CommonSpec {
  venue: string;
  /** Fair USD value of one U as scale · Π P_asset^exponent (as a tracker's target). */
  fair: { assets: Record<string, number>; scale?: number };
  /** A belief around it: ln(fair/target) is OU with this stationary sd and half-life (seconds). Default: none. */
  belief?: { sd: number; halfLife: number };
  /** Most it holds of the side it is long: in USD at its fair value, or in token units. */
  maxPosition: { amount: number; unit?: 'usd' | 'units' };
  /** Least expected return of a trade at fair value, after gas (0.01 = 1 %). */
  minReturn: number;
  /** Act every this many blocks. Default 1. */
  every?: number;
  /** In the market at the start. Default true. */
  active?: boolean;
  /** Leave when its trailing edge per unit of capital is below `outsideRate`, come back on the other speculators'. */
  exit?: ExitRuleSpec;
}

/** What its trade in flight is. */
const BUY = 1;
const SELL = 2;
const UNWIND = 3;

export class Speculator extends BaseAgent {
  readonly kind = 'speculator';
  private venue = 0;
  private unit = 0;
  private reciprocal = 0;
  private one = 0;
  private k = 2;
  private tag = 0;
  private readonly fair: AssetProduct;
  private every: number;
  private active: boolean;
  private belief: Stream | null = null;
  /** ln(fair/target) and the time it was last drawn at. */
  private x = 0;
  private xTime = 0;
  private inFlight = 0;
  private inFlightKind = 0;
  /** Expected gain (USD at fair, after gas) of the trade in flight, as decided. */
  private inFlightGain = 0;
  private buys = 0;
  private sells = 0;
  private unwinds = 0;
  private tradesAttempted = 0;
  private reverted = 0;
  private expectedGainUsd = 0;
  private readonly rule: ExitRule | null;
  private exits = 0;
  private exitsAttempted = 0;
  /** Its exit rule said leave: it unwinds, and is out once the unwind has landed (or when it holds nothing). */
  private leaving = false;
  private reentries = 0;

  get liveParams(): readonly string[] {
    return ['minReturn', 'maxPosition', 'every', 'belief', ...(this.rule === null ? [] : EXIT_LIVE)];
  }

  constructor(private spec: SpeculatorSpec) {
    super(spec, { kind: 'block' });
    this.every = spec.every ?? 1;
    this.fair = new AssetProduct(spec.fair);
    this.active = spec.active ?? true;
    this.rule = spec.exit ? new ExitRule(spec.exit) : null;
  }

  reconfigure(spec: SpeculatorSpec): void {
    // The belief's stream is taken at setup, and only if it has a spread: it cannot appear or vanish.
    const drawn = (s: SpeculatorSpec): boolean => s.belief !== undefined && s.belief.sd > 0;
    if (drawn(spec) !== drawn(this.spec)) throw new Error(`speculator '${this.id}': a belief with a spread (sd > 0) cannot be added or removed during a run, only its sd and halfLife changed`);
    this.rule?.retune(spec.exit, `speculator '${this.id}'`);
    this.spec = spec;
    this.every = spec.every ?? 1;
  }

  setup(ctx: SetupContext): void {
    ({ venue: this.venue, unit: this.unit, reciprocal: this.reciprocal, one: this.one, k: this.k } = triadSeat(ctx, this.spec.venue, `speculator '${this.id}'`));
    this.tag = ctx.tag('speculate');
    // Its cohort: the speculators on this triad (others' exit rules measure it, with a rule or not).
    const cohort = cohortName('speculator', this.spec.venue);
    if (this.rule !== null) this.rule.setup(ctx, cohort, (view, agent) => this.capitalOf(view, agent));
    else ctx.cohort(cohort);
    this.fair.setup(ctx);
    if (this.spec.belief !== undefined && this.spec.belief.sd > 0) {
      this.belief = ctx.stream('belief');
      // Start from the belief's stationary law.
      this.x = this.spec.belief.sd * this.belief.normal();
    }
  }

  /** In the market (true) or out (false): out, it sells all it holds at its next look, then idles. */
  setActive(on: boolean): void {
    this.active = on;
  }

  get isActive(): boolean {
    return this.active;
  }

  /** Its fair value of U in "1" now (the belief moved to `time` first). */
  fairPrice(view: View): number {
    const usd = this.fair.usd(view);
    const b = this.spec.belief;
    if (this.belief !== null && b !== undefined && view.time > this.xTime) {
      const decay = Math.exp((-Math.LN2 * (view.time - this.xTime)) / b.halfLife);
      this.x = this.x * decay + b.sd * Math.sqrt(1 - decay * decay) * this.belief.normal();
      this.xTime = view.time;
    }
    return (usd * Math.exp(this.x)) / view.priceUsd(this.one);
  }

  /** What an agent has committed here: its U and 1/U at the triad's marks, USD. */
  private capitalOf(view: View, agent: number): number {
    const p = view.venuePrice(this.venue);
    if (!(p > 0)) return 0;
    const q = (this.k * this.k) / 4 / p;
    return (view.balanceOf(agent, this.unit) * p + view.balanceOf(agent, this.reciprocal) * q) * view.priceUsd(this.one);
  }

  act(view: View, out: Outbox): void {
    const fair = this.fairPrice(view);
    if (view.block % this.every !== 0 || this.inFlight !== 0) return;
    const rule = this.rule;
    if (rule !== null && rule.isCheck(view)) {
      // Leaving: it unwinds below and is out (and the exit counted) when the unwind lands. Back in: it may trade at once.
      const verdict = rule.check(view, this.active);
      if (this.active && !this.leaving && verdict === Verdict.Exit) {
        this.leaving = true;
        this.exitsAttempted++;
      } else if (!this.active && verdict === Verdict.Enter) {
        this.active = true;
        this.reentries++;
      }
    }
    const u = view.reserve(this.venue, 0);
    const v = view.reserve(this.venue, 1);
    if (!(u > 0 && v > 0)) return;
    const heldU = view.balance(this.unit);
    const heldV = view.balance(this.reciprocal);
    const oneUsd = view.priceUsd(this.one);
    const gas = view.gasCostUsd(view.gasFor(Op.Forge), this.priorityFee) / oneUsd;
    out.setTag(this.tag);
    if (this.leaving && !(heldU > 0 || heldV > 0)) {
      // Nothing left to sell: out now (a landed unwind takes it out in onReceipt).
      this.leaving = false;
      this.active = false;
      this.exits++;
    }
    if (!this.active || this.leaving) {
      if (heldU > 0 || heldV > 0) this.send(out, -heldU, -heldV, -Infinity, UNWIND, 0);
      return;
    }
    const price = view.venuePrice(this.venue);
    // Fair values of U and of 1/U in "1" (the marks multiply to (k/2)², so do the fair values).
    const fairU = fair;
    const fairV = (this.k * this.k) / 4 / fair;
    const unitDear = price > fair;
    // Sell the dear side it holds: the "1" it gets, less gas, against that side's fair value.
    const dearHeld = unitDear ? heldU : heldV;
    if (dearHeld > 0) {
      const du = unitDear ? -dearHeld : 0;
      const dv = unitDear ? 0 : -dearHeld;
      const given = dearHeld * (unitDear ? fairU : fairV);
      const got = forgeQuote(u, v, du, dv, this.k) - gas;
      if (got >= given * (1 + this.spec.minReturn)) this.send(out, du, dv, given * (1 + this.spec.minReturn) + gas, SELL, (got - given) * oneUsd);
      return;
    }
    // Buy the cheap side up to the position limit: its fair value against the "1" paid plus gas.
    const fairSide = unitDear ? fairV : fairU;
    const held = unitDear ? heldV : heldU;
    const limit = this.spec.maxPosition.unit === 'units' ? this.spec.maxPosition.amount : this.spec.maxPosition.amount / (fairSide * oneUsd);
    const room = limit - held;
    if (!(room > 0)) return;
    const du = unitDear ? 0 : room;
    const dv = unitDear ? room : 0;
    const worth = room * fairSide;
    const paid = -forgeQuote(u, v, du, dv, this.k) + gas;
    if (worth >= paid * (1 + this.spec.minReturn)) {
      // The most "1" it accepts to pay (a protected triad enforces it): where the return is minReturn.
      this.send(out, du, dv, -(worth / (1 + this.spec.minReturn) - gas), BUY, (worth - paid) * oneUsd);
    }
  }

  private send(out: Outbox, du: number, dv: number, minOne: number, kind: number, gainUsd: number): void {
    this.inFlight = out.forge(this.venue, du, dv, minOne).id;
    this.inFlightKind = kind;
    this.inFlightGain = gainUsd;
    this.tradesAttempted++;
  }

  onReceipt(_view: View, _out: Outbox, tx: TxView): void {
    if (tx.id !== this.inFlight) return;
    this.inFlight = 0;
    if (tx.status !== TxStatus.Included) {
      if (tx.status === TxStatus.Reverted) this.reverted++;
      return;
    }
    if (this.inFlightKind === BUY) this.buys++;
    else if (this.inFlightKind === SELL) this.sells++;
    else {
      this.unwinds++;
      if (this.leaving) {
        this.leaving = false;
        this.active = false;
        this.exits++;
      }
    }
    this.expectedGainUsd += this.inFlightGain;
  }

  metrics(view: View): Record<string, number> {
    const fair = this.fairPriceNoDraw(view);
    const oneUsd = view.priceUsd(this.one);
    return {
      trades: this.buys + this.sells + this.unwinds,
      tradesAttempted: this.tradesAttempted,
      buys: this.buys,
      sells: this.sells,
      unwinds: this.unwinds,
      reverted: this.reverted,
      expectedGainUsd: this.expectedGainUsd,
      active: this.active ? 1 : 0,
      positionFairUsd: (view.balance(this.unit) * fair + (view.balance(this.reciprocal) * this.k * this.k) / 4 / fair) * oneUsd,
      ...(this.rule !== null ? { exits: this.exits, exitsAttempted: this.exitsAttempted, reentries: this.reentries, ...this.rule.metrics() } : {}),
    };
  }

  /** Fair value at the last belief drawn (metrics must not draw). */
  private fairPriceNoDraw(view: View): number {
    const usd = this.fair.usd(view);
    return (usd * Math.exp(this.x)) / view.priceUsd(this.one);
  }

  /** Preflight: with no "1" (and no units, which only trades give it) it can never trade. */
  preflight(view: View, ctx: PreflightContext): AgentPlan {
    const warnings: AgentWarning[] = [];
    if (!(view.balance(this.one) > 0) && !(view.balance(this.unit) > 0) && !(view.balance(this.reciprocal) > 0)) {
      const one = tokenLabel(ctx.tokenName(this.one));
      warnings.push({ code: 'NO_CAPITAL', field: `balances.${ctx.tokenName(this.one)}`, venue: this.venue, message: `speculator '${this.id}' holds no ${one}: it can never buy on triad '${ctx.venueName(this.venue)}', which takes ${one} for what it mints` });
    }
    return { sends: true, publicTxs: 'on-schedule', warnings };
  }
}
