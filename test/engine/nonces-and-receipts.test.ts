/**
 * Account nonces, replacement, cancellation, mempool expiry and receipts, through the whole engine
 * (base fee fixed at 10 gwei, 12 s blocks, priority order). Agents act at chosen seconds; what they
 * learn is read from their onReceipt calls, what the chain did from the finality records.
 */
import { describe, expect, it } from 'vitest';
import type { AgentLatencies, Outbox, TxView, View } from '../../sim/agent';
import { Stream } from '../../sim/rng';
import { Simulation } from '../../sim/simulation';
import { REVERT_NAMES, TX_STATUS_NAMES, TxStatus } from '../../sim/tx';
import { agentResult, blockOrder, PAY_USD, POOL, POOL_ETH, POOL_USD, reserves, run, swapAt, TestAgent, txsOf, world, type TxRecord } from './helpers';

type Step = (view: View, out: Outbox) => void;

interface Receipt {
  id: number;
  time: number;
  status: string;
  revert: string;
  block: number;
  gasUsed: number;
  nonce: number;
}

/** An agent woken every second from t = 1 that runs `plan[t]` when there is one, and logs its receipts. */
function stepper(id: string, plan: Record<number, Step>, o: { latency?: AgentLatencies; onReceipt?: (view: View, out: Outbox, tx: TxView) => void } = {}) {
  const receipts: Receipt[] = [];
  const agent = new TestAgent(id, {
    balances: { ETH: 10, USD: 100_000 },
    ...(o.latency ? { latency: o.latency } : {}),
    schedule: { kind: 'interval', seconds: 1, offset: 1 },
    act: (view, out) => plan[view.time]?.(view, out),
    onReceipt: (view, out, tx) => {
      receipts.push({ id: tx.id, time: view.time, status: TX_STATUS_NAMES[tx.status]!, revert: REVERT_NAMES[tx.revert]!, block: tx.block, gasUsed: tx.gasUsed, nonce: tx.nonce });
      o.onReceipt?.(view, out, tx);
    },
  });
  return { agent, receipts };
}

/** A 1000-USD swap with the given fees. */
function buy(out: Outbox, priorityFee: number, maxFee?: number) {
  out.setPriorityFee(priorityFee);
  const tx = out.swap(POOL, PAY_USD, 1000, 0);
  if (maxFee !== undefined) tx.maxFee = maxFee;
  return tx;
}

const brief = (t: TxRecord) => [t.nonce, t.status, t.revert, t.block];
/** Records in chain order: dropped ones (block −1) first, then by block and position. */
const chainOrder = (txs: TxRecord[]) => [...txs].sort((x, y) => x.block - y.block || x.position - y.position);

