/**
 * The venue calls in exact-integer mode: the same semantics as venues/cpmm.ts and venues/triad.ts,
 * computed in wei with the contracts' floor division and floor square root (Uniswap v2 pair and
 * router; Uniteum forge). Reads and writes the ledger's exact book; accounting stays in floats.
 */
import { SimulationFault } from '../errors';
import { Revert, type Call } from '../tx';
import { BURN, type World } from '../world';
import { accountSwap, type CpmmVenue } from '../venues/cpmm';
import type { TriadVenue } from '../venues/triad';
import {
  MINIMUM_LIQUIDITY,
  amountForSharesExact,
  forgeQuoteExact,
  fromWei,
  getAmountInExact,
  getAmountOutExact,
  invariantSharesMintedExact,
  isqrt,
  sharesMintedExact,
  toWei,
} from '../venues/exact-math';

/** A call amount in wei: its exact override, else the float amount rounded to the wei (null if infinite). */
export function callAmountWei(exact: bigint | null, value: number): bigint | null {
  if (exact !== null) return exact;
  return Number.isFinite(value) ? toWei(value) : null;
}

/** Fee in pips (1e-6); exact mode needs a whole number of pips. */
export function feePips(p: CpmmVenue): bigint {
  return BigInt(Math.round(p.fee * 1e6));
}

function reserves(w: World, p: CpmmVenue): [bigint, bigint] {
  const x = w.ledger.exact!.bal;
  return [x[p.r0]!, x[p.r1]!];
}

function checkK(w: World, p: CpmmVenue, k0: bigint): void {
  const [x, y] = reserves(w, p);
  if (x * y < k0) throw new SimulationFault('CPMM_K', w.block, w.currentTx, `pool ${p.id}: x·y fell from ${k0} to ${x * y} wei²`, { venue: p.id });
}

/** A swap in wei (see `swap` in venues/cpmm.ts): exact input, or exact output with `exactOut`. */
export function xSwap(w: World, p: CpmmVenue, sender: number, agent: number, call: Call, exactOut: boolean): number {
  const given = callAmountWei(call.xa, call.a);
  if (given === null || given <= 0n) return Revert.InvalidAmount;
  const L = w.ledger;
  const n = L.tokenCount;
  const tin = call.side === 0 ? p.token0 : p.token1;
  const tout = call.side === 0 ? p.token1 : p.token0;
  const rin = call.side === 0 ? p.r0 : p.r1;
  const rout = call.side === 0 ? p.r1 : p.r0;
  const bal = L.exact!.bal;
  const x = bal[rin]!;
  const y = bal[rout]!;
  if (x <= 0n || y <= 0n) return Revert.EmptyPool;
  const bound = callAmountWei(call.xboundA, call.boundA);
  let a: bigint;
  let out: bigint;
  if (exactOut) {
    out = given;
    if (out >= y) return Revert.InsufficientLiquidity;
    a = getAmountInExact(out, x, y, feePips(p));
    if (bound !== null && a > bound) return Revert.ExcessiveInput;
  } else {
    a = given;
    out = getAmountOutExact(a, x, y, feePips(p));
    // Uniswap v2 reverts INSUFFICIENT_OUTPUT_AMOUNT on a zero output.
    if (out <= 0n) return Revert.InsufficientLiquidity;
    if (bound !== null && out < bound) return Revert.Slippage;
  }
  if (bal[sender * n + tin]! < a) return Revert.InsufficientBalance;
  L.xadd(sender * n + tin, -a);
  L.xadd(rin, a);
  L.xadd(rout, -out);
  L.xadd(sender * n + tout, out);
  checkK(w, p, x * y);
  call.xoutA = out;
  call.outA = fromWei(out);
  call.xoutB = a;
  call.outB = fromWei(a);
  accountSwap(w, p, agent, tin, call.outB, tout, call.outA);
  return Revert.None;
}

export function xAddLiquidity(w: World, p: CpmmVenue, sender: number, agent: number, call: Call): number {
  const da = callAmountWei(call.xa, call.a);
  const db = callAmountWei(call.xb, call.b);
  if (da === null || db === null || da < 0n || db < 0n || da + db === 0n) return Revert.InvalidAmount;
  const L = w.ledger;
  const n = L.tokenCount;
  const [x, y] = reserves(w, p);
  const supply = L.exact!.supply[p.lpToken]!;
  let a0 = da;
  let a1 = db;
  let shares: bigint;
  if (p.invariant) shares = invariantSharesMintedExact(a0, a1, x, y);
  else {
    // Router: the largest pair at the pool ratio (UniswapV2Library.quote, floor).
    if (x > 0n || y > 0n) {
      const b = (da * y) / x;
      if (b <= db) a1 = b;
      else a0 = (db * x) / y;
    }
    shares = sharesMintedExact(a0, a1, x, y, supply);
  }
  if (shares <= 0n) return Revert.InvalidAmount;
  const min = callAmountWei(call.xboundA, call.boundA);
  if (min !== null && shares < min) return Revert.Slippage;
  const bal = L.exact!.bal;
  if (bal[sender * n + p.token0]! < a0 || bal[sender * n + p.token1]! < a1) return Revert.InsufficientBalance;
  w.settleLp(agent, p);
  L.xadd(sender * n + p.token0, -a0);
  L.xadd(sender * n + p.token1, -a1);
  L.xadd(p.r0, a0);
  L.xadd(p.r1, a1);
  // Uniswap v2 locks the first MINIMUM_LIQUIDITY shares forever.
  if (!p.invariant && supply === 0n) L.xmint(BURN, p.lpToken, MINIMUM_LIQUIDITY);
  L.xmint(sender, p.lpToken, shares);
  call.xoutA = shares;
  call.outA = fromWei(shares);
  call.xoutB = a0;
  call.outB = fromWei(a0);
  call.xoutC = a1;
  call.outC = fromWei(a1);
  return Revert.None;
}

