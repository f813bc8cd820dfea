/**
 * Reciprocal triad (Uniteum forge) float math against VALIDATION.md V4, DESIGN §3 and the seed
 * correction of DESIGN §9. Expected values are published literals or hand algebra on round numbers.
 */
import { describe, expect, it } from 'vitest';
import {
  forgeIsValid,
  forgeQuote,
  liquidationValue,
  mintToPrice,
  moveAtZeroCost,
  priceOfReciprocal,
  priceOfUnit,
} from '../../sim/venues/triad-math';

function expectRel(actual: number, expected: number, tol: number): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
  expect(err, `${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

describe('forging from an empty triad', () => {
  const emptyCases: Array<[number, number, 1 | 2, number]> = [
    // [a, b, k, cost in "1"] — cost k·√(a·b), worked by hand
    [100, 100, 2, 200],
    [4, 9, 2, 12],
    [1, 100, 2, 20],
    [2, 8, 2, 8],
    [0.25, 0.64, 2, 0.8],
    [4, 9, 1, 6],
    [100, 100, 1, 100],
  ];
  it.each(emptyCases)('forge(%d, %d) with k = %d costs the caller %d "1"', (a, b, k, cost) => {
    expectRel(-forgeQuote(0, 0, a, b, k), cost, 1e-15);
  });

  it('forging 100 U + 100 1/U at parity in an empty floating triad costs 200 "1" (seed 000 said it pays)', () => {
    const received = forgeQuote(0, 0, 100, 100, 2);
    expect(received).toBeLessThan(0);
    expect(-received).toBe(200);
  });

  it('with one supply at zero, minting only the other side is free', () => {
    expect(forgeQuote(0, 0, 0, 5, 2)).toBe(0);
    expect(forgeQuote(0, 7, 0, 5, 2)).toBe(0);
    expect(forgeQuote(3, 0, 4, 0, 1)).toBe(0);
  });

  it('the first forger sets the price √(dv/du)', () => {
    expectRel(priceOfUnit(100, 400, 2), 2, 1e-15);
    expectRel(priceOfUnit(400, 100, 2), 0.5, 1e-15);
  });
});

describe('prices', () => {
  it('anchored (k = 1) prices are half the floating ones', () => {
    expectRel(priceOfUnit(100, 400, 1), 1, 1e-15);
    expectRel(priceOfReciprocal(100, 400, 1), 0.25, 1e-15);
  });

  const productCases: Array<[number, number, 1 | 2, number]> = [
    [100, 400, 2, 1],
    [3, 7, 2, 1],
    [1e-6, 1e9, 2, 1],
    [100, 400, 1, 0.25],
    [12.5, 0.03, 1, 0.25],
  ];
  it.each(productCases)('priceOfUnit · priceOfReciprocal = (k/2)² for u=%d v=%d k=%d', (u, v, k, expected) => {
    expectRel(priceOfUnit(u, v, k) * priceOfReciprocal(u, v, k), expected, 1e-15);
  });

  it('minting U lowers its price and minting 1/U raises it (the opposite of an AMM)', () => {
    const p = priceOfUnit(100, 100, 2);
    expect(priceOfUnit(150, 100, 2)).toBeLessThan(p);
    expect(priceOfUnit(100, 150, 2)).toBeGreaterThan(p);
    expect(priceOfReciprocal(150, 100, 2)).toBeGreaterThan(priceOfReciprocal(100, 100, 2));
  });
});

describe('forge validity and liquidation', () => {
  it('burning the entire supply exactly is valid, one ulp more is not', () => {
    expect(forgeIsValid(5, 3, -5, 0)).toBe(true);
    expect(forgeIsValid(5, 3, 0, -3)).toBe(true);
    expect(forgeIsValid(5, 3, -5, -3)).toBe(true);
    expect(forgeIsValid(1, 1, -1 - Number.EPSILON, 0)).toBe(false);
    expect(forgeIsValid(1, 1, 0, -1 - Number.EPSILON)).toBe(false);
    expect(forgeIsValid(5, 3, -5 - 1e-12, 0)).toBe(false);
    expect(forgeIsValid(0, 0, -Number.MIN_VALUE, 0)).toBe(false);
  });

  it('an invalid forge quotes NaN and a boundary-valid one quotes a number', () => {
    expect(forgeQuote(1, 1, -1 - Number.EPSILON, 0, 2)).toBeNaN();
    expectRel(forgeQuote(5, 3, -5, 0, 2), 7.745966692414834, 1e-15); // 2·√15
  });

  it('liquidating the whole supply returns k·√(u·v)', () => {
    expectRel(liquidationValue(100, 400, 100, 400, 2), 400, 1e-15);
    expectRel(liquidationValue(100, 400, 100, 400, 1), 200, 1e-15);
  });
});

describe('moving the price at zero cost', () => {
  const moves: Array<[number, number, 1 | 2, number]> = [
    // [u, v, k, target price of U]
    [1000, 1000, 2, Math.SQRT2],
    [1000, 1000, 2, Math.SQRT1_2],
    [250, 4000, 2, 0.3],
    [7, 3, 2, 9],
    [100, 400, 1, 0.25],
    [100, 400, 1, 2],
  ];
  it.each(moves)('from u=%d v=%d k=%d to %d: keeps u·v, lands on the target, costs 0 "1"', (u, v, k, target) => {
    const out = new Float64Array(2);
    moveAtZeroCost(u, v, k, target, out);
    const du = out[0]!;
    const dv = out[1]!;
    expect(forgeIsValid(u, v, du, dv)).toBe(true);
    expectRel((u + du) * (v + dv), u * v, 1e-12);
    expectRel(priceOfUnit(u + du, v + dv, k), target, 1e-12);
    expect(Math.abs(forgeQuote(u, v, du, dv, k))).toBeLessThanOrEqual(1e-12 * k * Math.sqrt(u * v));
    // It is a real move: one side minted, the other burned.
    expect(du * dv).toBeLessThan(0);
  });
});

describe('minting to a price', () => {
  const mints: Array<[number, number, 1 | 2, number, 'U' | '1/U']> = [
    // [u, v, k, target, side minted]
    [1000, 1000, 2, 0.8, 'U'],
    [1000, 1000, 2, 1.25, '1/U'],
    [250, 4000, 2, 1, 'U'],
    [100, 400, 1, 2, '1/U'],
    [100, 400, 1, 0.1, 'U'],
  ];
  it.each(mints)('from u=%d v=%d k=%d to %d mints only %s, lands on the target and costs "1"', (u, v, k, target, side) => {
    const out = new Float64Array(2);
    mintToPrice(u, v, k, target, out);
    const du = out[0]!;
    const dv = out[1]!;
    if (side === 'U') {
      expect(du).toBeGreaterThan(0);
      expect(dv).toBe(0);
    } else {
      expect(du).toBe(0);
      expect(dv).toBeGreaterThan(0);
    }
    expectRel(priceOfUnit(u + du, v + dv, k), target, 1e-12);
    expect(forgeQuote(u, v, du, dv, k)).toBeLessThan(0);
  });
});

describe('the volatility hedge of seed 000 (VALIDATION V4)', () => {
  // Published: x = 100, r = 2 or 0.5 → +12.13 on 200 (+6.066%); r = 1.5 → +4.12.
  const cases: Array<[number, number, string | undefined]> = [
    [2, 12.13, '6.066'],
    [0.5, 12.13, '6.066'],
    [1.5, 4.12, undefined],
  ];
  it.each(cases)('a (100, 100) holder gains the published amount when others move the price to √%d', (r, published, pct) => {
    const k = 2;
    // Holder enters at parity in an empty triad, then a mover forges its own (900, 900).
    let u = 0;
    let v = 0;
    const holderPaid = -forgeQuote(u, v, 100, 100, k);
    u += 100;
    v += 100;
    const moverPaid = -forgeQuote(u, v, 900, 900, k);
    u += 900;
    v += 900;
    expectRel(holderPaid, 200, 1e-15);
    expectRel(moverPaid, 1800, 1e-15);
    const entryValue = 100 * priceOfUnit(u, v, k) + 100 * priceOfReciprocal(u, v, k);
    expectRel(entryValue, 200, 1e-15);

    // The mover moves the price to √r at zero "1", burning from its own inventory.
    const move = new Float64Array(2);
    moveAtZeroCost(u, v, k, Math.sqrt(r), move);
    const du = move[0]!;
    const dv = move[1]!;
    expect(900 + du).toBeGreaterThanOrEqual(0);
    expect(900 + dv).toBeGreaterThanOrEqual(0);
    u += du;
    v += dv;

    const pU = priceOfUnit(u, v, k);
    const pR = priceOfReciprocal(u, v, k);
    const holderPnl = 100 * pU + 100 * pR - entryValue;
    expect(Math.abs(holderPnl - published)).toBeLessThanOrEqual(0.005);
    if (pct !== undefined) expect(Math.abs((100 * holderPnl) / entryValue - Number(pct))).toBeLessThanOrEqual(0.0005);
    // Zero-sum: the mover's whole position, marked to market, loses what the holder gains.
    const moverPnl = (900 + du) * pU + (900 + dv) * pR - 900 * (1 + 1);
    expect(Math.abs(moverPnl + holderPnl)).toBeLessThanOrEqual(1e-9 * holderPnl);
  });

  it('a holder gains nothing when the price is not moved', () => {
    const move = new Float64Array(2);
    moveAtZeroCost(1000, 1000, 2, 1, move);
    expect(move[0]).toBe(0);
    expect(move[1]).toBe(0);
  });
});