describe('nonces', () => {
  it('numbers a sender’s transactions 0, 1, 2, … and the wallet nonce counts the ones still waiting', () => {
    const seen: number[] = [];
    const a = stepper('a', {
      1: (view, out) => {
        seen.push(view.nonce());
        buy(out, 1);
        seen.push(view.nonce());
        buy(out, 1);
      },
      2: (view) => void seen.push(view.nonce(), view.pendingCount(), view.accountNonce(view.self)),
      13: (view, out) => {
        seen.push(view.nonce(), view.pendingCount(), view.accountNonce(view.self));
        buy(out, 1);
      },
    });
    const r = run(world({ blocks: 2, agents: [a.agent] }));
    // The wallet nonce, the count still waiting, the account nonce on chain (0 before block 1, 2 after).
    expect(seen).toEqual([0, 1, 2, 2, 0, 2, 0, 2]);
    expect(txsOf(r, 'a').map(brief)).toEqual([
      [0, 'included', 'NONE', 1],
      [1, 'included', 'NONE', 1],
      [2, 'included', 'NONE', 2],
    ]);
  });

  it('keeps a transaction behind a nonce gap waiting, then runs it right after its predecessor, ahead of lower bids', () => {
    let first = -1;
    const a = stepper('a', {
      1: (_view, out) => {
        // Nonce 0 bids a max fee under the base fee: it cannot be included, and nonce 1 (5 gwei) waits behind it.
        first = buy(out, 1, 5).id;
        buy(out, 5);
      },
      // Resent with a max fee that clears the base fee: both go in block 2.
      13: (_view, out) => void out.replace(first, 2, 30),
    });
    const r = run(world({ blocks: 2, agents: [a.agent, swapAt('b', 13, (out) => void buy(out, 3)), swapAt('c', 13, (out) => void buy(out, 1))] }));
    expect(blockOrder(r, 1)).toEqual([]);
    // By bid: a's nonce 1 (5) is ahead of its nonce; b (3), a's nonce 0 (2), then a's nonce 1 at once, then c (1).
    expect(blockOrder(r, 2)).toEqual(['b', 'a', 'a', 'c']);
    const own = txsOf(r, 'a').filter((t) => t.block === 2).sort((x, y) => x.position - y.position);
    expect(own.map((t) => [t.nonce, t.priorityFee])).toEqual([
      [0, 2],
      [1, 5],
    ]);
    expect(txsOf(r, 'a').find((t) => t.id === first)!.revert).toBe('REPLACED');
  });

  it('drops a transaction whose nonce was used meanwhile (NONCE_USED), paying no gas', () => {
    let first = -1;
    const pending: string[][] = [];
    const a = stepper(
      'a',
      {
        1: (_view, out) => void (first = buy(out, 1).id),
        // The first is included at t = 12, but the receipt arrives only at t = 14: the agent still sees it pending.
        11: (_view, out) => void out.replace(first, 2, 100),
        13: (view) => void pending.push(view.ownPending().map((t) => `${t.id === first ? 'first' : 'second'}:${TX_STATUS_NAMES[t.status]}:${t.block}`)),
        15: (view) => void pending.push(view.ownPending().map((t) => `${TX_STATUS_NAMES[t.status]}`)),
      },
      { latency: { network: 2 } },
    );
    const r = run(world({ blocks: 3, agents: [a.agent] }));
    expect(txsOf(r, 'a').map((t) => [t.id === first ? 'first' : 'second', ...brief(t), t.gasUsed])).toEqual([
      ['first', 0, 'included', 'NONE', 1, 110_000],
      ['second', 0, 'dropped', 'NONCE_USED', -1, 0],
    ]);
    expect(a.receipts.map((x) => [x.id === first ? 'first' : 'second', x.time, x.status, x.revert])).toEqual([
      ['first', 14, 'included', 'NONE'],
      ['second', 26, 'dropped', 'NONCE_USED'],
    ]);
    // At t = 13 the first reads as pending (final, its receipt still travelling); the second, refused on
    // arrival, never was pending: it reads in flight until its receipt says NONCE_USED.
    expect(pending).toEqual([['first:pending:-1', 'second:in-flight:-1'], ['in-flight']]);
    expect(agentResult(r, 'a').balances.ETH).toBeCloseTo(10 + txsOf(r, 'a')[0]!.outA - 110_000 * 11e-9, 12);
  });
});

describe('a bundle and a public transaction with the same nonce', () => {
  /** At t = 1 the agent bundles one swap of its own (tip 3); at t = 2 it resends it publicly with the given fees. */
  function race(priorityFee: number, maxFee: number) {
    let leg = -1;
    const a = stepper('a', {
      1: (_view, out) => {
        out.setPriorityFee(3);
        const tx = out.swap(POOL, PAY_USD, 1000, 0);
        leg = tx.id;
        out.bundle([tx]);
      },
      2: (_view, out) => void out.replace(leg, priorityFee, maxFee),
    });
    const r = run(world({ blocks: 1, agents: [a.agent] }));
    return chainOrder(txsOf(r, 'a')).map((t) => [t.id === leg ? 'bundle' : 'public', ...brief(t)]);
  }

  it('drops the public one NONCE_USED once the bundle has used the nonce (it could not enter the block)', () => {
    expect(race(1, 5)).toEqual([
      ['public', 0, 'dropped', 'NONCE_USED', -1],
      ['bundle', 0, 'included', 'NONE', 1],
    ]);
  });

  it('fails the bundle when the public one, outbidding it, used the nonce first', () => {
    expect(race(50, 1000)).toEqual([
      ['bundle', 0, 'dropped', 'BUNDLE_FAILED', -1],
      ['public', 0, 'included', 'NONE', 1],
    ]);
  });
});

