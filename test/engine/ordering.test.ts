/**
 * Block ordering rules through the whole engine: agents send swaps between blocks (base fee fixed at
 * 10 gwei), the builder orders them, and the order is read from each receipt's `position` — or from
 * which swap got the better price.
 */
import { describe, expect, it } from 'vitest';
import type { Ordering } from '../../sim/config';
import { amountOut, blockOrder, expectClose, only, PAY_USD, POOL, POOL_ETH, POOL_USD, run, swapAt, world, TestAgent } from './helpers';

/** A swap of `usd` USD for ETH sent at time `t` with the given fees (maxFee default: 2 × base + tip). */
function bidder(id: string, t: number, priorityFee: number, maxFee?: number, latency = 0, usd = 1000): TestAgent {
  return swapAt(
    id,
    t,
    (out) => {
      out.setPriorityFee(priorityFee);
      const tx = out.swap(POOL, PAY_USD, usd, 0);
      if (maxFee !== undefined) tx.maxFee = maxFee;
    },
    { latency: { network: latency } },
  );
}

const SEEDS = Array.from({ length: 24 }, (_, i) => i + 1);

const runWith = (ordering: Ordering, agents: TestAgent[], seed: number | string = 1) =>
  run(world({ blocks: 1, seed, chain: { ordering }, agents }));

describe('priority ordering', () => {
  it('orders by effective priority fee min(priorityFee, maxFee − baseFee), highest first', () => {
    const r = runWith('priority', [
      bidder('low', 0.5, 1),
      // Bids 5 gwei but its max fee leaves room for only 12 − 10 = 2.
      bidder('capped', 1, 5, 12),
      bidder('high', 2, 3, 100),
      bidder('medium', 3, 2.5, 100),
    ]);
    expect(blockOrder(r, 1)).toEqual(['high', 'medium', 'capped', 'low']);
    expect(only(r, 'capped').effectivePriority).toBe(2);
    expect(only(r, 'high').effectivePriority).toBe(3);
  });

  it('pays the capped bidder only its effective priority: the proposer gets gas × 2 gwei from it, not × 5', () => {
    const r = runWith('priority', [bidder('capped', 1, 5, 12)]);
    expect(only(r, 'capped').gasUsed).toBe(110_000);
    expectClose(r.result.builder.priorityFeesNative, 110_000 * 2 * 1e-9);
    expectClose(r.result.builder.burnedNative, 110_000 * 10 * 1e-9);
  });

  it('breaks a tie in effective priority by arrival time, not by submission time or agent order', () => {
    const r = runWith('priority', [
      // Sent first, but 6 s on the wire: arrives at t = 7.
      bidder('slow', 1, 3, 100, 6),
      // Sent later, arrives at t = 3.
      bidder('fast', 2, 3, 100, 1),
      // Same effective priority (3) through the max fee cap: 13 − 10; arrives at t = 5.
      bidder('capped', 5, 9, 13),
    ]);
    expect(blockOrder(r, 1)).toEqual(['fast', 'capped', 'slow']);
    expect(only(r, 'slow').arrivalTime).toBe(7);
    expect(only(r, 'fast').arrivalTime).toBe(3);
  });

  it('breaks a tie in effective priority and arrival time by a seeded draw, not by file order', () => {
    // Both wake at t = 4 with no latency: the first-listed agent wakes (and arrives) first, at the same time.
    const firsts = SEEDS.map((seed) => {
      const ab = blockOrder(runWith('priority', [bidder('a', 4, 2), bidder('b', 4, 2), bidder('tipper', 4, 2.5)], seed), 1);
      const ba = blockOrder(runWith('priority', [bidder('b', 4, 2), bidder('tipper', 4, 2.5), bidder('a', 4, 2)], seed), 1);
      expect(ab, `seed ${seed}`).toEqual(ba);
      expect(ab[0]).toBe('tipper');
      return ab[1];
    });
    // Each wins some seeds: the draw decides, not a fixed rule.
    const aFirst = firsts.filter((x) => x === 'a').length;
    expect(aFirst).toBeGreaterThan(0);
    expect(aFirst).toBeLessThan(SEEDS.length);
  });

  it('keeps two agents’ tie draws when a third agent sends more transactions (common random numbers)', () => {
    // Under the old shared-sequence tie-break, C's extra transactions would shift everyone after it.
    const pair = (agents: TestAgent[], seed: number) => blockOrder(runWith('priority', agents, seed), 1).filter((id) => id === 'a' || id === 'b');
    const many = (id: string) =>
      swapAt(id, 4, (out) => {
        out.setPriorityFee(2);
        for (let k = 0; k < 3; k++) out.swap(POOL, PAY_USD, 100, 0);
      });
    for (const seed of SEEDS) {
      const alone = pair([bidder('a', 4, 2), bidder('b', 4, 2)], seed);
      expect(pair([many('c'), bidder('a', 4, 2), bidder('b', 4, 2)], seed), `seed ${seed}`).toEqual(alone);
      expect(pair([bidder('b', 4, 2), many('c'), bidder('a', 4, 2)], seed), `seed ${seed}`).toEqual(alone);
    }
  });

  it('gives the higher bidder the better price: the first swap trades against the untouched pool', () => {
    const r = runWith('priority', [bidder('cheap', 1, 1, undefined, 0, 10_000), bidder('rich', 2, 4, undefined, 0, 10_000)]);
    // rich: Δx = x·φΔy / (y + φΔy) on (100, 200000); cheap on what rich left.
    const richOut = amountOut(10_000, POOL_USD, POOL_ETH);
    const cheapOut = amountOut(10_000, POOL_USD + 10_000, POOL_ETH - richOut);
    expect(only(r, 'rich').outA).toBe(richOut);
    expect(only(r, 'cheap').outA).toBe(cheapOut);
    expect(cheapOut).toBeLessThan(richOut);
  });
});

