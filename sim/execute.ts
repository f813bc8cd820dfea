/**
 * The executor: runs one transaction against the world. Gas is prepaid at the effective gas price
 * (EIP-1559), calls run in order, a failing call (bound, balance, supply) reverts every state change
 * of the transaction but the transaction still pays for the gas it used; the unused gas is refunded,
 * the base fee is burned and the priority fee goes to the proposer.
 */
import { AgentCell, BURN, PROPOSER, type Venue, type World } from './world';
import { Op, Revert, TxStatus, type Call, type Tx } from './tx';
import { addLiquidity, compoundForge, removeLiquidity, swap } from './venues/cpmm';
import { forge } from './venues/triad';
import { runExact } from './exact/execute';
import type { Transfers } from './transfers';
import type { Ledger } from './ledger';

export class Executor {
  /** Gwei per gas, for the block being built. */
  baseFee = 0;
  block = 0;
  /** Execution position within the block. */
  position = 0;
  /** USD per native token, for the block being built. */
  nativeUsd = 0;
  /** Genesis runs with no gas and no fee. */
  free = false;
  /** Exact-integer mode: base fee in wei (the truth; `baseFee` mirrors it in gwei). */
  baseFeeWei = 0n;
  /**
   * Fill each transaction's asset changes (tx.ts `changeToken`…): its sender's balances of the
   * tokens its calls touch (and the native token) before and after. Off unless someone records
   * transactions, so that the hot path pays nothing for it.
   */
  recordChanges = false;
  /** The value-transfer ledger, told of every call that succeeded and every gas payment. */
  transfers: Transfers | null = null;

  /** Read once from the world (fixed after set-up): the per-transaction path reads them as fields. */
  private readonly L: Ledger;
  private readonly bal: Float64Array;
  private readonly tokenCount: number;
  private readonly native: number;
  /** Ledger indices of the burn's and the proposer's native token. */
  private readonly burnNative: number;
  private readonly proposerNative: number;
  private readonly venues: readonly Venue[];

  constructor(
    readonly w: World,
    readonly gasByOp: Float64Array,
    readonly intrinsic: number,
    readonly revertGas: number,
    /** Run transactions in exact-integer mode. */
    readonly exact = false,
  ) {
    const L = w.ledger;
    this.L = L;
    this.bal = L.bal;
    this.tokenCount = L.tokenCount;
    this.native = w.native;
    this.burnNative = BURN * L.tokenCount + w.native;
    this.proposerNative = PROPOSER * L.tokenCount + w.native;
    this.venues = w.venues;
  }

  /** Gas a transaction uses if every call succeeds. */
  gasEstimate(tx: Tx): number {
    let g = this.intrinsic;
    for (let i = 0; i < tx.callCount; i++) g += this.gasByOp[tx.calls[i]!.op]! - this.intrinsic;
    return g;
  }

  /**
   * Execute `tx`. Returns false (and marks it dropped) if it is invalid — the sender cannot cover
   * gasLimit × maxFee — so it is not included at all; otherwise it is included, possibly reverted.
   */
  run(tx: Tx): boolean {
    if (!this.recordChanges) return this.exact ? runExact(this, tx) : this.runFloat(tx);
    this.changesBefore(tx);
    const ran = this.exact ? runExact(this, tx) : this.runFloat(tx);
    if (ran) this.changesAfter(tx);
    else tx.changeCount = 0;
    return ran;
  }

  /** The tokens `tx` can move in its sender's wallet, with the balances before it runs. */
  private changesBefore(tx: Tx): void {
    const w = this.w;
    tx.changeCount = 0;
    addToken(tx, w.native);
    for (let i = 0; i < tx.callCount; i++) {
      const v = w.venues[tx.calls[i]!.venue];
      if (v === undefined) continue;
      if (v.kind === 'cpmm') {
        addToken(tx, v.token0);
        addToken(tx, v.token1);
        addToken(tx, v.lpToken);
      } else {
        addToken(tx, v.unit);
        addToken(tx, v.reciprocal);
        addToken(tx, v.one);
        if (v.anchor >= 0) addToken(tx, v.anchor);
      }
    }
    const L = w.ledger;
    const base = tx.sender * L.tokenCount;
    const x = L.exact;
    for (let j = 0; j < tx.changeCount; j++) {
      const t = tx.changeToken[j]!;
      tx.changeAmount[j] = L.bal[base + t]!;
      tx.changeWei[j] = x === null ? null : x.bal[base + t]!;
    }
  }

