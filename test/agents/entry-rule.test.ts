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
import { simulate } from '../../sim/simulation';
import { SECONDS_PER_YEAR } from '../../sim/units';
import { expectClose, run } from '../engine/helpers';

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
