/**
 * Back-running through simulate(): a searcher sees a large public swap and bundles [victim, back-run]
 * into the next block, arbitraging the pool back toward the reference price. The expected size is
 * the calculus optimum on the pool as the victim leaves it (written out here) and is checked against
 * a brute-force scan; the profit is replayed with the x·y formula.
 */
import { describe, expect, it } from 'vitest';
import {
  agent,
  BASE_FEE,
  ETH_USD,
  exactOutVictim,
  expectRel,
  GWEI,
  lp,
  one,
  PHI,
  POOL_ETH,
  POOL_USD,
  priorityUsd,
  run,
  searcher,
  SWAP_GAS,
  txsOf,
  victim,
  world,
  xyIn,
  xyOut,
  type Run,
} from './helpers';

const BASE_GAS_USD = SWAP_GAS * BASE_FEE * GWEI * ETH_USD;

/**
 * The pool is dear after a purchase of ETH: selling a ETH pays xyOut(a, x, y) USD worth a·P at the
 * reference. d/da = φxy/(x + φa)² = P gives a* = (√(φxy/P) − x)/φ.
 */
const optimalSell = (x: number, y: number): number => (Math.sqrt((PHI * x * y) / ETH_USD) - x) / PHI;
const sellProfit = (a: number, x: number, y: number): number => xyOut(a, x, y, PHI) - a * ETH_USD;

/** Brute force: the best of n grid points of (0, hi]. */
function scanSell(x: number, y: number, hi: number, n: number): { a: number; profit: number; spacing: number } {
  let best = { a: 0, profit: 0 };
  for (let i = 1; i <= n; i++) {
    const a = (hi * i) / n;
    const p = sellProfit(a, x, y);
    if (p > best.profit) best = { a, profit: p };
  }
  return { ...best, spacing: hi / n };
}

const backrunner = () => searcher({ strategies: { backrun: {} } });

/** Checks common to any victim: the bundle, the back-run's size on the pool `after` it, and the searcher's P&L. */
function expectBackrun(r: Run, after: { eth: number; usd: number }): void {
  const v = one(r, 'victim');
  const b = one(r, 'mev', 'backrun');
  expect([v.status, b.status]).toEqual(['included', 'included']);
  expect([b.block, b.position]).toEqual([v.block, v.position + 1]);
  expect(b.bundle).not.toBeNull();
  expect(v.bundle).toBeNull();
  expect(b.victim).toBe(v.id);
  // Selling ETH (side 0) into the pool, by the optimal amount on the reserves the victim left.
  const c = b.calls[0]!;
  expect([c.op, c.side]).toEqual(['swap', 0]);
  const aStar = optimalSell(after.eth, after.usd);
  expectRel(c.a, aStar, 1e-9, 'back-run size (closed form)');
  const grid = scanSell(after.eth, after.usd, 2 * aStar, 20_000);
  expect(Math.abs(c.a - grid.a)).toBeLessThanOrEqual(grid.spacing);
  expect(sellProfit(c.a, after.eth, after.usd)).toBeGreaterThanOrEqual(grid.profit);
  // The profit: USD received less the ETH sold at the reference, as replayed and as booked.
  expectRel(c.outA, xyOut(c.a, after.eth, after.usd, PHI), 1e-12, 'back-run output');
  const profit = sellProfit(c.a, after.eth, after.usd);
  const mev = agent(r, 'mev');
  // Its mev is the capture at execution before the pool fee it paid (its own line, swapFees).
  const fee = (1 - PHI) * c.a * ETH_USD;
  expectRel(mev.pnl.mev, profit + fee, 1e-9, 'searcher mev');
  expectRel(mev.pnl.swapFees, -fee, 1e-9, 'searcher swapFees');
  // The default bid: 90 % of the value after the base fee of its one swap.
  expectRel(priorityUsd(b), 0.9 * (profit - BASE_GAS_USD), 1e-9, 'bid');
  expectRel(mev.pnl.total, profit - BASE_GAS_USD - priorityUsd(b), 1e-9, 'searcher total');
  expect(mev.metrics.backruns).toBe(1);
}

describe('a back-run of an exact-input purchase of ETH', () => {
  const DELTA = 100_000;
  const r = run(world([lp(), victim({ block: 2, amount: DELTA, minOut: 0 }), backrunner()]));

  it('lands right behind the victim, sells the optimal amount into the pool it left, and earns the replayed profit', () => {
    const out = xyOut(DELTA, POOL_USD, POOL_ETH, PHI);
    expectRel(one(r, 'victim').calls[0]!.outA, out, 1e-12, 'victim output');
    expectBackrun(r, { eth: POOL_ETH - out, usd: POOL_USD + DELTA });
  });

  it('leaves the pool where the next ETH sold would earn exactly the reference price: φ·y′/x′ · (x + a)/(x + φa) = P', () => {
    // After selling a into (x, y): x′ = x + a, y′ = x·y/(x + φa); the optimum's φxy/(x + φa)² = P.
    const out = xyOut(DELTA, POOL_USD, POOL_ETH, PHI);
    const [x, y] = [POOL_ETH - out, POOL_USD + DELTA];
    const a = optimalSell(x, y);
    const v = r.result.venues[0]!;
    if (v.kind !== 'cpmm') throw new Error('expected the pool');
    expectRel(v.reserves[0], x + a, 1e-12, 'ETH reserve');
    expectRel(v.reserves[1], (x * y) / (x + PHI * a), 1e-12, 'USD reserve');
    expectRel(((PHI * v.reserves[1]) / v.reserves[0]) * ((x + a) / (x + PHI * a)), ETH_USD, 1e-9, 'marginal price');
  });
});

describe('a back-run of an exact-output purchase of ETH', () => {
  it('uses the input the victim paid (x·y, not its maximum) for the pool it left', () => {
    const OUT = 40;
    const r = run(world([lp(), exactOutVictim({ block: 2, amount: OUT, maxIn: 1e6 }), backrunner()]));
    const paid = xyIn(OUT, POOL_USD, POOL_ETH, PHI);
    expectRel(one(r, 'victim').calls[0]!.outB, paid, 1e-12, 'victim input');
    expectBackrun(r, { eth: POOL_ETH - OUT, usd: POOL_USD + paid });
  });
});

describe('a swap too small to leave the pool outside its no-trade band', () => {
  it('is not back-run', () => {
    // 2,000 USD moves the price by ≈ 0.2 %, inside the 0.3 % band: no arbitrage is left.
    const r = run(world([lp(), victim({ block: 2, amount: 2000, minOut: 0 }), backrunner()]));
    expect(txsOf(r, 'mev')).toEqual([]);
    expect(agent(r, 'mev').metrics.backruns).toBe(0);
  });
});