  /** Turn the balances before into changes (valued at the marks now), keeping the tokens that moved. */
  private changesAfter(tx: Tx): void {
    const w = this.w;
    const L = w.ledger;
    const base = tx.sender * L.tokenCount;
    const x = L.exact;
    let k = 0;
    for (let j = 0; j < tx.changeCount; j++) {
      const t = tx.changeToken[j]!;
      const d = L.bal[base + t]! - tx.changeAmount[j]!;
      const dw = x === null ? null : x.bal[base + t]! - tx.changeWei[j]!;
      if (d === 0 && (dw === null || dw === 0n)) continue;
      tx.changeToken[k] = t;
      tx.changeAmount[k] = d;
      tx.changeUsd[k] = d === 0 ? 0 : d * w.markPrice(t);
      tx.changeWei[k] = dw;
      k++;
    }
    tx.changeCount = k;
  }

  private runFloat(tx: Tx): boolean {
    // units.ts GWEI as a local: a module constant is a context load (and a type check) at each use.
    const gwei = 1e-9;
    const L = this.L;
    const bal = this.bal;
    const sender = tx.sender;
    const agent = tx.agent;
    const gasLimit = tx.gasLimit;
    const maxFee = tx.maxFee;
    const nativeIdx = sender * this.tokenCount + this.native;
    const base = this.baseFee;
    const free = this.free;
    let prio = maxFee - base;
    const priorityFee = tx.priorityFee;
    if (priorityFee < prio) prio = priorityFee;
    // One test of `free` (genesis) here and one at the gas settlement below.
    let price = 0;
    if (!free) {
      price = base + prio;
      if (bal[nativeIdx]! < gasLimit * maxFee * gwei) {
        tx.status = TxStatus.Dropped;
        tx.revert = Revert.InsufficientFundsForGas;
        return false;
      }
    }
    const w = this.w;
    w.currentTx = tx.id;
    // Read once: the transfer ledger counts only from the measurement point.
    const transfers = this.transfers !== null && this.transfers.active === true ? this.transfers : null;
    // Outside a bundle or an audit nothing journals: the gas cells are written directly.
    const journaled = L.journaling === true;
    const prepay = gasLimit * price * gwei;
    if (prepay !== 0) {
      if (journaled) L.add(nativeIdx, -prepay);
      else bal[nativeIdx] = bal[nativeIdx]! - prepay;
    }
    // One call checks everything before it writes, so only several calls need the journal.
    const callCount = tx.callCount;
    if (callCount > 1) L.journaling = true;
    const mark = L.mark();
    // `- 0` (exact) types the field's read as a number: without it the gas phi below stays tagged
    // and every addition to it allocates a boxed double.
    const intrinsic = this.intrinsic - 0;
    let gas = intrinsic;
    let code = 0;
    let failed = -1;
    // The router checks the deadline first: an expired transaction reverts, paying for little gas.
    if (this.block > tx.deadline) {
      code = Revert.Deadline;
      failed = 0;
      gas += this.revertGas;
      if (gas > gasLimit) gas = gasLimit;
    } else {
      const gasByOp = this.gasByOp;
      const venues = this.venues;
      const calls = tx.calls;
      for (let i = 0; i < callCount; i++) {
        const call = calls[i]!;
        const g = gasByOp[call.op]! - intrinsic;
        if (gas + g > gasLimit) {
          code = Revert.OutOfGas;
          failed = i;
          gas = gasLimit;
          break;
        }
        // The venue looked up once, for the call and for the transfer ledger.
        const v = venues[call.venue];
        code = this.call(v, call, sender, agent);
        if (code !== 0) {
          failed = i;
          gas += this.revertGas;
          if (gas > gasLimit) gas = gasLimit;
          break;
        }
        // callSettled in float mode: a swap just booked its fee (accountSwap, at this block's marks).
        if (transfers !== null) transfers.afterCall(agent, call.venue, v!.kind === 'cpmm' && (call.op === Op.Swap || call.op === Op.SwapExactOut) ? v!.lastFeeUsd : 0);
        gas += g;
      }
    }
    if (code !== 0) L.rollback(mark);
    L.journaling = journaled;
    if (!free) {
      const refund = (gasLimit - gas) * price * gwei;
      if (refund !== 0) {
        if (journaled) L.add(nativeIdx, refund);
        else bal[nativeIdx] = bal[nativeIdx]! + refund;
      }
      const burned = gas * base * gwei;
      const tip = gas * prio * gwei;
      const usd = this.nativeUsd;
      const cells = w.agentCells(agent);
      const burnIdx = this.burnNative;
      const proposerIdx = this.proposerNative;
      if (journaled) {
        L.add(burnIdx, burned);
        L.add(proposerIdx, tip);
        L.add(cells + AgentCell.GasBaseUsd, burned * usd);
        L.add(cells + AgentCell.GasPriorityUsd, tip * usd);
      } else {
        bal[burnIdx] = bal[burnIdx]! + burned;
        bal[proposerIdx] = bal[proposerIdx]! + tip;
        bal[cells + AgentCell.GasBaseUsd] = bal[cells + AgentCell.GasBaseUsd]! + burned * usd;
        bal[cells + AgentCell.GasPriorityUsd] = bal[cells + AgentCell.GasPriorityUsd]! + tip * usd;
      }
      tx.gasCostUsd = (burned + tip) * usd;
      tx.gasUsed = gas;
      tx.effectivePriority = prio;
      tx.baseFee = base;
    } else {
      tx.gasUsed = 0;
      tx.effectivePriority = 0;
      tx.baseFee = 0;
    }
    if (transfers !== null) transfers.afterTx(agent, !free, tx);
    tx.status = code === 0 ? TxStatus.Included : TxStatus.Reverted;
    tx.revert = code as typeof tx.revert;
    tx.failedCall = failed;
    tx.block = this.block;
    tx.position = this.position++;
    w.currentTx = -1;
    return true;
  }

