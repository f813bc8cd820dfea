/**
 * Bundles through the whole engine: a searcher watches the mempool and sends an all-or-nothing
 * bundle (its own swaps around a victim's pending swap). Base fee fixed at 10 gwei, priority order.
 */
import { describe, expect, it } from 'vitest';
import type { TxDraft } from '../../sim/agent';
import { Simulation } from '../../sim/simulation';
import {
  agentResult,
  amountOut,
  at,
  blockOrder,
  expectClose,
  only,
  PAY_ETH,
  PAY_USD,
  POOL,
  POOL_ETH,
  POOL_USD,
  record,
  reserves,
  run,
  swapAt,
  TestAgent,
  txsOf,
  world,
  type Run,
} from './helpers';

interface SearcherPlan {
  /** Min out of the back-run (huge: it reverts). */
  backMinOut?: number;
  /** Do nothing at all (the control run). */
  idle?: boolean;
}

/** Sees the victim's swap at once and bundles [buy 20,000 USD of ETH, victim, sell 9 ETH], tipping 5 gwei. */
function searcher(plan: SearcherPlan = {}): TestAgent {
  let victim = -1;
  let done = false;
  return new TestAgent('searcher', {
    balances: { ETH: 50, USD: 1_000_000 },
    setup: (ctx) => (victim = ctx.agent('victim')),
    onMempool: (_view, out, tx) => {
      if (plan.idle || done || tx.agent !== victim) return;
      done = true;
      out.setPriorityFee(5);
      const front = out.swap(POOL, PAY_USD, 20_000, 0);
      const back = out.swap(POOL, PAY_ETH, 9, plan.backMinOut ?? 0);
      out.bundle([front, tx.id, back]);
    },
  });
}

/** The flow around the bundle: a 30-gwei tipper before it, the victim (1 gwei) and a 2-gwei swap after. */
function scenario(plan: SearcherPlan = {}): Run {
  const tipper = (id: string, t: number, fee: number) =>
    swapAt(id, t, (out) => {
      out.setPriorityFee(fee);
      out.swap(POOL, PAY_USD, 1000, 0);
    });
  return run(world({ blocks: 2, agents: [tipper('victim', 5, 1), searcher(plan), tipper('before', 6, 30), tipper('after', 6, 2)] }));
}

describe('a bundle with a victim', () => {
  it('executes its transactions contiguously and in their order, even when a single transaction outbids part of it', () => {
    const r = scenario();
    // Bundle score: (5 × 110k + 5 × 110k + 0) / 330k ≈ 3.33 gwei, between 'before' (30) and 'after' (2).
    expect(blockOrder(r, 1)).toEqual(['before', 'searcher', 'victim', 'searcher', 'after']);
    const [front, back] = txsOf(r, 'searcher');
    expect([front!.position, only(r, 'victim').position, back!.position]).toEqual([1, 2, 3]);
  });

  it('executes the victim inside the bundle at the price the front-run left, the victim paying its own gas', () => {
    const r = scenario();
    const victim = only(r, 'victim');
    expect(victim.status).toBe('included');
    expect(victim.block).toBe(1);
    // Replay the block by hand: x·y pool, fee on the input.
    let x = POOL_ETH;
    let y = POOL_USD;
    const buy = (usd: number) => {
      const out = amountOut(usd, y, x);
      x -= out;
      y += usd;
      return out;
    };
    buy(1000); // before
    const frontOut = buy(20_000);
    const victimOut = buy(1000);
    const backOut = amountOut(9, x, y);
    x += 9;
    y -= backOut;
    buy(1000); // after
    const [front, back] = txsOf(r, 'searcher');
    expectClose(front!.outA, frontOut);
    expectClose(victim.outA, victimOut);
    expectClose(back!.outA, backOut);
    const [rx, ry] = reserves(r);
    expectClose(rx, x);
    expectClose(ry, y);
    // The victim paid 110k gas at 10 + 1 gwei, the searcher 2 × 110k at 10 + 5.
    expectClose(agentResult(r, 'victim').balances.ETH!, 10 + victimOut - 110_000 * 11e-9);
    expectClose(agentResult(r, 'searcher').balances.ETH!, 50 + frontOut - 9 - 2 * 110_000 * 15e-9);
    expectClose(r.result.builder.priorityFeesNative, 110_000 * 1e-9 * (1 + 5 + 5 + 30 + 2));
  });
});

describe('a bundle that reverts', () => {
  const failed = () => scenario({ backMinOut: 1e9 });
  const control = () => scenario({ idle: true });

  it('takes no effect: pool, balances, burn and proposer are as in a run without the bundle', () => {
    const f = failed();
    const c = control();
    expect(reserves(f)).toEqual(reserves(c));
    expect(f.result.builder).toEqual(c.result.builder);
    for (const a of c.result.agents) expect(agentResult(f, a.id).balances, a.id).toEqual(a.balances);
    expect(agentResult(f, 'searcher').gasPaid).toEqual({ baseUsd: 0, priorityUsd: 0 });
  });

  it("drops the searcher's own transactions as BUNDLE_FAILED, paying no gas", () => {
    const own = txsOf(failed(), 'searcher');
    expect(own.map((t) => [t.status, t.revert, t.gasUsed])).toEqual([
      ['dropped', 'BUNDLE_FAILED', 0],
      ['dropped', 'BUNDLE_FAILED', 0],
    ]);
  });

  it('leaves the victim pending, to be included on its own exactly as without the bundle', () => {
    const f = failed();
    const c = control();
    expect(blockOrder(f, 1)).toEqual(['before', 'after', 'victim']);
    for (const id of ['victim', 'before', 'after']) {
      const { id: _f, ...inFailed } = only(f, id);
      const { id: _c, ...inControl } = only(c, id);
      expect(inFailed, id).toEqual(inControl);
    }
  });
});

