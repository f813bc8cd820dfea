/**
 * The sandwich math, pure: the CPMM bound (maxFrontRun), the best front-run (bestFrontRun) and the
 * triad sandwich (bestTriadSandwich). Oracles: the x·y formula replayed step by step, bisection and
 * grid scans written here — never the functions under test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestFrontRun, maxFrontRun } from '../../agents/searcher/cpmm-sandwich';
import { bestTriadSandwich } from '../../agents/searcher/triad-sandwich';
import { boundByBisection, expectRel, forgeOne, PHI, POOL_ETH, POOL_USD, replaySandwich, xyOut } from './helpers';

fc.configureGlobal({ seed: 20261121, numRuns: 300 });

// The worked example: 2,000,000 USD / 1000 ETH at 30 bp; the victim pays 100,000 USD for ≥ 46 ETH.
const X = POOL_USD;
const Y = POOL_ETH;
const DELTA = 100_000;
const MIN = 46;

describe('maxFrontRun: the largest front-run the victim’s bound allows', () => {
  it('leaves the victim exactly at its minimum, and one more USD of front-run pushes it below', () => {
    const f = maxFrontRun(X, Y, PHI, DELTA, MIN);
    // Step by step with x·y = k: the front-run's φf enters the invariant, all of f the reserve.
    const yAfterFront = (X * Y) / (X + PHI * f);
    const xAfterFront = X + f;
    const k1 = xAfterFront * yAfterFront;
    const victimOut = yAfterFront - k1 / (xAfterFront + PHI * DELTA);
    expectRel(victimOut, MIN, 1e-12, 'victim output at the bound');
    const oneMore = replaySandwich(X, Y, PHI, f + 1, DELTA).victimOut;
    expect(oneMore).toBeLessThan(MIN);
    // And the bound is not loose: one USD less leaves the victim strictly above it.
    expect(replaySandwich(X, Y, PHI, f - 1, DELTA).victimOut).toBeGreaterThan(MIN);
    // The untouched victim would get 47.48… ETH: the bound is a front-run of about 32,811 USD.
    expect(xyOut(DELTA, X, Y, PHI)).toBeCloseTo(47.483, 3);
    expect(f).toBeCloseTo(32_811.168, 2);
  });

  it.each([
    [40_000, PHI],
    [1, PHI],
    [250_000, 0.99],
    [12_345.678, 1],
  ])('recovers a front-run of %s (φ = %s) from the minimum it leaves the victim', (fStar, phi) => {
    // The minimum is built from the front-run: replay f*, read the victim's output, ask for the bound.
    const m = replaySandwich(X, Y, phi, fStar, DELTA).victimOut;
    expectRel(maxFrontRun(X, Y, phi, DELTA, m), fStar, 1e-8, 'bound');
  });

  it('is zero when the minimum is at or above the untouched output, and unbounded without a minimum', () => {
    const untouched = xyOut(DELTA, X, Y, PHI);
    expect(maxFrontRun(X, Y, PHI, DELTA, untouched * (1 + 1e-12))).toBe(0);
    expect(maxFrontRun(X, Y, PHI, DELTA, 0)).toBe(Infinity);
  });
});

/** Brute force: the best grid point of [0, cap] (n + 1 points). */
function scan(x: number, y: number, phi: number, victimIn: number, cap: number, n: number): { f: number; profit: number; spacing: number } {
  let best = { f: 0, profit: 0 };
  for (let i = 1; i <= n; i++) {
    const f = (cap * i) / n;
    const p = replaySandwich(x, y, phi, f, victimIn).profit;
    if (p > best.profit) best = { f, profit: p };
  }
  return { ...best, spacing: cap / n };
}