  /** Tell the transfer ledger what a call moved; a swap's fee (USD at this block's marks) is the LPs' `fee`. */
  callSettled(agent: number, call: Call, v: Venue = this.w.venues[call.venue]!): void {
    let fee = 0;
    // Float mode: the swap just booked this very fee (accountSwap, the same product at the same marks).
    if (v.kind === 'cpmm' && (call.op === Op.Swap || call.op === Op.SwapExactOut)) fee = this.exact ? v.fee * call.outB * this.w.markPrice(call.side === 0 ? v.token0 : v.token1) : v.lastFeeUsd;
    this.transfers!.afterCall(agent, call.venue, fee);
  }

  private call(v: Venue | undefined, call: Call, sender: number, agent: number): number {
    if (v === undefined) return Revert.UnsupportedCall;
    if (v.kind === 'cpmm') {
      switch (call.op) {
        case Op.Swap:
          return swap(this.w, v, sender, agent, call, false);
        case Op.SwapExactOut:
          return swap(this.w, v, sender, agent, call, true);
        case Op.AddLiquidity:
          return addLiquidity(this.w, v, sender, agent, call);
        case Op.RemoveLiquidity:
          return removeLiquidity(this.w, v, sender, agent, call);
        case Op.Forge:
          return v.invariant ? compoundForge(this.w, v, sender, agent, call) : Revert.UnsupportedCall;
        default:
          return Revert.UnsupportedCall;
      }
    }
    return call.op === Op.Forge ? forge(this.w, v, sender, agent, call) : Revert.UnsupportedCall;
  }
}

/** Add a token to a transaction's change list unless it is there (a few entries: a linear scan). */
function addToken(tx: Tx, t: number): void {
  for (let j = 0; j < tx.changeCount; j++) if (tx.changeToken[j] === t) return;
  tx.changeToken[tx.changeCount++] = t;
}
