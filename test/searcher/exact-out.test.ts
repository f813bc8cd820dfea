/**
 * Exact-output victims (swapExactOut: receive exactly `out`, pay at most `maxIn`) — how an option
 * vault buys its delta. The math against x·y replays, bisection and grid scans written here; then
 * through simulate(): a scripted exact-output swap and a delta hedger's hedge are sandwiched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import { bestFrontRun, maxFrontRunExactOut } from '../../agents/searcher/cpmm-sandwich';
import {
  agent,
  BASE_FEE,
  ETH_USD,
  exactOutVictim,
  expectRel,
  GWEI,
  largestBy,
  lp,
  one,
  PHI,
  POOL_ETH,
  POOL_USD,
  priorityUsd,
  replaySandwichExactOut,
  run,
  searcher,
  SWAP_GAS,
  txsOf,
  world,
  xyIn,
} from './helpers';

fc.configureGlobal({ seed: 20261122, numRuns: 300 });

// The worked example: 2,000,000 USD / 1000 ETH at 30 bp; the victim buys exactly 40 ETH for at most
// 1 % more USD than its quote.
const X = POOL_USD;
const Y = POOL_ETH;
const OUT = 40;
const QUOTE = xyIn(OUT, X, Y, PHI);
const MAX_IN = QUOTE * 1.01;

/** Brute force: the largest f after which the victim pays at most `maxIn`. */
function boundByBisection(x: number, y: number, phi: number, out: number, maxIn: number): number {
  return largestBy((f) => {
    const r = replaySandwichExactOut(x, y, phi, f, out);
    return r.victimIn > 0 && r.victimIn <= maxIn;
  }, x);
}

/** The best of n grid points of (0, cap]. */
function scan(x: number, y: number, phi: number, out: number, cap: number, n: number): { f: number; profit: number; spacing: number } {
  let best = { f: 0, profit: 0 };
  for (let i = 1; i <= n; i++) {
    const f = (cap * i) / n;
    const p = replaySandwichExactOut(x, y, phi, f, out).profit;
    if (p > best.profit) best = { f, profit: p };
  }
  return { ...best, spacing: cap / n };
}

describe('maxFrontRunExactOut: the largest front-run the victim’s maximum input allows', () => {
  it('leaves the victim paying exactly its maximum; one USD more would make it pay more', () => {
    const f = maxFrontRunExactOut(X, Y, PHI, OUT, MAX_IN);
    expectRel(replaySandwichExactOut(X, Y, PHI, f, OUT).victimIn, MAX_IN, 1e-12, 'victim input at the bound');
    expect(replaySandwichExactOut(X, Y, PHI, f + 1, OUT).victimIn).toBeGreaterThan(MAX_IN);
    expect(replaySandwichExactOut(X, Y, PHI, f - 1, OUT).victimIn).toBeLessThan(MAX_IN);
    expectRel(f, boundByBisection(X, Y, PHI, OUT, MAX_IN), 1e-9, 'against bisection');
  });

  it.each([
    [40_000, PHI],
    [1, PHI],
    [250_000, 0.99],
    [12_345.678, 1],
  ])('recovers a front-run of %s (φ = %s) from the input it makes the victim pay', (fStar, phi) => {
    const maxIn = replaySandwichExactOut(X, Y, phi, fStar, OUT).victimIn;
    expectRel(maxFrontRunExactOut(X, Y, phi, OUT, maxIn), fStar, 1e-8, 'bound');
  });

  it('is zero when the maximum is below the untouched quote; without one the pool must keep more than the output', () => {
    expect(maxFrontRunExactOut(X, Y, PHI, OUT, QUOTE * (1 - 1e-12))).toBe(0);
    // y·x/(x + φf) = out at f = (x·y/out − x)/φ.
    expectRel(maxFrontRunExactOut(X, Y, PHI, OUT, Infinity), (X * Y / OUT - X) / PHI, 1e-12, 'pool limit');
  });
});