describe('bestFrontRun: the most profitable front-run within the bound and the capital', () => {
  it.each([
    ['a 1% slippage bound (the best is the bound)', X, Y, PHI, DELTA, 0.99, Infinity],
    ['no bound and deep capital (the best is interior)', X, Y, PHI, DELTA, 0, 5e6],
    ['capital that binds below the bound', X, Y, PHI, DELTA, 0.9, 10_000],
    ['a 1% fee pool and a 5% bound', X, Y, 0.99, 300_000, 0.95, Infinity],
    ['a victim selling ETH (reserves reversed)', Y, X, PHI, 30, 0.97, Infinity],
  ])('matches a fine grid scan: %s', (_name, x, y, phi, victimIn, keep, capital) => {
    const minOut = keep * xyOut(victimIn, x, y, phi);
    const bound = minOut > 0 ? boundByBisection(x, y, phi, victimIn, minOut) : Infinity;
    const cap = Math.min(bound * (1 - 1e-9), capital);
    const grid = scan(x, y, phi, victimIn, cap, 20_000);
    const f = bestFrontRun(x, y, phi, victimIn, minOut, capital);
    const got = replaySandwich(x, y, phi, f, victimIn);
    expect(Math.abs(f - grid.f), `front-run ${f} vs grid ${grid.f}`).toBeLessThanOrEqual(grid.spacing);
    expect(got.profit).toBeGreaterThanOrEqual(grid.profit * (1 - 1e-9));
    expect(got.profit).toBeGreaterThan(0);
    expect(got.victimOut).toBeGreaterThanOrEqual(minOut);
    expect(f).toBeLessThanOrEqual(capital);
  });

  it('for random pools and victims, keeps the victim at or above its minimum and beats a coarse grid', () => {
    const pos = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(
        pos(1e3, 1e8),
        pos(1e-4, 1e4),
        fc.constantFrom(1, 0.9995, 0.997, 0.99),
        pos(1e-4, 0.5),
        pos(0, 0.3),
        fc.oneof(pos(1e-4, 10), fc.constant(Infinity)),
        (x, ratio, phi, size, tolerance, capitalShare) => {
          const y = x * ratio;
          const victimIn = x * size;
          const capital = x * capitalShare;
          const minOut = xyOut(victimIn, x, y, phi) * (1 - tolerance);
          const f = bestFrontRun(x, y, phi, victimIn, minOut, capital);
          expect(f).toBeGreaterThanOrEqual(0);
          expect(f).toBeLessThanOrEqual(capital);
          const got = replaySandwich(x, y, phi, f, victimIn);
          expect(got.victimOut).toBeGreaterThanOrEqual(minOut);
          const bound = minOut > 0 ? boundByBisection(x, y, phi, victimIn, minOut) : Infinity;
          const grid = scan(x, y, phi, victimIn, Math.min(bound * (1 - 1e-9), capital), 64);
          expect(f > 0 ? got.profit : 0).toBeGreaterThanOrEqual(grid.profit - 1e-9 * Math.abs(grid.profit) - 1e-12 * victimIn);
        },
      ),
    );
  });
});

// The triad example: u = v = 1000 (price 1, k = 2); the victim forges (−50, +52), a parity-like rebalance
// that alone pays it 2(1000 − √(950·1052)) ≈ 0.28 "1".
const U = 1000;
const V = 1000;
const K = 2;

/** The three forges of a triad sandwich written out: front (a, b), the victim, back (−a, −b). */
function triadReplay(side: 0 | 1, amount: number, du: number, dv: number) {
  const a = side === 0 ? amount : 0;
  const b = side === 1 ? amount : 0;
  const front = forgeOne(U, V, a, b, K);
  const inside = forgeOne(U + a, V + b, du, dv, K);
  const back = forgeOne(U + a + du, V + b + dv, -a, -b, K);
  return { cost: -front, inside, profit: front + back };
}

