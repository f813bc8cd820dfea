/**
 * The live changes a fork makes between blocks (docs/forks.md), at the engine: an agent's
 * `reconfigure` with its own spec, a chain or market "change" to the values in force, leave the run
 * exactly as it was — they keep state and streams — while a real change shows from the next block on.
 */
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import type { BlockInfo } from '../../sim/kernel';
import { Simulation } from '../../sim/simulation';
import { worldIdentity } from '../../sim/result';

const library = (name: string): string => new URL(`../../scenarios/library/${name}.yaml`, import.meta.url).pathname;

/** Every block's figures and the final result, with `change` applied to the simulation after block `at`. */
function trace(name: string, set: string[], at: number, change?: (sim: Simulation, spec: Record<string, Record<string, unknown>>) => void): string {
  const loaded = loadScenarioFile(library(name), set);
  const sim = new Simulation(buildConfig(loaded.scenario, loaded.baseDir));
  const rows: string[] = [];
  sim.events.on('block', (b: BlockInfo) => rows.push(JSON.stringify(b)));
  sim.events.on('tx', (tx) => rows.push(`${tx.id} ${tx.agent} ${tx.status} ${tx.gasUsed}`));
  sim.step(at);
  change?.(sim, loaded.scenario.agents as Record<string, Record<string, unknown>>);
  sim.run();
  return `${rows.join('\n')}\n${JSON.stringify(sim.result())}`;
}

/** Reconfigure every agent that has live parameters with its own spec. */
const sameSpecs = (sim: Simulation, specs: Record<string, Record<string, unknown>>): void => {
  const k = sim.kernel;
  k.agents.forEach((a, i) => {
    if (a.reconfigure === undefined || (a.liveParams ?? []).length === 0) return;
    a.reconfigure({ ...specs[a.id], id: a.id });
    k.reschedule(i);
  });
  k.reconfigureChain(k.config.chain);
  k.config.market.assets.forEach((asset, j) => {
    if (asset.process.kind === 'gbm' || asset.process.kind === 'ou') k.market.reconfigure(j, asset.process);
  });
};

describe('a live change to the values in force', () => {
  it.each([
    ['minimal', ['duration=1h']], // noise, arbitrageur
    ['minimal', ['duration=1h', 'agents.lp.exit={outsideRate: 3, window: 600, checkEvery: 5, hysteresis: 0}']], // an LP's exit rule
    ['who-pays', ['duration=30m']], // tracker, rebalancing hedger
    ['adversarial-trigger', ['duration=10m']], // delta hedger, arbitrageur
    ['options-vault', ['duration=2d']], // delta hedgers with interval and band triggers
  ])('changes nothing in %s', (name, set) => {
    const plain = trace(name, set, 100);
    const touched = trace(name, set, 100, sameSpecs);
    expect(touched.length).toBeGreaterThan(1000);
    expect(touched === plain).toBe(true);
  });

  it('while a real change shows from the next block on (a tracker told to tolerate 5 % stops moving the price)', () => {
    const tolerant = (sim: Simulation, specs: Record<string, Record<string, unknown>>): void => {
      const k = sim.kernel;
      const i = k.agents.findIndex((a) => a.id === 'tracker');
      k.agents[i]!.reconfigure!({ ...specs.tracker, id: 'tracker', tolerance: 0.05 });
    };
    const plain = trace('who-pays', ['duration=30m'], 50).split('\n');
    const changed = trace('who-pays', ['duration=30m'], 50, tolerant).split('\n');
    const firstDiff = plain.findIndex((line, j) => line !== changed[j]);
    // Up to and including block 50's row, the lines agree.
    const block50 = plain.findIndex((line) => line.startsWith('{"number":50,'));
    expect(block50).toBeGreaterThan(0);
    expect(firstDiff).toBeGreaterThan(block50);
    const sends = (lines: string[]): number => lines.filter((l) => !l.startsWith('{') && l.split(' ')[1] === '0').length;
    expect(sends(changed)).toBeLessThan(sends(plain));
  });
  it('and options an agent reads once are read again (an arbitrageur told to look every 7th block trades only after those blocks)', () => {
    /** The blocks arb's transactions landed in after block `from`, with `every` set at block 100 if given. */
    const landed = (every?: number): number[] => {
      const loaded = loadScenarioFile(library('minimal'), ['duration=4h']);
      const sim = new Simulation(buildConfig(loaded.scenario, loaded.baseDir));
      const arb = sim.kernel.agents.findIndex((a) => a.id === 'arb');
      const blocks: number[] = [];
      sim.events.on('tx', (tx) => {
        if (tx.agent === arb && tx.block > 101) blocks.push(tx.block);
      });
      sim.step(100);
      if (every !== undefined) sim.kernel.agents[arb]!.reconfigure!({ ...(loaded.scenario.agents as Record<string, object>).arb, id: 'arb', every });
      sim.run();
      return blocks;
    };
    const residues = (blocks: number[]): number => new Set(blocks.map((b) => b % 7)).size;
    const plain = landed();
    const slow = landed(7);
    expect(plain.length).toBeGreaterThan(20);
    expect(residues(plain)).toBe(7);
    // It looks at blocks 7m only, and its trade lands in the next block.
    expect(slow.length).toBeGreaterThan(10);
    expect(residues(slow)).toBe(1);
  });
});