describe('cancellation', () => {
  it('replaces a pending swap by a transaction with no calls, included at the intrinsic gas', () => {
    let first = -1;
    const a = stepper('a', {
      1: (_view, out) => void (first = buy(out, 1, 50).id),
      2: (_view, out) => void out.cancel(first, 2, 60),
    });
    const r = run(world({ blocks: 1, agents: [a.agent] }));
    expect(txsOf(r, 'a').map((t) => [t.id === first ? 'swap' : 'cancel', t.status, t.revert, t.callCount, t.gasUsed])).toEqual([
      ['swap', 'dropped', 'REPLACED', 1, 0],
      ['cancel', 'included', 'NONE', 0, 21_000],
    ]);
    expect(reserves(r)).toEqual([POOL_ETH, POOL_USD]);
    const bal = agentResult(r, 'a').balances;
    expect(bal.USD).toBe(100_000);
    expect(bal.ETH).toBeCloseTo(10 - 21_000 * 12e-9, 15);
  });

  it('is rejected like any replacement when only the tip rises, and the swap goes through', () => {
    let first = -1;
    const a = stepper('a', {
      1: (_view, out) => void (first = buy(out, 1, 50).id),
      2: (_view, out) => void out.cancel(first, 2, 50),
    });
    const r = run(world({ blocks: 1, agents: [a.agent] }));
    expect(txsOf(r, 'a').map((t) => [t.id === first ? 'swap' : 'cancel', t.status, t.revert])).toEqual([
      ['cancel', 'dropped', 'REPLACEMENT_REJECTED'],
      ['swap', 'included', 'NONE'],
    ]);
  });

  it('returns null for a transaction that is not the agent’s own', () => {
    let other = -1;
    let answer: unknown = 'unset';
    const victim = swapAt('victim', 1, (out) => void (other = buy(out, 1).id));
    const a = stepper('a', { 2: (_view, out) => void (answer = out.cancel(other, 5, 100)) });
    run(world({ blocks: 1, agents: [victim, a.agent] }));
    expect(answer).toBeNull();
  });
});