/** Brute force over both sides: the best grid amount whose cost fits `capital` and whose victim pays at most `victimOne`. */
function triadScan(du: number, dv: number, capital: number, victimOne: number, minOne: number, maxAmount: number, n: number) {
  let best = { side: 0 as 0 | 1, amount: 0, profit: 0 };
  for (const side of [0, 1] as const) {
    for (let i = 1; i <= n; i++) {
      const amount = (maxAmount * i) / n;
      const s = triadReplay(side, amount, du, dv);
      if (s.cost > capital || s.inside < minOne || -s.inside > victimOne) continue;
      if (s.profit > best.profit) best = { side, amount, profit: s.profit };
    }
  }
  return { ...best, spacing: maxAmount / n };
}

describe('bestTriadSandwich: the unprotected forge', () => {
  it('takes exactly what the victim loses: the three forges compose into the victim’s forge alone', () => {
    const [du, dv] = [-50, 52];
    const s = bestTriadSandwich(U, V, K, du, dv, 300, 10);
    expect(s).not.toBeNull();
    const alone = forgeOne(U, V, du, dv, K);
    const replay = triadReplay(s!.side, s!.amount, du, dv);
    expectRel(s!.victimDw, replay.inside, 1e-12, 'victim inside the sandwich');
    expectRel(s!.profit, replay.profit, 1e-9, 'searcher profit');
    // Composition: front + victim + back = k(√(uv) − √(u_end·v_end)) = the victim's forge alone.
    expect(Math.abs(s!.profit + s!.victimDw - alone)).toBeLessThan(1e-9);
    expect(s!.profit).toBeGreaterThan(0);
    expect(s!.victimDw).toBeLessThan(alone);
  });

  it.each([
    ['a rebalance (−50, +52) with 300 "1" of capital, the victim holding 10 "1"', -50, 52, 300, 10],
    ['the same rebalance by a victim holding no "1" (its bound binds)', -50, 52, 1e6, 0],
    ['the mirror rebalance (+60, −58) with 1000 "1"', 60, -58, 1000, 0],
    ['a mint of U alone, the victim holding 80 "1"', 50, 0, 5000, 80],
  ])('matches a grid scan over both sides and the amount: %s', (_name, du, dv, capital, victimOne) => {
    const s = bestTriadSandwich(U, V, K, du, dv, capital, victimOne);
    const grid = triadScan(du, dv, capital, victimOne, -Infinity, 20_000, 40_000);
    expect(grid.profit).toBeGreaterThan(0);
    expect(s).not.toBeNull();
    expect(s!.side).toBe(grid.side);
    expect(Math.abs(s!.amount - grid.amount), `amount ${s!.amount} vs grid ${grid.amount}`).toBeLessThanOrEqual(grid.spacing);
    expect(s!.profit).toBeGreaterThanOrEqual(grid.profit * (1 - 1e-9));
    const replay = triadReplay(s!.side, s!.amount, du, dv);
    expect(replay.cost).toBeLessThanOrEqual(capital * (1 + 1e-12));
    expect(replay.inside >= 0 || -replay.inside <= victimOne * (1 + 1e-12)).toBe(true);
  });
});

describe('bestTriadSandwich: the protected variant (minOne)', () => {
  const [du, dv] = [-50, 52];
  const alone = forgeOne(U, V, du, dv, K);

  it.each([0.01, 0.5, 2])('takes at most the slack the bound leaves (%s "1"), and all of it', (slack) => {
    const s = bestTriadSandwich(U, V, K, du, dv, 1e6, 1e6, alone - slack);
    expect(s).not.toBeNull();
    expect(s!.victimDw).toBeGreaterThanOrEqual(alone - slack);
    expect(s!.profit).toBeLessThanOrEqual(slack * (1 + 1e-9));
    expect(s!.profit).toBeGreaterThanOrEqual(slack * (1 - 1e-6));
    // Without the bound the same capital takes far more.
    expect(bestTriadSandwich(U, V, K, du, dv, 1e6, 1e6)!.profit).toBeGreaterThan(10 * slack);
  });

  it('leaves nothing to take when the bound is the victim’s own quote', () => {
    expect(bestTriadSandwich(U, V, K, du, dv, 1e6, 1e6, alone)).toBeNull();
  });
});
