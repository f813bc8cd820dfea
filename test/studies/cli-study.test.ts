/**
 * `hedgesim study` through the CLI, on a game whose answer is known exactly: on a chain that orders
 * transactions first come, first served (an L2 sequencer), a noise trader's priority fee changes
 * nothing but what it pays — its trades, their order and prices are the same at every fee (common
 * random numbers: same seeds) — so its P&L falls linearly in its fee, and a fee of 0 is strictly
 * dominant: the optimum of `optimise`, and the equilibrium of the two-player `best-response` game.
 * A study killed with SIGKILL and resumed ends byte-identical to an uninterrupted one.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hedgesim, read, readJson, ROOT, tempDirs } from '../cli/helpers';
import { CLEAN_ENV, csvObjects, differing, journalLines, RESULT_FILES, startAndKill } from '../batch/fixtures';
import { feesScenario } from './fixtures';

const temp = tempDirs();

const BASE = feesScenario(200);

const OPT = `name: fee-opt
kind: optimise
scenario: base.yaml
replicates: 8
quick: { replicates: 4, set: [blocks=120] }
metrics:
  a_pnl: agents.a.pnl.total
  a_vs_b: agents.a.pnl.total - agents.b.pnl.total
objective: { metric: a_pnl }
strategy: { agents.a.priorityFee: { values: [0, 1, 2, 4] } }
refine: { method: golden, iterations: 3 }
`;

const GAME = `name: fee-game
kind: best-response
scenario: base.yaml
replicates: 4
metrics:
  a_pnl: agents.a.pnl.total
  b_pnl: agents.b.pnl.total
objective: { kind: mean }
players:
  a: { strategies: { agents.a.priorityFee: { values: [2, 0.5, 0] } }, payoff: a_pnl }
  b: { strategies: { agents.b.priorityFee: { values: [2, 0.5, 0] } }, payoff: b_pnl }
`;

const n = (s: string | undefined): number => Number(s);
/** A table's "indistinguishable" is its Holm-consistent interval containing 0 (the best's own row has none). */
function expectHolmConsistent(rows: Record<string, string>[]): void {
  for (const row of rows.filter((x) => x.best !== 'true')) {
    const low = n(row.diff_ci_low_holm);
    const high = n(row.diff_ci_high_holm);
    expect(Number.isFinite(low) && Number.isFinite(high), JSON.stringify(row)).toBe(true);
    expect(low <= 0 && high >= 0, JSON.stringify(row)).toBe(row.indistinguishable === 'true');
  }
}
let dir = '';
beforeAll(() => {
  dir = temp({ 'base.yaml': BASE, 'opt.yaml': OPT, 'game.yaml': GAME, 'sim.yaml': GAME.replace('kind: best-response', 'kind: best-response\nupdate: simultaneous').replace('name: fee-game', 'name: fee-sim'), 'sym.yaml': GAME.replace('kind: best-response', 'kind: best-response\nsymmetric: true').replace('name: fee-game', 'name: fee-sym') });
});

