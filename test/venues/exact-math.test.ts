/**
 * Exact-integer (wei) venue math. CPMM expectations come from Uniswap v2's own constants (997/1000)
 * and its published test vectors (v2-core UniswapV2Pair.spec, v2-periphery router spec), not from
 * the pips code under test.
 */
import { describe, expect, it } from 'vitest';
import {
  MINIMUM_LIQUIDITY,
  WEI,
  amountForSharesExact,
  forgeQuoteExact,
  formatUnits,
  fromWei,
  getAmountInExact,
  getAmountOutExact,
  invariantSharesMintedExact,
  isqrt,
  parseUnits,
  sharesMintedExact,
  toWei,
} from '../../sim/venues/exact-math';

const e18 = (n: bigint | number): bigint => BigInt(n) * WEI;

/** Uniswap v2 getAmountOut, written with the library's 997/1000 constants. */
const v2Out = (a: bigint, rin: bigint, rout: bigint): bigint => (a * 997n * rout) / (rin * 1000n + a * 997n);

describe('isqrt', () => {
  const roots = [1n, 2n, 3n, 10n, 255n, 256n, 65535n, 10n ** 9n, 10n ** 18n + 7n, (1n << 64n) - 1n, 1n << 100n, 3n ** 80n];
  it.each(roots)('is exact on %d² and its neighbours', (r) => {
    expect(isqrt(r * r)).toBe(r);
    expect(isqrt(r * r - 1n)).toBe(r - 1n);
    expect(isqrt(r * r + 1n)).toBe(r);
    expect(isqrt((r + 1n) * (r + 1n) - 1n)).toBe(r);
  });

  it('handles 0, 1, 2, 3 and 2^200', () => {
    expect(isqrt(0n)).toBe(0n);
    expect(isqrt(1n)).toBe(1n);
    expect(isqrt(2n)).toBe(1n);
    expect(isqrt(3n)).toBe(1n);
    expect(isqrt(1n << 200n)).toBe(1n << 100n);
    expect(isqrt(1n << 201n)).toBe(1792728671193156477399422023278n); // floor(2^100·√2)
  });

  it('floors √2·10^36 to the first 19 digits of √2', () => {
    expect(isqrt(2n * 10n ** 36n)).toBe(1414213562373095048n);
  });

  it('throws a RangeError on a negative number', () => {
    expect(() => isqrt(-1n)).toThrow(RangeError);
  });
});

