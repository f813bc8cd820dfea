/**
 * Delivery with latency, mempool visibility, lagged reference prices and replacement, through the
 * whole engine. Blocks every 12 s (t = 12, 24, 36, …); base fee fixed at 10 gwei.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import type { Schedule } from '../../sim/agent';
import { amountOut, ETH, only, PAY_USD, POOL, POOL_ETH, POOL_USD, reserves, run, swapAt, TestAgent, txsOf, world } from './helpers';

const swap1000 = (id: string, t: number, network = 0, isPrivate = false) =>
  swapAt(
    id,
    t,
    (out) => {
      out.setPrivate(isPrivate);
      out.swap(POOL, PAY_USD, 1000, 0);
    },
    { latency: { network } },
  );

describe('network latency', () => {
  it.each([
    { sent: 3, latency: 8.5, arrives: 11.5, block: 1 },
    { sent: 3, latency: 20, arrives: 23, block: 2 },
    { sent: 0.5, latency: 30, arrives: 30.5, block: 3 },
    { sent: 3, latency: 21, arrives: 24, block: 2 },
  ])('delivers a transaction sent at $sent with latency $latency at $arrives, into block $block', ({ sent, latency, arrives, block }) => {
    const r = run(world({ blocks: 4, agents: [swap1000('trader', sent, latency)] }));
    const tx = only(r, 'trader');
    expect([tx.submitTime, tx.arrivalTime, tx.block]).toEqual([sent, arrives, block]);
  });

  it('puts a transaction arriving exactly at a block time into that block, whenever it was sent', () => {
    // Sent at 13 with 11 s latency: arrives at 24, the time of block 2 (like one sent at 3 with 21 s).
    const r = run(world({ blocks: 4, agents: [swap1000('trader', 13, 11)] }));
    const tx = only(r, 'trader');
    expect([tx.arrivalTime, tx.block]).toEqual([24, 2]);
  });
});

describe('agents acting every block', () => {
  it('see the number of the block about to be built, and their zero-latency transaction lands in it', () => {
    const seen: number[] = [];
    let sent = false;
    const agent = new TestAgent('every-block', {
      schedule: { kind: 'block' },
      balances: { ETH: 10, USD: 10_000 },
      act: (view, out) => {
        seen.push(view.block);
        if (!sent) out.swap(POOL, PAY_USD, 1000, 0);
        sent = true;
      },
    });
    const r = run(world({ blocks: 3, agents: [agent] }));
    expect(only(r, 'every-block').block).toBe(1);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('include a scripted action for block 2 in block 2', () => {
    const scripted = createAgent({
      kind: 'scripted',
      id: 'script',
      balances: { ETH: 10, USD: 10_000 },
      actions: [{ do: 'swap', venue: 'pool', pay: 'USD', amount: 1000, block: 2 }],
    });
    expect(only(run(world({ blocks: 3, agents: [scripted] })), 'script').block).toBe(2);
  });
});

describe('mempool visibility', () => {
  /** Records (time, sender id) of every transaction it is shown, and acts at `t` if given. */
  function watcher(id: string, mempool: number, log: [number, number][], act?: number): TestAgent {
    return new TestAgent(id, {
      balances: { ETH: 10, USD: 10_000 },
      latency: { mempool },
      ...(act === undefined ? {} : { schedule: { kind: 'interval', seconds: 1e9, offset: act } as Schedule, act: (_v, out) => void out.swap(POOL, PAY_USD, 100, 0) }),
      onMempool: (view, _out, tx) => log.push([view.time, tx.agent]),
    });
  }

  it('shows a public transaction at its arrival plus the watcher’s mempool latency, never a private one or the watcher’s own', () => {
    const fast: [number, number][] = [];
    const slow: [number, number][] = [];
    const late: [number, number][] = [];
    const r = run(
      world({
        blocks: 2,
        agents: [
          swap1000('public', 2, 3), // arrives at 5
          swap1000('private', 2, 0, true),
          watcher('fast', 0, fast, 1), // sends its own at 1
          watcher('slow', 4, slow),
          // Would see the public transaction at 25, after block 1 (t = 12) included it.
          watcher('late', 20, late),
        ],
      }),
    );
    const ids = r.sim.config.agents.map((a) => a.id);
    const named = (log: [number, number][]) => log.map(([t, a]) => [t, ids[a]]);
    expect(named(fast)).toEqual([[5, 'public']]);
    expect(named(slow)).toEqual([
      [5, 'fast'],
      [9, 'public'],
    ]);
    expect(late).toEqual([]);
    expect(only(r, 'private').block).toBe(1);
  });

  it('lists in view.mempool() only public, visible, pending transactions of others', () => {
    const snapshots: Record<number, string[]> = {};
    let ids: string[] = [];
    const looker = new TestAgent('looker', {
      balances: { ETH: 10, USD: 10_000 },
      latency: { mempool: 5 },
      schedule: { kind: 'interval', seconds: 1, offset: 1 },
      act: (view, out) => {
        if (view.time === 1) out.swap(POOL, PAY_USD, 100, 0);
        if ([3, 7, 10, 13].includes(view.time)) snapshots[view.time] = view.mempool().map((tx) => ids[tx.agent]!);
      },
    });
    const config = world({
      blocks: 2,
      agents: [swap1000('public', 1), swap1000('private', 1, 0, true), swap1000('later', 4), looker],
    });
    ids = config.agents.map((a) => a.id);
    run(config);
    expect(snapshots).toEqual({
      3: [], // nothing has been in the mempool for 5 s yet
      7: ['public'], // arrived at 1; 'later' arrived at 4, visible from 9
      10: ['public', 'later'],
      13: [], // block 1 included them all
    });
  });
});

