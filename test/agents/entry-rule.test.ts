/**
 * The entry and exit rule (agents/entry.ts) through the simulator: the trailing edge per unit of
 * capital computed by hand on a small pool; exits and entries that follow receipts (a reverted exit
 * keeps the agent in); hysteresis; and LPs with different outside rates on a pool with flow
 * settling on a number in the pool, where the old rule (exit on trailing LP-vs-HODL, re-enter on
 * fee yield) churned.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import type { Agent, Outbox, View } from '../../sim/agent';
import type { SimConfig } from '../../sim/config';
import { Simulation, simulate } from '../../sim/simulation';
import { SECONDS_PER_YEAR } from '../../sim/units';
import { expectClose, lazy as lazyRun, run } from '../engine/helpers';

const BLOCK = 12;
const P = 2000;

/** 12 s blocks, no gas, ETH at a constant $2000, one 30 bp ETH/USD pool. */
function world(blocks: number, agents: Agent[], extra: Partial<SimConfig> = {}): SimConfig {
  return {
    seed: 7,
    blocks,
    chain: { blockTime: BLOCK, nativeToken: 'ETH', baseFee: { initial: 0, mode: 'fixed' } },
    market: { assets: [{ id: 'ETH', process: { kind: 'constant', price: P } }] },
    tokens: [{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }],
    venues: [{ kind: 'cpmm', id: 'pool', tokens: ['ETH', 'USD'], feeBps: 30 }],
    agents,
    checkInvariants: true,
    ...extra,
  };
}

const agentOf = (r: ReturnType<typeof simulate>, id: string) => r.agents.find((a) => a.id === id)!;

/**
 * Wrap an agent so that the first `n` calls of `method` it makes ask for more than it holds (twice
 * the first amount): a real transaction that is included and reverts (INSUFFICIENT_BALANCE).
 */
function revertFirst(agent: Agent, method: 'removeLiquidity' | 'forge', n: number): Agent {
  let left = n;
  const wrap = (out: Outbox): Outbox =>
    new Proxy(out, {
      get(target, p) {
        if (p === method && left > 0)
          return (venue: number, a: number, b: number, c: number) => {
            left--;
            return method === 'forge' ? target.forge(venue, 2 * a, 2 * b, c) : target.removeLiquidity(venue, 2 * a, b, c);
          };
        const v = Reflect.get(target, p) as unknown;
        return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(target) : v;
      },
    });
  const act = agent.act!.bind(agent);
  agent.act = (view: View, out: Outbox) => act(view, wrap(out));
  return agent;
}

describe('trailing edge per unit of capital, by hand', () => {
  // One LP deposits 100 ETH + 200,000 USD at genesis (capital $400,000); a trader pays a = 10,000 USD
  // in block 7. Agents act for block b at t = 12·b; checking every 5 blocks, the LP snapshots at
  // t = 60 s and t = 120 s, and over that 60 s window prices never move, so holding gains nothing and
  // the edge is the change of the LP's value: (y0 + a) + P·(x0 − out) − (y0 + P·x0) = a − P·out,
  // with the v2 output out = x0·a·(1 − f)/(y0 + a·(1 − f)).
  const x0 = 100;
  const y0 = 200_000;
  const a = 10_000;
  const out = (x0 * a * 0.997) / (y0 + a * 0.997);
  const edge = a - P * out;
  const lp = createAgent({ kind: 'lp', id: 'lp', venue: 'pool', balances: { ETH: x0, USD: y0 }, exit: { outsideRate: -1e9, window: 60, checkEvery: 5, hysteresis: 0 } });
  const trader = createAgent({ kind: 'scripted', id: 'trader', balances: { USD: a }, actions: [{ do: 'swap', venue: 'pool', pay: 'USD', amount: a, block: 7 }] });
  const r = simulate(world(11, [lp, trader]));

  it('is (a − P·out) / capital per year of window, and the same edge as the P&L reports', () => {
    const m = agentOf(r, 'lp').metrics;
    expect(edge).toBeGreaterThan(0);
    expectClose(m.trailingCapitalUsd!, x0 * P + y0);
    expectClose(m.trailingEdgeRate!, edge / (x0 * P + y0) / (60 / SECONDS_PER_YEAR), 1e-9);
    // The P&L's edge over the run (from before genesis, where the deposit costs nothing) is the same.
    expectClose(agentOf(r, 'lp').pnl.edge, edge, 1e-9);
    // It is alone in its cohort: no incumbents to measure.
    expect(m.incumbentsEdgeRate).toBeUndefined();
  });
});

