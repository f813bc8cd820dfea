/**
 * Float CPMM math against exact algebra and VALIDATION.md V1.
 * Expected values are either the published V1 literals (checked to their printed precision) or the
 * same closed forms evaluated independently with 50-digit decimal arithmetic (checked to 1e-9).
 */
import { describe, expect, it } from 'vitest';
import {
  amountForShares,
  depositAmounts,
  getAmountIn,
  getAmountOut,
  invariantSharesMinted,
  optimalArbitrageInput,
  sharesMinted,
  spotPrice,
} from '../../sim/venues/cpmm-math';

function expectRel(actual: number, expected: number, tol = 1e-9): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
  expect(err, `${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

/** |actual − published| within half a unit of the published literal's last printed digit. */
function expectPrinted(actual: number, literal: string): void {
  const decimals = literal.split('.')[1]?.length ?? 0;
  expect(Math.abs(actual - Number(literal)), `${actual} vs ${literal}`).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
}

// V1 pool: 1000 ETH (token0), 2,000,000 USDC (token1).
const X = 1000;
const Y = 2_000_000;

/** Profit in USDC of an arbitrage that pays `dy` USDC for ETH and sells the ETH at `price`. */
function buyProfit(dy: number, price: number, phi: number): number {
  return getAmountOut(dy, Y, X, phi) * price - dy;
}
/** Profit in USDC of an arbitrage that buys `dx` ETH at `price` and sells it into the pool. */
function sellProfit(dx: number, price: number, phi: number): number {
  return getAmountOut(dx, X, Y, phi) - dx * price;
}

describe('getAmountOut and getAmountIn', () => {
  const outCases: Array<[string, number, number, number, number, number]> = [
    // [name, amountIn, reserveIn, reserveOut, phi, expected out]
    ['fee-free balanced pool halves a pool-sized trade', 1000, 1000, 1000, 1, 500],
    ['fee-free 3x trade leaves a quarter', 3000, 1000, 2000, 1, 1500],
    ['1 ETH into the V1 pool at 0.3%', 1, X, Y, 0.997, 1992.013962079806432986],
    ['odd reserves at 0.3%', 5.5, 123.456, 789.01, 0.997, 33.554778287491420394],
  ];
  it.each(outCases)('getAmountOut: %s', (_name, a, rin, rout, phi, expected) => {
    expectRel(getAmountOut(a, rin, rout, phi), expected);
  });

  it.each(outCases)('getAmountIn inverts getAmountOut: %s', (_name, a, rin, rout, phi) => {
    const out = getAmountOut(a, rin, rout, phi);
    expectRel(getAmountIn(out, rin, rout, phi), a, 1e-12);
  });

  it('getAmountIn of a fee-free half-pool output is the whole reserve', () => {
    expectRel(getAmountIn(500, 1000, 1000, 1), 1000, 1e-15);
  });

  it('a fee makes the input dearer by exactly 1/phi', () => {
    expectRel(getAmountIn(500, 1000, 1000, 0.997) * 0.997, 1000, 1e-15);
  });

  it('spot price is reserve1 / reserve0', () => {
    expect(spotPrice(X, Y)).toBe(2000);
  });
});

describe('optimal CEX-pool arbitrage (VALIDATION V1)', () => {
  it('the no-trade band at 0.3% is [1994.00, 2006.02]', () => {
    const phi = 0.997;
    const lo = (phi * Y) / X;
    const hi = Y / (phi * X);
    expectPrinted(lo, '1994.00');
    expectPrinted(hi, '2006.02');
    for (const p of [lo, hi, 1994.5, 2000, 2006]) expect(optimalArbitrageInput(X, Y, p, phi)).toBe(0);
    // Just outside the band the arbitrage switches on, in the right direction.
    expect(optimalArbitrageInput(X, Y, hi * (1 + 1e-9), phi)).toBeGreaterThan(0);
    expect(optimalArbitrageInput(X, Y, lo * (1 - 1e-9), phi)).toBeLessThan(0);
  });

  it('with no fee the band collapses to the spot price', () => {
    expect(optimalArbitrageInput(X, Y, 2000, 1)).toBe(0);
    expect(optimalArbitrageInput(X, Y, 2000.000001, 1)).toBeGreaterThan(0);
    expect(optimalArbitrageInput(X, Y, 1999.999999, 1)).toBeLessThan(0);
  });

  type BuyCase = { name: string; phi: number; price: number; dy: [string, number]; out: [string, number]; profit: [string, number] };
  const buys: BuyCase[] = [
    {
      name: 'P = 2020, fee 0.3%',
      phi: 0.997,
      price: 2020,
      dy: ['6978.8334', 6978.8334178745639464753933928654],
      out: ['3.466887', 3.4668873364544424090906545315715],
      profit: ['24.2790', 24.279001763409719887728760909107],
    },
    {
      name: 'P = 2020, no fee (one-block LVR)',
      phi: 1,
      price: 2020,
      dy: ['9975.1242', 9975.1242241780540438529825519152],
      out: ['4.962810', 4.9628097900108643347262462614281],
      profit: ['49.7516', 49.751551643891912294034896169525],
    },
  ];
  it.each(buys)('pool cheap, $name: pays the published USDC, receives the published ETH and profit', (c) => {
    const dy = optimalArbitrageInput(X, Y, c.price, c.phi);
    const out = getAmountOut(dy, Y, X, c.phi);
    const profit = out * c.price - dy;
    expectPrinted(dy, c.dy[0]);
    expectPrinted(out, c.out[0]);
    expectPrinted(profit, c.profit[0]);
    expectRel(dy, c.dy[1]);
    expectRel(out, c.out[1]);
    expectRel(profit, c.profit[1]);
  });

  it('pool dear, P = 1980, fee 0.3%: sells 3.539745 ETH for 24.7346 USDC profit', () => {
    const price = 1980;
    const signed = optimalArbitrageInput(X, Y, price, 0.997);
    expect(signed).toBeLessThan(0);
    const dx = -signed;
    const profit = sellProfit(dx, price, 0.997);
    expectPrinted(dx, '3.539745');
    expectPrinted(profit, '24.7346');
    expectRel(dx, 3.5397454058105135246782477853200);
    expectRel(profit, 24.734572127778678984269161306263);
    expectRel(getAmountOut(dx, X, Y, 0.997), 7033.4304756325954578471997762398);
  });

  const optimumCases: Array<[string, number, number]> = [
    ['buy, 0.3%, P = 2020', 2020, 0.997],
    ['buy, no fee, P = 2020', 2020, 1],
    ['buy, 1%, P = 2500', 2500, 0.99],
    ['sell, 0.3%, P = 1980', 1980, 0.997],
    ['sell, 0.05%, P = 1500', 1500, 0.9995],
  ];
  it.each(optimumCases)('the optimum is a true maximum by brute force: %s', (_name, price, phi) => {
    const signed = optimalArbitrageInput(X, Y, price, phi);
    const profit = signed > 0 ? (s: number) => buyProfit(s, price, phi) : (s: number) => sellProfit(s, price, phi);
    const best = Math.abs(signed);
    const atBest = profit(best);
    expect(atBest).toBeGreaterThan(0);
    // Profit is lower on both sides, near and far.
    for (const eps of [1e-3, 1e-2, 0.1, 0.5]) {
      expect(profit(best * (1 - eps))).toBeLessThan(atBest);
      expect(profit(best * (1 + eps))).toBeLessThan(atBest);
    }
    // A grid scan over [0, 3·best] peaks within one grid step of the optimum.
    const steps = 3000;
    let argmax = 0;
    let max = -Infinity;
    for (let i = 0; i <= steps; i++) {
      const s = (3 * best * i) / steps;
      const p = profit(s);
      if (p > max) {
        max = p;
        argmax = s;
      }
    }
    expect(Math.abs(argmax - best)).toBeLessThanOrEqual((3 * best) / steps);
    expect(max).toBeLessThanOrEqual(atBest);
  });
});

describe('liquidity', () => {
  it('depositAmounts takes both desired amounts into an empty pool', () => {
    const out = new Float64Array(2);
    depositAmounts(3, 7, 0, 0, out);
    expect([...out]).toEqual([3, 7]);
  });

  const depositCases: Array<[string, number, number, number, number]> = [
    // [name, desired0, desired1, expected0, expected1] into the V1 pool (ratio 2000)
    ['token1 in excess is trimmed to the ratio', 10, 30_000, 10, 20_000],
    ['token0 in excess is trimmed to the ratio', 10, 15_000, 7.5, 15_000],
    ['an exact-ratio pair is taken whole', 10, 20_000, 10, 20_000],
  ];
  it.each(depositCases)('depositAmounts: %s', (_name, d0, d1, e0, e1) => {
    const out = new Float64Array(2);
    depositAmounts(d0, d1, X, Y, out);
    expectRel(out[0]!, e0, 1e-15);
    expectRel(out[1]!, e1, 1e-15);
  });

  it('the first deposit mints the geometric mean of the amounts', () => {
    expect(sharesMinted(4, 9, 0, 0, 0)).toBe(6);
    expect(sharesMinted(1, 4, 0, 0, 0)).toBe(2);
  });

  const proRata: Array<[string, number, number, number]> = [
    // [name, amount0, amount1, expected shares] into (1000, 2e6) with 1000 shares outstanding
    ['a balanced deposit mints its share of the pool', 10, 20_000, 10],
    ['excess token1 mints nothing extra', 10, 30_000, 10],
    ['excess token0 mints nothing extra', 20, 20_000, 10],
  ];
  it.each(proRata)('sharesMinted pro rata: %s', (_name, a0, a1, expected) => {
    expectRel(sharesMinted(a0, a1, X, Y, 1000), expected, 1e-15);
  });

  const invariantCases: Array<[string, number, number, number, number, number]> = [
    // [name, amount0, amount1, reserve0, reserve1, expected W] — W supply is 2·√(x·y)
    ['from empty it mints 2·√(a0·a1)', 4, 9, 0, 0, 12],
    ['a proportional deposit into (100, 400)', 125, 500, 100, 400, 500],
    ['a one-sided deposit is accepted', 0, 500, 100, 400, 200],
    ['a withdrawal burns (negative)', -75, -300, 100, 400, -300],
  ];
  it.each(invariantCases)('invariantSharesMinted: %s', (_name, a0, a1, r0, r1, expected) => {
    expectRel(invariantSharesMinted(a0, a1, r0, r1), expected, 1e-15);
  });

  it('amountForShares pays a pro-rata slice of the reserve', () => {
    expect(amountForShares(25, 1000, 100)).toBe(250);
    expectRel(amountForShares(1, 3, 7), 3 / 7, 1e-15);
    expect(amountForShares(100, 1000, 100)).toBe(1000);
  });
});
