/**
 * Deriving a point's scenario (batch/variant.ts: immer, then the scenario checks again) and loading
 * a sweep file (batch/load.ts): every problem is a ScenarioError at file:line:col, found before
 * anything runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSweepFile } from '../../batch/load';
import { metaOf } from '../../batch/sweep';
import { variant, VariantError } from '../../batch/variant';
import { loadScenarioFile } from '../../scenarios';
import { ScenarioError } from '../../scenarios/errors';
import { BASE, edit, SWEEP } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'hedgesim-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'base.yaml'), BASE);
const base = () => loadScenarioFile(join(dir, 'base.yaml')).scenario;

function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

/** The problems of loading `text` as s.yaml, one `file:line:col: path: message` line each, relative to the folder. */
function problems(text: string, name = 's.yaml'): string[] {
  writeFileSync(join(dir, name), text);
  try {
    loadSweepFile(join(dir, name));
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.format().replaceAll(`${dir}/`, '').split('\n');
  }
  throw new Error('the sweep file loaded without problems');
}

const MINI = `name: t
scenario: base.yaml
metrics: { fees: agents.lp.pnl.fees }
`;

describe('a variant of the base scenario', () => {
  it('has the point’s values and leaves the deep-frozen base untouched', () => {
    const b = deepFreeze(base());
    const before = JSON.stringify(b);
    const v = variant(b, { 'venues.pool.feeBps': 5, 'agents.arb.bid.share': 0.25, seed: 11 });
    expect(JSON.stringify(b)).toBe(before);
    expect(v.venues?.pool).toMatchObject({ feeBps: 5 });
    expect(v.agents?.arb).toMatchObject({ bid: { kind: 'share', share: 0.25 } });
    expect(v.seed).toBe(11);
    expect(b.venues?.pool).toMatchObject({ feeBps: 30 });
    expect(b.agents?.arb).toMatchObject({ bid: { share: 0.5 } });
  });

  it('leaves an unfrozen base unchanged too, so every point starts from the same base', () => {
    const b = base();
    const before = structuredClone(b);
    variant(b, { 'agents.noise.medianUsd': 9000 });
    const second = variant(b, { 'venues.pool.feeBps': 1 });
    expect(b).toEqual(before);
    expect(second.agents?.noise).toMatchObject({ medianUsd: 2000 });
  });

  it('is validated again: a value out of range is a VariantError naming the parameter', () => {
    expect(() => variant(base(), { 'venues.pool.feeBps': 20000 })).toThrow(VariantError);
    try {
      variant(base(), { 'agents.noise.medianUsd': 100, 'agents.arb.bid.share': 1.5 });
    } catch (e) {
      expect(e).toBeInstanceOf(VariantError);
      expect((e as VariantError).parameter).toBe('agents.arb.bid.share');
      expect((e as VariantError).message).toContain('must be ≤ 1');
    }
    expect.assertions(4);
  });

  it('rejects a malformed path with a VariantError naming it (not a bare Error)', () => {
    expect(() => variant(base(), { 'venues..pool.feeBps': 5 })).toThrow(VariantError);
    expect(() => variant(base(), { 'agents[x': 5 })).toThrow(/malformed path 'agents\[x'/);
  });

  it('cannot set a field under something the base scenario does not have', () => {
    expect(() => variant(base(), { 'agents.nobody.bid.share': 0.5 })).toThrow(/the base scenario has no 'agents.nobody'/);
  });
});

