/**
 * `lp`: a liquidity provider. Deposits into a pool at genesis (or a given block) and earns fees while
 * bearing loss-versus-rebalancing. Optional exit rule (agents/entry.ts, shared with the hedgers):
 * every `checkEvery` blocks it measures its trailing edge — P&L against holding what it held a
 * window ago — per unit of capital (its position's value then), annualised; it withdraws when that
 * is below the outside rate less the hysteresis, and re-deposits once the other rule-following LPs
 * of the pool earn more than the outside rate plus the hysteresis.
 * On a triad it holds a pool-proportional position: it forges (du, dv) ∝ (u, v) with its "1".
 * "In the pool", exits and entries follow receipts: a deposit or withdrawal counts once it is
 * included; one that reverts or is dropped is tried again at the next look. Depositing "all" keeps
 * back the native token's gas for a few transactions when the LP will ever send one.
 */
import type { AgentPlan, AgentWarning, Outbox, PreflightContext, SetupContext, TxView, View } from '../sim/agent';
import { Op, TxStatus } from '../sim/tx';

import { tokenLabel } from '../sim/preflight';
import { GWEI } from '../sim/units';
import { BaseAgent, type CommonSpec } from './common';
import { cohortName, EXIT_LIVE, ExitRule, Verdict, type ExitRuleSpec } from './entry';

export interface LpSpec extends CommonSpec {
  venue: string;
  /** Amounts of token0 and token1 to deposit (default: all it holds of both). For a triad: [U, 1/U] to forge. */
  deposit?: [number, number];
  /** Block to deposit before; default genesis. */
  atBlock?: number;
  /** Exit and re-entry on trailing edge per unit of capital against an outside rate (agents/entry.ts). */
  exit?: ExitRuleSpec;
}

export class LiquidityProvider extends BaseAgent {
  readonly kind = 'lp';
  private venue = 0;
  private venueKind: 'cpmm' | 'triad' = 'cpmm';
  private token0 = 0;
  private token1 = 0;
  private shareToken = 0;
  private tag = 0;
  private native = 0;
  /** Its first deposit has landed. */
  private deposited = false;
  private inPool = false;
  /** The deposit or withdrawal on its way (tx id, 0: none) and which. */
  private flight = 0;
  private flightIsExit = false;
  private readonly rule: ExitRule | null;
  private exits = 0;
  private exitsAttempted = 0;
  private entries = 0;
  private entriesAttempted = 0;

  get liveParams(): readonly string[] {
    return this.rule === null ? [] : EXIT_LIVE;
  }

  constructor(private spec: LpSpec) {
    // A passive LP (genesis deposit, no exit rule) never needs waking.
    super(spec, spec.atBlock === undefined && spec.exit === undefined ? { kind: 'never' } : { kind: 'block' });
    this.rule = spec.exit ? new ExitRule(spec.exit) : null;
  }

  reconfigure(spec: LpSpec): void {
    this.rule!.retune(spec.exit, `LP '${this.id}'`);
    this.spec = spec;
  }

  setup(ctx: SetupContext): void {
    this.venue = ctx.venue(this.spec.venue);
    const info = ctx.venueInfo(this.venue);
    this.venueKind = info.kind;
    [this.token0, this.token1] = info.tokens;
    this.shareToken = info.shareToken;
    this.native = ctx.nativeToken;
    this.tag = ctx.tag('liquidity');
    // Its cohort: the LPs of the same pool, passive ones included (others' exit rules measure them).
    if (info.kind !== 'cpmm') return;
    const cohort = cohortName('lp', info.id);
    if (this.rule !== null) this.rule.setup(ctx, cohort, (view, agent) => this.positionValueOf(view, agent));
    else ctx.cohort(cohort);
  }

  genesis(view: View, out: Outbox): void {
    if (this.spec.atBlock === undefined) {
      this.enter(view, out);
      // Genesis calls execute at once (a failing one is a configuration error) and send no receipt.
      this.flight = 0;
      this.landed(false);
    }
  }

  onReceipt(_view: View, _out: Outbox, tx: TxView): void {
    if (tx.id !== this.flight) return;
    this.flight = 0;
    if (tx.status === TxStatus.Included) this.landed(this.flightIsExit);
  }

  /** Its deposit (or withdrawal) was included: it is in the pool (or out) from now. */
  private landed(exit: boolean): void {
    if (exit) {
      this.inPool = false;
      this.exits++;
    } else {
      if (this.deposited) this.entries++;
      this.deposited = true;
      this.inPool = true;
    }
  }

  act(view: View, out: Outbox): void {
    // Wait for the receipt of what is on its way.
    if (this.flight !== 0) return;
    if (!this.deposited) {
      if (this.spec.atBlock !== undefined && view.block >= this.spec.atBlock) this.enter(view, out);
      return;
    }
    const rule = this.rule;
    if (rule === null || this.venueKind !== 'cpmm' || !rule.isCheck(view)) return;
    const verdict = rule.check(view, this.inPool);
    if (this.inPool) {
      if (verdict === Verdict.Exit) {
        out.setTag(this.tag);
        this.flight = out.removeLiquidity(this.venue, view.balance(this.shareToken), 0, 0).id;
        this.flightIsExit = true;
        this.exitsAttempted++;
      }
    } else if (verdict === Verdict.Enter) {
      this.entriesAttempted++;
      this.enter(view, out);
    }
  }

