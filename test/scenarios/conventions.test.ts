/**
 * The conventions docs/scenarios.md states where users look for them, each checked through the
 * simulator: who can see a scripted action, the $1 "1", a zero-tip sandwich's tie with its victim,
 * and the profit-vs-gas trigger on a cheap chain. (GBM's μ as the drift of the price, with the log
 * drifting at μ − σ²/2, is checked in test/core/processes.test.ts.)
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import { buildConfig, loadScenarioFile, parseScenario } from '../../scenarios';
import { simulate } from '../../sim/simulation';
import { lp, run, searcher, txsOf, victim, world } from '../searcher/helpers';

const LIBRARY = fileURLToPath(new URL('../../scenarios/library', import.meta.url));

describe('a scripted action is seen by searchers only with network latency', () => {
  const sandwiches = (latency: number) => {
    // A swap of 100,000 USD for at least 46 ETH before block 2 (the sandwich tests' victim).
    const v = createAgent({ kind: 'scripted', id: 'victim', balances: { ETH: 10, USD: 100_000 }, latency: { network: latency }, actions: [{ block: 2, do: 'swap', venue: 'pool', pay: 'USD', amount: 100_000, minOut: 46 }] });
    const r = run(world([lp(), v, searcher({ strategies: { sandwich: {} } })], { blocks: 4 }));
    return { r, legs: txsOf(r, 'mev').filter((t) => t.status === 'included').length, swap: txsOf(r, 'victim')[0]! };
  };

  it('with zero latency it is built into its block in the same event: no searcher sees it', () => {
    const { legs, swap } = sandwiches(0);
    expect([swap.status, swap.block]).toEqual(['included', 2]);
    expect(legs).toBe(0);
  });

  it('with a latency it waits in the public mempool and is sandwiched', () => {
    const { legs, swap } = sandwiches(1);
    expect([swap.status, swap.block]).toEqual(['included', 3]);
    expect(legs).toBe(2);
  });
});

describe('the "1" token', () => {
  const text = (tokens: string) => `name: one
blocks: 1
chain: { blockTime: 12, nativeToken: ETH, baseFee: { initial: 0, mode: fixed } }
market: { assets: { ETH: { kind: constant, price: 2000 } } }
tokens: ${tokens}
venues: { tri: { kind: triad, unit: U } }
agents: { holder: { kind: scripted, balances: { "1": 100 }, actions: [] } }
`;
  const value = (tokens: string) => {
    const loaded = parseScenario(text(tokens), 's.yaml');
    return simulate(buildConfig(loaded.scenario, '.')).agents[0]!.finalValue;
  };

  it('is valued at $1 when `tokens` does not list it', () => expect(value('{ ETH: {} }')).toBe(100));
  it('takes the price `tokens` gives it: fixed, or a market asset', () => {
    expect(value('{ ETH: {}, "1": { usd: 2.5 } }')).toBe(250);
    expect(value('{ ETH: {}, "1": { asset: ETH } }')).toBe(200_000);
  });
});

describe('a sandwich bundle with a zero priority fee, under priority ordering', () => {
  const landed = (bid: number, seed: number) => {
    const r = run(world([lp(), victim({ block: 2, amount: 100_000, minOut: 46 }), searcher({ strategies: { sandwich: {} }, bid: { kind: 'fixed', gwei: bid } })], { blocks: 4, seed }));
    expect(txsOf(r, 'victim')[0]!.status).toBe('included');
    return txsOf(r, 'mev', 'sandwich-front').some((t) => t.status === 'included');
  };
  const seeds = Array.from({ length: 16 }, (_, i) => i + 1);

  it('ties with its zero-fee victim and fails (the victim lands alone) for some seeds', () => {
    expect(seeds.map((s) => landed(0, s))).toContain(false);
  });

  it('lands for every seed once it outbids its victim', () => {
    expect(seeds.map((s) => landed(1, s))).not.toContain(false);
  });
});

describe('the profit-vs-gas trigger with a small multiple on a cheap chain', () => {
  // l1-vs-l2(-on-l2).yaml over 6 hours: a tracker keeps the triad within 0.1 % of √ETH, so the
  // triad moves in small steps; a hedger rebalances when its gain exceeds 2× (or 100×) the cost.
  const hedgers = ['pg-2={kind: rebalancing-hedger, hedge: {kind: triad-parity, venue: triad, budget: 20000}, trigger: {kind: profit-gas, multiple: 2}, balances: {"1": 20000, ETH: 1}}', 'pg-100={kind: rebalancing-hedger, hedge: {kind: triad-parity, venue: triad, budget: 20000}, trigger: {kind: profit-gas, multiple: 100}, balances: {"1": 20000, ETH: 1}}'];
  const runOn = (file: string) => {
    const loaded = loadScenarioFile(join(LIBRARY, file), ['duration=6h', ...hedgers.map((h) => `agents.${h}`)]);
    const r = simulate(buildConfig(loaded.scenario, loaded.baseDir));
    const a = (id: string) => r.agents.find((x) => x.id === id)!;
    return { moves: a('tracker').txs.included - 1, pg2: a('pg-2').metrics.rebalances!, pg100: a('pg-100').metrics.rebalances! };
  };

  it('rebalances at nearly every step of the triad on L2, about never on L1; a large multiple calms it', () => {
    const l2 = runOn('l1-vs-l2-on-l2.yaml');
    const l1 = runOn('l1-vs-l2.yaml');
    expect(l2.moves).toBeGreaterThan(50);
    expect(l2.pg2).toBeGreaterThanOrEqual(0.9 * l2.moves);
    expect(l2.pg100).toBeLessThan(0.1 * l2.moves);
    expect(l1.pg2).toBeLessThan(0.1 * l1.moves);
  });
});
