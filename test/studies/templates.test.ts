/**
 * Agent templates with a count (scenarios/templates.ts): `agents.h: { count: n, … }` is the same
 * scenario as the agents h-1 … h-n written out (byte-identical results, each its own random
 * stream); perIndex varies a field by copy; clashes and bad perIndex lists are located errors;
 * --set and sweep parameters change the template.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSweep } from '../../batch/sweep';
import { variant } from '../../batch/variant';
import { buildConfig, parseScenario } from '../../scenarios';
import { ScenarioError } from '../../scenarios/errors';
import { expandTemplates } from '../../scenarios/templates';
import { simulate } from '../../sim/simulation';
import { edit } from '../cli/helpers';

const dir = mkdtempSync(join(tmpdir(), 'hedgesim-templates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 't.yaml');

const NOISE = `  noise:
    kind: noise
    venue: pool
    meanInterval: 60s
    medianUsd: 2000
    balances: { ETH: 10000, USD: 25000000 }
`;
const TEMPLATE = edit(NOISE, `  h:
    count: 3
    kind: noise
    venue: pool
    meanInterval: 60s
    medianUsd: { perIndex: [1000, 2000, 3000] }
    balances: { ETH: 10000, USD: 25000000 }
`);
const WRITTEN = edit(NOISE, [1000, 2000, 3000].map((m, i) => `  h-${i + 1}:\n    kind: noise\n    venue: pool\n    meanInterval: 60s\n    medianUsd: ${m}\n    balances: { ETH: 10000, USD: 25000000 }\n`).join(''));

const load = (text: string, set: string[] = []) => parseScenario(text, file, set).scenario;
const problems = (text: string, set: string[] = []): string[] => {
  try {
    parseScenario(text, file, set);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.format().replaceAll(`${dir}/`, '').split('\n');
  }
  throw new Error('loaded without problems');
};
const run = (s: ReturnType<typeof load>) => JSON.stringify(simulate(buildConfig(s, dir)));

describe('agent templates with a count', () => {
  it('expands to h-1 … h-n in place, the same run as the agents written out', () => {
    const s = load(TEMPLATE);
    expect(Object.keys(s.agents)).toEqual(['lp', 'h-1', 'h-2', 'h-3', 'arb']);
    expect(run(s)).toBe(run(load(WRITTEN)));
    // Each copy draws from its own stream: the same parameters give different trade counts.
    const same = load(TEMPLATE.replace('{ perIndex: [1000, 2000, 3000] }', '2000'));
    const trades = simulate(buildConfig(same, dir)).agents.filter((a) => a.id.startsWith('h-')).map((a) => a.txs.sent);
    expect(new Set(trades).size).toBeGreaterThan(1);
  });

  it('keeps lists as lists, and count 0 is no agent', () => {
    const s = load(TEMPLATE, ['agents.h.count=0', 'agents.h.medianUsd=500']);
    expect(Object.keys(s.agents)).toEqual(['lp', 'arb']);
    const t = load(TEMPLATE, ['agents.h.count=2', 'agents.h.medianUsd={ perIndex: [7, 9] }']);
    expect(Object.keys(t.agents)).toEqual(['lp', 'h-1', 'h-2', 'arb']);
    expect([t.agents['h-1'], t.agents['h-2']].map((a) => (a as { medianUsd: number }).medianUsd)).toEqual([7, 9]);
    expect((t.agents['h-2'] as { balances: Record<string, number> }).balances).toEqual({ ETH: 10000, USD: 25000000 });
    // A list is a value like any other, the same for every copy; only perIndex varies, at any depth.
    const e = expandTemplates({ agents: { a: { count: 2, kind: 'x', list: [1, 2], deep: { v: { perIndex: [[1], [2, 3]] } } } } });
    expect(e.data.agents).toEqual({ 'a-1': { kind: 'x', list: [1, 2], deep: { v: [1] } }, 'a-2': { kind: 'x', list: [1, 2], deep: { v: [2, 3] } } });
  });

  it('reports clashes, bad counts and perIndex lists at their place in the file', () => {
    expect(problems(TEMPLATE.replace('  arb:', '  h-2:'))).toEqual([expect.stringMatching(/^t\.yaml:25:3: agents\.h-2: the agent id 'h-2' is also an id the template 'h' expands to \(h-1 … h-3\)/)]);
    expect(problems(TEMPLATE.replace('  arb:', '  h-9:'))[0]).toMatch(/^t\.yaml:25:3: agents\.h-9: .*has the form h-<n>/);
    expect(problems(TEMPLATE.replace('count: 3', 'count: 4'))).toEqual([expect.stringMatching(/^t\.yaml:23:28: agents\.h\.medianUsd\.perIndex: perIndex has 3 values, but count is 4/)]);
    expect(problems(TEMPLATE.replace('count: 3', 'count: -1'))).toEqual([expect.stringMatching(/^t\.yaml:19:12: agents\.h\.count: count must be a whole number/)]);
    // A problem of a copy is at the template's field, or at the copy's element of a perIndex list.
    expect(problems(TEMPLATE.replace('meanInterval: 60s', 'meanInterval: -5'))).toEqual([expect.stringMatching(/^t\.yaml:22:19: agents\.h\.meanInterval: /)]);
    expect(problems(TEMPLATE.replace('[1000, 2000, 3000]', '[1000, -2, 3000]'))).toEqual([expect.stringMatching(/^t\.yaml:23:35: agents\.h\.medianUsd\.perIndex\[1\]: must be > 0/)]);
  });

  it('lets a sweep parameter change a template: its count, or a field of every copy', () => {
    const base = load(TEMPLATE);
    const v = variant(base, { 'agents.h.count': 5, 'agents.h.medianUsd': 100, 'agents.arb.bid.share': 0.3 });
    expect(Object.keys(v.agents)).toEqual(['lp', 'h-1', 'h-2', 'h-3', 'h-4', 'h-5', 'arb']);
    expect(Object.values(v.agents).filter((a) => a.kind === 'noise').map((a) => (a as { medianUsd: number }).medianUsd)).toEqual([100, 100, 100, 100, 100]);
    // Built again from the changed template: the same as loading it with --set.
    expect(run(v)).toBe(run(load(TEMPLATE, ['agents.h.count=5', 'agents.h.medianUsd=100', 'agents.arb.bid.share=0.3'])));
    expect(Object.keys(variant(base, { 'agents.h.count': 0 }).agents)).toEqual(['lp', 'arb']);
    // A perIndex list may be longer than the count (copy i takes the i-th), not shorter.
    expect(Object.values(variant(base, { 'agents.h.count': 2 }).agents).filter((a) => a.kind === 'noise').map((a) => (a as { medianUsd: number }).medianUsd)).toEqual([1000, 2000]);
    expect(() => variant(base, { 'agents.h.count': 4 })).toThrow(/agents\.h\.medianUsd\.perIndex: perIndex has 3 values, but count is 4/);
  });

  it('in a sweep over the count: each point has its copies, and sum/count over template:h see them', async () => {
    writeFileSync(join(dir, 'base.yaml'), TEMPLATE.replace('blocks: 50', 'blocks: 30'));
    writeFileSync(join(dir, 'count.yaml'), `name: count
scenario: base.yaml
replicates: 2
parameters: { agents.h.count: { values: [0, 2, 3] } }
metrics:
  n: count(template:h)
  sent: sum(template:h, txs.sent)
  first: agents.h-1.txs.sent
`);
    const r = await runSweep(join(dir, 'count.yaml'), { out: join(dir, 'count-out'), pool: 'never' });
    const byPoint = (point: number) => [...r.outcomes.values()].filter((o) => r.plan.runs[o.id]!.point === point);
    expect(byPoint(0).map((o) => [o.metrics.n, o.metrics.sent, o.metrics.first])).toEqual([[0, 0, null], [0, 0, null]]);
    for (const [point, count] of [[1, 2], [2, 3]] as const)
      for (const o of byPoint(point)) {
        expect(o.metrics.n).toBe(count);
        expect(o.metrics.sent).toBeGreaterThan(0);
      }
    // Copy h-1 is the same agent with the same stream at counts 2 and 3 (its own stream, agent:h-1); the
    // third copy trades in the same pool, so h-1's count of sent transactions stays (it does not react to prices).
    expect(byPoint(1).map((o) => o.metrics.first)).toEqual(byPoint(2).map((o) => o.metrics.first));
  });
});
