/**
 * Who pays the hedge (issue 13), on the shipped scenario files: the seed's rebalancing example with
 * and without a budget on its mover, and the four arms of who-pays.yaml (tracker, speculators, both,
 * neither; scenarios/sweeps/who-pays.yaml runs them over seeds).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import type { AgentResult, SimResult } from '../../sim/result';
import { Simulation } from '../../sim/simulation';

const LIBRARY = fileURLToPath(new URL('../../scenarios/library', import.meta.url));

function runFile(file: string, overrides: string[] = []): SimResult {
  const loaded = loadScenarioFile(join(LIBRARY, file), overrides);
  return new Simulation(buildConfig(loaded.scenario, loaded.baseDir)).run().result();
}
const of = (r: SimResult, id: string): AgentResult => {
  const a = r.agents.find((x) => x.id === id);
  if (a === undefined) throw new Error(`no agent ${id}`);
  return a;
};
const m = (a: AgentResult, name: string): number => {
  const v = a.metrics[name];
  if (v === undefined) throw new Error(`${a.id} has no metric ${name}`);
  return v;
};

describe('seed-rebalancing.yaml: the rebalancer gross is what the mover handed it', () => {
  // The residual: the mover's inventory is revalued by the rebalancer's own re-forges, second order
  // in their size (the file's comment: ≈ 1.8e-5 in all at supplies of 1e8).
  const RESIDUAL = 1e-4;

  it('unbudgeted: the mover spends $17.01 on the rebalancer plus its gas, and its edge is minus that', () => {
    const r = runFile('seed-rebalancing.yaml');
    const mover = of(r, 'mover');
    const transfer = m(mover, 'spentUsd') - m(mover, 'spentGasUsd');
    expect(Math.abs(transfer - of(r, 'rebalancer').pnl.trading)).toBeLessThan(RESIDUAL);
    expect(Math.abs(transfer - 17.0139)).toBeLessThan(RESIDUAL);
    expect(Math.abs(mover.pnl.edge + m(mover, 'spentUsd'))).toBeLessThan(RESIDUAL);
    expect(m(mover, 'exhaustedAtBlock')).toBe(-1);
  });

  it('with maxSpend $30 the mover stops once it cannot pay a forge, and the rebalancer earns only what it was paid', () => {
    const r = runFile('seed-rebalancing.yaml', ['agents.mover.maxSpend.amount=30']);
    const mover = of(r, 'mover');
    expect(m(mover, 'spentUsd')).toBeLessThanOrEqual(30);
    // Exhausted when less than a forge's $5 of gas is left.
    expect(m(mover, 'budgetLeft')).toBeLessThan(5);
    expect(m(mover, 'exhaustedAtBlock')).toBeGreaterThan(0);
    const transfer = m(mover, 'spentUsd') - m(mover, 'spentGasUsd');
    expect(Math.abs(transfer - of(r, 'rebalancer').pnl.trading)).toBeLessThan(RESIDUAL);
    expect(of(r, 'rebalancer').pnl.trading).toBeLessThan(17.0139 - 1);
    expect(m(mover, 'trackingRmsLogExhausted')).toBeGreaterThan(m(mover, 'trackingRmsLogActive'));
  });
});

describe('seed-static.yaml with a speculator in place of the mover', () => {
  // A doubles in block 1; the mover never acts. At fair value √2, U at 1 is cheap: the speculator mints
  // its limit of 1000 U (return ≈ 41 % > 1 %), which lowers U's price — away from fair — and hands
  // every holder of U + 1/U the convexity of that move, paid by the speculator (gas is free here).
  const SPEC = 'agents.spec={kind: speculator, venue: triad, fair: {assets: {A: 0.5}}, maxPosition: {amount: 1000, unit: units}, minReturn: 0.01, balances: {"1": 2000}}';
  const r = runFile('seed-static.yaml', ['agents.mover.every=1000000000', SPEC, 'blocks=4']);

  it('buys once, moves the price away from √2, and its loss is what the holders gained', () => {
    const u = 1_000_100; // the mover's 10⁶ and the holder's 100 of each side
    const v = 1_000_100;
    const cost = 2 * (Math.sqrt((u + 1000) * v) - Math.sqrt(u * v));
    const p = Math.sqrt(v / (u + 1000));
    const spec = of(r, 'spec');
    expect(spec.balances.U).toBe(1000);
    expect(Math.abs(2000 - spec.balances['1']! - cost)).toBeLessThan(1e-9);
    const venue = r.venues[0]!;
    expect(venue.kind === 'triad' && Math.abs(venue.prices[0] - p)).toBeLessThan(1e-12);
    expect(p).toBeLessThan(1);
    // Its edge: 1000 U marked at the new price, less the "1" paid.
    expect(Math.abs(spec.pnl.edge - (1000 * p - cost))).toBeLessThan(1e-9);
    const gain = (a: number, b: number) => a * (p - 1) + b * (1 / p - 1);
    expect(Math.abs(of(r, 'holder').pnl.edge - gain(100, 100))).toBeLessThan(1e-9);
    expect(Math.abs(of(r, 'mover').pnl.edge - gain(1e6, 1e6))).toBeLessThan(1e-6);
    expect(Math.abs(spec.pnl.edge + of(r, 'holder').pnl.edge + of(r, 'mover').pnl.edge)).toBeLessThan(1e-6);
    expect([m(spec, 'trades'), m(spec, 'tradesAttempted')]).toEqual([1, 1]);
  });
});

describe('who-pays.yaml: tracker vs speculators vs neither', () => {
  const TRACKER = ['agents.spec-a.active=false', 'agents.spec-b.active=false'];
  const SPECULATORS = ['agents.tracker.every=1000000000'];
  const NEITHER = [...TRACKER, ...SPECULATORS];
  const hedgers = ['static', 'band-2pct'];
  // Seeds 1 and 4 exhaust the tracker's $40 (the sweep's table in the README).
  const seeds = [1, 4];
  const runs = seeds.map((seed) => ({
    seed,
    tracker: runFile('who-pays.yaml', [...TRACKER, `seed=${seed}`]),
    speculators: runFile('who-pays.yaml', [...SPECULATORS, `seed=${seed}`]),
    neither: runFile('who-pays.yaml', [...NEITHER, `seed=${seed}`]),
  }));

  it.each(seeds.map((s, i) => [s, i]))('seed %i, tracker alone: it spends at most 40 USD, and that is what the hedgers gain before gas, within 10 %', (_seed, i) => {
    const r = runs[i]!.tracker;
    const t = of(r, 'tracker');
    // Its move runs first in its block (it bids 0.01 gwei), so the budget holds to rounding.
    expect(m(t, 'spentUsd')).toBeLessThanOrEqual(40 * (1 + 1e-9));
    expect(m(t, 'budgetLeft')).toBeLessThan(m(t, 'spentGasUsd'));
    expect(m(t, 'spentExcessMax')).toBeLessThanOrEqual(1e-9);
    expect(m(t, 'exhaustedAtBlock')).toBeGreaterThan(0);
    expect(m(t, 'trackingRmsLogExhausted')).toBeGreaterThan(5 * m(t, 'trackingRmsLogActive'));
    const gained = hedgers.reduce((s, id) => s + of(r, id).pnl.edge - of(r, id).pnl.gas, 0);
    expect(gained).toBeGreaterThan(0);
    // What its moves handed the others is most of what they gained: the rest is what its inventory
    // lost to the rebalancer's own re-forges (not spend: the risk of what it holds). 10 % is this
    // scenario's margin, not an identity (seeds 1 and 4: 3.2 % and 2.3 %).
    const transfer = m(t, 'spentUsd') - m(t, 'spentGasUsd');
    expect(Math.abs(transfer - gained)).toBeLessThan(0.1 * gained);
    // And the tracker lost more than it spent here (that inventory loss).
    expect(t.pnl.edge).toBeLessThan(-m(t, 'spentUsd'));
  });

  // Seeds 1 and 2: some speculator forges ahead of the tracker in a block where it moves (seed 4: none does).
  it.each([1, 2])('seed %i, both, the tracker bidding no priority fee: speculators forge ahead of it, and its spend exceeds the cap by at most one move\'s excess', (seed) => {
    const t = of(runFile('who-pays.yaml', ['agents.tracker.priorityFee=0', `seed=${seed}`]), 'tracker');
    expect(m(t, 'spentExcessMax')).toBeGreaterThan(0);
    expect(m(t, 'spentUsd')).toBeLessThanOrEqual(40 + m(t, 'spentExcessMax') + 1e-9);
    expect(m(t, 'spentMaxMove')).toBeLessThanOrEqual(40 + m(t, 'spentExcessMax') + 1e-9);
  });

  it.each(seeds.map((s, i) => [s, i]))('seed %i, neither: nothing moves the triad, the hedgers earn nothing and the peg drifts with ETH', (_seed, i) => {
    const r = runs[i]!.neither;
    for (const id of hedgers) expect(Math.abs(of(r, id).pnl.edge - of(r, id).pnl.gas)).toBeLessThan(1e-6);
    expect(m(of(r, 'tracker'), 'trackingRmsLog')).toBeGreaterThan(m(of(runs[i]!.tracker, 'tracker'), 'trackingRmsLog'));
  });

  it.each(seeds.map((s, i) => [s, i]))('seed %i, speculators: they trade away from fair, so the peg is worse than with no one, and they pay the holders', (_seed, i) => {
    const r = runs[i]!.speculators;
    const spec = ['spec-a', 'spec-b'].map((id) => of(r, id));
    for (const s of spec) expect(m(s, 'trades')).toBeGreaterThan(0);
    expect(m(of(r, 'tracker'), 'trackingRmsLog')).toBeGreaterThan(m(of(runs[i]!.neither, 'tracker'), 'trackingRmsLog'));
    const specEdge = spec.reduce((s, a) => s + a.pnl.edge, 0);
    expect(specEdge).toBeLessThan(0);
    for (const id of hedgers) expect(of(r, id).pnl.edge).toBeGreaterThan(0);
    // Each speculator holds one side at most (it sells the dear side before buying the cheap one).
    for (const s of spec) expect((s.balances['sqrtETH'] ?? 0) > 0 && (s.balances['1/sqrtETH'] ?? 0) > 0).toBe(false);
  });
});

describe('who-pays.yaml: speculators under the shared exit rule (agents/entry.ts) leave a market that loses them money', () => {
  // Speculators only: on a triad every trade that pays at fair value moves the price away from
  // fair, and no one moves it back, so their trailing edge per unit of capital is negative.
  const ONLY = ['agents.tracker.every=1000000000', 'duration=12h'];
  const RULE = (rate: number) => ['spec-a', 'spec-b'].map((id) => `agents.${id}.exit={outsideRate: ${rate}, window: 2h, hysteresis: 0.01}`);

  it('at a 5 %/yr outside rate both exit: the unwind lands, they end out of the market with nothing held', () => {
    const r = runFile('who-pays.yaml', [...ONLY, ...RULE(0.05)]);
    for (const id of ['spec-a', 'spec-b']) {
      const s = of(r, id);
      expect(m(s, 'exits')).toBeGreaterThanOrEqual(1);
      expect(m(s, 'exitsAttempted')).toBeGreaterThanOrEqual(m(s, 'exits'));
      // It stayed out: the other speculator earned no more than it.
      expect(m(s, 'active')).toBe(0);
      expect(Object.keys(s.balances)).toContain('1');
      expect(s.balances.sqrtETH ?? 0).toBe(0);
      expect(s.balances['1/sqrtETH'] ?? 0).toBe(0);
      expect(m(s, 'positionFairUsd')).toBe(0);
    }
  });

  it('with an outside rate far below any loss (−10⁶ %/yr) neither ever exits', () => {
    const r = runFile('who-pays.yaml', [...ONLY, ...RULE(-1e4)]);
    for (const id of ['spec-a', 'spec-b']) {
      const s = of(r, id);
      expect([m(s, 'exits'), m(s, 'exitsAttempted'), m(s, 'active')]).toEqual([0, 0, 1]);
      expect(m(s, 'trades')).toBeGreaterThan(0);
    }
  });
});

describe('W3 for speculators (VALIDATION.md): two identical ones listed in either order', () => {
  // Speculators only, 3 hours: spec-a and spec-b are twins (same fields, their own belief streams by
  // id). Swapping their places in the file must not change either's expected edge.
  it('spec-a gets the same edge whether listed first or second: paired difference over 40 seeds within 3 standard errors', () => {
    const d: number[] = [];
    let trades = 0;
    let swing = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const loaded = loadScenarioFile(join(LIBRARY, 'who-pays.yaml'), ['agents.tracker.every=1000000000', 'duration=3h', `seed=${seed}`]);
      const run = (swap: boolean): AgentResult => {
        const config = buildConfig(loaded.scenario, loaded.baseDir);
        const agents = [...config.agents];
        const a = agents.findIndex((x) => x.id === 'spec-a');
        const b = agents.findIndex((x) => x.id === 'spec-b');
        if (swap) [agents[a], agents[b]] = [agents[b]!, agents[a]!];
        return of(new Simulation({ ...config, agents }).run().result(), 'spec-a');
      };
      const first = run(false);
      d.push(first.pnl.edge - run(true).pnl.edge);
      trades += m(first, 'trades');
      swing += Math.abs(first.pnl.edge);
    }
    // The comparison is between runs where it trades and its edge moves, not two idle runs.
    expect(trades).toBeGreaterThan(40);
    expect(swing / d.length).toBeGreaterThan(1);
    const mean = d.reduce((s, x) => s + x, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / (d.length - 1));
    // ≤ so that an exact 0 (every difference 0, s.e. 0) passes, as in test/validation/w3-file-order.test.ts.
    expect(Math.abs(mean)).toBeLessThanOrEqual(3 * (sd / Math.sqrt(d.length)));
  });
});