describe('a dormant agent (a fork\u2019s new agent)', () => {
  it('is set up and funded at genesis, but joins its cohort, places its genesis calls and acts only when admitted', () => {
    const exit = '{outsideRate: 3, window: 600, checkEvery: 5}';
    const loaded = loadScenarioFile(library('minimal'), ['duration=1h', `agents.lp.exit=${exit}`, `agents.lp2={kind: lp, venue: pool, balances: {ETH: 10, USD: 25000}, exit: ${exit}}`]);
    const config = buildConfig(loaded.scenario, loaded.baseDir);
    const sim = new Simulation({ ...config, dormant: ['lp2'] });
    const k = sim.kernel;
    const lp2 = k.agents.findIndex((a) => a.id === 'lp2');
    const sent: number[] = [];
    sim.events.on('tx', (tx) => {
      if (tx.agent === lp2) sent.push(k.blockNumber);
    });
    sim.step(100);
    const cohort = k.table.cohortIndex.get('lp@pool')!;
    expect(k.table.cohorts[cohort]).toEqual([k.agents.findIndex((a) => a.id === 'lp')]);
    expect(sent).toEqual([]);
    const usd = k.world.ledger.tokens.indexOf('USD');
    expect(k.world.ledger.get(k.world.agentAccount(lp2), usd)).toBe(25_000);
    k.admit(lp2);
    expect(k.table.cohorts[cohort]).toEqual([0, lp2]);
    // Its genesis deposit, at once, on block 100's state.
    expect(sent).toEqual([100]);
    expect(k.world.ledger.get(k.world.agentAccount(lp2), usd)).toBe(0);
    sim.run();
    expect(() => k.admit(lp2)).toThrow(/not dormant/);
  });

  it('keeps the world identity W1 and each agent\u2019s total = hold + edge across the fork: an LP admitted and the volatility doubled at block 100', () => {
    const loaded = loadScenarioFile(library('minimal'), ['duration=2h', 'agents.lp2={kind: lp, venue: pool, balances: {ETH: 10, USD: 25000}}']);
    const config = buildConfig(loaded.scenario, loaded.baseDir);
    const sim = new Simulation({ ...config, dormant: ['lp2'] });
    const k = sim.kernel;
    sim.step(100);
    k.admit(k.agents.findIndex((a) => a.id === 'lp2'));
    const eth = k.config.market.assets.findIndex((a) => a.id === 'ETH');
    const gbm = k.config.market.assets[eth]!.process;
    if (gbm.kind !== 'gbm') throw new Error('minimal prices ETH by a gbm');
    k.market.reconfigure(eth, { ...gbm, sigma: 2 * gbm.sigma });
    sim.run();
    const r = sim.result();
    const w = worldIdentity(k, sim.baseline);
    expect(w.scale).toBeGreaterThan(0);
    expect(Math.abs(w.lhs - w.rhs)).toBeLessThanOrEqual(1e-9 * w.scale);
    const lp2 = r.agents.find((a) => a.id === 'lp2')!;
    // It earned fees after joining, and its accounts add up like everyone's.
    expect(lp2.pnl.fees).toBeGreaterThan(0);
    for (const a of r.agents) expect(Math.abs(a.pnl.hold + a.pnl.edge - a.pnl.total), a.id).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a.pnl.total)));
  });
});