describe('bundle targeting', () => {
  /** At t = 5 the searcher bundles two swaps of its own; the bundle spends `latency` seconds on the wire. */
  const own = (latency: number, maxFee?: number) => {
    const s = new TestAgent('searcher', {
      balances: { ETH: 50, USD: 1_000_000 },
      latency: { network: latency },
      schedule: at(5),
      act: (_view, out) => {
        const parts: TxDraft[] = [out.swap(POOL, PAY_USD, 20_000, 0), out.swap(POOL, PAY_ETH, 9, 0)];
        if (maxFee !== undefined) for (const tx of parts) tx.maxFee = maxFee;
        out.bundle(parts);
      },
    });
    return run(world({ blocks: 3, agents: [s] }));
  };

  it('puts a bundle that reaches the builder before a block into that block', () => {
    expect(txsOf(own(0), 'searcher').map((t) => [t.status, t.block])).toEqual([
      ['included', 1],
      ['included', 1],
    ]);
  });

  it('puts a bundle arriving after a block into the next block (arrival at t = 15)', () => {
    const txs = txsOf(own(10), 'searcher');
    expect(txs.map((t) => [t.status, t.block, t.position])).toEqual([
      ['included', 2, 0],
      ['included', 2, 1],
    ]);
    expect(txs[0]!.arrivalTime).toBe(15);
  });

  it('drops a bundle naming a transaction that is no longer pending, as BUNDLE_FAILED', () => {
    // The searcher notes the victim's id at t = 5 but bundles it only at t = 13, after block 1 included it.
    let victim = -1;
    let seen = -1;
    const slow = new TestAgent('searcher', {
      balances: { ETH: 50, USD: 1_000_000 },
      schedule: at(13),
      setup: (ctx) => (victim = ctx.agent('victim')),
      onMempool: (_view, _out, tx) => {
        if (tx.agent === victim) seen = tx.id;
      },
      act: (_view, out) => out.bundle([out.swap(POOL, PAY_USD, 20_000, 0), seen]),
    });
    const r = run(world({ blocks: 2, agents: [swapAt('victim', 5, (out) => void out.swap(POOL, PAY_USD, 1000, 0)), slow] }));
    expect(only(r, 'victim').block).toBe(1);
    expect(txsOf(r, 'searcher').map((t) => [t.status, t.revert, t.gasUsed])).toEqual([['dropped', 'BUNDLE_FAILED', 0]]);
    expect(agentResult(r, 'searcher').balances).toEqual({ ETH: 50, USD: 1_000_000 });
  });

  it('does not include a bundle whose transactions bid a max fee below the base fee, and pays the proposer no negative tip', () => {
    // Max fee 5 < base fee 10: invalid in a bundle as on its own (a lone such transaction waits).
    const r = own(0, 5);
    expect(txsOf(r, 'searcher').map((t) => [t.status, t.revert, t.gasUsed])).toEqual([
      ['dropped', 'BUNDLE_FAILED', 0],
      ['dropped', 'BUNDLE_FAILED', 0],
    ]);
    expect(r.result.builder.priorityFeesNative).toBe(0);
    expect(reserves(r)).toEqual([POOL_ETH, POOL_USD]);
  });
});

describe('a bundle naming a transaction whose object was recycled', () => {
  /**
   * The searcher sees the victim's swap at t = 5 and bundles [victim, its back-run], but the bundle
   * spends 10 s on the wire: it reaches the builder at t = 15 and targets block 2. The victim is
   * included alone in block 1 (t = 12) and its transaction object goes back to the pool; at t = 13
   * another agent's swap takes that very object. The bundle must fail, not run that swap as its victim.
   */
  function recycled(): { r: Run; reused: boolean } {
    let victimObject: unknown = null;
    let otherObject: unknown = null;
    let victim = -1;
    let done = false;
    const searcher = new TestAgent('searcher', {
      balances: { ETH: 50, USD: 1_000_000 },
      latency: { network: 10 },
      setup: (ctx) => (victim = ctx.agent('victim')),
      onMempool: (_view, out, tx) => {
        if (done || tx.agent !== victim) return;
        done = true;
        out.setPriorityFee(5);
        out.bundle([tx.id, out.swap(POOL, PAY_ETH, 0.1, 0)]);
      },
    });
    const agents = [
      swapAt('victim', 5, (out) => void out.swap(POOL, PAY_USD, 1000, 0)),
      searcher,
      swapAt('other', 13, (out) => void (otherObject = out.swap(POOL, PAY_USD, 500, 0))),
    ];
    const sim = new Simulation(world({ blocks: 2, agents }));
    sim.events.on('tx', (tx) => {
      if (sim.config.agents[tx.agent]!.id === 'victim') victimObject = tx;
    });
    const rec = record(sim);
    const result = sim.run().result();
    return { r: { result, txs: rec.txs.filter((t) => t.block !== 0), blocks: rec.blocks, sim }, reused: otherObject !== null && otherObject === victimObject };
  }

  it('is dropped BUNDLE_FAILED, and the swap that reused the object runs on its own', () => {
    const { r, reused } = recycled();
    // The premise: the pool did hand the victim's object to the other agent's swap.
    expect(reused).toBe(true);
    expect(only(r, 'victim').block).toBe(1);
    expect(txsOf(r, 'searcher').map((t) => [t.status, t.revert, t.gasUsed])).toEqual([['dropped', 'BUNDLE_FAILED', 0]]);
    expect(blockOrder(r, 2)).toEqual(['other']);
    expect(agentResult(r, 'searcher').balances).toEqual({ ETH: 50, USD: 1_000_000 });
  });
});