/**
 * A sender that swaps at t = 1 (tip 3, max fee 50) and at t = 5 asks to replace it with the given
 * fees; `first` is the id of the original, `accepted` whether the replacement was created.
 */
function replacingSender(priorityFee: number, maxFee: number): { agent: TestAgent; first: () => number; accepted: () => boolean | null } {
  let first = -1;
  let accepted: boolean | null = null;
  const agent = new TestAgent('sender', {
    balances: { ETH: 10, USD: 10_000 },
    schedule: { kind: 'interval', seconds: 4, offset: 1 },
    act: (view, out) => {
      if (view.time === 1) {
        out.setPriorityFee(3);
        const tx = out.swap(POOL, PAY_USD, 1000, 0);
        tx.maxFee = 50;
        first = tx.id;
      } else if (view.time === 5) accepted = out.replace(first, priorityFee, maxFee) !== null;
    },
  });
  return { agent, first: () => first, accepted: () => accepted };
}

describe('mempool visibility after a replacement', () => {
  it('shows only the replacement in view.mempool(), not the transaction it replaced', () => {
    let shown: number[] = [];
    const looker = new TestAgent('looker', {
      schedule: { kind: 'interval', seconds: 1e9, offset: 7 },
      act: (view) => void (shown = view.mempool().map((tx) => tx.priorityFee)),
    });
    run(world({ blocks: 1, agents: [replacingSender(6, 100).agent, looker] }));
    expect(shown).toEqual([6]);
  });
});

describe('reference price latency', () => {
  it('shows an agent with price latency 24 s the price of two 12 s ticks ago', () => {
    const path: [number, number][] = [[0, 100], [12, 110], [24, 120], [36, 130], [48, 140]];
    const logs: Record<string, number[][]> = { fresh: [], lagged: [] };
    const reader = (id: string, price: number) =>
      new TestAgent(id, { schedule: { kind: 'block' }, latency: { price }, act: (view) => void logs[id]!.push([view.time, view.refPrice(0), view.priceUsd(ETH)]) });
    run(world({ blocks: 5, market: { assets: [{ id: 'ETH', process: { kind: 'path', points: path } }] }, agents: [reader('fresh', 0), reader('lagged', 24)] }));
    expect(logs.fresh).toEqual([[12, 110, 110], [24, 120, 120], [36, 130, 130], [48, 140, 140], [60, 140, 140]]);
    // At t the lagged agent sees the tick at t − 24 (the start of the path before time 0).
    expect(logs.lagged).toEqual([[12, 100, 100], [24, 100, 100], [36, 110, 110], [48, 120, 120], [60, 130, 130]]);
  });
});

describe('replacement', () => {
  /** Two blocks of the replacing sender alone: its transactions as [old/new, status, revert, block, tip paid]. */
  function replacer(priorityFee: number, maxFee: number) {
    const sender = replacingSender(priorityFee, maxFee);
    const r = run(world({ blocks: 2, agents: [sender.agent] }));
    // The tip actually paid is meaningful only for the included one.
    const first = sender.first();
    const txs = txsOf(r, 'sender').map((t) => [t.id === first ? 'old' : 'new', t.status, t.revert, t.block, t.status === 'included' ? t.effectivePriority : null]);
    return { r, first, accepted: sender.accepted(), txs };
  }

  it('replaces a pending transaction when both fees rise by at least 10%: the old is dropped REPLACED, the new included', () => {
    const { r, txs, accepted } = replacer(3.6, 60);
    expect(accepted).toBe(true);
    expect(txs).toEqual([
      ['old', 'dropped', 'REPLACED', -1, null],
      ['new', 'included', 'NONE', 1, 3.6],
    ]);
    // The swap ran once.
    expect(reserves(r)).toEqual([POOL_ETH - amountOut(1000, POOL_USD, POOL_ETH), POOL_USD + 1000]);
  });

  it('accepts a raise of exactly 10% (3 → 3.3 gwei tip, 50 → 55 gwei max fee)', () => {
    expect(replacer(3.3, 55).txs.map((t) => t.slice(0, 3))).toEqual([
      ['old', 'dropped', 'REPLACED'],
      ['new', 'included', 'NONE'],
    ]);
  });

  it.each([
    { fee: 3.15, max: 60, why: 'the tip rises by only 5%' },
    { fee: 6, max: 54, why: 'the max fee rises by only 8%' },
    { fee: 6, max: 50, why: 'only the tip rises (the max fee is unchanged): geth needs both' },
    { fee: 3, max: 100, why: 'only the max fee rises (the tip is unchanged)' },
  ])('rejects a replacement when $why: the new one is dropped REPLACEMENT_REJECTED, the old one included', ({ fee, max }) => {
    expect(replacer(fee, max).txs).toEqual([
      ['new', 'dropped', 'REPLACEMENT_REJECTED', -1, null],
      ['old', 'included', 'NONE', 1, 3],
    ]);
  });

  it('refuses to let another agent replace a transaction', () => {
    let victimTx = -1;
    let answer: boolean | null = null;
    const victim = swapAt('victim', 1, (out) => void (victimTx = out.swap(POOL, PAY_USD, 1000, 0).id));
    const other = swapAt('other', 5, (out) => void (answer = out.replace(victimTx, 100, 1000) !== null));
    const r = run(world({ blocks: 1, agents: [victim, other] }));
    expect(answer).toBe(false);
    expect(txsOf(r, 'other')).toEqual([]);
    expect(only(r, 'victim').status).toBe('included');
  });
});
