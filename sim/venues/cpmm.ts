/**
 * Constant-product pool state and its calls (router + pair in one): quote with the pure math in
 * `cpmm-math`, check the caller's bound, move balances on the ledger, check the pool invariant.
 * Reserves are the pool account's balances; LP shares are a token. Each call returns a revert code
 * (0 = success) or throws a SimulationFault when the pool itself is broken (`CPMM_K`, NaN).
 */
import { SimulationFault } from '../errors';
import { Revert, type Call } from '../tx';
import type { World } from '../world';
import { AgentCell } from '../cells';
import * as m from './cpmm-math';

/**
 * Accounting cells per pool, offsets from `cells`. Fees and LVR accumulate as pool totals on each
 * swap; they are turned into per-share amounts (for attribution to LPs) only when the number of
 * shares is about to change — between such changes every share earns the same.
 */
export const enum PoolCell { FeesUsd = 0, LvrUsd = 1, VolumeUsd = 2, Swaps = 3, FeePerShare = 4, LvrPerShare = 5, FeesAtSync = 6, LvrAtSync = 7 }
export const POOL_CELLS = 8;

export class CpmmVenue {
  readonly kind = 'cpmm' as const;
  readonly phi: number;
  /** Ledger indices of the two reserves. */
  readonly r0: number;
  readonly r1: number;
  /** USD fee of the last float-mode swap (`accountSwap`), for the executor to tell the transfer ledger without pricing it again. */
  lastFeeUsd = 0;
  constructor(
    readonly id: string,
    readonly index: number,
    readonly account: number,
    readonly token0: number,
    readonly token1: number,
    readonly lpToken: number,
    /** Fee as a fraction of the input. */
    readonly fee: number,
    /** Compound forge: shares are 2√(x·y) (fee 0). */
    readonly invariant: boolean,
    tokenCount: number,
    /** First accounting cell (absolute ledger index). */
    readonly cells: number,
  ) {
    this.phi = 1 - fee;
    this.r0 = account * tokenCount + token0;
    this.r1 = account * tokenCount + token1;
  }
}

/** Shares outstanding: the LP token's supply, or 2√(x·y) for a compound pool. */
export function totalShares(w: World, p: CpmmVenue): number {
  const bal = w.ledger.bal;
  return p.invariant ? 2 * Math.sqrt(bal[p.r0]! * bal[p.r1]!) : w.ledger.supply[p.lpToken]!;
}

/** Check the pool's reserves x (token0) and y (token1) after a call, against x·y before it (`k0`). */
function checkPool(w: World, p: CpmmVenue, x: number, y: number, k0: number): void {
  if (!(x > 0 && y > 0 && x < Infinity && y < Infinity)) {
    throw new SimulationFault(x !== x || y !== y ? 'NAN' : 'NEGATIVE_RESERVE', w.block, w.currentTx, `pool ${p.id} reserves ${x}, ${y}`, { venue: p.id, reserve0: x, reserve1: y });
  }
  // With a fee k strictly grows; allow float rounding of a fee-free trade.
  if (x * y < k0 * (1 - 1e-12)) {
    throw new SimulationFault('CPMM_K', w.block, w.currentTx, `pool ${p.id}: x·y fell from ${k0} to ${x * y}`, { venue: p.id, before: k0, after: x * y });
  }
}

/** Stop the run: float64 cannot hold the result (x·y beyond 1.8e308 on the way to a square root). */
function overflow(w: World, p: CpmmVenue, what: string, a: number, b: number): never {
  throw new SimulationFault('OVERFLOW', w.block, w.currentTx, `pool ${p.id}: ${what} from ${a} and ${b} is beyond float64's range; use smaller units or numeric: exact`, { venue: p.id, amount0: a, amount1: b });
}

/**
 * Record one swap's fee — the pool's income, and the trader's `swapFees` — and loss-versus-rebalancing
 * (markout at reference prices, fee excluded), at the reference prices of the swap's block.
 */
