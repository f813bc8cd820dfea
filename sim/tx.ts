/**
 * Transactions and venue calls: plain objects of one fixed shape, recycled through a free list so
 * the per-transaction path allocates nothing in steady state.
 */

/** Venue call kinds. */
export const enum Op {
  /** Swap an exact input; `side` 0 pays token0, 1 pays token1; `a` = amount in, `boundA` = min out. */
  Swap = 1,
  /** Swap for an exact output; `side` as above (the side paid); `a` = amount out, `boundA` = max in. */
  SwapExactOut = 2,
  /** Add liquidity; `a`, `b` = amounts of token0/token1 offered, `boundA` = min shares. */
  AddLiquidity = 3,
  /** Remove liquidity; `a` = shares burned, `boundA`/`boundB` = min token0/token1 out. */
  RemoveLiquidity = 4,
  /** Forge on a triad (or compound pool); `a` = du, `b` = dv, `boundA` = min "1" (or W) received. */
  Forge = 5,
}
export type OpCode = Op;

/** Why a transaction (or bundle) did not take effect. Names are stable and appear in outputs. */
export const enum Revert {
  None = 0,
  Slippage = 1,
  ExcessiveInput = 2,
  Deadline = 3,
  InsufficientBalance = 4,
  InsufficientLiquidity = 5,
  InvalidAmount = 6,
  TriadNegativeSupply = 7,
  TriadSlippage = 8,
  OutOfGas = 9,
  BundleFailed = 10,
  InsufficientFundsForGas = 11,
  Expired = 12,
  Replaced = 13,
  EmptyPool = 14,
  UnsupportedCall = 15,
  ReplacementRejected = 16,
  /** Its sender's account nonce has moved past the transaction's: another transaction took it. */
  NonceUsed = 17,
}
export type RevertCode = Revert;
export const REVERT_NAMES: readonly string[] = [
  'NONE',
  'SLIPPAGE',
  'EXCESSIVE_INPUT',
  'DEADLINE',
  'INSUFFICIENT_BALANCE',
  'INSUFFICIENT_LIQUIDITY',
  'INVALID_AMOUNT',
  'TRIAD_NEGATIVE_SUPPLY',
  'TRIAD_SLIPPAGE',
  'OUT_OF_GAS',
  'BUNDLE_FAILED',
  'INSUFFICIENT_FUNDS_FOR_GAS',
  'EXPIRED',
  'REPLACED',
  'EMPTY_POOL',
  'UNSUPPORTED_CALL',
  'REPLACEMENT_REJECTED',
  'NONCE_USED',
];

export const enum TxStatus {
  /** Created by an agent, travelling to the mempool (sender latency). */
  InFlight = 0,
  Pending = 1,
  Included = 2,
  /** Included, reverted: effects undone, gas paid. */
  Reverted = 3,
  /** Left the mempool without being included (expired, replaced, unaffordable, failed bundle, nonce used). */
  Dropped = 4,
}
export type TxStatusCode = TxStatus;
export const TX_STATUS_NAMES: readonly string[] = ['in-flight', 'pending', 'included', 'reverted', 'dropped'];

export class Call {
  venue = 0;
  op = 0;
  side = 0;
  a = 0;
  b = 0;
  boundA = 0;
  boundB = 0;
  /** Exact-integer mode: wei amounts overriding a/b/boundA/boundB when not null. */
  xa: bigint | null = null;
  xb: bigint | null = null;
  xboundA: bigint | null = null;
  xboundB: bigint | null = null;
  /** Results, filled by execution: amounts received/paid by the sender. */
  outA = 0;
  outB = 0;
  outC = 0;
  /** Exact-integer mode: the results in wei (null until the call executed). */
  xoutA: bigint | null = null;
  xoutB: bigint | null = null;
  xoutC: bigint | null = null;
}

