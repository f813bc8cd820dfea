/**
 * Preflight on the shipped scenarios: the library and the default scenario give no warning (each
 * one they gave was a genuine mis-setting, fixed in the file: hedgers without spare "1", a vault
 * whose genesis hedge left the pool 2.1 % off the reference). And preflight changes nothing: a run
 * with warnings gives the same result, field for field, as the same run without the checks.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import { Kernel } from '../../sim/kernel';
import { MevMeter } from '../../sim/mev';
import { baseline, summarize, type Baseline } from '../../sim/result';
import { simulate, Simulation } from '../../sim/simulation';

const SCENARIOS = fileURLToPath(new URL('../../scenarios', import.meta.url));
const LIBRARY = join(SCENARIOS, 'library');
const files = [join(SCENARIOS, 'default.yaml'), ...readdirSync(LIBRARY).filter((f) => f.endsWith('.yaml')).map((f) => join(LIBRARY, f))];

const config = (file: string, overrides: string[] = []) => {
  const loaded = loadScenarioFile(file, overrides);
  return buildConfig(loaded.scenario, loaded.baseDir);
};

describe('preflight on the shipped scenarios', () => {
  // Test vectors are set-ups, not markets: their pools sit where the published tests put them.
  const vectors = (f: string): boolean => f.endsWith('exact-vectors.yaml');
  it.each(files.filter((f) => !vectors(f)).map((f) => [f.slice(SCENARIOS.length + 1), f]))('%s gives no warning', (_name, file) => {
    expect(new Simulation(config(file)).warnings).toEqual([]);
  });
  it('library/exact-vectors.yaml warns only that its test-vector pools are off the reference price (as the published tests set them)', () => {
    const w = new Simulation(config(join(LIBRARY, 'exact-vectors.yaml'))).warnings;
    expect(w.length).toBeGreaterThan(0);
    expect(new Set(w.map((x) => x.code))).toEqual(new Set(['VENUE_OFF_REFERENCE']));
  });
});

describe('preflight changes no result', () => {
  it('a run of the default scenario with four warnings gives the result of the same run without preflight, plus the warnings', () => {
    const overrides = ['duration=2h', 'agents.arb-1.balances.ETH=0', 'agents.lp.balances.USD=2600000', 'agents.band-5pct.balances.1=10000', 'agents.retail.latency.network=0', 'agents.retail.privateShare=1', 'agents.band-5pct.private=true', 'agents.profit-3x-gas.private=true'];
    const cfg = config(join(SCENARIOS, 'default.yaml'), overrides);
    const withChecks = simulate(cfg);
    expect(withChecks.warnings.map((w) => [w.code, w.path])).toEqual([
      ['VENUE_OFF_REFERENCE', 'venues.pool'],
      ['NO_GAS_TOKEN', 'agents.arb-1.balances.ETH'],
      ['NO_SPARE_ONE', 'agents.band-5pct.balances.1'],
      ['SEARCHER_SEES_NOTHING', 'agents.sandwicher'],
    ]);
    // The same run by hand, without preflight.
    const k = new Kernel(config(join(SCENARIOS, 'default.yaml'), overrides));
    const meter = new MevMeter(k.world, Uint8Array.from(k.agents, (a) => (a.extractsMev === true ? 1 : 0)));
    k.builder.meter = meter;
    let base: Baseline | null = null;
    k.start(() => {
      base = baseline(k, -1);
      k.transfers.begin();
    });
    k.runTo(cfg.blocks);
    const without = summarize(k, base!, meter.tally);
    expect(without.warnings).toEqual([]);
    expect(JSON.stringify({ ...withChecks, warnings: [] })).toBe(JSON.stringify(without));
    // And deterministic: the same warnings, in the same order, every time.
    expect(simulate(config(join(SCENARIOS, 'default.yaml'), overrides)).warnings).toEqual(withChecks.warnings);
  });
});
