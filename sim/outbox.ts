/**
 * The outbox an agent acts through. It only creates transactions, bundles, CEX orders and OTC
 * settlements (data); the kernel dispatches them after the agent returns, with the agent's latency,
 * fees and checks (OTC contracts settle at once: a desk contract is final when agreed).
 */
import type { Outbox, TxDraft } from './agent';
import type { Kernel } from './kernel';
import { List } from './list';
import { Op, type Call, type Tx, type TxPool } from './tx';
import { parseUnits } from './venues/exact-math';
import { settleOtc } from './cex';

export interface CexOrder {
  agent: number;
  token: number;
  qty: number;
  submitTime: number;
}

export class KernelOutbox implements Outbox {
  agent = 0;
  /**
   * Things put in the lists below since the kernel last dispatched them (0: nothing to dispatch, the
   * common case, read without touching the lists). Never 0 while one holds something.
   */
  queued = 0;
  readonly created = new List<Tx>();
  readonly bundles: (readonly (TxDraft | number)[])[] = [];
  readonly cexOrders = new List<CexOrder>();
  /** OTC settlements asked for in this call, as (token, amount) pairs: the kernel settles them after it. */
  readonly otcTokens: number[] = [];
  readonly otcAmounts: number[] = [];
  /** The priority fee set in this call, if `feeSet` (else the agent's default). */
  private priorityFee = 0;
  private feeSet = false;
  /** Whether this call changed a default (begin restores them only then). */
  private changed = false;
  private isPrivate = false;
  private batchTx: Tx | null = null;
  private batching = false;
  private tag = 0;
  private deadline = Infinity;
  private target = -1;
  /**
   * The amounts of the call being made, passed to make through these number fields: a double passed as
   * an argument to a function V8 does not inline is boxed (a heap allocation per transaction), while a
   * write into a number field updates it in place.
   */
  private a = 0;
  private b = 0;
  private boundA = 0;
  private boundB = 0;

  // The kernel's parts a transaction is made from, read once (make runs once per transaction sent).
  private readonly gasByOp: Float64Array;
  private readonly intrinsic: number;
  private readonly txPool: TxPool;
  private readonly defaultPriorityFee: Float64Array;
  private readonly live: readonly (readonly Tx[])[];
  private readonly nonces: Float64Array;
  /** World.agentAccount(0): agent i's account is agentBase + i. */
  private readonly agentBase: number;

  constructor(private readonly k: Kernel) {
    this.live = k.table.live;
    this.nonces = k.table.nonce;
    this.gasByOp = k.gasByOp;
    this.intrinsic = k.gasTable.intrinsic;
    this.txPool = k.txPool;
    this.defaultPriorityFee = k.defaultPriorityFee;
    this.agentBase = k.world.agentBase;
  }

  /**
   * Point at an agent and restore its defaults. Most calls set none (an every-block agent that sees
   * nothing to do), so the defaults are restored only after a call that changed one.
   */
  begin(agent: number): void {
    this.agent = agent;
    if (!this.changed) return;
    this.changed = false;
    this.feeSet = false;
    this.isPrivate = false;
    this.tag = 0;
    this.deadline = Infinity;
    this.target = -1;
    this.batching = false;
    this.batchTx = null;
  }

  batch(on: boolean): void {
    this.changed = true;
    this.batching = on;
    this.batchTx = null;
  }

  setPriorityFee(gwei: number): void {
    this.changed = true;
    this.feeSet = true;
    this.priorityFee = gwei;
  }
  setPrivate(isPrivate: boolean): void {
    this.changed = true;
    this.isPrivate = isPrivate;
  }
  setTag(tag: number): void {
    this.changed = true;
    this.tag = tag;
  }
  setDeadline(blocks: number): void {
    this.changed = true;
    this.deadline = blocks;
  }
  setTarget(agent: number): void {
    this.changed = true;
    this.target = agent;
  }

  /** Make a transaction (or append to the batch) with one call of the amounts in this.a, this.b, this.boundA, this.boundB. */
  private make(venue: number, op: number, side: number): Tx {
    const batchTx = this.batchTx;
    if (batchTx !== null) {
      this.fill(batchTx.callOf(venue, op, side));
      batchTx.gasLimit += this.gasByOp[op]! - this.intrinsic;
      return batchTx;
    }
    const agent = this.agent;
    const tx = this.txPool.take();
    tx.agent = agent;
    tx.sender = this.agentBase + agent;
    // Nothing live: the account nonce plus one per transaction made in this call (Delivery.nextNonce's
    // answer then: with nothing live nothing can be resent, so this call's transactions hold base, base + 1, …).
    tx.nonce = this.created.size === 0 && this.live[agent]!.length === 0 ? this.nonces[agent]! : this.k.nextNonce(agent);
    tx.priorityFee = this.feeSet ? this.priorityFee : this.defaultPriorityFee[agent]!;
    tx.isPrivate = this.isPrivate;
    tx.tag = this.tag;
    tx.target = this.target;
    tx.deadline = this.k.blockNumber + this.deadline;
    tx.gasLimit = this.gasByOp[op]!;
    this.fill(tx.callOf(venue, op, side));
    this.created.push(tx);
    this.queued++;
    if (this.batching) this.batchTx = tx;
    return tx;
  }

  /** Tx.call is given small integers (never boxed) and the amounts are written here, field to field. */
  private fill(c: Call): void {
    c.a = this.a;
    c.b = this.b;
    c.boundA = this.boundA;
    c.boundB = this.boundB;
  }

