/**
 * Transaction execution in exact-integer mode: gas in wei at the effective gas price (EIP-1559,
 * prepaid at gasLimit and refunded), calls against the exact book, the same revert rules as float
 * mode. Float mirrors and accounting cells follow along.
 */
import type { Executor } from '../execute';
import { Op, Revert, TxStatus, type Call, type Tx } from '../tx';
import { fromWei } from '../venues/exact-math';
import { AgentCell, BURN, PROPOSER } from '../world';
import { xAddLiquidity, xCompoundForge, xForge, xRemoveLiquidity, xSwap } from './venues';

/** Gwei (float, at most 9 decimals) to wei. */
export function gweiToWei(gwei: number): bigint {
  return BigInt(Math.round(gwei * 1e9));
}

export function runExact(ex: Executor, tx: Tx): boolean {
  const w = ex.w;
  const L = w.ledger;
  const n = L.tokenCount;
  const sender = tx.sender;
  const nativeIdx = sender * n + w.native;
  const base = ex.free ? 0n : ex.baseFeeWei;
  const maxFee = gweiToWei(tx.maxFee);
  let prio = maxFee - base;
  const tip = gweiToWei(tx.priorityFee);
  if (tip < prio) prio = tip;
  const price = ex.free ? 0n : base + prio;
  const limit = BigInt(tx.gasLimit);
  if (!ex.free && L.exact!.bal[nativeIdx]! < limit * maxFee) {
    tx.status = TxStatus.Dropped;
    tx.revert = Revert.InsufficientFundsForGas;
    return false;
  }
  w.currentTx = tx.id;
  if (price !== 0n) L.xadd(nativeIdx, -limit * price);
  const journaled = L.journaling;
  if (tx.callCount > 1) L.journaling = true;
  const mark = L.mark();
  let gas = ex.intrinsic;
  let code = 0;
  let failed = -1;
  if (ex.block > tx.deadline) {
    code = Revert.Deadline;
    failed = 0;
    gas = Math.min(gas + ex.revertGas, tx.gasLimit);
  }
  for (let i = 0; code === 0 && i < tx.callCount; i++) {
    const call = tx.calls[i]!;
    const g = ex.gasByOp[call.op]! - ex.intrinsic;
    if (gas + g > tx.gasLimit) {
      code = Revert.OutOfGas;
      failed = i;
      gas = tx.gasLimit;
      break;
    }
    code = callExact(ex, call, sender, tx.agent);
    if (code !== 0) {
      failed = i;
      gas = Math.min(gas + ex.revertGas, tx.gasLimit);
      break;
    }
    if (ex.transfers !== null && ex.transfers.active) ex.callSettled(tx.agent, call);
    gas += g;
  }
  if (code !== 0) L.rollback(mark);
  L.journaling = journaled;
  if (!ex.free) {
    const used = BigInt(gas);
    if (price !== 0n) L.xadd(nativeIdx, (limit - used) * price);
    const burned = used * base;
    const tipped = used * prio;
    L.xadd(BURN * n + w.native, burned);
    L.xadd(PROPOSER * n + w.native, tipped);
    const cells = w.agentCells(tx.agent);
    L.add(cells + AgentCell.GasBaseUsd, fromWei(burned) * ex.nativeUsd);
    L.add(cells + AgentCell.GasPriorityUsd, fromWei(tipped) * ex.nativeUsd);
    tx.gasCostUsd = fromWei(burned + tipped) * ex.nativeUsd;
  }
  if (ex.transfers !== null && ex.transfers.active) ex.transfers.afterTx(tx.agent, !ex.free, tx);
  tx.status = code === 0 ? TxStatus.Included : TxStatus.Reverted;
  tx.revert = code as typeof tx.revert;
  tx.failedCall = failed;
  tx.gasUsed = ex.free ? 0 : gas;
  tx.effectivePriority = ex.free ? 0 : Number(prio) / 1e9;
  tx.baseFee = ex.free ? 0 : Number(base) / 1e9;
  tx.block = ex.block;
  tx.position = ex.position++;
  w.currentTx = -1;
  return true;
}

function callExact(ex: Executor, call: Call, sender: number, agent: number): number {
  const w = ex.w;
  const v = w.venues[call.venue];
  if (v === undefined) return Revert.UnsupportedCall;
  if (v.kind === 'cpmm') {
    switch (call.op) {
      case Op.Swap:
        return xSwap(w, v, sender, agent, call, false);
      case Op.SwapExactOut:
        return xSwap(w, v, sender, agent, call, true);
      case Op.AddLiquidity:
        return xAddLiquidity(w, v, sender, agent, call);
      case Op.RemoveLiquidity:
        return xRemoveLiquidity(w, v, sender, agent, call);
      case Op.Forge:
        return v.invariant ? xCompoundForge(w, v, sender, agent, call) : Revert.UnsupportedCall;
      default:
        return Revert.UnsupportedCall;
    }
  }
  return call.op === Op.Forge ? xForge(w, v, sender, agent, call) : Revert.UnsupportedCall;
}

/** EIP-1559 in integers, as clients compute it: ±(base·|used − target| / target / 8), at least +1 wei up. */
export function nextBaseFeeWei(base: bigint, used: number, gasLimit: number, elasticity: number, denominator: number): bigint {
  const target = BigInt(Math.floor(gasLimit / elasticity));
  const u = BigInt(Math.round(used));
  if (u === target || target === 0n) return base;
  const d = BigInt(denominator);
  if (u > target) {
    const delta = (base * (u - target)) / target / d;
    return base + (delta > 1n ? delta : 1n);
  }
  return base - (base * (target - u)) / target / d;
}