describe('parseUnits and formatUnits', () => {
  const pairs: Array<[string, bigint, number]> = [
    ['1.5', 1_500_000_000_000_000_000n, 18],
    ['100', 100n * 10n ** 18n, 18],
    ['0', 0n, 18],
    ['0.000000000000000001', 1n, 18],
    ['-2.000000000000000001', -2_000_000_000_000_000_001n, 18],
    ['123456789.123456789123456789', 123_456_789_123_456_789_123_456_789n, 18],
    ['1.5', 1_500_000n, 6],
    ['-0.000001', -1n, 6],
    ['42', 42n, 0],
  ];
  it.each(pairs)('"%s" is %d wei at %d decimals, and back', (text, wei, decimals) => {
    expect(parseUnits(text, decimals)).toBe(wei);
    expect(formatUnits(wei, decimals)).toBe(text);
  });

  it('formats without trailing zeros and parses padded input', () => {
    expect(formatUnits(2_500_000_000_000_000_000n)).toBe('2.5');
    expect(parseUnits('2.50')).toBe(2_500_000_000_000_000_000n);
    expect(parseUnits(' 7 ')).toBe(7n * WEI);
  });

  it.each(['', '1.', '.5', 'abc', '1e18', '+1', '--1', '1.2.3', '1,5'])('rejects "%s"', (text) => {
    expect(() => parseUnits(text)).toThrow(RangeError);
  });

  it('rejects one decimal more than the token has, accepts exactly as many', () => {
    expect(parseUnits('1.000000000000000001')).toBe(WEI + 1n);
    expect(() => parseUnits('1.0000000000000000001')).toThrow(RangeError);
    expect(parseUnits('1.000001', 6)).toBe(1_000_001n);
    expect(() => parseUnits('1.0000001', 6)).toThrow(RangeError);
  });

  it('toWei and fromWei convert round floats exactly', () => {
    expect(toWei(1.5)).toBe(1_500_000_000_000_000_000n);
    expect(toWei(-2.25)).toBe(-2_250_000_000_000_000_000n);
    expect(toWei(0.1)).toBe(100_000_000_000_000_000n);
    expect(toWei(1e6)).toBe(10n ** 24n);
    expect(fromWei(1_500_000_000_000_000_000n)).toBe(1.5);
    expect(fromWei(-2_250_000_000_000_000_000n)).toBe(-2.25);
    expect(fromWei(1n)).toBe(1e-18);
    expect(fromWei(10n ** 30n)).toBe(1e12);
  });

  it('toWei rounds to the nearest wei', () => {
    expect(toWei(6e-19)).toBe(1n);
    expect(toWei(4e-19)).toBe(0n);
    expect(toWei(-6e-19)).toBe(-1n);
  });

  it('toWei rejects non-finite amounts', () => {
    expect(() => toWei(Number.NaN)).toThrow(RangeError);
    expect(() => toWei(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('getAmountOutExact (Uniswap v2, fee 3000 pips = 997/1000)', () => {
  // v2-core UniswapV2Pair.spec swapTestCases: [swapAmount, reserveIn, reserveOut, expectedOut]
  const v2Vectors: Array<[bigint, bigint, bigint, bigint]> = [
    [e18(1), e18(5), e18(10), 1662497915624478906n],
    [e18(1), e18(10), e18(5), 453305446940074565n],
    [e18(2), e18(5), e18(10), 2851015155847869602n],
    [e18(2), e18(10), e18(5), 831248957812239453n],
    [e18(1), e18(10), e18(10), 906610893880149131n],
    [e18(1), e18(100), e18(100), 987158034397061298n],
    [e18(1), e18(1000), e18(1000), 996006981039903216n],
    [2n, 100n, 100n, 1n], // v2-periphery router spec getAmountOut
  ];
  it.each(v2Vectors)('reproduces the v2 test vector %d into (%d, %d) -> %d', (a, rin, rout, expected) => {
    expect(getAmountOutExact(a, rin, rout, 3000n)).toBe(expected);
  });

  const cases: Array<[bigint, bigint, bigint]> = [
    [1n, 1000n, 1000n],
    [1000n, 1000n, 1000n],
    [e18(1), e18(1000), e18(2_000_000)],
    [123_456_789n, 10n ** 20n, 10n ** 24n],
    [10n ** 30n, 10n ** 30n, 10n ** 30n],
    [10n ** 40n, 3n, 10n ** 20n],
    [e18(6978), e18(2_000_000), e18(1000)],
  ];
  it.each(cases)('matches amountIn·997·reserveOut / (reserveIn·1000 + amountIn·997) for %d into (%d, %d)', (a, rin, rout) => {
    expect(getAmountOutExact(a, rin, rout, 3000n)).toBe(v2Out(a, rin, rout));
  });

  it('1000 wei into (1000, 1000) gives 499 wei (997000000 / 1997000, floored)', () => {
    expect(getAmountOutExact(1000n, 1000n, 1000n, 3000n)).toBe(499n);
  });

  it.each(cases)('with no fee it is floor(a·R/(r + a)) for %d into (%d, %d)', (a, rin, rout) => {
    expect(getAmountOutExact(a, rin, rout, 0n)).toBe((a * rout) / (rin + a));
  });

  it('with 500 pips it uses 9995/10000', () => {
    const [a, rin, rout] = [e18(3), e18(77), e18(1234)];
    expect(getAmountOutExact(a, rin, rout, 500n)).toBe((a * 9995n * rout) / (rin * 10000n + a * 9995n));
  });
});

describe('getAmountInExact (Uniswap v2)', () => {
  it('reproduces the v2 router vector getAmountIn(1, 100, 100) = 2', () => {
    expect(getAmountInExact(1n, 100n, 100n, 3000n)).toBe(2n);
  });

  // [amountOut, reserveIn, reserveOut]; reserveIn·out·1000 is not a multiple of (reserveOut − out)·997.
  const cases: Array<[bigint, bigint, bigint]> = [
    [1n, 100n, 100n],
    [1662497915624478906n, e18(5), e18(10)],
    [e18(3), e18(1000), e18(2_000_000)],
    [e18(1000), e18(2_000_000), e18(1000) + 1n],
    [e18(1_999_999), e18(1000), e18(2_000_000)],
    [7n, 10n ** 24n, 10n ** 6n],
  ];
  it.each(cases)('paying the quote for %d out of (%d, %d) suffices and one wei less does not', (out, rin, rout) => {
    expect((rin * out * 1000n) % ((rout - out) * 997n)).not.toBe(0n);
    const a = getAmountInExact(out, rin, rout, 3000n);
    expect(v2Out(a, rin, rout)).toBeGreaterThanOrEqual(out);
    expect(v2Out(a - 1n, rin, rout)).toBeLessThan(out);
  });

  it('like v2 (floor + 1), it overpays by one wei when the division is exact', () => {
    // 994009·1·1000 / ((998 − 1)·997) = 1000 exactly: paying 1000 already yields 1.
    const [out, rin, rout] = [1n, 997n * 997n, 998n];
    expect(getAmountInExact(out, rin, rout, 3000n)).toBe(1001n);
    expect(v2Out(1000n, rin, rout)).toBe(1n);
  });
});

describe('LP shares', () => {
  it('the first mint locks MINIMUM_LIQUIDITY: 1 and 4 tokens mint 2 − 1000 wei (v2-core mint test)', () => {
    expect(MINIMUM_LIQUIDITY).toBe(1000n);
    expect(sharesMintedExact(e18(1), e18(4), 0n, 0n, 0n)).toBe(1999999999999999000n);
  });

  it('later mints are the floored pro-rata minimum', () => {
    // 10/1000 of 1e21 shares = 1e19; 30000/2e6 would be 1.5e19 → the minimum wins.
    expect(sharesMintedExact(e18(10), e18(30_000), e18(1000), e18(2_000_000), 10n ** 21n)).toBe(10n ** 19n);
    expect(sharesMintedExact(1n, 1n, 3n, 3n, 10n)).toBe(3n); // floor(10/3)
  });

  it('amountForSharesExact floors the pro-rata slice', () => {
    expect(amountForSharesExact(1n, 3n, 7n)).toBe(0n);
    expect(amountForSharesExact(5n, 3n, 7n)).toBe(2n);
    expect(amountForSharesExact(e18(25), e18(1000), e18(100))).toBe(e18(250));
  });

  it('invariantSharesMintedExact mints 2·Δ√(x·y), floored per square root', () => {
    expect(invariantSharesMintedExact(e18(125), e18(500), e18(100), e18(400))).toBe(e18(500));
    expect(invariantSharesMintedExact(e18(-75), e18(-300), e18(100), e18(400))).toBe(e18(-300));
    expect(invariantSharesMintedExact(1n, 1n, 0n, 1n)).toBe(2n); // 2·(isqrt(2) − 0)
  });
});

describe('forgeQuoteExact', () => {
  const empty: Array<[bigint, bigint, bigint]> = [
    // [a, b, isqrt(a·b) worked by hand]
    [e18(100), e18(100), e18(100)],
    [e18(4), e18(9), e18(6)],
    [2n, 8n, 4n],
    [3n, 1n, 1n],
    [e18(1), e18(2), 1414213562373095048n],
    [0n, e18(5), 0n],
  ];
  it.each(empty)('from an empty floating triad, forge(%d, %d) costs exactly 2·%d', (a, b, root) => {
    expect(forgeQuoteExact(0n, 0n, a, b, 2n)).toBe(-2n * root);
    expect(forgeQuoteExact(0n, 0n, a, b, 1n)).toBe(-root);
  });

  it('liquidating the whole supply returns k·isqrt(u·v)', () => {
    expect(forgeQuoteExact(e18(100), e18(400), e18(-100), e18(-400), 2n)).toBe(e18(400));
  });
});
