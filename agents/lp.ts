/**
 * `lp`: a liquidity provider. Deposits into a pool at genesis (or a given block) and earns fees while
 * bearing loss-versus-rebalancing. Optional exit rule: every `checkEvery` blocks it compares its
 * position with holding what it deposited (LP value / HODL value − 1 over the trailing window,
 * annualised) against an outside rate, withdraws when LPing earns less, and re-deposits once the
 * pool's fee yield (growth of √(x·y) per share, annualised) beats the outside rate again.
 * On a triad it holds a pool-proportional position: it forges (du, dv) ∝ (u, v) with its "1".
 * "In the pool", exits and entries follow receipts: a deposit or withdrawal counts once it is
 * included; one that reverts or is dropped is tried again at the next look. Depositing "all" keeps
 * back the native token's gas for a few transactions when the LP will ever send one.
 */
import type { Outbox, SetupContext, TxView, View } from '../sim/agent';
import { Op, TxStatus } from '../sim/tx';
import { GWEI } from '../sim/units';
import { SECONDS_PER_YEAR } from '../sim/units';
import { BaseAgent, type CommonSpec } from './common';

export interface LpSpec extends CommonSpec {
  venue: string;
  /** Amounts of token0 and token1 to deposit (default: all it holds of both). For a triad: [U, 1/U] to forge. */
  deposit?: [number, number];
  /** Block to deposit before; default genesis. */
  atBlock?: number;
  exit?: {
    /** Annual rate the LP could earn elsewhere, e.g. 0.05. */
    outsideRate: number;
    /** Trailing window, seconds. */
    window: number;
    /** Blocks between checks. Default 1 block per window/10. */
    checkEvery?: number;
    /** Re-enter once the fee yield beats the outside rate. Default true. */
    reenter?: boolean;
  };
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
  // Trailing-window bookkeeping: snapshots at the last check.
  private held0 = 0;
  private held1 = 0;
  private checkStart = 0;
  private lpValueStart = 0;
  private rootKPerShareStart = 0;
  private exits = 0;
  private exitsAttempted = 0;
  private entries = 0;
  private entriesAttempted = 0;
  private checkEvery: number;

  constructor(private readonly spec: LpSpec) {
    // A passive LP (genesis deposit, no exit rule) never needs waking.
    super(spec, spec.atBlock === undefined && spec.exit === undefined ? { kind: 'never' } : { kind: 'block' });
    this.checkEvery = spec.exit?.checkEvery ?? 0;
  }

  setup(ctx: SetupContext): void {
    this.venue = ctx.venue(this.spec.venue);
    const info = ctx.venueInfo(this.venue);
    this.venueKind = info.kind;
    [this.token0, this.token1] = info.tokens;
    this.shareToken = info.shareToken;
    this.native = ctx.nativeToken;
    this.tag = ctx.tag('liquidity');
    if (this.spec.exit && this.checkEvery === 0) {
      this.checkEvery = Math.max(1, Math.round(this.spec.exit.window / 10 / ctx.blockInterval));
    }
  }

  genesis(view: View, out: Outbox): void {
    if (this.spec.atBlock === undefined) {
      this.enter(view, out);
      // Genesis calls execute at once (a failing one is a configuration error) and send no receipt.
      this.flight = 0;
      this.landed(view, false);
    }
  }

  onReceipt(view: View, _out: Outbox, tx: TxView): void {
    if (tx.id !== this.flight) return;
    this.flight = 0;
    if (tx.status === TxStatus.Included) this.landed(view, this.flightIsExit);
  }

  /** Its deposit (or withdrawal) was included: it is in the pool (or out) from now. */
  private landed(view: View, exit: boolean): void {
    if (exit) {
      this.inPool = false;
      this.exits++;
    } else {
      if (this.deposited) this.entries++;
      this.deposited = true;
      this.inPool = true;
    }
    this.snapshot(view);
  }

  act(view: View, out: Outbox): void {
    // Wait for the receipt of what is on its way.
    if (this.flight !== 0) return;
    if (!this.deposited) {
      if (this.spec.atBlock !== undefined && view.block >= this.spec.atBlock) this.enter(view, out);
      return;
    }
    const exit = this.spec.exit;
    if (!exit || this.venueKind !== 'cpmm' || view.block % this.checkEvery !== 0) return;
    const elapsed = view.time - this.checkStart;
    if (elapsed < exit.window) return;
    const years = elapsed / SECONDS_PER_YEAR;
    if (this.inPool) {
      const lpValue = this.positionValue(view);
      const hodl = this.held0 * view.priceUsd(this.token0) + this.held1 * view.priceUsd(this.token1);
      const excess = (lpValue / hodl - 1) / years;
      if (excess < exit.outsideRate) {
        out.setTag(this.tag);
        this.flight = out.removeLiquidity(this.venue, view.balance(this.shareToken), 0, 0).id;
        this.flightIsExit = true;
        this.exitsAttempted++;
      }
    } else if (exit.reenter !== false) {
      const growth = (this.rootKPerShare(view) / this.rootKPerShareStart - 1) / years;
      if (growth >= exit.outsideRate) {
        this.entriesAttempted++;
        this.enter(view, out);
        return;
      }
    }
    this.snapshot(view);
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
    // What it deposits, for the HODL comparison (refined from its shares once the deposit lands).
    this.held0 = a;
    this.held1 = b;
  }

  private snapshot(view: View): void {
    this.checkStart = view.time;
    if (this.venueKind !== 'cpmm') return;
    if (this.inPool && view.totalShares(this.venue) > 0) {
      // Restart the HODL comparison from the current position.
      const f = view.balance(this.shareToken) / view.totalShares(this.venue);
      if (f > 0) {
        this.held0 = f * view.reserve(this.venue, 0);
        this.held1 = f * view.reserve(this.venue, 1);
      }
    }
    this.lpValueStart = this.positionValue(view);
    this.rootKPerShareStart = this.rootKPerShare(view);
  }

  private positionValue(view: View): number {
    const s = view.totalShares(this.venue);
    if (!(s > 0)) return 0;
    const f = view.balance(this.shareToken) / s;
    return f * (view.reserve(this.venue, 0) * view.priceUsd(this.token0) + view.reserve(this.venue, 1) * view.priceUsd(this.token1));
  }

  private rootKPerShare(view: View): number {
    return Math.sqrt(view.reserve(this.venue, 0) * view.reserve(this.venue, 1)) / view.totalShares(this.venue);
  }

  metrics(): Record<string, number> {
    return {
      exits: this.exits,
      exitsAttempted: this.exitsAttempted,
      reentries: this.entries,
      reentriesAttempted: this.entriesAttempted,
      inPool: this.inPool ? 1 : 0,
      lpValueAtLastCheck: this.lpValueStart,
    };
  }
}

/** Transactions an LP keeps the gas for when it deposits all it holds of the native token. */
const RESERVE_TXS = 3;
