/**
 * The adversarial trigger: knowing a rebalancer's trigger (a price move, or a value-ratio band, which
 * for an equal-value hedge is a price move of √(1 + band) − 1), push the venue's price just across
 * it, wait for the rebalancer's transaction, and reverse right behind it in a bundle. What the
 * rebalancer loses trading at the pushed price is what the adversary can take, less its costs.
 * Its counters follow receipts: a push that reverts or is dropped leaves nothing to reverse, and it
 * goes back to idle.
 */
import type { Outbox, SetupContext, TxView, View } from '../../sim/agent';
import { Op, TxStatus } from '../../sim/tx';
import { getAmountIn, getAmountOut, optimalArbitrageInput } from '../../sim/venues/cpmm-math';
import { forgeQuote, mintToPrice } from '../../sim/venues/triad-math';
import type { TriggerSpec } from '../triggers';

export interface AdversarySpec {
  /** Agent id of the rebalancer. */
  target: string;
  /** Venue whose price the target's trigger watches. */
  venue: string;
  /** The target's trigger (price-move or band). */
  trigger: TriggerSpec;
  /** Push beyond the threshold by this relative margin. Default 0.001. */
  margin?: number;
  /** Blocks to wait for the target before reversing alone. Default 3. */
  patience?: number;
}

/** Relative price move that fires the trigger. */
export function moveThreshold(t: TriggerSpec): number {
  if (t.kind === 'price-move') return t.threshold;
  if (t.kind === 'band') return Math.sqrt(1 + t.band) - 1;
  if (t.kind === 'gas-ceiling') return moveThreshold(t.trigger);
  throw new Error(`the adversary can only push across a price-move or band trigger, not '${t.kind}'`);
}

const scratch = new Float64Array(2);

export class Adversary {
  private readonly target: number;
  private readonly venue: number;
  private readonly kind: 'cpmm' | 'triad';
  private readonly k: number;
  private readonly phi: number;
  private readonly tokens: readonly [number, number];
  /** A triad's "1" (its share token), or -1. */
  private readonly one: number;
  private readonly threshold: number;
  /** Tags of its pushes and of its reversals (each names the target too: `setTarget`). */
  private readonly pushTag: number;
  private readonly reversalTag: number;
  /** Price at the target's last rebalance, as the adversary infers it. */
  private anchor = NaN;
  /** The venue's price when it last acted: what an every-block target saw when it decided. */
  private seen = NaN;
  /** idle → pushed (waiting for the target) → reversing (its bundle is in flight) → idle. */
  private state: 'idle' | 'pushed' | 'reversing' = 'idle';
  private pushedAt = 0;
  /** What to undo: triad (du, dv) minted; cpmm side sold and amount expected back. */
  private undo = { a: 0, b: 0, side: 0, amount: 0 };
  /** Its balances of the venue's two tokens just before the push. */
  private readonly held = [0, 0];
  /** The push on its way (tx id, 0: none); reversals on their way, and which of them are bundled behind the target. */
  private pushId = 0;
  private readonly reversing = new Set<number>();
  private readonly bundled = new Set<number>();
  /** The venue's reserves (supplies) just before its push. */
  private readonly prePush = [0, 0];
  /** Per reversal bundled behind the target: what the target's transaction loses to the push (see `targetLoss`). */
  private readonly pendingLoss = new Map<number, number>();
  /** Σ of those losses over reversal bundles that landed, USD at the prices it saw. */
  private targetLossUsd = 0;
  /** Landed (included without reverting) and sent. */
  private stats = { pushes: 0, pushesAttempted: 0, reversals: 0, reversalsAttempted: 0, caught: 0, caughtAttempted: 0 };

  /** @param priorityFee gwei bid on its pushes and reversals (a reversal bundle must beat the victim alone) */
  constructor(private readonly spec: AdversarySpec, ctx: SetupContext, private readonly priorityFee: number) {
    this.target = ctx.agent(spec.target);
    this.venue = ctx.venue(spec.venue);
    const info = ctx.venueInfo(this.venue);
    this.kind = info.kind;
    this.k = info.k;
    this.phi = 1 - info.fee;
    this.tokens = info.tokens;
    this.one = info.kind === 'triad' ? info.shareToken : -1;
    this.threshold = moveThreshold(spec.trigger);
    this.pushTag = ctx.tag('adversary-push');
    this.reversalTag = ctx.tag('adversary-reversal');
  }

