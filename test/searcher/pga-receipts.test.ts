/**
 * A priority gas auction under the chain's replacement rule (issue 10 §2). Two searchers race for
 * one public arbitrage (the pool at 2000 USD/ETH, ETH at $2100 off-chain) raising by replacement,
 * on a chain whose mempool asks for a 50 % bump (`chain.replacementBump: 0.5`):
 * - searchers reading the rule raise by at least 50 %, and every raise is accepted;
 * - a searcher that raises by less (told a 0 % rule here, to force the case) has each raise
 *   rejected (REPLACEMENT_REJECTED) and keeps tracking its bid that is still pending: it sends no
 *   second arbitrage beside it.
 */
import { describe, expect, it } from 'vitest';
import type { SetupContext } from '../../sim/agent';
import { agent, lp, run, searcher, txsOf, world } from './helpers';

const market = { assets: [{ id: 'ETH', process: { kind: 'constant' as const, price: 2100 } }] };
const pga = (id: string) => searcher({ id, bid: { kind: 'pga', start: 1, increment: 1 }, every: 1, latency: { mempool: 0.01 }, strategies: { arbitrage: { venue: 'pool' } } });
/**
 * An agent's arbitrage bids in the order it made them, one record each (the engine today can hand a
 * replaced transaction's pooled object to a later transaction before its receipt, which then
 * appears twice: an engine matter, outside what this test checks).
 */
function bidsOf(r: ReturnType<typeof run>, id: string) {
  const byId = new Map(txsOf(r, id, 'arbitrage').map((t) => [t.id, t]));
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

const race = (agents: ReturnType<typeof searcher>[]) => run(world([lp(), ...agents], { blocks: 2, market, chain: { replacementBump: 0.5 } }));

describe('a PGA on a chain asking for a 50 % bump', () => {
  it('raises by at least 50 % each time, and the mempool accepts every raise', () => {
    const r = race([pga('s0'), pga('s1')]);
    for (const id of ['s0', 's1']) {
      const bids = bidsOf(r, id);
      expect(bids.filter((t) => t.revert === 'REPLACEMENT_REJECTED')).toEqual([]);
      // Every bid but the last was replaced; each raised the fee by at least half.
      expect(bids.slice(0, -1).every((t) => t.revert === 'REPLACED')).toBe(true);
      expect(bids.length).toBeGreaterThan(1);
      for (let i = 1; i < bids.length; i++) expect(bids[i]!.priorityFee).toBeGreaterThanOrEqual(1.5 * bids[i - 1]!.priorityFee * (1 - 1e-12));
      const m = agent(r, id).metrics;
      // Every raise it sent was accepted (a lost record, above, can only hide a bid).
      expect(m.raises).toBeGreaterThanOrEqual(bids.length - 1);
      expect(m.raisesAttempted).toBe(m.raises);
    }
    // One arbitrage landed.
    expect(r.txs.filter((t) => t.tag === 'arbitrage' && t.status === 'included')).toHaveLength(1);
  });

  it('a raise the mempool rejects leaves the searcher tracking its bid still pending: no second attempt', () => {
    const low = pga('low');
    const setup = low.setup!.bind(low);
    low.setup = (ctx: SetupContext) => setup({ ...ctx, replacementBump: 0 });
    const r = race([low, pga('rival')]);
    const bids = bidsOf(r, 'low');
    const rejected = bids.filter((t) => t.revert === 'REPLACEMENT_REJECTED');
    expect(rejected.length).toBeGreaterThan(0);
    // Beside the rejected raises: its one opening bid, final in block 1 (behind the rival's or ahead of it).
    const others = bids.filter((t) => t.revert !== 'REPLACEMENT_REJECTED');
    expect(others.map((t) => t.block)).toEqual([1]);
    const m = agent(r, 'low').metrics;
    expect([m.raises, m.raisesAttempted, m.arbitragesAttempted]).toEqual([0, rejected.length, 1]);
  });
});