  private last(): Tx {
    const tx = this.created.size > 0 ? this.created.get(this.created.size - 1) : undefined;
    if (tx === undefined) throw new Error('andSwap/andForge need a transaction created before them in the same act');
    return tx;
  }

  swap(venue: number, side: number, amountIn: number, minOut: number): TxDraft {
    this.a = amountIn;
    this.b = 0;
    this.boundA = minOut;
    this.boundB = 0;
    return this.make(venue, Op.Swap, side);
  }
  swapExactOut(venue: number, side: number, amountOut: number, maxIn: number): TxDraft {
    this.a = amountOut;
    this.b = 0;
    this.boundA = maxIn;
    this.boundB = 0;
    return this.make(venue, Op.SwapExactOut, side);
  }
  addLiquidity(venue: number, amount0: number, amount1: number, minShares: number): TxDraft {
    this.a = amount0;
    this.b = amount1;
    this.boundA = minShares;
    this.boundB = 0;
    return this.make(venue, Op.AddLiquidity, 0);
  }
  removeLiquidity(venue: number, shares: number, min0: number, min1: number): TxDraft {
    this.a = shares;
    this.b = 0;
    this.boundA = min0;
    this.boundB = min1;
    return this.make(venue, Op.RemoveLiquidity, 0);
  }
  forge(venue: number, du: number, dv: number, minOne: number): TxDraft {
    this.a = du;
    this.b = dv;
    this.boundA = minOne;
    this.boundB = 0;
    return this.make(venue, Op.Forge, 0);
  }
  andSwap(venue: number, side: number, amountIn: number, minOut: number): void {
    this.a = amountIn;
    this.b = 0;
    this.boundA = minOut;
    this.boundB = 0;
    this.append(venue, Op.Swap, side);
  }
  andForge(venue: number, du: number, dv: number, minOne: number): void {
    this.a = du;
    this.b = dv;
    this.boundA = minOne;
    this.boundB = 0;
    this.append(venue, Op.Forge, 0);
  }

  /** Append a call of the amounts in this.a, this.b, this.boundA, this.boundB to the last transaction made. */
  private append(venue: number, op: number, side: number): void {
    const tx = this.last();
    this.fill(tx.callOf(venue, op, side));
    // The intrinsic gas is paid once per transaction.
    tx.gasLimit += this.gasByOp[op]! - this.intrinsic;
  }

  exact(a?: string, b?: string, boundA?: string, boundB?: string): void {
    const tx = this.last();
    const c = tx.calls[tx.callCount - 1]!;
    if (a !== undefined) c.xa = parseUnits(a);
    if (b !== undefined) c.xb = parseUnits(b);
    if (boundA !== undefined) c.xboundA = parseUnits(boundA);
    if (boundB !== undefined) c.xboundB = parseUnits(boundB);
  }

  replace(txId: number, priorityFee: number, maxFee: number): TxDraft | null {
    return this.resend(txId, priorityFee, maxFee, true);
  }

  cancel(txId: number, priorityFee: number, maxFee: number): TxDraft | null {
    return this.resend(txId, priorityFee, maxFee, false);
  }

  /** A transaction with the nonce of one of this agent's not yet receipted ones: the same calls, or none (a cancellation). */
  private resend(txId: number, priorityFee: number, maxFee: number, sameCalls: boolean): TxDraft | null {
    const live = this.k.table.live[this.agent]!;
    let old: Tx | undefined;
    for (let k = 0; k < live.length && old === undefined; k++) if (live[k]!.id === txId) old = live[k];
    if (old === undefined) return null;
    const tx = this.k.txPool.take();
    tx.agent = old.agent;
    tx.sender = old.sender;
    tx.nonce = old.nonce;
    tx.isPrivate = old.isPrivate;
    tx.tag = old.tag;
    tx.target = old.target;
    tx.priorityFee = priorityFee;
    tx.maxFee = maxFee;
    tx.replaces = old.id;
    this.created.push(tx);
    this.queued++;
    if (!sameCalls) {
      // A plain transfer to itself: the intrinsic gas, no deadline.
      tx.gasLimit = this.k.gasTable.intrinsic;
      tx.deadline = Infinity;
      return tx;
    }
    for (let i = 0; i < old.callCount; i++) {
      const c = old.calls[i]!;
      const d = tx.call(c.venue, c.op, c.side, c.a, c.b, c.boundA, c.boundB);
      d.xa = c.xa;
      d.xb = c.xb;
      d.xboundA = c.xboundA;
      d.xboundB = c.xboundB;
    }
    tx.gasLimit = old.gasLimit;
    tx.deadline = old.deadline;
    return tx;
  }

  bundle(parts: readonly (TxDraft | number)[]): void {
    this.bundles.push(parts);
    this.queued++;
  }

  cexOrder(token: number, qty: number): void {
    if (qty === 0) return;
    this.cexOrders.push({ agent: this.agent, token, qty, submitTime: this.k.time });
    this.queued++;
  }

  otc(token: number, amount: number): void {
    if (!Number.isFinite(amount)) throw new Error(`agent '${this.k.agents[this.agent]!.id}' settled a non-finite OTC amount`);
    if (amount === 0) return;
    this.otcTokens.push(token);
    this.otcAmounts.push(amount);
    this.queued++;
  }

  /** Settle the OTC contracts the agent agreed in its call (the kernel, once the agent has returned). */
  settleOtc(): void {
    const tokens = this.otcTokens;
    for (let j = 0; j < tokens.length; j++) settleOtc(this.k, this.agent, tokens[j]!, this.otcAmounts[j]!);
    tokens.length = 0;
    this.otcAmounts.length = 0;
  }
}