describe('a sweep file that loads', () => {
  it('gives the plan, the base scenario with the set overrides, and every point valid', () => {
    writeFileSync(join(dir, 'ok.yaml'), SWEEP);
    const loaded = loadSweepFile(join(dir, 'ok.yaml'));
    expect(loaded.plan.points).toHaveLength(12);
    expect(loaded.plan.runs).toHaveLength(36);
    expect(loaded.plan.baseline).toBe(2);
    expect(loaded.base.scenario.chain.baseFee).toMatchObject({ initial: 3 });
    expect(loaded.scenarioFile).toBe(join(dir, 'base.yaml'));
  });

  it('names each parameter’s unit as the scenario schema records it, for the viewer’s axes', () => {
    writeFileSync(join(dir, 'ok.yaml'), SWEEP);
    const loaded = loadSweepFile(join(dir, 'ok.yaml'));
    expect(metaOf(loaded, loaded.plan).units).toEqual({ 'venues.pool.feeBps': 'basis points', 'agents.arb.bid.share': 'fraction in [0, 1]', 'agents.noise.medianUsd': 'USD' });
    // A unit under a union (chain.baseFee's modes); a parameter without one (the ordering rule) is left out.
    writeFileSync(join(dir, 'gas.yaml'), edit(MINI, 'metrics:', 'parameters:\n  chain.baseFee.initial: { values: [1, 10] }\n  chain.ordering: { values: [priority, fcfs] }\nmetrics:'));
    const gas = loadSweepFile(join(dir, 'gas.yaml'));
    expect(metaOf(gas, gas.plan).units).toEqual({ 'chain.baseFee.initial': 'gwei' });
  });
});