describe('bestFrontRun on an exact-output victim', () => {
  it.each([
    ['a 1 % maximum (the best is the bound)', X, Y, PHI, OUT, 1.01, Infinity],
    ['capital that binds below the bound', X, Y, PHI, OUT, 1.05, 10_000],
    ['a 1 % fee pool and a 5 % maximum', X, Y, 0.99, 120, 1.05, Infinity],
    ['a victim buying USD with ETH (reserves reversed)', Y, X, PHI, 60_000, 1.03, Infinity],
  ])('matches a fine grid scan: %s', (_name, x, y, phi, out, slack, capital) => {
    const maxIn = slack * xyIn(out, x, y, phi);
    const cap = Math.min(boundByBisection(x, y, phi, out, maxIn) * (1 - 1e-9), capital);
    const grid = scan(x, y, phi, out, cap, 20_000);
    const f = bestFrontRun(x, y, phi, out, maxIn, capital, true);
    const got = replaySandwichExactOut(x, y, phi, f, out);
    expect(Math.abs(f - grid.f), `front-run ${f} vs grid ${grid.f}`).toBeLessThanOrEqual(grid.spacing);
    expect(got.profit).toBeGreaterThanOrEqual(grid.profit * (1 - 1e-9));
    expect(got.profit).toBeGreaterThan(0);
    expect(got.victimIn).toBeLessThanOrEqual(maxIn);
    expect(f).toBeLessThanOrEqual(capital);
  });

  it('for random pools and victims, keeps the victim within its maximum and beats a coarse grid', () => {
    const pos = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(pos(1e3, 1e8), pos(1e-4, 1e4), fc.constantFrom(1, 0.9995, 0.997, 0.99), pos(1e-4, 0.3), pos(0, 0.3), fc.oneof(pos(1e-4, 10), fc.constant(Infinity)), (x, ratio, phi, size, tolerance, capitalShare) => {
        const y = x * ratio;
        const out = y * size;
        const capital = x * capitalShare;
        const maxIn = xyIn(out, x, y, phi) * (1 + tolerance);
        const f = bestFrontRun(x, y, phi, out, maxIn, capital, true);
        expect(f).toBeGreaterThanOrEqual(0);
        expect(f).toBeLessThanOrEqual(capital);
        const got = replaySandwichExactOut(x, y, phi, f, out);
        expect(got.victimIn).toBeLessThanOrEqual(maxIn);
        const grid = scan(x, y, phi, out, Math.min(boundByBisection(x, y, phi, out, maxIn) * (1 - 1e-9), capital), 64);
        expect(f > 0 ? got.profit : 0).toBeGreaterThanOrEqual(grid.profit - 1e-9 * Math.abs(grid.profit) - 1e-12 * maxIn);
      }),
    );
  });
});