export function accountSwap(w: World, p: CpmmVenue, agent: number, tokenIn: number, amountIn: number, tokenOut: number, amountOut: number): void {
  const L = w.ledger;
  const pin = w.markPrice(tokenIn);
  const pout = w.markPrice(tokenOut);
  const feeUsd = p.fee * amountIn * pin;
  p.lastFeeUsd = feeUsd;
  if (agent >= 0 && feeUsd !== 0) L.add(w.agentCells(agent) + AgentCell.SwapFeesUsd, feeUsd);
  const lvrUsd = amountOut * pout - p.phi * amountIn * pin;
  const c = p.cells;
  if (L.journaling) {
    L.add(c + PoolCell.FeesUsd, feeUsd);
    L.add(c + PoolCell.LvrUsd, lvrUsd);
    L.add(c + PoolCell.VolumeUsd, amountIn * pin);
    L.add(c + PoolCell.Swaps, 1);
    return;
  }
  // Nothing journals (a lone one-call transaction): the cells are written directly, as Ledger.add would.
  const bal = L.bal;
  bal[c + PoolCell.FeesUsd] = bal[c + PoolCell.FeesUsd]! + feeUsd;
  bal[c + PoolCell.LvrUsd] = bal[c + PoolCell.LvrUsd]! + lvrUsd;
  bal[c + PoolCell.VolumeUsd] = bal[c + PoolCell.VolumeUsd]! + amountIn * pin;
  bal[c + PoolCell.Swaps] = bal[c + PoolCell.Swaps]! + 1;
}

/**
 * A swap. `side` is the token paid. Exact input: a = amount in, boundA = min out. Exact output
 * (`exactOut`): a = amount out, boundA = max in. Quote, check the bound and the payer's balance,
 * then move the four balances and check the pool.
 */
export function swap(w: World, p: CpmmVenue, sender: number, agent: number, call: Call, exactOut: boolean): number {
  const given = call.a;
  if (!(given > 0 && given < Infinity)) return Revert.InvalidAmount;
  const L = w.ledger;
  const bal = L.bal;
  const n = L.tokenCount;
  const side0 = call.side === 0;
  const tin = side0 ? p.token0 : p.token1;
  const tout = side0 ? p.token1 : p.token0;
  const rin = side0 ? p.r0 : p.r1;
  const rout = side0 ? p.r1 : p.r0;
  const x = bal[rin]!;
  const y = bal[rout]!;
  if (!(x > 0 && y > 0)) return Revert.EmptyPool;
  let a: number;
  let out: number;
  if (exactOut) {
    out = given;
    if (!(out < y)) return Revert.InsufficientLiquidity;
    a = m.getAmountIn(out, x, y, p.phi);
    if (!(a <= call.boundA)) return Revert.ExcessiveInput;
  } else {
    a = given;
    out = m.getAmountOut(a, x, y, p.phi);
    // y·φa/(x + φa) is below y, but rounds to all of it when the reserve paid into is tiny beside
    // the amount: the pool would be emptied (an overflow to ∞ is a fault, checked with the pool).
    if (out >= y && out < Infinity) return Revert.InsufficientLiquidity;
    if (!(out >= call.boundA)) return Revert.Slippage;
  }
  const sin = sender * n + tin;
  if (bal[sin]! < a) return Revert.InsufficientBalance;
  const sout = sender * n + tout;
  if (L.journaling) {
    L.add(sin, -a);
    L.add(rin, a);
    L.add(rout, -out);
    L.add(sout, out);
  } else {
    bal[sin] = bal[sin]! - a;
    bal[rin] = x + a;
    bal[rout] = y - out;
    bal[sout] = bal[sout]! + out;
  }
  // The reserves now, as just written (the sender's cells are another account's): x + a and y − out.
  const xNew = x + a;
  const yNew = y - out;
  checkPool(w, p, side0 ? xNew : yNew, side0 ? yNew : xNew, x * y);
  call.outA = out;
  call.outB = a;
  accountSwap(w, p, agent, tin, a, tout, out);
  return Revert.None;
}

const deposit = new Float64Array(2);