describe('exits and entries follow receipts', () => {
  // Prices never move and nothing trades: the LP earns nothing over holding, below its 5 %/yr
  // outside rate, so its first full window (checks every 5 blocks: t = 60 s to 120 s) says leave.
  const make = () => createAgent({ kind: 'lp', id: 'lp', venue: 'pool', balances: { ETH: 100, USD: 200_000 }, exit: { outsideRate: 0.05, window: 60, checkEvery: 5 } });
  const seed = () => createAgent({ kind: 'lp', id: 'seed', venue: 'pool', balances: { ETH: 1000, USD: 2_000_000 } });

  it('a reverted exit keeps it in the pool, and the next check tries again', () => {
    const { result: r, txs } = run(world(17, [seed(), revertFirst(make(), 'removeLiquidity', 1)]));
    const sent = txs.filter((t) => t.agent === 'lp');
    expect(sent.map((t) => [t.block, t.status, t.revert])).toEqual([
      [10, 'reverted', 'INSUFFICIENT_BALANCE'],
      [15, 'included', 'NONE'],
    ]);
    const m = agentOf(r, 'lp').metrics;
    expect([m.exitsAttempted, m.exits, m.inPool]).toEqual([2, 1, 0]);
  });

  it('without the revert, it leaves at the first full window', () => {
    const m = agentOf(simulate(world(17, [seed(), make()])), 'lp').metrics;
    expect([m.exitsAttempted, m.exits, m.inPool]).toEqual([1, 1, 0]);
  });
});

describe('a hedger on a triad', () => {
  // h1 holds 1000 U + 1000 1/U from genesis (passive: an incumbent); h2 commits 2000 "1" and has an
  // exit rule (5 %/yr outside, 1 %/yr hysteresis, 60 s window, checks every 5 blocks). Nothing moves
  // the triad at first, so h2's first full window (t = 60 s to 120 s) earns nothing: it burns its
  // position (block 10). From block 12 a mover mints the price of U up every 5 blocks, paying every
  // holder of U and 1/U (a held U + 1/U position gains on any move away from its balance point), so at h2's next check (block 15,
  // window from t = 120 s) the incumbent h1 has earned far above 6 %/yr and h2 forges back in. The
  // price only rises (1.1, 1.2, 1.3, 1.4), away from both positions' balance points, so h2 keeps
  // earning once in (a move back towards the price it entered at would cost it).
  const triad = (blocks: number, h2: Agent, moves: boolean): SimConfig => ({
    seed: 1,
    blocks,
    chain: { blockTime: BLOCK, nativeToken: 'ETH', baseFee: { initial: 0, mode: 'fixed' } },
    market: { assets: [{ id: 'ETH', process: { kind: 'constant', price: P } }] },
    tokens: [{ id: 'ETH' }],
    venues: [{ kind: 'triad', id: 'tri', unit: 'U' }],
    agents: [
      createAgent({ kind: 'static-hedger', id: 'h1', hedge: { kind: 'triad-parity', venue: 'tri', units: 1000 }, balances: { '1': 3000 } }),
      h2,
      createAgent({
        kind: 'scripted',
        id: 'mover',
        balances: { '1': 1e6 },
        actions: moves ? [12, 17, 22, 27].map((block, i) => ({ do: 'movePrice' as const, venue: 'tri', price: 1 + 0.1 * (i + 1), mode: 'mint' as const, block })) : [],
      }),
    ],
    checkInvariants: true,
  });
  const h2 = () => createAgent({ kind: 'static-hedger', id: 'h2', hedge: { kind: 'triad-parity', venue: 'tri', budget: 2000 }, balances: { '1': 2100 }, exit: { outsideRate: 0.05, window: 60, checkEvery: 5 } });

  it('exits when its trailing edge per capital is below the outside rate, and re-enters when the incumbents earn above it', () => {
    const { result: r, txs } = run(triad(31, h2(), true));
    expect(txs.filter((t) => t.agent === 'h2').map((t) => [t.block, t.status])).toEqual([
      [10, 'included'],
      [15, 'included'],
    ]);
    const m = agentOf(r, 'h2').metrics;
    expect([m.exits, m.reentries, m.inMarket]).toEqual([1, 1, 1]);
    // Back in, it earns what the incumbents earn per unit of capital (the moves pay holders pro rata).
    expect(m.trailingEdgeRate).toBeGreaterThan(0.06);
    expect(agentOf(r, 'h2').balances.U).toBeGreaterThan(0);
  });

  it('a reverted exit leaves it holding its position; it exits at the next check', () => {
    const { result: r, txs } = run(triad(17, revertFirst(h2(), 'forge', 1), false));
    expect(txs.filter((t) => t.agent === 'h2').map((t) => [t.block, t.status, t.revert])).toEqual([
      [10, 'reverted', 'INSUFFICIENT_BALANCE'],
      [15, 'included', 'NONE'],
    ]);
    const m = agentOf(r, 'h2').metrics;
    expect([m.exitsAttempted, m.exits, m.reentries, m.inMarket]).toEqual([2, 1, 0, 0]);
  });
});