export class Tx {
  readonly isBundle = false;
  id = 0;
  /** Agent index of the sender (its on-chain account is the agent's account). */
  agent = 0;
  sender = 0;
  /** The sender's account nonce this transaction uses (given by the outbox; a replacement keeps its predecessor's). */
  nonce = 0;
  readonly calls: Call[] = [];
  callCount = 0;
  gasLimit = 0;
  /** EIP-1559 max fee and max priority fee, gwei per gas. */
  maxFee = 0;
  priorityFee = 0;
  /** Last block number in which the transaction may be included. */
  deadline = Infinity;
  /** Bundle id, or -1. */
  bundle = -1;
  /** In a searcher's bundle: id of the other agent's transaction the bundle was built around, or -1. */
  victim = -1;
  /**
   * The agent the transaction aims at, or -1: for a bundle's own legs the sender of the transaction
   * it was built around; for a lone transaction whoever its sender names (an adversary's target).
   */
  target = -1;
  isPrivate = false;
  submitTime = 0;
  arrivalTime = 0;
  /** First block it could enter (the one after its arrival): `chain.mempoolTtl` counts from it. 0 until the mempool (or a bundle) took it. */
  firstBlock = 0;
  /**
   * Reaction depth at its arrival instant: 0 if it travelled (sent earlier), else one more than the
   * event its sender reacted to at that instant (a transaction seen with no mempool lag) — so one sent
   * the moment another arrived ranks after it at equal arrival time (see builder.ts `before`).
   */
  reaction = 0;
  /** The builder's seeded tie-break draw for this block (see builder.ts `tieDraw`). */
  tie = 0;
  tag = 0;
  status: TxStatusCode = TxStatus.InFlight;
  revert: RevertCode = Revert.None;
  /** Index of the failing call, or -1. */
  failedCall = -1;
  block = -1;
  /** Position in its block (execution order), or -1. */
  position = -1;
  gasUsed = 0;
  /** Effective priority fee per gas paid (gwei). */
  effectivePriority = 0;
  /** Base fee at inclusion (gwei). */
  baseFee = 0;
  /** Id of the transaction this one replaces, or -1. */
  replaces = -1;
  /** USD value of the gas paid. */
  gasCostUsd = 0;
  /**
   * What the sender's wallet gave and got, by token (gas included), filled by the executor only
   * while changes are recorded (`Executor.recordChanges`, set by sim/record.ts recordTransactions): `changeCount` entries of token, amount
   * and its USD value at the marks right after the transaction. Reused arrays: no allocation once warm.
   */
  changeCount = 0;
  readonly changeToken: number[] = [];
  readonly changeAmount: number[] = [];
  readonly changeUsd: number[] = [];
  /** Exact-integer mode: the amounts in wei (null in float mode). */
  readonly changeWei: (bigint | null)[] = [];
  /**
   * References still held: one from dispatch until its receipt is delivered to the sender, one per
   * queued observation or receipt event. It is recycled only when none are left.
   */
  refs = 0;

  /** Append a call, reusing a pooled Call object. */
  call(venue: number, op: number, side: number, a: number, b: number, boundA: number, boundB: number): Call {
    const c = this.callOf(venue, op, side);
    c.a = a;
    c.b = b;
    c.boundA = boundA;
    c.boundB = boundB;
    return c;
  }

  /** Append a call whose amounts (a, b, boundA, boundB) the caller sets: the outbox writes them field to field. */
  callOf(venue: number, op: number, side: number): Call {
    let c = this.calls[this.callCount];
    if (c === undefined) {
      c = new Call();
      this.calls.push(c);
    }
    this.callCount++;
    c.venue = venue;
    c.op = op;
    c.side = side;
    c.xa = null;
    c.xb = null;
    c.xboundA = null;
    c.xboundB = null;
    c.outA = 0;
    c.outB = 0;
    c.outC = 0;
    c.xoutA = null;
    c.xoutB = null;
    c.xoutC = null;
    return c;
  }
}

/** Free list of transactions (an explicit size: no Array push/pop builtins on the per-transaction path). */
export class TxPool {
  private readonly free: Tx[] = [];
  private size = 0;
  private nextId = 1;

  /**
   * A transaction with a new id, its calls, fee cap and outcome cleared. The taker (the outbox) sets
   * the rest: agent, sender, nonce, priority fee, privacy, tag, target, gas limit and deadline. (Its
   * tie draw is set by the builder before any use.)
   */
  take(): Tx {
    const tx = this.size > 0 ? this.free[--this.size]! : new Tx();
    tx.id = this.nextId++;
    tx.callCount = 0;
    tx.maxFee = 0;
    tx.bundle = -1;
    tx.victim = -1;
    tx.changeCount = 0;
    tx.submitTime = 0;
    tx.arrivalTime = 0;
    tx.firstBlock = 0;
    tx.reaction = 0;
    tx.status = TxStatus.InFlight;
    tx.revert = Revert.None;
    tx.failedCall = -1;
    tx.block = -1;
    tx.position = -1;
    tx.gasUsed = 0;
    tx.effectivePriority = 0;
    tx.baseFee = 0;
    tx.replaces = -1;
    tx.gasCostUsd = 0;
    tx.refs = 0;
    return tx;
  }

  give(tx: Tx): void {
    const free = this.free;
    if (this.size < free.length) free[this.size] = tx;
    else free.push(tx);
    this.size++;
  }
}

/** Put a transaction back as it was before it ran: pending, no outcome (an undone bundle, a counterfactual run). */
export function unrun(tx: Tx): void {
  tx.status = TxStatus.Pending;
  tx.revert = Revert.None;
  tx.block = -1;
  tx.position = -1;
  tx.gasUsed = 0;
  tx.gasCostUsd = 0;
  tx.failedCall = -1;
  tx.changeCount = 0;
}