  /**
   * The native token it keeps out of an "all" deposit: gas for RESERVE_TXS transactions (this one, an
   * exit, a re-entry) at twice the current base fee plus its priority fee — none for a passive LP
   * that deposits at genesis (free) and never sends a transaction.
   */
  private gasReserve(view: View): number {
    if (this.spec.atBlock === undefined && this.spec.exit === undefined) return 0;
    const gas = Math.max(view.gasFor(this.venueKind === 'cpmm' ? Op.AddLiquidity : Op.Forge), view.gasFor(Op.RemoveLiquidity));
    return RESERVE_TXS * gas * (2 * view.baseFee + this.priorityFee) * GWEI;
  }

  /** What it deposits of a token: the amount given, or all it holds less its gas reserve. */
  private depositOf(view: View, side: 0 | 1): number {
    const given = this.spec.deposit?.[side];
    if (given !== undefined) return given;
    const t = side === 0 ? this.token0 : this.token1;
    const held = view.balance(t);
    return t === this.native ? Math.max(held - this.gasReserve(view), 0) : held;
  }

  private enter(view: View, out: Outbox): void {
    let a = this.depositOf(view, 0);
    let b = this.depositOf(view, 1);
    out.setTag(this.tag);
    if (this.venueKind === 'cpmm') this.flight = out.addLiquidity(this.venue, a, b, 0).id;
    else {
      // Into a live triad, forge the largest f·(u, v) within the deposit: the price stays where it is
      // (as a v2 deposit's does). Into an empty one the deposit itself sets the price √(b/a).
      const u = view.reserve(this.venue, 0);
      const v = view.reserve(this.venue, 1);
      if (u > 0 && v > 0) {
        const f = Math.min(a / u, b / v);
        a = f * u;
        b = f * v;
      }
      this.flight = out.forge(this.venue, a, b, -Infinity).id;
    }
    this.flightIsExit = false;
  }

  /** USD value of an LP's position in this pool (its part of the reserves): the capital its edge is per unit of. */
  private positionValueOf(view: View, agent: number): number {
    const s = view.totalShares(this.venue);
    if (!(s > 0)) return 0;
    const f = view.balanceOf(agent, this.shareToken) / s;
    return f * (view.reserve(this.venue, 0) * view.priceUsd(this.token0) + view.reserve(this.venue, 1) * view.priceUsd(this.token1));
  }

  metrics(): Record<string, number> {
    return {
      exits: this.exits,
      exitsAttempted: this.exitsAttempted,
      reentries: this.entries,
      reentriesAttempted: this.entriesAttempted,
      inPool: this.inPool ? 1 : 0,
      ...(this.rule !== null ? this.rule.metrics() : {}),
    };
  }

  /**
   * Preflight: it sends transactions only to enter later or to exit; a deposit of all its native
   * token (or a re-entry, which deposits all it holds) leaves it nothing for that gas.
   */
  preflight(view: View, ctx: PreflightContext): AgentPlan {
    const sends = this.spec.atBlock !== undefined || this.spec.exit !== undefined;
    const warnings: AgentWarning[] = [];
    const native = ctx.nativeToken;
    const side = this.venueKind === 'cpmm' ? [this.token0, this.token1].indexOf(native) : -1;
    if (sends && side >= 0) {
      const held = view.balance(native);
      // A genesis deposit has been made; a later one takes `deposit`, or all it holds less the gas
      // reserve it keeps back (so only explicit amounts can leave it nothing for gas).
      const left = this.spec.atBlock === undefined ? held : held - (this.spec.deposit?.[side] ?? Math.max(held - this.gasReserve(view), 0));
      const needs = this.gasReserve(view) > 0;
      if (needs && !(left > 0)) {
        const name = tokenLabel(ctx.tokenName(native));
        warnings.push({
          code: 'LP_DEPOSIT_LEAVES_NO_GAS',
          field: this.spec.deposit !== undefined ? 'deposit' : `balances.${ctx.tokenName(native)}`,
          venue: this.venue,
          explainsGas: true,
          message: `LP '${this.id}' deposits all its ${name} into '${ctx.venueName(this.venue)}', which leaves it nothing to pay the gas of its ${this.spec.exit !== undefined ? 'exits and entries' : 'deposit'} (give \`deposit\` amounts that keep some ${name} back)`,
        });
      }
    }
    return { sends, publicTxs: sends ? 'on-schedule' : 'never', warnings };
  }
}

/** Transactions an LP keeps the gas for when it deposits all it holds of the native token. */
const RESERVE_TXS = 3;