/**
 * Eight LPs with outside rates 4 %, 8 %, …, 32 %/yr and a passive seed LP, 100 ETH + 200,000 USD
 * each, on a 30 bp ETH/USD pool: ETH a GBM at σ = 20 %/yr, Poisson retail flow (a $2000 median
 * order every 10 min on average), an arbitrageur; 60-s blocks, 60 days, a 3-day window. The fee
 * income is about fixed, so the edge per unit of capital falls as LPs come in: a free-entry market.
 * `inPoolChanges` counts the blocks where the number of LPs holding shares changed, after day 20.
 */
function freeEntry(hysteresis: number, seed = 1) {
  const rates = [0.04, 0.08, 0.12, 0.16, 0.2, 0.24, 0.28, 0.32];
  const lps = rates.map((r, i) => createAgent({ kind: 'lp', id: `lp${i}`, venue: 'pool', balances: { ETH: 101, USD: 200_000 }, deposit: [100, 200_000], exit: { outsideRate: r, window: 3 * 86_400, hysteresis } }));
  const sim = new Simulation({
    seed,
    blocks: 60 * 1440,
    chain: { blockTime: 60, nativeToken: 'ETH', baseFee: { initial: 1, mode: 'fixed' } },
    market: { assets: [{ id: 'ETH', process: { kind: 'gbm', price: P, sigma: 0.2 } }] },
    tokens: [{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }],
    venues: [{ kind: 'cpmm', id: 'pool', tokens: ['ETH', 'USD'], feeBps: 30 }],
    agents: [
      createAgent({ kind: 'lp', id: 'seed', venue: 'pool', balances: { ETH: 100, USD: 200_000 } }),
      ...lps,
      createAgent({ kind: 'noise', id: 'noise', venue: 'pool', meanInterval: 600, medianUsd: 2000, logSd: 1, slippage: 0.05, balances: { ETH: 1e6, USD: 1e10 } }),
      createAgent({ kind: 'arbitrageur', id: 'arb', venue: 'pool', balances: { ETH: 1e5, USD: 1e9 } }),
    ],
  });
  const w = sim.kernel.world;
  const share = w.ledger.tokens.indexOf('LP-pool');
  const members = rates.map((_, i) => w.agentIds.indexOf(`lp${i}`));
  let last = -1;
  let inPoolChanges = 0;
  sim.events.on('block', (b) => {
    let n = 0;
    for (const i of members) if (w.ledger.get(w.agentAccount(i), share) > 0) n++;
    if (last >= 0 && n !== last && b.time > 20 * 86_400) inPoolChanges++;
    last = n;
  });
  const r = sim.run().result();
  const lp = rates.map((rate, i) => ({ rate, m: agentOf(r, `lp${i}`).metrics as Record<string, number | undefined> }));
  return { inPoolChanges, lp, churn: lp.reduce((s, x) => s + x.m.exits! + x.m.reentries!, 0) };
}

describe('LPs with an outside rate converge', () => {
  const settled = lazyRun(() => freeEntry(0.1));

  it('settles: the number in the pool does not change after a 20-day burn-in (seed 1; also seeds 2 and 3)', () => {
    expect(settled().inPoolChanges).toBe(0);
    for (const seed of [2, 3]) expect(freeEntry(0.1, seed).inPoolChanges).toBe(0);
  });

  it('ends in the band: every LP in earns above its outside rate less h, every LP out sees the incumbents below its rate plus h', () => {
    const { lp } = settled();
    const inside = lp.filter((x) => x.m.inPool === 1);
    const outside = lp.filter((x) => x.m.inPool === 0);
    expect(inside.length).toBeGreaterThan(0);
    expect(outside.length).toBeGreaterThan(0);
    for (const x of inside) expect(x.m.trailingEdgeRate!).toBeGreaterThanOrEqual(x.rate - 0.1);
    for (const x of outside) expect(x.m.incumbentsEdgeRate!).toBeLessThanOrEqual(x.rate + 0.1);
    // Sorted by outside rate: the cheapest capital is the capital that stays.
    expect(Math.max(...inside.map((x) => x.rate))).toBeLessThan(Math.min(...outside.map((x) => x.rate)));
  });

  it('without hysteresis the same LPs flip-flop on the noise of the trailing edge', () => {
    const loose = freeEntry(0);
    expect(loose.inPoolChanges).toBeGreaterThan(20);
    expect(loose.churn).toBeGreaterThan(10 * settled().churn);
  });
});
