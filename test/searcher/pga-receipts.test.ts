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
import type { SetupContext, TxView } from '../../sim/agent';
import { REVERT_NAMES, TX_STATUS_NAMES } from '../../sim/tx';
import { agent, lp, run, searcher, txsOf, world } from './helpers';

const market = { assets: [{ id: 'ETH', process: { kind: 'constant' as const, price: 2100 } }] };
const pga = (id: string) => searcher({ id, bid: { kind: 'pga', start: 1, increment: 1 }, every: 1, latency: { mempool: 0.01 }, strategies: { arbitrage: { venue: 'pool' } } });
/** An agent's arbitrage bids in the order it made them. */
const bidsOf = (r: ReturnType<typeof run>, id: string) => txsOf(r, id, 'arbitrage').sort((a, b) => a.id - b.id);

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
      // Every raise it sent was accepted.
      expect(m.raises).toBe(bids.length - 1);
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

describe('receipts in a PGA whose mempool latency (10 ms) is shorter than the network latency (50 ms)', () => {
  /**
   * A replaced bid is final (and seen final by its last observer) before its receipt has crossed the
   * network: its pooled object must not be recycled until then — else the receipt is lost and the
   * transaction reusing the object is receipted twice.
   */
  it('delivers one receipt for every final transaction, exactly once, with its own id and outcome', () => {
    const bidder = (id: string, mempool: number) => searcher({ id, bid: { kind: 'pga', start: 1, increment: 1 }, every: 1, latency: { mempool, network: 0.05 }, strategies: { arbitrage: { venue: 'pool' } } });
    // A third bidder watching the mempool more slowly sees the others' bids after they were replaced.
    const agents = [bidder('s0', 0.01), bidder('s1', 0.01), bidder('s2', 0.3)];
    const got = new Map<string, string[]>();
    for (const a of agents) {
      const onReceipt = a.onReceipt!.bind(a);
      got.set(a.id, []);
      a.onReceipt = (view, out, tx: TxView) => {
        got.get(a.id)!.push(`${tx.id}:${TX_STATUS_NAMES[tx.status]}:${REVERT_NAMES[tx.revert]}`);
        onReceipt(view, out, tx);
      };
    }
    // Three blocks: the auction ends in block 1, so every receipt is in before the run ends.
    const r = run(world([lp(), ...agents], { blocks: 3, market, chain: { replacementBump: 0.5 } }));
    for (const a of agents.slice(0, 2)) {
      const final = txsOf(r, a.id);
      expect(final.filter((t) => t.revert === 'REPLACED').length, `${a.id}: a real auction`).toBeGreaterThan(1);
      // Each id is final once, and receipted once, with the outcome the chain recorded for it.
      expect(new Set(final.map((t) => t.id)).size).toBe(final.length);
    }
    for (const a of agents) {
      const final = txsOf(r, a.id);
      const outcome = (t: { id: number; status: string; revert: string | null }) => `${t.id}:${t.status}:${t.revert ?? REVERT_NAMES[0]}`;
      expect([...got.get(a.id)!].sort(), a.id).toEqual(final.map(outcome).sort());
    }
  });
});