describe('a malformed sweep file is reported at file:line:col', () => {
  it.each([
    ['an unknown field, with a suggestion', edit(MINI, 'metrics:', 'replicate: 3\nmetrics:'), ["s.yaml:3:1: replicate: unknown field 'replicate' (did you mean 'replicates'?); allowed: $schema, name, description, scenario, set, seed, replicates, samples, parameters, points, metrics, cascadeWindow, baseline, quantiles, seedSalt"]],
    ['a string for an integer', edit(MINI, 'metrics:', 'replicates: three\nmetrics:'), ["s.yaml:3:13: replicates: expected an integer, found the string 'three'"]],
    ['a negative seed', edit(MINI, 'metrics:', 'seed: -1\nmetrics:'), ['s.yaml:3:7: seed: must be ≥ 0, found -1']],
    ['a grid axis that is not a list', edit(MINI, 'metrics:', 'parameters:\n  venues.pool.feeBps: { values: 5 }\nmetrics:'), ['s.yaml:4:33: parameters.venues.pool.feeBps.values: expected a list, found 5']],
    ['a range the wrong way round', edit(MINI, 'metrics:', 'samples: 3\nparameters:\n  agents.arb.bid.share: { lhs: [0.9, 0.1] }\nmetrics:'), ['s.yaml:5:32: parameters.agents.arb.bid.share.lhs: must be [low, high] with low < high']],
    ['no metrics', 'name: t\nscenario: base.yaml\n', ["s.yaml:1:1: metrics: missing required field 'metrics' (a map)"]],
    ['an empty map of metrics', edit(MINI, '{ fees: agents.lp.pnl.fees }', '{}'), ['s.yaml:3:10: metrics: name at least one metric']],
    ['a metric name that is not an identifier', edit(MINI, '{ fees:', '{ 1fees:'), ["s.yaml:3:12: metrics.1fees: invalid name '1fees': must be letters, digits and _, not starting with a digit"]],
    ['a metric naming an unknown agent', edit(MINI, 'agents.lp.', 'agents.lpp.'), ["s.yaml:3:18: metrics.fees: 'agents.lpp.pnl.fees' names no agent 'lpp' (did you mean 'lp'?); agents: lp, noise, arb"]],
    ['a metric naming an unknown venue', edit(MINI, 'agents.lp.pnl.fees', 'venues.pol.volumeUsd'), ["s.yaml:3:18: metrics.fees: 'venues.pol.volumeUsd' names no venue 'pol' (did you mean 'pool'?); venues: pool"]],
    ['a metric outside the run summary', edit(MINI, 'agents.lp.pnl.fees', 'lp.pnl.fees'), ["s.yaml:3:18: metrics.fees: 'lp.pnl.fees' must start with agents.<id>, venues.<id>, builder, prices, blocks, simulatedSeconds, finalBaseFee, chain, conservation, measureFrom, mev, transfers or cascade"]],
    ['a random parameter without samples', edit(MINI, 'metrics:', 'parameters:\n  agents.arb.bid.share: { uniform: [0.1, 0.9] }\nmetrics:'), ["s.yaml:4:25: parameters.agents.arb.bid.share: a uniform parameter needs 'samples' (how many draws) at the top level"]],
    ['an lhs parameter without samples, beside a grid and its baseline (one problem, not a cascade)', edit(MINI, 'metrics:', 'parameters:\n  venues.pool.feeBps: { values: [5, 30] }\n  agents.arb.bid.share: { lhs: [0.1, 0.9] }\nbaseline: { venues.pool.feeBps: 5 }\nmetrics:'), ["s.yaml:5:25: parameters.agents.arb.bid.share: a lhs parameter needs 'samples' (how many draws) at the top level"]],
    ['a baseline that is not a point', edit(MINI, 'metrics:', 'parameters:\n  venues.pool.feeBps: { values: [5, 30] }\nbaseline: { venues.pool.feeBps: 10 }\nmetrics:'), ['s.yaml:5:11: baseline: the baseline {"venues.pool.feeBps":10} is not one of the sweep\'s points']],
    ['a grid value out of range', edit(MINI, 'metrics:', 'parameters:\n  venues.pool.feeBps: { values: [5, 30, 20000] }\nmetrics:'), ['s.yaml:4:3: parameters.venues.pool.feeBps: at point 2 ({"venues.pool.feeBps":20000}): venues.pool.feeBps: must be < 10000 basis points, found 20000']],
    ['an explicit point out of range', edit(MINI, 'metrics:', 'points:\n  - { agents.arb.bid.share: 0.5 }\n  - { agents.arb.bid.share: 2 }\nmetrics:'), ['s.yaml:4:3: points: at point 1 ({"agents.arb.bid.share":2}): agents.arb.bid.share: must be ≤ 1 (a fraction in [0, 1]), found 2']],
    ['a parameter under an agent the base does not have', edit(MINI, 'metrics:', 'parameters:\n  agents.nobody.bid.share: { values: [0.5] }\nmetrics:'), ['s.yaml:4:3: parameters.agents.nobody.bid.share: at point 0 ({"agents.nobody.bid.share":0.5}): the base scenario has no \'agents.nobody\' to set \'agents.nobody.bid.share\' in']],
    ['a malformed parameter path', edit(MINI, 'metrics:', 'parameters:\n  venues..pool.feeBps: { values: [5, 30] }\nmetrics:'), ["s.yaml:4:3: parameters.venues..pool.feeBps: malformed path 'venues..pool.feeBps' at '.pool.feeBps' (use a.b.c or a.b[0])"]],
    ['a malformed path in an explicit point, beside a bad metric (both reported)', edit(edit(MINI, 'metrics:', 'points:\n  - { agents.arb.bid.share: 0.5 }\n  - { "agents[x": 1 }\nmetrics:'), 'agents.lp.', 'agents.lpp.'), ["s.yaml:5:7: points.1.agents[x: malformed path 'agents[x' at '[x' (use a.b.c or a.b[0])", "s.yaml:6:18: metrics.fees: 'agents.lpp.pnl.fees' names no agent 'lpp' (did you mean 'lp'?); agents: lp, noise, arb"]],
    ['a malformed path in the baseline', edit(MINI, 'metrics:', 'parameters:\n  venues.pool.feeBps: { values: [5, 30] }\nbaseline: { venues.pool.feeBps.: 5 }\nmetrics:'), ["s.yaml:5:13: baseline.venues.pool.feeBps.: malformed path 'venues.pool.feeBps.'"]],
    ['seed as a parameter', edit(MINI, 'metrics:', 'parameters:\n  seed: { values: [1, 2] }\nmetrics:'), ["s.yaml:4:3: parameters.seed: 'seed' cannot be swept: the replicates set the seed (replicate r runs with seed + r at every point); use seed and replicates at the top level"]],
    ['seed in an explicit point', edit(MINI, 'metrics:', 'points:\n  - { seed: 3 }\nmetrics:'), ["s.yaml:4:7: points.0.seed: 'seed' cannot be swept: the replicates set the seed (replicate r runs with seed + r at every point); use seed and replicates at the top level"]],
    ['an explicit point that sets a grid parameter', edit(MINI, 'metrics:', 'parameters:\n  venues.pool.feeBps: { values: [5, 30] }\npoints:\n  - { agents.arb.bid.share: 0.5 }\n  - { agents.arb.bid.share: 0.2, venues.pool.feeBps: 100 }\nmetrics:'), ["s.yaml:7:34: points.1.venues.pool.feeBps: 'venues.pool.feeBps' is also in parameters, whose values would replace this point's: set it in one place only"]],
    ['an explicit point that sets a random parameter', edit(MINI, 'metrics:', 'samples: 2\nparameters:\n  agents.arb.bid.share: { uniform: [0.1, 0.9] }\npoints:\n  - { agents.arb.bid.share: 0.5 }\nmetrics:'), ["s.yaml:7:7: points.0.agents.arb.bid.share: 'agents.arb.bid.share' is also in parameters, whose values would replace this point's: set it in one place only"]],
    ['a baseline naming a drawn parameter', edit(MINI, 'metrics:', 'samples: 2\nparameters:\n  venues.pool.feeBps: { values: [5, 30] }\n  agents.arb.bid.share: { lhs: [0.1, 0.9] }\nbaseline: { venues.pool.feeBps: 5, agents.arb.bid.share: 0.5 }\nmetrics:'), ["s.yaml:7:36: baseline.agents.arb.bid.share: the baseline cannot name 'agents.arb.bid.share', a lhs parameter: its values are drawn, and each point is compared with the baseline point of its own draw"]],
    ['a baseline that leaves a grid parameter out', edit(MINI, 'metrics:', 'parameters:\n  venues.pool.feeBps: { values: [5, 30] }\n  agents.arb.bid.share: { values: [0.2, 0.8] }\nbaseline: { venues.pool.feeBps: 5 }\nmetrics:'), ['s.yaml:6:11: baseline: the baseline {"venues.pool.feeBps":5} matches several points: give a value for every grid parameter and every parameter of the explicit points']],
    ['a missing base scenario file', edit(MINI, 'base.yaml', 'nope.yaml'), ['s.yaml:2:11: scenario: cannot read the base scenario nope.yaml: no such file']],
    ['a set override out of range', edit(MINI, 'metrics:', 'set: [chain.baseFee.initial=1, chain.blockTime=-1]\nmetrics:'), ['s.yaml:3:48: chain.blockTime: must be > 0 seconds, found -1 (in set: chain.blockTime=-1)']],
    ['a set override of an unknown field', edit(MINI, 'metrics:', 'set:\n  - chain.blokTime=1\nmetrics:'), ["s.yaml:4:11: chain.blokTime: unknown field 'blokTime' (did you mean 'blockTime'?); allowed: blockTime, blockTimes, gasLimit, baseFee, ordering, nativeToken, gas, background, replacementBump, mempoolTtl (in set: chain.blokTime=1)"]],
    ['an empty file', '', ['s.yaml:1:1: the file is empty; a sweep needs at least name, scenario and metrics']],
    ['a list at the top level', '- name: t\n', ['s.yaml:1:1: the top level must be a map of fields (name, scenario, parameters, metrics, …), found a list']],
    ['a YAML syntax error', edit(MINI, 'pnl.fees }', 'pnl.fees'), ['s.yaml:4:1: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }']],
  ])('%s', (_name, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it('is reported with every problem at once, in file order', () => {
    const text = edit(edit(MINI, 'name: t', 'name: T'), 'metrics:', 'replicates: 0\nmetrics:');
    expect(problems(text)).toEqual(["s.yaml:1:7: name: found 'T', must be lower-case letters, digits and '-' (e.g. l2-default)", 's.yaml:3:13: replicates: must be ≥ 1, found 0']);
  });

  it('keeps the positions of problems inside the base scenario in the base scenario file', () => {
    writeFileSync(join(dir, 'bad-base.yaml'), edit(BASE, 'feeBps: 30', 'feeBps: 30000'));
    expect(problems(edit(MINI, 'base.yaml', 'bad-base.yaml'))).toEqual(['bad-base.yaml:14:51: venues.pool.feeBps: must be < 10000 basis points, found 30000']);
  });
});
