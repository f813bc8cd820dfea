/**
 * One math interface, two number systems: float64 for research runs, bigint wei for results that must
 * match the chain to the unit. Tests run the same tables through both.
 */
import * as f from './cpmm-math';
import * as t from './triad-math';
import * as x from './exact-math';

export interface VenueMath<T> {
  readonly name: 'float' | 'exact';
  /** A decimal token amount ("2.5") in this number system. */
  units(text: string): T;
  toNumber(value: T): number;
  getAmountOut(amountIn: T, reserveIn: T, reserveOut: T, feePips: number): T;
  getAmountIn(amountOut: T, reserveIn: T, reserveOut: T, feePips: number): T;
  sharesMinted(amount0: T, amount1: T, reserve0: T, reserve1: T, totalShares: T): T;
  invariantSharesMinted(amount0: T, amount1: T, reserve0: T, reserve1: T): T;
  amountForShares(shares: T, reserve: T, totalShares: T): T;
  forgeQuote(u: T, v: T, du: T, dv: T, k: 1 | 2): T;
}

export const floatMath: VenueMath<number> = {
  name: 'float',
  units: (text) => Number(text),
  toNumber: (v) => v,
  getAmountOut: (a, rin, rout, fee) => f.getAmountOut(a, rin, rout, 1 - fee / 1e6),
  getAmountIn: (a, rin, rout, fee) => f.getAmountIn(a, rin, rout, 1 - fee / 1e6),
  sharesMinted: f.sharesMinted,
  invariantSharesMinted: f.invariantSharesMinted,
  amountForShares: f.amountForShares,
  forgeQuote: t.forgeQuote,
};

export const exactMath: VenueMath<bigint> = {
  name: 'exact',
  units: (text) => x.parseUnits(text),
  toNumber: x.fromWei,
  getAmountOut: (a, rin, rout, fee) => x.getAmountOutExact(a, rin, rout, BigInt(fee)),
  getAmountIn: (a, rin, rout, fee) => x.getAmountInExact(a, rin, rout, BigInt(fee)),
  sharesMinted: x.sharesMintedExact,
  invariantSharesMinted: x.invariantSharesMintedExact,
  amountForShares: x.amountForSharesExact,
  forgeQuote: (u, v, du, dv, k) => x.forgeQuoteExact(u, v, du, dv, BigInt(k)),
};