describe('hedgesim study', () => {
  it('optimise: the lowest priority fee, P&L linear in the fee, golden-section steps toward 0', () => {
    const r = hedgesim(['study', 'opt.yaml', '--quick', '--out', 'opt'], { cwd: dir, env: CLEAN_ENV });
    expect(r.stderr).toContain('stage 00-grid: 4 points, 16 runs');
    expect(r.code).toBe(0);
    const out = join(dir, 'opt');
    const study = readJson<{ replicates: number; quick: boolean; result: { optimum: { values: Record<string, number>; n: number; ciLow: number; ciHigh: number; objective: number }; indistinguishable: unknown[] } }>(out, 'study.json');
    expect(study.quick).toBe(true);
    expect(study.replicates).toBe(4);
    expect(study.result.optimum.values).toEqual({ 'agents.a.priorityFee': 0 });
    expect(study.result.optimum.n).toBe(4);
    expect(study.result.optimum.ciLow).toBeLessThan(study.result.optimum.objective);
    // The terminal's line gives the optimum as the page does: 5 significant figures, not 17.
    const five = (v: number): string => String(Number(v.toPrecision(5)));
    const { objective, ciLow, ciHigh } = study.result.optimum;
    expect(r.stdout).toContain(`Optimum {"agents.a.priorityFee":0}: objective ${five(objective)} (95 % CI ${five(ciLow)} to ${five(ciHigh)}).`);
    // Strictly dominated: every other fee is distinguishable from 0 (paired differences, Holm).
    expect(study.result.indistinguishable).toEqual([{ 'agents.a.priorityFee': 0 }]);
    const curve = csvObjects(read(out, 'curve.csv'));
    const at = (fee: number) => curve.find((row) => n(row['agents.a.priorityFee']) === fee)!;
    // What a fee costs is linear in it: the paired difference at fee 4 is 4 times that at 1, at 2 twice.
    const d1 = n(at(1).diff_vs_best);
    expect(d1).toBeLessThan(0);
    expect(n(at(2).diff_vs_best) / d1).toBeCloseTo(2, 9);
    expect(n(at(4).diff_vs_best) / d1).toBeCloseTo(4, 9);
    // Golden-section search between 0 and 1 (the best grid value's neighbours): first at φ² and φ
    // (φ = 0.618…), then each step toward 0 at the next power: φ³, φ⁴, φ⁵.
    const golden = curve.filter((row) => row.stage?.startsWith('golden'));
    expect(golden.length).toBe(2 + 3);
    expect(Math.min(...golden.map((row) => n(row['agents.a.priorityFee'])))).toBeCloseTo(((Math.sqrt(5) - 1) / 2) ** 5, 12);
    for (const row of curve) expect(n(row.objective)).toBeLessThanOrEqual(n(at(0).objective));
    expectHolmConsistent(curve);
    expect(existsSync(join(out, 'curve.parquet'))).toBe(true);
    const html = read(out, 'study.html');
    expect(html).toContain('agents.a.priorityFee = 0: mean of a_pnl');
    expect(html).toContain('<svg');
  });

  it.each([
    ['game.yaml', 'sequential'],
    ['sim.yaml', 'simultaneous'],
    ['sym.yaml', 'symmetric'],
  ])('best-response (%s): both players at fee 0, a fixed point, every other fee below it', (file, update) => {
    const out = `br-${update}`;
    const r = hedgesim(['study', file, '--out', out], { cwd: dir, env: CLEAN_ENV });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fixed point');
    const study = readJson<{ result: { status: string; update: string; profile: Record<string, Record<string, number>>; path: { round: number; player: string; to: number }[] } }>(join(dir, out), 'study.json');
    expect(study.result.update).toBe(update);
    expect(study.result.status).toBe('fixed point');
    expect(study.result.profile).toEqual({ a: { 'agents.a.priorityFee': 0 }, b: { 'agents.b.priorityFee': 0 } });
    // From fee 2, each answers 0 at once, and the next round confirms it.
    expect(study.result.path.filter((s) => s.round === 1).every((s) => s.to === 2)).toBe(true);
    const payoffs = csvObjects(read(join(dir, out), 'payoffs.csv'));
    expect(payoffs.filter((row) => row.indistinguishable === 'true').map((row) => `${row.player}:${row.strategy}`)).toEqual(update === 'symmetric' ? ['a:2'] : ['a:2', 'b:2']);
    for (const row of payoffs.filter((x) => x.in_profile !== 'true')) expect(n(row.diff_ci_high)).toBeLessThan(0);
    expectHolmConsistent(payoffs);
  });

  it('optimise with successive halving: the grid at 2, the better half at 4, the best at 8 replicates', () => {
    const d = temp({ 'base.yaml': BASE, 'h.yaml': OPT.replace('refine: { method: golden, iterations: 3 }', 'refine: { method: halving, rounds: 2 }') });
    expect(hedgesim(['study', 'h.yaml', '-q', '--out', 'h'], { cwd: d, env: CLEAN_ENV }).code).toBe(0);
    const study = readJson<{ result: { halving: unknown; optimum: { values: unknown; n: number } } }>(join(d, 'h'), 'study.json');
    expect(study.result.halving).toEqual([
      { round: 0, replicates: 2, kept: 4 },
      { round: 1, replicates: 4, kept: 2 },
      { round: 2, replicates: 8, kept: 1 },
    ]);
    expect(study.result.optimum).toMatchObject({ values: { 'agents.a.priorityFee': 0 }, n: 8 });
  });

  it.each(['fee-optimum.yaml', 'fee-game.yaml'])('the shipped example %s answers 0 at the --quick size (docs/studies.md)', (file) => {
    const d = temp({});
    const r = hedgesim(['study', join(ROOT, 'scenarios', 'studies', file), '--quick', '-q', '--out', 'q'], { cwd: d, env: CLEAN_ENV });
    expect(r.code).toBe(0);
    const result = readJson<{ result: { optimum?: { values: unknown }; profile?: unknown; status?: string } }>(join(d, 'q'), 'study.json').result;
    if (file === 'fee-optimum.yaml') expect(result.optimum?.values).toEqual({ 'agents.alice.priorityFee': 0 });
    else expect([result.status, result.profile]).toEqual(['fixed point', { alice: { 'agents.alice.priorityFee': 0 }, bob: { 'agents.bob.priorityFee': 0 } }]);
  });

  it('resumes after SIGKILL to exactly the files of an uninterrupted study', async () => {
    const slow = { 'base.yaml': feesScenario(1500), 'game.yaml': GAME.replace('replicates: 4', 'replicates: 10') };
    const d = temp(slow);
    expect(hedgesim(['study', 'game.yaml', '-q', '--out', 'ref'], { cwd: d, env: CLEAN_ENV }).code).toBe(0);
    const journals = (): number => (existsSync(join(d, 'killed', 'stages')) ? readdirSync(join(d, 'killed', 'stages')).filter((f) => !f.endsWith('.json')).reduce((k, f) => k + journalLines(join(d, 'killed', 'stages', f)).length, 0) : 0);
    const killed = await startAndKill(['study', 'game.yaml', '-q', '--out', 'killed'], d, () => journals() >= 35, 'SIGKILL');
    expect(killed.killed).toBe(true);
    expect(killed.signal).toBe('SIGKILL');
    const total = readJson<{ runs: number }>(join(d, 'ref'), 'study.json').runs;
    expect(journals()).toBeLessThan(total);
    expect(hedgesim(['study', 'game.yaml', '-q', '--out', 'killed'], { cwd: d, env: CLEAN_ENV }).code).toBe(2);
    expect(hedgesim(['study', 'game.yaml', '-q', '--out', 'killed', '--resume'], { cwd: d, env: CLEAN_ENV }).code).toBe(0);
    expect(differing(join(d, 'ref'), join(d, 'killed'), ['study.json', 'study.html', 'payoffs.csv', 'payoffs.parquet', 'path.csv', 'path.parquet', 'study-plan.json'])).toEqual([]);
    const stages = readdirSync(join(d, 'ref', 'stages')).filter((f) => !f.endsWith('.json'));
    expect(stages.length).toBeGreaterThan(1);
    for (const s of stages) expect(differing(join(d, 'ref', 'stages', s), join(d, 'killed', 'stages', s), RESULT_FILES), s).toEqual([]);
  });

  it('names the command for a study file given to run or sweep, and has a --help', () => {
    expect(hedgesim(['run', 'game.yaml', '--out', 'x'], { cwd: dir }).stderr).toContain('game.yaml:2:1: game.yaml is a study file: use `hedgesim study game.yaml`');
    expect(hedgesim(['sweep', 'game.yaml', '--out', 'x'], { cwd: dir }).stderr).toContain('game.yaml:2:1: game.yaml is a study file: use `hedgesim study game.yaml`');
    const help = hedgesim(['study', '--help']);
    expect([help.code, help.stdout.split('\n')[0]]).toEqual([0, 'Usage: hedgesim study [options] <file>']);
    expect(help.stdout).toContain('--quick');
  });

  it('refuses a bad study file at its line, writing nothing', () => {
    const d = temp({ 'base.yaml': BASE, 'bad.yaml': GAME.replace('payoff: a_pnl', 'payoff: a_pnk').replace('b_pnl: agents.b.pnl.total', 'b_pnl: agents.b.pnl.totl') });
    const r = hedgesim(['study', 'bad.yaml', '--out', 'x'], { cwd: d, env: CLEAN_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad.yaml:7:10: metrics.b_pnl: 'agents.b.pnl.totl' names no field 'totl'");
    expect(r.stderr).toMatch(/bad\.yaml:10:79: players\.a\.payoff: 'a_pnk' is not one of the study's metrics \(did you mean 'a_pnl'\?\)/);
    expect(existsSync(join(d, 'x'))).toBe(false);
  });

  it("refuses objective.metric in a best-response study (each player's payoff is rated) at its place, writing nothing", () => {
    const d = temp({ 'base.yaml': BASE, 'bad.yaml': GAME.replace('objective: { kind: mean }', 'objective: { metric: a_pnl, kind: mean }') });
    const r = hedgesim(['study', 'bad.yaml', '--out', 'x'], { cwd: d, env: CLEAN_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad.yaml:8:22: objective.metric: a best-response study rates each player's payoff (players.<id>.payoff), not one metric: remove objective.metric");
    expect(existsSync(join(d, 'x'))).toBe(false);
    // Without an objective at all: each payoff's mean.
    const ok = temp({ 'base.yaml': BASE, 'g.yaml': GAME.replace('objective: { kind: mean }\n', '') });
    expect(hedgesim(['study', 'g.yaml', '--quick', '-q', '--out', 'g'], { cwd: ok, env: CLEAN_ENV }).code).toBe(0);
    expect(readJson<{ result: { objective: unknown } }>(join(ok, 'g'), 'study.json').result.objective).toEqual({ kind: 'mean', name: 'mean' });
    // … and given to run, it is still named a study file (no objective to recognise it by).
    expect(hedgesim(['run', 'g.yaml', '--out', 'x'], { cwd: ok }).stderr).toContain('g.yaml:2:1: g.yaml is a study file');
  });
});