  act(view: View, out: Outbox): void {
    const p = view.venuePrice(this.venue);
    if (Number.isNaN(this.anchor)) this.anchor = p;
    this.seen = p;
    out.setTag(this.pushTag);
    out.setTarget(this.target);
    out.setPriorityFee(this.priorityFee);
    if (this.state === 'pushed') {
      if (view.block > this.pushedAt + (this.spec.patience ?? 3)) this.reverse(view, out);
      return;
    }
    // Let the reversal bundle land before pushing again.
    if (this.state === 'reversing') {
      if (view.block <= this.pushedAt) return;
      // The bundle failed (the target's transaction went in alone, ahead of it): reverse alone now.
      if (this.holdsPush(view)) this.reverse(view, out);
      else this.state = 'idle';
      return;
    }
    // Push across the nearer edge of the trigger: up to anchor·(1 + t), or down to anchor·(1 − t).
    const t = this.threshold + (this.spec.margin ?? 0.001);
    const up = this.anchor * (1 + t);
    const down = this.anchor * (1 - t);
    const goal = Math.abs(Math.log(up / p)) <= Math.abs(Math.log(down / p)) ? up : down;
    this.held[0] = view.balance(this.tokens[0]);
    this.held[1] = view.balance(this.tokens[1]);
    this.prePush[0] = view.reserve(this.venue, 0);
    this.prePush[1] = view.reserve(this.venue, 1);
    if (this.kind === 'triad') {
      mintToPrice(view.reserve(this.venue, 0), view.reserve(this.venue, 1), this.k, goal, scratch);
      const a = scratch[0]!;
      const b = scratch[1]!;
      if (!(a >= 0 && b >= 0 && a + b > 0)) return;
      this.pushId = out.forge(this.venue, a, b, -Infinity).id;
      this.undo = { a, b, side: 0, amount: 0 };
    } else {
      const x = view.reserve(this.venue, 0);
      const y = view.reserve(this.venue, 1);
      // The trade that leaves the pool's price at the goal (fee included).
      const input = optimalArbitrageInput(x, y, goal > p ? goal / this.phi : goal * this.phi, this.phi);
      if (input > 0) {
        // Buy token0 with token1; undo by selling back what it bought.
        if (view.balance(this.tokens[1]) < input) return;
        this.pushId = out.swap(this.venue, 1, input, 0).id;
        this.undo = { a: 0, b: 0, side: 0, amount: getAmountOut(input, y, x, this.phi) };
      } else if (input < 0) {
        // Sell token0; undo by buying it back with what it got.
        if (view.balance(this.tokens[0]) < -input) return;
        this.pushId = out.swap(this.venue, 0, -input, 0).id;
        this.undo = { a: 0, b: 0, side: 1, amount: getAmountOut(-input, x, y, this.phi) };
      } else return;
    }
    this.state = 'pushed';
    this.pushedAt = view.block;
    this.stats.pushesAttempted++;
  }

  /** One of the searcher's transactions became final. */
  onReceipt(tx: TxView): void {
    const landed = tx.status === TxStatus.Included;
    if (tx.id === this.pushId) {
      this.pushId = 0;
      if (landed) this.stats.pushes++;
      // Nothing moved: nothing to wait for, nothing to reverse.
      else if (this.state === 'pushed') this.state = 'idle';
      return;
    }
    if (this.reversing.delete(tx.id) && landed) this.stats.reversals++;
    if (this.bundled.delete(tx.id) && landed) {
      this.stats.caught++;
      // Its bundle landed: the target's transaction went in at the pushed price.
      this.targetLossUsd += this.pendingLoss.get(tx.id) ?? 0;
    }
    this.pendingLoss.delete(tx.id);
  }

  /** The target's transaction is visible: reverse right behind it. Returns true when it used the transaction. */
  onMempool(view: View, out: Outbox, tx: TxView): boolean {
    if (tx.agent !== this.target) return false;
    let touches = false;
    for (let i = 0; i < tx.callCount; i++) if (tx.calls[i]!.venue === this.venue) touches = true;
    if (!touches) return false;
    // Every rebalance the target makes resets its trigger at the price it saw: follow it.
    if (this.state !== 'pushed') {
      this.anchor = this.decidedAt(view);
      return false;
    }
    out.setTarget(this.target);
    out.setPriorityFee(this.priorityFee);
    const rev = this.reverseCall(view, out);
    if (rev !== null) {
      out.bundle([tx.id, rev]);
      this.bundled.add(rev.id);
      this.pendingLoss.set(rev.id, this.targetLoss(view, tx));
      this.stats.caughtAttempted++;
    }
    this.anchor = this.decidedAt(view);
    this.state = 'reversing';
    // The bundle targets the next block; wait until it has been built.
    this.pushedAt = view.block;
    return true;
  }

