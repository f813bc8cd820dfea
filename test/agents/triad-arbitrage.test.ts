/**
 * Pool–triad arbitrage (DESIGN §3–4): a pool trades a triad's unit U (or 1/U) against its "1", and
 * an arbitrageur closes the gap between the two venues — mint on the triad and sell in the pool, or
 * buy in the pool and burn on the triad — in one transaction. The size is checked against a
 * brute-force scan of the gain written here from x·y and the forge formula, and the run's balances
 * against the quote.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAgent, type AgentSpec } from '../../agents';
import { bestTriadPoolTrade } from '../../agents/math/triad-pool-arbitrage';
import type { SimConfig } from '../../sim/config';
import { simulate } from '../../sim/simulation';
import { expectClose } from '../engine/helpers';

const PHI = 0.997;

/** "1" gained minting `a` of T (supplies s, o) and selling it to the pool (x T, y "1"), k = 2. */
const mintSell = (x: number, y: number, s: number, o: number, a: number): number => (y * PHI * a) / (x + PHI * a) - 2 * (Math.sqrt((s + a) * o) - Math.sqrt(s * o));
/** "1" gained buying `a` of T from the pool and burning it on the triad, k = 2. */
const buyBurn = (x: number, y: number, s: number, o: number, a: number): number => 2 * (Math.sqrt(s * o) - Math.sqrt((s - a) * o)) - (y * a) / (PHI * (x - a));

/** The largest gain over a fine grid of (0, cap): 20,000 points, geometric and linear. */
function bruteForce(f: (a: number) => number, cap: number): number {
  let best = 0;
  for (let i = 1; i <= 10_000; i++) {
    // Clamped: (cap · i) / 10,000 can round a hair past the cap, beyond the supply a burn may take.
    best = Math.max(best, f(Math.min((cap * i) / 10_000, cap)), f(Math.min(cap * Math.pow(10, -12 + (12 * i) / 10_000), cap)));
  }
  return best;
}

describe('the best pool–triad trade (pure)', () => {
  it('gains at least what a brute-force scan finds, and its parts add up, in either direction', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 10, max: 1e6, noNaN: true }),
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        fc.double({ min: 10, max: 1e6, noNaN: true }),
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        (x, poolPrice, s, triadPrice) => {
          // Pool: x T at poolPrice "1" each; triad: supplies s and o with √(o/s) = triadPrice (k = 2).
          const y = x * poolPrice;
          const o = s * triadPrice * triadPrice;
          const capital = 1e12;
          const t = bestTriadPoolTrade(x, y, PHI, s, o, 2, capital);
          const sell = bruteForce((a) => mintSell(x, y, s, o, a), 1e3 * (x + s));
          const burn = bruteForce((a) => buyBurn(x, y, s, o, a), Math.min(x * (1 - 1e-9), s));
          const scan = Math.max(sell, burn);
          if (t === null) {
            expect(scan).toBeLessThanOrEqual(1e-9 * y * (1 + 1e-9));
            return;
          }
          expect(t.profit).toBeGreaterThanOrEqual(scan * (1 - 1e-9) - 1e-12);
          const again = t.direction === 'mint-sell' ? mintSell(x, y, s, o, t.amount) : buyBurn(x, y, s, o, t.amount);
          expectClose(t.profit, again, 1e-9);
          expectClose(t.oneOut - t.oneIn, t.profit, 1e-12);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('mints and sells when the pool bids above the triad, buys and burns when it asks below', () => {
    // Triad price 1 (u = v = 5000); pools of 1000 U at 1.1 and at 0.9 "1".
    expect(bestTriadPoolTrade(1000, 1100, PHI, 5000, 5000, 2, 1e9)!.direction).toBe('mint-sell');
    expect(bestTriadPoolTrade(1000, 900, PHI, 5000, 5000, 2, 1e9)!.direction).toBe('buy-burn');
  });

  it('trades far past the margin where the triad is small: its minting cost grows only as √a', () => {
    // Triad price 1 with only 10 U and 10 1/U; the pool (1000 U at 1.002) bids 0.999 and asks 1.005,
    // so nothing gains at the margin. But minting a U costs 2·(√(10·(10 + a)) − 10) "1", which grows
    // as √a while the pool pays up to 1002: minting 3000 U costs about 330 "1" and sells for about 750.
    const t = bestTriadPoolTrade(1000, 1002, PHI, 10, 10, 2, 1e9)!;
    expect(t.direction).toBe('mint-sell');
    expect(t.amount).toBeGreaterThan(100 * 10);
    expect(t.profit).toBeGreaterThan(400);
    expectClose(t.profit, mintSell(1000, 1002, 10, 10, t.amount), 1e-12);
  });

  it('does nothing inside the no-trade band: pool bid ≤ triad price ≤ pool ask', () => {
    // Triad price 1; pool price 1.002: its bid 0.999 is below 1, its ask 1.005 above.
    expect(bestTriadPoolTrade(1000, 1002, PHI, 5000, 5000, 2, 1e9)).toBeNull();
  });

  it('stays within the "1" it holds', () => {
    const t = bestTriadPoolTrade(1000, 1500, PHI, 1e6, 1e6, 2, 50)!;
    expect(t.direction).toBe('mint-sell');
    expect(t.oneIn).toBeLessThanOrEqual(50 * (1 + 1e-12));
    expect(t.oneIn).toBeGreaterThan(49.9);
  });
});

