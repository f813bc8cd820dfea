/**
 * Determinism (DESIGN §6) on the benchmark's reference scenario for two days (14,400 blocks): same
 * seed ⇒ identical output; an extra agent that never trades changes neither the price path nor any
 * other agent's outcome (each consumer draws from its own named stream); another seed differs.
 */
import { describe, expect, it } from 'vitest';
import { referenceScenario } from '../../bench/reference';
import type { SimConfig } from '../../sim/config';
import type { SimResult } from '../../sim/result';
import { Simulation } from '../../sim/simulation';
import { lazy, TestAgent } from './helpers';

const DAYS = 2;

interface Traced {
  result: SimResult;
  json: string;
  /** Reference price of ETH at each block. */
  prices: number[];
  /** Base fee, gas used and transaction count of each block. */
  blocks: string[];
}

function trace(config: SimConfig, stepSize = 0): Traced {
  // Invariants checked after every transaction and block as well: the checks must not disturb the run.
  const sim = new Simulation({ ...config, checkInvariants: true });
  const prices: number[] = [];
  const blocks: string[] = [];
  sim.events.on('block', (b) => {
    prices.push(sim.kernel.market.price[0]!);
    blocks.push(`${b.number}:${b.baseFee}:${b.gasUsed}:${b.txCount}:${b.reverted}`);
  });
  if (stepSize > 0) while (!sim.done) sim.step(stepSize);
  else sim.run();
  const result = sim.result();
  return { result, json: JSON.stringify(result), prices, blocks };
}

/** Wakes often, reads the world, watches the mempool, and never sends anything. */
function bystander(): TestAgent {
  return new TestAgent('bystander', {
    balances: { ETH: 5, USD: 10_000 },
    schedule: { kind: 'poisson', meanInterval: 7 },
    latency: { price: 12, mempool: 1 },
    setup: (ctx) => void ctx.stream(),
    act: (view) => void (view.refPrice(0) + view.reserve(0, 0) + view.mempool().length),
    onMempool: (view) => void view.baseFee,
  });
}

describe('same scenario, same seed', () => {
  it('gives JSON-identical results and identical block records on two runs', () => {
    const a = trace(referenceScenario(DAYS, 1));
    const b = trace(referenceScenario(DAYS, 1));
    expect(a.result.blocks).toBe(14_400);
    expect(b.json).toBe(a.json);
    expect(b.blocks).toEqual(a.blocks);
    expect(b.prices).toEqual(a.prices);
  });

  it('gives the same result when stepped in uneven chunks as when run at once', () => {
    const once = trace(referenceScenario(DAYS, 1));
    const stepped = trace(referenceScenario(DAYS, 1), 997);
    expect(stepped.json).toBe(once.json);
  });

  it('actually trades: the comparison is not between two empty runs', () => {
    const { result } = trace(referenceScenario(DAYS, 1));
    const sent = result.agents.map((x) => x.txs.sent);
    expect(Math.min(...sent)).toBeGreaterThan(0);
    expect(result.agents.find((x) => x.id === 'arb-1')!.txs.reverted).toBeGreaterThan(0);
  });
});

describe('common random numbers', () => {
  const base = lazy(() => trace(referenceScenario(DAYS, 1)));
  const withBystander = (first: boolean) => {
    const config = referenceScenario(DAYS, 1);
    return trace({ ...config, agents: first ? [bystander(), ...config.agents] : [...config.agents, bystander()] });
  };

  it.each([
    ['first', true],
    ['last', false],
  ])('leaves the price path unchanged when a never-trading agent is added %s', (_where, first) => {
    const t = withBystander(first);
    expect(t.prices).toEqual(base().prices);
    expect(t.result.prices).toEqual(base().result.prices);
    expect(t.result.agents.find((x) => x.id === 'bystander')!.txs.sent).toBe(0);
  });

  it.each([
    ['first', true],
    ['last', false],
  ])('leaves every other agent’s outcome, the venues and the builder unchanged when it is added %s', (_where, first) => {
    const t = withBystander(first);
    // The transfer ledger lists every party as a counterparty: the bystander's (all-zero) entry aside.
    const others = t.result.agents
      .filter((x) => x.id !== 'bystander')
      .map((x) => ({ ...x, transfers: { ...x.transfers, byCounterparty: Object.fromEntries(Object.entries(x.transfers.byCounterparty).filter(([p]) => p !== 'bystander')) } }));
    for (const x of t.result.agents) if (x.id !== 'bystander') expect(x.transfers.byCounterparty['bystander']).toEqual({ paid: 0, received: 0 });
    expect(JSON.stringify(others)).toBe(JSON.stringify(base().result.agents));
    expect(t.result.venues).toEqual(base().result.venues);
    expect(t.result.builder).toEqual(base().result.builder);
    expect(t.blocks).toEqual(base().blocks);
  });
});

describe('different seeds', () => {
  it('give different price paths and results', () => {
    const a = trace(referenceScenario(DAYS, 1));
    const b = trace(referenceScenario(DAYS, 2));
    expect(b.prices).toHaveLength(a.prices.length);
    expect(b.prices[0]).not.toBe(a.prices[0]);
    expect(b.result.prices.ETH).not.toBe(a.result.prices.ETH);
    expect(b.json).not.toBe(a.json);
  });
});