describe('mempool expiry', () => {
  it('defaults to 3 hours of blocks (geth’s pool lifetime)', () => {
    expect(new Simulation(world({ agents: [] })).kernel.mempoolTtl).toBe(900);
    expect(new Simulation(world({ agents: [], chain: { blockTime: 2 } })).kernel.mempoolTtl).toBe(5400);
  });

  it.each([0, 1.5])('refuses mempoolTtl = %s', (ttl) => {
    expect(() => new Simulation(world({ agents: [], chain: { mempoolTtl: ttl } }))).toThrow(/chain\.mempoolTtl/);
  });

  it.each([
    [3, 36],
    [4, 48],
  ])('expires a transaction still waiting after mempoolTtl = %i blocks (at t = %i), unincluded and paying nothing', (ttl, time) => {
    const a = stepper('a', { 1: (_view, out) => void buy(out, 1, 5) });
    const r = run(world({ blocks: 5, chain: { mempoolTtl: ttl }, agents: [a.agent] }));
    expect(txsOf(r, 'a').map((t) => [t.status, t.revert, t.block, t.gasUsed])).toEqual([['dropped', 'EXPIRED', -1, 0]]);
    expect(a.receipts.map((x) => [x.time, x.revert])).toEqual([[time, 'EXPIRED']]);
    expect(agentResult(r, 'a').balances).toEqual({ ETH: 10, USD: 100_000 });
    expect(r.result.builder.burnedNative).toBe(0);
  });

  it('frees the expired nonce: the wallet reuses it, and the transaction stuck behind the gap then runs', () => {
    const nonces: number[] = [];
    const a = stepper(
      'a',
      {
        1: (_view, out) => void buy(out, 1, 5),
        // Nonce 1 waits behind nonce 0 from block 2 on; it would expire after block 4.
        13: (view, out) => {
          buy(out, 1);
          nonces.push(view.nonce());
        },
      },
      {
        onReceipt: (view, out, tx) => {
          if (tx.revert !== 0) {
            nonces.push(view.nonce());
            buy(out, 1);
          }
        },
      },
    );
    const r = run(world({ blocks: 4, chain: { mempoolTtl: 3 }, agents: [a.agent] }));
    expect(nonces).toEqual([2, 0]);
    expect(chainOrder(txsOf(r, 'a')).map(brief)).toEqual([
      [0, 'dropped', 'EXPIRED', -1],
      [0, 'included', 'NONE', 4],
      [1, 'included', 'NONE', 4],
    ]);
    expect(blockOrder(r, 4)).toEqual(['a', 'a']);
  });

  it('still includes a transaction whose own deadline passed while it waited, reverting DEADLINE and paying gas', () => {
    let first = -1;
    const a = stepper('a', {
      1: (_view, out) => {
        first = buy(out, 1, 5).id;
        out.setDeadline(1);
        buy(out, 1);
      },
      13: (_view, out) => void out.replace(first, 2, 30),
    });
    const r = run(world({ blocks: 2, agents: [a.agent] }));
    expect(chainOrder(txsOf(r, 'a')).map((t) => [...brief(t), t.gasUsed])).toEqual([
      [0, 'dropped', 'REPLACED', -1, 0],
      [0, 'included', 'NONE', 2, 110_000],
      [1, 'reverted', 'DEADLINE', 2, 51_000],
    ]);
  });
});

