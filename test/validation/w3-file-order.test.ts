/**
 * W3 — file order buys nothing (VALIDATION.md). Two identical arbitrageurs (same balances, same
 * fixed 1-gwei bid, every block, no latency) contest the same pool: each block both see the same gap
 * and send the same trade at the same instant, so their transactions tie in effective priority and
 * arrival time; the winner takes the arbitrage, the loser reverts on its bound and pays gas. The
 * builder breaks that tie by a seeded draw keyed on (seed, block, sender id, nonce), never by the
 * agents' order in the file. Over a fixed list of 200 seeds, d = A's P&L listed first − A's P&L
 * listed second (same seed) must average zero within 3 standard errors. Identical agents hold the
 * same, so the difference of `pnl.total` is the difference of edge.
 *
 * Sensitivity: under the tie-break this replaced (arrival sequence, i.e. file order) the first-listed
 * twin won every tie, and this test failed: mean d = +$9.49 at a standard error of $1.89 (5.0 s.e.),
 * 198 of 200 differences non-zero. Now d is 0 for every seed (the draw is keyed on ids, not places).
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import type { SimConfig } from '../../sim/config';
import { simulate } from '../../sim/simulation';

const SEEDS = Array.from({ length: 200 }, (_, i) => 1000 + i);
const BLOCKS = 150;

function config(seed: number, aFirst: boolean): SimConfig {
  const twin = (id: string) => createAgent({ kind: 'arbitrageur', id, venue: 'pool', bid: { kind: 'fixed', gwei: 1 }, balances: { ETH: 100, USD: 200_000 } });
  const [a, b] = [twin('twin-a'), twin('twin-b')];
  return {
    seed,
    blocks: BLOCKS,
    chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: 10, mode: 'fixed' }, ordering: 'priority' },
    market: { assets: [{ id: 'ETH', process: { kind: 'gbm', price: 2000, sigma: 0.8 } }] },
    tokens: [{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }],
    venues: [{ kind: 'cpmm', id: 'pool', tokens: ['ETH', 'USD'], feeBps: 5 }],
    agents: [createAgent({ kind: 'lp', id: 'lp', venue: 'pool', balances: { ETH: 1000, USD: 2_000_000 } }), ...(aFirst ? [a, b] : [b, a])],
  };
}

/** Twin A's P&L, and the ties each twin lost (its arbitrages reverted behind the other's). */
function outcome(seed: number, aFirst: boolean): { total: number; lostByA: number; lostByB: number } {
  const r = simulate(config(seed, aFirst));
  const a = r.agents.find((x) => x.id === 'twin-a')!;
  const b = r.agents.find((x) => x.id === 'twin-b')!;
  return { total: a.pnl.total, lostByA: a.txs.reverted, lostByB: b.txs.reverted };
}

describe('W3: two identical agents listed in either order', () => {
  it('get the same expected edge: the paired difference over 200 seeds averages 0 within 3 standard errors', () => {
    const d: number[] = [];
    let lostByA = 0;
    let lostByB = 0;
    let swing = 0;
    for (const seed of SEEDS) {
      const first = outcome(seed, true);
      const second = outcome(seed, false);
      d.push(first.total - second.total);
      lostByA += first.lostByA + second.lostByA;
      lostByB += first.lostByB + second.lostByB;
      swing += Math.abs(first.total);
    }
    const n = d.length;
    const mean = d.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
    const se = sd / Math.sqrt(n);
    const nonzero = d.filter((x) => x !== 0).length;
    console.log(`W3: ${n} seeds × ${BLOCKS} blocks; mean d = ${mean.toFixed(4)} USD, s.e. ${se.toFixed(4)} (${nonzero} of ${n} differences non-zero); ties lost by A ${lostByA}, by B ${lostByB}; mean |P&L of A| ${(swing / n).toFixed(0)} USD`);
    // The ties are there to be broken, and the draw breaks them both ways, about evenly (4 sd of a fair coin).
    const ties = lostByA + lostByB;
    expect(ties).toBeGreaterThan(2 * n);
    expect(Math.abs(lostByA / ties - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / ties));
    // With the draw keyed on ids, the difference is in fact 0 for every seed; the statistical test is
    // the contract (VALIDATION.md W3), ≤ rather than < so that an exact 0 (s.e. 0) passes.
    expect(Math.abs(mean)).toBeLessThanOrEqual(3 * se);
  });
});