export function xRemoveLiquidity(w: World, p: CpmmVenue, sender: number, agent: number, call: Call): number {
  const s = callAmountWei(call.xa, call.a);
  if (s === null || s <= 0n) return Revert.InvalidAmount;
  const L = w.ledger;
  const n = L.tokenCount;
  const bal = L.exact!.bal;
  if (bal[sender * n + p.lpToken]! < s) return Revert.InsufficientBalance;
  const [x, y] = reserves(w, p);
  const total = p.invariant ? 2n * isqrt(x * y) : L.exact!.supply[p.lpToken]!;
  if (s > total) return Revert.InsufficientLiquidity;
  const out0 = amountForSharesExact(s, x, total);
  const out1 = amountForSharesExact(s, y, total);
  if (out0 <= 0n || out1 <= 0n) return Revert.InsufficientLiquidity;
  const min0 = callAmountWei(call.xboundA, call.boundA);
  const min1 = callAmountWei(call.xboundB, call.boundB);
  if ((min0 !== null && out0 < min0) || (min1 !== null && out1 < min1)) return Revert.Slippage;
  w.settleLp(agent, p);
  L.xmint(sender, p.lpToken, -s);
  L.xadd(p.r0, -out0);
  L.xadd(p.r1, -out1);
  L.xadd(sender * n + p.token0, out0);
  L.xadd(sender * n + p.token1, out1);
  call.xoutA = s;
  call.outA = fromWei(s);
  call.xoutB = out0;
  call.outB = fromWei(out0);
  call.xoutC = out1;
  call.outC = fromWei(out1);
  return Revert.None;
}

export function xCompoundForge(w: World, p: CpmmVenue, sender: number, agent: number, call: Call): number {
  const du = callAmountWei(call.xa, call.a);
  const dv = callAmountWei(call.xb, call.b);
  if (du === null || dv === null) return Revert.InvalidAmount;
  const L = w.ledger;
  const n = L.tokenCount;
  const [x, y] = reserves(w, p);
  if (x - du < 0n || y - dv < 0n) return Revert.InsufficientLiquidity;
  const dw = 2n * (isqrt((x - du) * (y - dv)) - isqrt(x * y));
  const min = callAmountWei(call.xboundA, call.boundA);
  if (min !== null && dw < min) return Revert.Slippage;
  const bal = L.exact!.bal;
  if ((du < 0n && bal[sender * n + p.token0]! < -du) || (dv < 0n && bal[sender * n + p.token1]! < -dv)) return Revert.InsufficientBalance;
  if (dw < 0n && bal[sender * n + p.lpToken]! < -dw) return Revert.InsufficientBalance;
  w.settleLp(agent, p);
  L.xadd(sender * n + p.token0, du);
  L.xadd(sender * n + p.token1, dv);
  L.xadd(p.r0, -du);
  L.xadd(p.r1, -dv);
  L.xmint(sender, p.lpToken, dw);
  call.xoutA = du;
  call.outA = fromWei(du);
  call.xoutB = dv;
  call.outB = fromWei(dv);
  call.xoutC = dw;
  call.outC = fromWei(dw);
  return Revert.None;
}

export function xForge(w: World, t: TriadVenue, sender: number, agent: number, call: Call): number {
  const du = callAmountWei(call.xa, call.a);
  const dv = callAmountWei(call.xb, call.b);
  if (du === null || dv === null) return Revert.InvalidAmount;
  const L = w.ledger;
  const n = L.tokenCount;
  const x = L.exact!;
  const u = x.supply[t.unit]!;
  const v = x.supply[t.reciprocal]!;
  if (u + du < 0n || v + dv < 0n) return Revert.TriadNegativeSupply;
  const dw = forgeQuoteExact(u, v, du, dv, BigInt(t.k));
  const min = callAmountWei(call.xboundA, call.boundA);
  if (t.isProtected && min !== null && dw < min) return Revert.TriadSlippage;
  const base = sender * n;
  if (du < 0n && x.bal[base + t.unit]! < -du) return Revert.InsufficientBalance;
  if (dv < 0n && x.bal[base + t.reciprocal]! < -dv) return Revert.InsufficientBalance;
  if (dw < 0n && x.bal[base + t.one]! < -dw) return Revert.InsufficientBalance;
  if (t.anchor >= 0 && du > 0n && x.bal[base + t.anchor]! < du) return Revert.InsufficientBalance;
  if (du !== 0n) L.xmint(sender, t.unit, du);
  if (dv !== 0n) L.xmint(sender, t.reciprocal, dv);
  if (dw !== 0n) L.xmint(sender, t.one, dw);
  if (t.anchor >= 0 && du !== 0n) L.xtransfer(sender, t.custody, t.anchor, du);
  call.xoutA = du;
  call.outA = fromWei(du);
  call.xoutB = dv;
  call.outB = fromWei(dv);
  call.xoutC = dw;
  call.outC = fromWei(dw);
  return Revert.None;
}