describe('a sandwich of an exact-output swap through simulate()', () => {
  const BASE_GAS_USD = 2 * SWAP_GAS * BASE_FEE * GWEI * ETH_USD;

  it('wraps it, leaves the victim paying exactly its maximum, and earns the replayed profit', () => {
    const r = run(world([lp(), exactOutVictim({ block: 2, amount: OUT, maxIn: MAX_IN }), searcher({ strategies: { sandwich: {} } })]));
    const front = one(r, 'mev', 'sandwich-front');
    const v = one(r, 'victim');
    const back = one(r, 'mev', 'sandwich-back');
    expect([front.status, v.status, back.status]).toEqual(['included', 'included', 'included']);
    expect([v.position - front.position, back.position - v.position]).toEqual([1, 1]);
    expect(v.calls[0]!.op).toBe('swapExactOut');
    expect(v.calls[0]!.outA).toBe(OUT);
    expect(v.calls[0]!.outB).toBeLessThanOrEqual(MAX_IN);
    expectRel(v.calls[0]!.outB, MAX_IN, 1e-8, 'victim input');
    const f = front.calls[0]!.a;
    expectRel(f, boundByBisection(X, Y, PHI, OUT, MAX_IN), 1e-8, 'front-run');
    const s = replaySandwichExactOut(X, Y, PHI, f, OUT);
    expectRel(back.calls[0]!.outA - f, s.profit, 1e-9, 'profit in the records');
    const mev = agent(r, 'mev');
    // Its mev is its capture at execution before the pool fees its legs paid (booked as swapFees).
    expectRel(mev.pnl.swapFees, -(1 - PHI) * (f + back.calls[0]!.a * ETH_USD), 1e-9, 'searcher swapFees');
    expectRel(mev.pnl.mev + mev.pnl.swapFees, s.profit, 1e-9, 'searcher mev');
    expectRel(mev.pnl.total, s.profit - BASE_GAS_USD - priorityUsd(front) - priorityUsd(back), 1e-9, 'searcher total');
    // The victim's loss: what it paid against the same purchase alone, from the state before the bundle (USD at $1).
    expectRel(agent(r, 'victim').pnl.mev, -(v.calls[0]!.outB - QUOTE), 1e-9, 'victim mev');
  });

  it('cannot make a victim pay more than it holds: its balance bounds the front-run like its maximum', () => {
    const held = QUOTE * 1.004;
    const r = run(world([lp(), exactOutVictim({ block: 2, amount: OUT, maxIn: MAX_IN, balance: held }), searcher({ strategies: { sandwich: {} } })]));
    const v = one(r, 'victim');
    expect(v.status).toBe('included');
    expect(one(r, 'mev', 'sandwich-front').status).toBe('included');
    expect(v.calls[0]!.outB).toBeLessThanOrEqual(held);
    expectRel(v.calls[0]!.outB, held, 1e-8, 'victim input');
  });
});

describe('a delta hedger’s exact-output hedge purchase is sandwiched', () => {
  // Short 500 ATM calls (7 days, 80 % implied), hedged on the pool from block 2 with a 1 % slippage
  // allowance: its entry buys ≈ 0.5·500 ETH with swapExactOut, visible in the public mempool.
  const vault = () =>
    createAgent({
      kind: 'delta-hedger',
      id: 'vault',
      atBlock: 2,
      latency: { network: 1 },
      balances: { ETH: 10, USD: 2_000_000 },
      options: { kind: 'option', option: 'call', strike: 'atm', expiry: 7 * 86_400, quantity: 500, position: 'short', asset: 'ETH', impliedVol: 0.8, hedgeOn: 'pool', slippage: 0.01 },
      trigger: { kind: 'delta-band', band: 0.5 },
    });
  const withSearcher = run(world([lp(), vault(), searcher({ strategies: { sandwich: {} } })], { blocks: 4 }));
  const alone = run(world([lp(), vault()], { blocks: 4 }));

  it('the hedge lands between the two legs, at the 1 % allowance, and costs the vault what the searcher makes', () => {
    const h = one(withSearcher, 'vault', 'rebalance');
    const front = one(withSearcher, 'mev', 'sandwich-front');
    const back = one(withSearcher, 'mev', 'sandwich-back');
    expect(h.calls[0]!.op).toBe('swapExactOut');
    expect([h.position - front.position, back.position - h.position]).toEqual([1, 1]);
    const quote = xyIn(h.calls[0]!.a, X, Y, PHI);
    expect(h.calls[0]!.boundA).toBeCloseTo(quote * 1.01, 6);
    expectRel(h.calls[0]!.outB, quote * 1.01, 1e-7, 'paid at the allowance');
    // Same seed, no searcher: the same hedge at the quote. The difference is the sandwich's take.
    const h0 = one(alone, 'vault', 'rebalance');
    expect(h0.calls[0]!.a).toBe(h.calls[0]!.a);
    expectRel(h0.calls[0]!.outB, quote, 1e-12, 'unsandwiched');
    const lost = agent(alone, 'vault').pnl.total - agent(withSearcher, 'vault').pnl.total;
    expectRel(lost, h.calls[0]!.outB - quote, 1e-9, 'vault loss against the run without the searcher');
    expect(agent(withSearcher, 'mev').pnl.mev).toBeGreaterThan(0.9 * lost);
    expect(txsOf(withSearcher, 'mev').map((t) => t.victim)).toEqual([h.id, h.id]);
  });
});