/**
 * A floating triad T (u = v = 1e6: U at 1 "1"), a 30 bp pool of U against "1" seeded by an LP at
 * `poolPrice`, and an arbitrageur holding "1" only. Gas is free unless `baseFee` says otherwise.
 */
function world(poolPrice: number, o: { baseFee?: number; arb?: Partial<AgentSpec & { kind: 'arbitrageur' }> } = {}): SimConfig {
  const poolU = 1000;
  return {
    seed: 1,
    blocks: 2,
    chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: o.baseFee ?? 0, mode: 'fixed' } },
    market: { assets: [{ id: 'ETH', process: { kind: 'constant', price: 2000 } }] },
    tokens: [{ id: 'ETH' }],
    venues: [
      { kind: 'triad', id: 'T', unit: 'U' },
      { kind: 'cpmm', id: 'upool', tokens: ['U', '1'], feeBps: 30 },
    ],
    agents: [
      createAgent({ kind: 'scripted', id: 'holder', balances: { '1': 2e6 + 1 }, actions: [{ do: 'forge', venue: 'T', du: 1e6, dv: 1e6, genesis: true }] }),
      createAgent({ kind: 'scripted', id: 'seeder', balances: { '1': 1e4 + poolU * poolPrice }, actions: [
        { do: 'forge', venue: 'T', du: poolU, dv: 0, genesis: true },
        { do: 'addLiquidity', venue: 'upool', amounts: [poolU, poolU * poolPrice], genesis: true },
      ] }),
      createAgent({ kind: 'arbitrageur', id: 'arb', venue: 'upool', triad: 'T', balances: { '1': 10_000, ETH: 1 }, ...o.arb } as AgentSpec),
    ],
    checkInvariants: true,
  };
}

describe('an arbitrageur with a triad', () => {
  for (const [name, poolPrice, direction] of [
    ['mints U and sells it in a pool that pays more than the triad', 1.25, 'mint-sell'],
    ['buys U in a pool that asks less than the triad and burns it', 0.8, 'buy-burn'],
  ] as const) {
    it(name, () => {
      // The state the arbitrageur sees before block 1: after the genesis forges and deposit (agents
      // keep state, so each run gets its own).
      const before = simulate({ ...world(poolPrice), blocks: 0 });
      const tri = before.venues.find((v) => v.id === 'T')!;
      const pool = before.venues.find((v) => v.id === 'upool')!;
      if (tri.kind !== 'triad' || pool.kind !== 'cpmm') throw new Error('venue kinds');
      const [x, y] = pool.reserves;
      const [s, o] = tri.supplies;
      // The best gain a brute-force scan of the gain written out above finds, within its 10,000 "1".
      const best = direction === 'mint-sell' ? bruteForce((a) => (2 * (Math.sqrt((s + a) * o) - Math.sqrt(s * o)) <= 10_000 ? mintSell(x, y, s, o, a) : 0), 1e5) : bruteForce((a) => buyBurn(x, y, s, o, a), Math.min(x * (1 - 1e-9), s));
      expect(best).toBeGreaterThan(1);
      const r = simulate(world(poolPrice));
      const arb = r.agents.find((a) => a.id === 'arb')!;
      expect(arb.txs).toEqual({ sent: 1, included: 1, reverted: 0, dropped: 0 });
      // Its "1" grew by that best gain (gas is free here; the grid's own spacing costs < 1e-6 of it),
      // and it holds no U: all it did is the one trade.
      const gain = arb.balances['1']! - 10_000;
      expect(gain).toBeGreaterThanOrEqual(best * (1 - 1e-9));
      expect(gain).toBeLessThanOrEqual(best * (1 + 1e-6));
      expect(arb.balances.U ?? 0).toBeLessThan(1e-9);
      // After it, the two venues' marginal prices of U bracket each other within the pool's fee.
      const t2 = r.venues.find((v) => v.id === 'T')!;
      const p2 = r.venues.find((v) => v.id === 'upool')!;
      if (t2.kind !== 'triad' || p2.kind !== 'cpmm') throw new Error('venue kinds');
      const triadPrice = t2.prices[0];
      expect(PHI * p2.price).toBeLessThanOrEqual(triadPrice * (1 + 1e-6));
      expect(p2.price / PHI).toBeGreaterThanOrEqual(triadPrice * (1 - 1e-6));
    });
  }

  it('leaves a gap worth less than its gas alone', () => {
    const cheap = simulate(world(1.01)).agents.find((a) => a.id === 'arb')!;
    expect(cheap.txs.sent).toBe(1);
    // 10 gwei × ~210,000 gas × $2000 ≈ $4 of gas against a gain of well under 1 "1" ($1).
    const dear = simulate(world(1.01, { baseFee: 10 })).agents.find((a) => a.id === 'arb')!;
    expect(dear.txs.sent).toBe(0);
    // Seen before each of the two blocks, and left alone.
    expect(dear.metrics.opportunities).toBe(2);
  });

  it('refuses a pool that does not trade the triad’s tokens against its "1"', () => {
    const config = world(1.25);
    const bad: SimConfig = { ...config, tokens: [{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }], venues: [config.venues[0]!, { kind: 'cpmm', id: 'upool', tokens: ['U', 'USD'], feeBps: 30 }] };
    expect(() => simulate(bad)).toThrow(/pool 'upool' must trade one of triad 'T's tokens against its "1"/);
  });
});