describe('first-come-first-served ordering', () => {
  it('orders by arrival time whatever the fees', () => {
    const r = runWith('fcfs', [
      bidder('rich-late', 1, 50, 100, 8), // arrives t = 9
      bidder('poor-early', 2, 0, undefined, 0), // arrives t = 2
      bidder('middle', 3, 10, 100, 2), // arrives t = 5
    ]);
    expect(blockOrder(r, 1)).toEqual(['poor-early', 'middle', 'rich-late']);
  });

  it('lets the earlier arrival get the better price even against a higher bid', () => {
    const r = runWith('fcfs', [bidder('rich', 3, 40, 100, 0, 10_000), bidder('early', 1, 0, undefined, 0, 10_000)]);
    const earlyOut = amountOut(10_000, POOL_USD, POOL_ETH);
    expect(only(r, 'early').outA).toBe(earlyOut);
    expect(only(r, 'rich').outA).toBe(amountOut(10_000, POOL_USD + 10_000, POOL_ETH - earlyOut));
  });

  it('breaks a tie in arrival time by the seeded draw, not by file order', () => {
    const firsts = SEEDS.map((seed) => {
      const ab = blockOrder(runWith('fcfs', [bidder('a', 4, 0), bidder('b', 4, 9)], seed), 1);
      expect(blockOrder(runWith('fcfs', [bidder('b', 4, 9), bidder('a', 4, 0)], seed), 1), `seed ${seed}`).toEqual(ab);
      return ab[0];
    });
    expect(new Set(firsts).size).toBe(2);
  });

  it('puts a transaction sent the instant another arrived (no mempool or network latency) after it, for every seed', () => {
    // 'a' is sent at t = 3 and arrives at 4; 'r' sees it there with no lag and reacts with no network
    // latency: the same arrival time, but after it — the seeded draw must not reorder cause and effect.
    const reactor = () =>
      new TestAgent('r', {
        balances: { ETH: 10, USD: 100_000 },
        latency: { mempool: 0, network: 0 },
        onMempool: (_view, out, tx) => void (tx.agent !== _view.self && out.swap(POOL, PAY_USD, 1000, 0)),
      });
    for (const seed of SEEDS) {
      const r = runWith('fcfs', [bidder('a', 3, 0, undefined, 1), reactor()], seed);
      expect(r.txs.filter((t) => t.block === 1).map((t) => t.arrivalTime)).toEqual([4, 4]);
      expect(blockOrder(r, 1), `seed ${seed}`).toEqual(['a', 'r']);
    }
  });

  it('differs from priority ordering on the same flow', () => {
    const flow = () => [bidder('a', 1, 0), bidder('b', 2, 7), bidder('c', 3, 3)];
    expect(blockOrder(runWith('fcfs', flow()), 1)).toEqual(['a', 'b', 'c']);
    expect(blockOrder(runWith('priority', flow()), 1)).toEqual(['b', 'c', 'a']);
  });
});

describe('random ordering', () => {
  const ids = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'];
  // Distinct fees and arrival times, so any rule but random would give one fixed order.
  const flow = () => ids.map((id, i) => bidder(id, 1 + i, 8 - i));
  const order = (seed: number | string) => {
    const r = runWith('random', flow(), seed);
    expect(r.txs.map((t) => t.position).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    return blockOrder(r, 1);
  };

  it('includes every transaction exactly once, in some order', () => {
    expect([...order(1)].sort()).toEqual(ids);
  });

  it('gives the same order whatever the agents’ order in the file, even when all arrive at once', () => {
    const together = () => ids.map((id, i) => bidder(id, 4, 8 - i));
    for (const seed of [1, 2, 3]) {
      expect(blockOrder(runWith('random', together().reverse(), seed), 1)).toEqual(blockOrder(runWith('random', together(), seed), 1));
    }
  });

  it('gives the same order for the same seed', () => {
    expect(order('x')).toEqual(order('x'));
    expect(order(7)).toEqual(order(7));
  });

  it('gives different orders for different seeds, not always the arrival or fee order', () => {
    const orders = [1, 2, 3, 4, 5, 6].map((s) => order(s).join(','));
    expect(new Set(orders).size).toBeGreaterThan(1);
    expect(orders.filter((o) => o === ids.join(',')).length).toBeLessThan(orders.length);
  });
});