/** Add liquidity: a, b desired; deposits the largest pair at the pool ratio (any mix for a compound pool); boundA = min shares. */
export function addLiquidity(w: World, p: CpmmVenue, sender: number, agent: number, call: Call): number {
  if (!(call.a >= 0 && call.b >= 0 && call.a + call.b > 0 && call.a < Infinity && call.b < Infinity)) return Revert.InvalidAmount;
  const L = w.ledger;
  const bal = L.bal;
  const n = L.tokenCount;
  const x = bal[p.r0]!;
  const y = bal[p.r1]!;
  let a0: number;
  let a1: number;
  let shares: number;
  if (p.invariant) {
    a0 = call.a;
    a1 = call.b;
    shares = m.invariantSharesMinted(a0, a1, x, y);
  } else {
    m.depositAmounts(call.a, call.b, x, y, deposit);
    a0 = deposit[0]!;
    a1 = deposit[1]!;
    shares = m.sharesMinted(a0, a1, x, y, L.supply[p.lpToken]!);
  }
  if (shares === Infinity) overflow(w, p, 'shares minted', a0, a1);
  if (!(shares > 0)) return Revert.InvalidAmount;
  if (!(shares >= call.boundA)) return Revert.Slippage;
  if (bal[sender * n + p.token0]! < a0 || bal[sender * n + p.token1]! < a1) return Revert.InsufficientBalance;
  w.settleLp(agent, p);
  L.add(sender * n + p.token0, -a0);
  L.add(sender * n + p.token1, -a1);
  L.add(p.r0, a0);
  L.add(p.r1, a1);
  L.mint(sender, p.lpToken, shares);
  call.outA = shares;
  call.outB = a0;
  call.outC = a1;
  return Revert.None;
}

/** Remove liquidity: a = shares burned, pro rata; boundA/boundB = min token0/token1 out. */
export function removeLiquidity(w: World, p: CpmmVenue, sender: number, agent: number, call: Call): number {
  const s = call.a;
  if (!(s > 0 && s < Infinity)) return Revert.InvalidAmount;
  const L = w.ledger;
  const bal = L.bal;
  const n = L.tokenCount;
  if (bal[sender * n + p.lpToken]! < s) return Revert.InsufficientBalance;
  const total = totalShares(w, p);
  if (!(s <= total)) return Revert.InsufficientLiquidity;
  const x = bal[p.r0]!;
  const y = bal[p.r1]!;
  const out0 = s === total ? x : m.amountForShares(s, x, total);
  const out1 = s === total ? y : m.amountForShares(s, y, total);
  if (!(out0 >= call.boundA && out1 >= call.boundB)) return Revert.Slippage;
  w.settleLp(agent, p);
  L.burn(sender, p.lpToken, s);
  L.add(p.r0, -out0);
  L.add(p.r1, -out1);
  L.add(sender * n + p.token0, out0);
  L.add(sender * n + p.token1, out1);
  call.outA = s;
  call.outB = out0;
  call.outC = out1;
  return Revert.None;
}

/**
 * Compound forge on a `shares: invariant` pool (Uniteum forge(V, du, dv)): the caller receives du of
 * token0 and dv of token1 (negative: deposits them) and W = 2·(√(x1·y1) − √(x0·y0)) with x1 = x − du,
 * y1 = y − dv (negative: burns W). boundA = min W received.
 */
export function compoundForge(w: World, p: CpmmVenue, sender: number, agent: number, call: Call): number {
  const du = call.a;
  const dv = call.b;
  if (!(Number.isFinite(du) && Number.isFinite(dv))) return Revert.InvalidAmount;
  const L = w.ledger;
  const bal = L.bal;
  const n = L.tokenCount;
  const x = bal[p.r0]!;
  const y = bal[p.r1]!;
  if (x - du < 0 || y - dv < 0) return Revert.InsufficientLiquidity;
  const dw = m.compoundForgeQuote(x, y, du, dv);
  if (!Number.isFinite(dw)) overflow(w, p, 'W forged', du, dv);
  if (!(dw >= call.boundA)) return Revert.Slippage;
  if ((du < 0 && bal[sender * n + p.token0]! < -du) || (dv < 0 && bal[sender * n + p.token1]! < -dv)) return Revert.InsufficientBalance;
  if (dw < 0 && bal[sender * n + p.lpToken]! < -dw) return Revert.InsufficientBalance;
  w.settleLp(agent, p);
  L.add(sender * n + p.token0, du);
  L.add(sender * n + p.token1, dv);
  L.add(p.r0, -du);
  L.add(p.r1, -dv);
  L.mint(sender, p.lpToken, dw);
  call.outA = du;
  call.outB = dv;
  call.outC = dw;
  return Revert.None;
}