describe('receipts', () => {
  it('reach the sender after its network latency, from the end of the block, with the outcome', () => {
    const outs: [string, number, number, number][] = [];
    const log = (id: string) => (view: View, _out: Outbox, tx: TxView) => void outs.push([id, view.time, tx.gasUsed, tx.calls[0]!.outA]);
    const slow = stepper('slow', { 1: (_view, out) => void buy(out, 2) }, { latency: { network: 3 }, onReceipt: log('slow') });
    const fast = stepper('fast', { 1: (_view, out) => void buy(out, 1) }, { onReceipt: log('fast') });
    const r = run(world({ blocks: 2, agents: [slow.agent, fast.agent] }));
    // Slow's swap arrives at t = 4, is included at t = 12, and its receipt lands at t = 15; fast's at the block's end.
    expect(outs.map((o) => o.slice(0, 3))).toEqual([
      ['fast', 12, 110_000],
      ['slow', 15, 110_000],
    ]);
    expect(outs[0]![3]).toBe(txsOf(r, 'fast')[0]!.outA);
    expect(outs[1]![3]).toBe(txsOf(r, 'slow')[0]!.outA);
    expect(slow.receipts.map((x) => [x.status, x.block])).toEqual([['included', 1]]);
  });

  it('take a delay drawn from the sender’s network latency model, from its own stream, leaving its send delays as they were', () => {
    const a = stepper('a', { 1: (_v, out) => void buy(out, 1), 13: (_v, out) => void buy(out, 1), 25: (_v, out) => void buy(out, 1) }, { latency: { network: { kind: 'uniform', min: 1, max: 3 } } });
    const r = run(world({ blocks: 4, seed: 'rx', agents: [a.agent] }));
    const draws = (name: string) => {
      const s = new Stream('rx', name);
      return [0, 1, 2].map(() => 1 + 2 * s.uniform());
    };
    // Sends: the k-th draw of latency:a:network, as before receipts had a latency.
    expect(txsOf(r, 'a').map((t) => t.arrivalTime - t.submitTime)).toEqual(draws('latency:a:network').map((d, k) => 1 + 12 * k + d - (1 + 12 * k)));
    // Receipts: the k-th draw of latency:a:receipt after the end of block k + 1.
    expect(a.receipts.map((x) => [x.block, x.time - 12 * x.block])).toEqual(draws('latency:a:receipt').map((d, k) => [k + 1, 12 * (k + 1) + d - 12 * (k + 1)]));
  });

  it('keep the transaction object intact until delivered, though others are created meanwhile', () => {
    let first = -1;
    const a = stepper('a', { 1: (_view, out) => void (first = buy(out, 1).id) }, { latency: { network: 30 } });
    // Its swap arrives at t = 31 and is included at t = 36; many others send and finish while its receipt travels (t = 36 to 66).
    const others = Array.from({ length: 5 }, (_, i) => stepper(`o${i}`, Object.fromEntries([13, 25, 37, 49].map((t) => [t + i, (_v: View, out: Outbox) => void buy(out, 1)]))).agent);
    run(world({ blocks: 6, agents: [a.agent, ...others] }));
    expect(a.receipts.map((x) => [x.id, x.time, x.status, x.block, x.nonce])).toEqual([[first, 66, 'included', 3, 0]]);
  });

  it('tell the status of each way a transaction ends: replaced (twice: a replacement replaced), included, reverted', () => {
    let first = -1;
    const a = stepper('a', {
      1: (_view, out) => {
        first = buy(out, 1, 50).id;
        out.setPriorityFee(1);
        out.swap(POOL, PAY_USD, 1000, 1e9); // reverts: minimum out unreachable
      },
      2: (_view, out) => void out.replace(first, 3, 100),
      // The first is replaced already, but its receipt has not come: resending it with higher fees replaces the replacement (same nonce).
      3: (_view, out) => void out.replace(first, 5, 200),
    });
    run(world({ blocks: 2, agents: [a.agent] }));
    expect(a.receipts.map((x) => [x.nonce, x.status, x.revert, x.time])).toEqual([
      [0, 'dropped', 'REPLACED', 12],
      [1, 'reverted', 'SLIPPAGE', 12],
      [0, 'dropped', 'REPLACED', 12],
      [0, 'included', 'NONE', 12],
    ]);
  });

  it('list nothing pending once all receipts are in, and pendingCount agrees with ownPending', () => {
    const counts: number[][] = [];
    const a = stepper(
      'a',
      {
        1: (_view, out) => {
          buy(out, 1);
          buy(out, 1);
        },
        2: (view) => void counts.push([view.pendingCount(), view.ownPending().length, view.ownPending()[0]!.status]),
        20: (view) => void counts.push([view.pendingCount(), view.ownPending().length]),
      },
      { latency: { network: 1 } },
    );
    run(world({ blocks: 2, agents: [a.agent] }));
    expect(counts).toEqual([
      [2, 2, TxStatus.Pending],
      [0, 0],
    ]);
  });
});

describe('the setup context', () => {
  it('tells agents the chain’s ordering rule, replacement bump and mempool lifetime', () => {
    let seen: unknown[] = [];
    const a = new TestAgent('a', { setup: (ctx) => void (seen = [ctx.ordering, ctx.replacementBump, ctx.mempoolTtl]) });
    run(world({ blocks: 1, chain: { ordering: 'fcfs', replacementBump: 0.125, mempoolTtl: 50 }, agents: [a] }));
    expect(seen).toEqual(['fcfs', 0.125, 50]);
  });
});
