/**
 * Exact-integer venue math: amounts in wei (bigint, 18 decimals), floor division and floor integer
 * square root exactly as the contracts compute them, so results match the chain to the wei.
 *  - CPMM: Uniswap v2 `getAmountOut`/`getAmountIn` with the fee in pips (1e-6; 3000 = 0.3%,
 *    identical to v2's 997/1000), first mint √(a0·a1) − 1000 with the 1000 locked forever.
 *  - Triad: Uniteum `forgeQuote`: dw = k·(isqrt(u0·v0) − isqrt(u1·v1)).
 */

export const WEI = 10n ** 18n;
export const PIPS = 1_000_000n;
/** Uniswap v2 MINIMUM_LIQUIDITY: locked at the first mint. */
export const MINIMUM_LIQUIDITY = 1000n;

/** Floor square root of a non-negative bigint (Newton's method from a bit-length estimate). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('isqrt of a negative number');
  if (n < 2n) return n;
  let x = 1n << BigInt((n.toString(2).length + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** Decimal token amount ("1.5", "100", "-2.000000000000000001") to wei, exactly. */
export function parseUnits(text: string, decimals = 18): bigint {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new RangeError(`not a decimal amount: '${text}'`);
  const frac = m[3] ?? '';
  if (frac.length > decimals) throw new RangeError(`more than ${decimals} decimals: '${text}'`);
  const v = BigInt(m[2]!) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0');
  return m[1] ? -v : v;
}

/** Wei to a decimal string with no trailing zeros. */
export function formatUnits(wei: bigint, decimals = 18): string {
  const neg = wei < 0n;
  const a = neg ? -wei : wei;
  const base = 10n ** BigInt(decimals);
  const frac = (a % base).toString().padStart(decimals, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${a / base}${frac ? `.${frac}` : ''}`;
}

/** Nearest wei to a float amount (for agents that decide in floats). */
export function toWei(amount: number): bigint {
  if (!Number.isFinite(amount)) throw new RangeError(`not a finite amount: ${amount}`);
  const whole = Math.trunc(amount);
  return BigInt(whole) * WEI + BigInt(Math.round((amount - whole) * 1e18));
}

/** Wei to float token units (for valuation and agents' views). */
export function fromWei(wei: bigint): number {
  const whole = wei / WEI;
  return Number(whole) + Number(wei - whole * WEI) / 1e18;
}

export function getAmountOutExact(amountIn: bigint, reserveIn: bigint, reserveOut: bigint, feePips: bigint): bigint {
  const inWithFee = amountIn * (PIPS - feePips);
  return (inWithFee * reserveOut) / (reserveIn * PIPS + inWithFee);
}

export function getAmountInExact(amountOut: bigint, reserveIn: bigint, reserveOut: bigint, feePips: bigint): bigint {
  return (reserveIn * amountOut * PIPS) / ((reserveOut - amountOut) * (PIPS - feePips)) + 1n;
}

/** Shares minted: √(a0·a1) − MINIMUM_LIQUIDITY on the first deposit, else the pro-rata minimum. */
export function sharesMintedExact(amount0: bigint, amount1: bigint, reserve0: bigint, reserve1: bigint, totalShares: bigint): bigint {
  if (totalShares === 0n) return isqrt(amount0 * amount1) - MINIMUM_LIQUIDITY;
  const s0 = (amount0 * totalShares) / reserve0;
  const s1 = (amount1 * totalShares) / reserve1;
  return s0 < s1 ? s0 : s1;
}

export function amountForSharesExact(shares: bigint, reserve: bigint, totalShares: bigint): bigint {
  return (shares * reserve) / totalShares;
}

/** Compound forge: W minted for depositing (a0, a1) (negative: withdrawing) = 2·(isqrt(x1·y1) − isqrt(x0·y0)). */
export function invariantSharesMintedExact(amount0: bigint, amount1: bigint, reserve0: bigint, reserve1: bigint): bigint {
  return 2n * (isqrt((reserve0 + amount0) * (reserve1 + amount1)) - isqrt(reserve0 * reserve1));
}

/** Uniteum forgeQuote: k·(isqrt(u·v) − isqrt((u+du)·(v+dv))). Caller checks supplies stay ≥ 0. */
export function forgeQuoteExact(u: bigint, v: bigint, du: bigint, dv: bigint, k: bigint): bigint {
  return k * (isqrt(u * v) - isqrt((u + du) * (v + dv)));
}