  /**
   * The price the target rebalanced at, as far as it can tell: the one it saw itself when it last
   * acted alongside it (the target's transaction reaches the mempool after the block it saw, and
   * that block may have moved the price again).
   */
  private decidedAt(view: View): number {
    return Number.isNaN(this.seen) ? view.venuePrice(this.venue) : this.seen;
  }

  /** Does it still hold (at least half of) what its push bought? */
  private holdsPush(view: View): boolean {
    const u = this.undo;
    if (this.kind === 'triad') return (u.a > 0 && view.balance(this.tokens[0]) >= this.held[0]! + u.a / 2) || (u.b > 0 && view.balance(this.tokens[1]) >= this.held[1]! + u.b / 2);
    return u.amount > 0 && view.balance(this.tokens[u.side]!) >= this.held[u.side]! + u.amount / 2;
  }

  private reverse(view: View, out: Outbox): void {
    this.reverseCall(view, out);
    this.state = 'idle';
  }

  private reverseCall(view: View, out: Outbox): ReturnType<Outbox['forge']> | null {
    let tx: ReturnType<Outbox['forge']> | null;
    out.setTag(this.reversalTag);
    if (this.kind === 'triad') tx = out.forge(this.venue, -Math.min(this.undo.a, view.balance(this.tokens[0])), -Math.min(this.undo.b, view.balance(this.tokens[1])), -Infinity);
    else {
      const side = this.undo.side;
      const amount = Math.min(this.undo.amount, view.balance(this.tokens[side]!));
      tx = amount > 0 ? out.swap(this.venue, side, amount, 0) : null;
    }
    if (tx !== null) {
      this.reversing.add(tx.id);
      this.stats.reversalsAttempted++;
    }
    return tx;
  }

  /**
   * What the target's transaction loses to the push: its calls on the venue at the venue's state now
   * against the same calls on the state just before the push, in USD at the prices it sees (an
   * estimate: the state may also have moved by others' trades since the push).
   */
  private targetLoss(view: View, tx: TxView): number {
    const now0 = view.reserve(this.venue, 0);
    const now1 = view.reserve(this.venue, 1);
    const [pre0, pre1] = this.prePush as [number, number];
    let loss = 0;
    for (let i = 0; i < tx.callCount; i++) {
      const c = tx.calls[i]!;
      if (c.venue !== this.venue) continue;
      if (this.kind === 'triad') {
        if (c.op === Op.Forge) loss += (forgeQuote(pre0, pre1, c.a, c.b, this.k) - forgeQuote(now0, now1, c.a, c.b, this.k)) * view.priceUsd(this.one);
        continue;
      }
      const [xIn, yIn, xPre, yPre] = c.side === 0 ? [now0, now1, pre0, pre1] : [now1, now0, pre1, pre0];
      const tin = this.tokens[c.side === 0 ? 0 : 1]!;
      const tout = this.tokens[c.side === 0 ? 1 : 0]!;
      if (c.op === Op.Swap) loss += (getAmountOut(c.a, xPre, yPre, this.phi) - getAmountOut(c.a, xIn, yIn, this.phi)) * view.priceUsd(tout);
      else if (c.op === Op.SwapExactOut) loss += (getAmountIn(c.a, xIn, yIn, this.phi) - getAmountIn(c.a, xPre, yPre, this.phi)) * view.priceUsd(tin);
    }
    return loss === loss ? loss : 0;
  }

  metrics(): Record<string, number> {
    const s = this.stats;
    return {
      adversaryPushes: s.pushes,
      adversaryPushesAttempted: s.pushesAttempted,
      adversaryReversals: s.reversals,
      adversaryReversalsAttempted: s.reversalsAttempted,
      adversaryCaught: s.caught,
      adversaryCaughtAttempted: s.caughtAttempted,
      adversaryTargetLossUsd: this.targetLossUsd,
    };
  }
}
