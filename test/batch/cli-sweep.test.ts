/**
 * `hedgesim sweep` and `hedgesim merge` end to end, as child processes of the built CLI: outputs,
 * invalid input (exit 2, nothing written), runs that fail at run time (exit 3 when all do), identical
 * bytes for any worker count and for shards merged, shards from job-array variables, an existing
 * folder refused, the progress lines written to a log.
 */
import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAULT, hedgesim, read, readJson, ROOT, snapshot, tempDirs } from '../cli/helpers';
import { BASE, CLEAN_ENV, csvObjects, differing, edit, journalLines, POOL, RESULT_FILES, SWEEP, SWEEP_RUNS } from './fixtures';

const temp = tempDirs();
const sweep = (cwd: string, args: string[], env: Record<string, string | undefined> = {}) => hedgesim(['sweep', ...args], { cwd, env: { ...CLEAN_ENV, ...env } });
const ids = (n: number, step = 1, from = 0) => Array.from({ length: n }, (_, i) => from + i * step);

describe('a sweep through the command line', () => {
  let dir: string;
  let stdout: string;
  let shardStdout: string;
  beforeAll(() => {
    dir = temp({ 'base.yaml': BASE, 'small.yaml': SWEEP });
    const r = sweep(dir, ['small.yaml', '--workers', '1', '--out', 'w1']);
    expect(r.code).toBe(0);
    stdout = r.stdout;
    // Two shards, as two separate processes.
    expect(sweep(dir, ['small.yaml', '--shard', '0/2', '--out', 's0', '-q', '--workers', '2']).code).toBe(0);
    const one = sweep(dir, ['small.yaml', '--shard', '1/2', '--out', 's1', '--workers', '1']);
    expect(one.code).toBe(0);
    shardStdout = one.stdout;
  });

  it('exits 0 and writes every output: runs, summary, Parquet, timing, sweep.json, sweep.html and the journal', () => {
    expect(stdout).toContain('36 runs (0 failed) over 12 points.');
    expect(readdirSync(join(dir, 'w1')).sort()).toEqual(['runs.csv', 'runs.jsonl', 'runs.parquet', 'summary.csv', 'summary.parquet', 'sweep.html', 'sweep.json', 'timing.csv']);
    const runs = csvObjects(read(dir, 'w1/runs.csv'));
    expect(Object.keys(runs[0]!)).toEqual(['run_id', 'point_id', 'replicate', 'seed', 'agents.noise.medianUsd', 'venues.pool.feeBps', 'agents.arb.bid.share', 'lp_fees', 'volume', 'builder', 'price', 'status', 'error']);
    expect(runs.map((r) => Number(r.run_id))).toEqual(ids(SWEEP_RUNS));
    expect(runs.every((r) => r.status === 'ok' && r.error === '' && Number.isFinite(Number(r.lp_fees)))).toBe(true);
    expect(runs.slice(0, 4).map((r) => [r.seed, r['venues.pool.feeBps'], r['agents.arb.bid.share'], r['agents.noise.medianUsd']])).toEqual([
      ['7', '5', '0.2', '1000'], ['8', '5', '0.2', '1000'], ['9', '5', '0.2', '1000'], ['7', '5', '0.8', '1000'],
    ]);
    const summary = csvObjects(read(dir, 'w1/summary.csv'));
    expect(summary).toHaveLength(12);
    for (const m of ['lp_fees', 'volume', 'builder', 'price']) for (const s of ['mean', 'sd', 'ci_low', 'ci_high', 'diff_mean', 'diff_ci_low', 'diff_ci_high']) expect(summary[0]).toHaveProperty(`${m}_${s}`);
    expect(summary.every((s) => s.runs === '3' && s.failed === '0')).toBe(true);
    expect(summary[2]).toMatchObject({ lp_fees_diff_mean: '0', price_diff_ci_low: '0' });
    expect(readJson(join(dir, 'w1'), 'sweep.json')).toMatchObject({ name: 'small', seed: 7, replicates: 3, points: 12, runs: 36, baseline: 2, completed: 36, failed: 0, set: ['chain.baseFee.initial=3'] });
    const html = read(dir, 'w1/sweep.html');
    expect(html).toContain('hedgesim sweep — small');
    expect(html).not.toContain('The sweep viewer is not built');
    expect(csvObjects(read(dir, 'w1/timing.csv')).map((r) => Number(r.run_id))).toEqual(ids(SWEEP_RUNS));
    expect(journalLines(join(dir, 'w1'))).toHaveLength(SWEEP_RUNS);
  });

  it('writes byte-identical results with --workers 2, on a pool of two threads or (by default, this sweep being short) in the main thread', () => {
    expect(sweep(dir, ['small.yaml', '--workers', '2', '--out', 'w2', '-q'], POOL).code).toBe(0);
    expect(differing(join(dir, 'w1'), join(dir, 'w2'))).toEqual([]);
    expect(sweep(dir, ['small.yaml', '--workers', '2', '--out', 'w2-auto', '-q']).code).toBe(0);
    expect(differing(join(dir, 'w1'), join(dir, 'w2-auto'))).toEqual([]);
  });

  it('writes byte-identical results from two shards run as separate processes and merged', () => {
    expect(shardStdout).toContain('18 runs (0 failed) over 12 points — shard 1/2 (from --shard).');
    expect(csvObjects(read(dir, 's0/runs.csv')).map((r) => Number(r.run_id))).toEqual(ids(18, 2, 0));
    expect(csvObjects(read(dir, 's1/runs.csv')).map((r) => Number(r.run_id))).toEqual(ids(18, 2, 1));
    const merged = hedgesim(['merge', 's0', 's1', '--out', 'm'], { cwd: dir });
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('Merged 2 folders into');
    expect(differing(join(dir, 'w1'), join(dir, 'm'))).toEqual([]);
  });

  it('merges only folders of the same sweep', () => {
    const cwd = temp({ 'base.yaml': BASE, 'other.yaml': edit(SWEEP, 'seed: 7', 'seed: 8') });
    expect(sweep(cwd, ['other.yaml', '--shard', '1/2', '--out', 'o1', '-q']).code).toBe(0);
    const refused = hedgesim(['merge', join(dir, 's0'), 'o1', '--out', 'mixed'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`error: o1 holds a different sweep than ${join(dir, 's0')} (name, scenario, parameters, seeds or metrics differ)\n`);
    expect(existsSync(join(cwd, 'mixed'))).toBe(false);
  });

  it('refuses a merge that lacks a shard (exit 2, nothing written), naming the runs and the shard; --allow-partial writes the runs there are', () => {
    const cwd = temp();
    const odd = ids(18, 2, 1);
    const partial = hedgesim(['merge', join(dir, 's0'), '--out', 'half'], { cwd });
    expect(partial.code).toBe(2);
    expect(partial.stderr).toBe(`error: 18 of 36 runs are missing (run ids ${odd.slice(0, 10).join(', ')} and 8 more): shard 1/2 was not given (given: 0/2). Merge the folder of every shard, or give --allow-partial to write the runs there are\n`);
    expect(existsSync(join(cwd, 'half'))).toBe(false);
    const allowed = hedgesim(['merge', join(dir, 's0'), '--out', 'half', '--allow-partial'], { cwd });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('a partial result: 18 runs are missing');
    expect(csvObjects(read(cwd, 'half/runs.csv')).map((r) => Number(r.run_id))).toEqual(ids(18, 2, 0));
    expect(readJson(join(cwd, 'half'), 'sweep.json')).toMatchObject({ runs: 36, completed: 18 });
    expect(readJson(join(cwd, 'half'), 'sweep.json')).not.toHaveProperty('shard');
    expect(hedgesim(['merge', '--help']).stdout).toMatch(/--allow-partial[\s\S]*Exit codes: 0 merged, 2 invalid input — folders of different sweeps, or runs missing/);
  });

  it('names the missing shard of three, and a shard that did not finish', () => {
    const cwd = temp({ 'base.yaml': BASE, 'small.yaml': SWEEP });
    for (const i of [0, 1, 2]) expect(sweep(cwd, ['small.yaml', '--shard', `${i}/3`, '--out', `t${i}`, '-q']).code).toBe(0);
    expect(readJson(join(cwd, 't1'), 'sweep.json')).toMatchObject({ shard: { index: 1, count: 3 } });
    const two = hedgesim(['merge', 't0', 't2', '--out', 'm'], { cwd });
    expect(two.code).toBe(2);
    expect(two.stderr).toBe(`error: 12 of 36 runs are missing (run ids ${ids(10, 3, 1).join(', ')} and 2 more): shard 1/3 was not given (given: 0/3, 2/3). Merge the folder of every shard, or give --allow-partial to write the runs there are\n`);
    // A shard killed before it finished: its journal holds 9 of its 12 runs.
    const journal = read(cwd, 't2/runs.jsonl').split('\n');
    writeFileSync(join(cwd, 't2', 'runs.jsonl'), journal.slice(0, 9).join('\n') + '\n');
    const lost = journalLines(join(cwd, 't2')).map((o) => o.id);
    const gone = ids(12, 3, 2).filter((id) => !lost.includes(id));
    const unfinished = hedgesim(['merge', 't0', 't1', 't2', '--out', 'm'], { cwd });
    expect(unfinished.code).toBe(2);
    expect(unfinished.stderr).toBe(`error: 3 of 36 runs are missing (run ids ${gone.join(', ')}): t2 (shard 2/3) lacks 3 of its 12 runs (continue it with hedgesim sweep … --resume). Merge the folder of every shard, or give --allow-partial to write the runs there are\n`);
    expect(existsSync(join(cwd, 'm'))).toBe(false);
    expect(hedgesim(['merge', 't0', 't1', 't2', '--out', 'm', '--allow-partial', '-q'], { cwd }).code).toBe(0);
    expect(csvObjects(read(cwd, 'm/runs.csv'))).toHaveLength(33);
  });

  it.each([
    ['a Kubernetes Indexed Job', { JOB_COMPLETION_INDEX: '1', HEDGESIM_SHARDS: '2' }, 'JOB_COMPLETION_INDEX'],
    ['a Slurm array', { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '4', SLURM_ARRAY_TASK_COUNT: '2' }, 'SLURM_ARRAY_TASK_ID'],
    ['an AWS Batch array', { AWS_BATCH_JOB_ARRAY_INDEX: '1', HEDGESIM_SHARDS: '2' }, 'AWS_BATCH_JOB_ARRAY_INDEX'],
  ])('takes the shard from the variables of %s, selecting the same runs as --shard 1/2', (_name, env, source) => {
    const out = `env-${source}`;
    const r = sweep(dir, ['small.yaml', '--out', out, '--workers', '1'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`shard 1/2 (from ${source})`);
    expect(csvObjects(read(dir, `${out}/runs.csv`)).map((x) => Number(x.run_id))).toEqual(ids(18, 2, 1));
    expect(read(dir, `${out}/runs.csv`)).toBe(read(dir, 's1/runs.csv'));
  });

  it('puts a shard from the environment in out/<name>/shard-I-of-N by default', () => {
    const cwd = temp({ 'base.yaml': BASE, 'small.yaml': SWEEP });
    expect(sweep(cwd, ['small.yaml', '-q'], { JOB_COMPLETION_INDEX: '0', HEDGESIM_SHARDS: '3' }).code).toBe(0);
    expect(csvObjects(read(cwd, 'out/small/shard-0-of-3/runs.csv')).map((r) => Number(r.run_id))).toEqual(ids(12, 3, 0));
  });

  it('refuses a folder that holds a sweep without --resume or --force, leaving it untouched', () => {
    const before = snapshot(join(dir, 'w1'));
    const r = sweep(dir, ['small.yaml', '--out', 'w1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${join(dir, 'w1')} holds a partial or finished sweep: use --resume to continue it, or --force to start over\n`);
    expect(snapshot(join(dir, 'w1'))).toEqual(before);
  });

  it('starts over with --force: the journal holds each run once and the results are the same', () => {
    const cwd = temp({ 'base.yaml': BASE, 'small.yaml': SWEEP });
    expect(sweep(cwd, ['small.yaml', '--out', 'o', '-q']).code).toBe(0);
    cpSync(join(cwd, 'o'), join(cwd, 'first'), { recursive: true });
    expect(sweep(cwd, ['small.yaml', '--out', 'o', '-q', '--force', '--workers', '2']).code).toBe(0);
    expect(journalLines(join(cwd, 'o')).map((o) => o.id).sort((a, b) => a - b)).toEqual(ids(SWEEP_RUNS));
    expect(differing(join(cwd, 'first'), join(cwd, 'o'))).toEqual([]);
  });
});

describe('invalid input to sweep', () => {
  it.each([
    ['--workers 0', ['small.yaml', '--workers', '0'], {}, "error: --workers must be a whole number ≥ 1, got '0'"],
    ['--workers two', ['small.yaml', '--workers', 'two'], {}, "error: --workers must be a whole number ≥ 1, got 'two'"],
    ['--shard 3/2', ['small.yaml', '--shard', '3/2'], {}, 'error: shard 3/2 (from --shard) is out of range: need 0 ≤ I < N'],
    ['--shard x', ['small.yaml', '--shard', 'x'], {}, "error: --shard must be I/N with 0 ≤ I < N, got 'x'"],
    ['--shards without an index', ['small.yaml', '--shards', '4'], {}, 'error: --shards N needs --shard I/N or a job-array index variable'],
    ['a Kubernetes index without a count', ['small.yaml'], { JOB_COMPLETION_INDEX: '2' }, "error: JOB_COMPLETION_INDEX is set (Kubernetes Indexed Job): give the number of shards with --shards N or HEDGESIM_SHARDS (the Job's completions)"],
    ['a Slurm index beyond the count', ['small.yaml'], { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_COUNT: '4' }, 'error: shard 7/4 (from SLURM_ARRAY_TASK_ID) is out of range: need 0 ≤ I < N'],
    ['a missing sweep file', ['nope.yaml'], {}, 'nope.yaml:1:1: cannot read the sweep file: no such file'],
    ['an unknown field', ['bad-field.yaml'], {}, "bad-field.yaml:6:1: replicate: unknown field 'replicate' (did you mean 'replicates'?); allowed: $schema, name, description, scenario, set, seed, replicates, samples, parameters, points, metrics, cascadeWindow, baseline, quantiles, seedSalt"],
    ['a value out of range', ['bad-range.yaml'], {}, 'bad-range.yaml:8:3: parameters.venues.pool.feeBps: at point 4 ({"agents.noise.medianUsd":1000,"venues.pool.feeBps":20000,"agents.arb.bid.share":0.2}): venues.pool.feeBps: must be < 10000 basis points, found 20000'],
    ['a missing base scenario', ['bad-base.yaml'], {}, 'bad-base.yaml:3:11: scenario: cannot read the base scenario nobase.yaml: no such file'],
    ['an empty sweep file', ['empty.yaml'], {}, 'empty.yaml:1:1: the file is empty; a sweep needs at least name, scenario and metrics'],
    ['a malformed parameter path', ['bad-path.yaml'], {}, "bad-path.yaml:8:3: parameters.venues..pool.feeBps: malformed path 'venues..pool.feeBps' at '.pool.feeBps' (use a.b.c or a.b[0])"],
    ['a malformed path in a point', ['bad-point-path.yaml'], {}, "bad-point-path.yaml:12:7: points.1.agents[x: malformed path 'agents[x' at '[x' (use a.b.c or a.b[0])"],
    ['seed as a parameter', ['seed-param.yaml'], {}, "seed-param.yaml:8:3: parameters.seed: 'seed' cannot be swept: the replicates set the seed (replicate r runs with seed + r at every point); use seed and replicates at the top level"],
    ['a misspelt metric path', ['bad-metric.yaml'], {}, "bad-metric.yaml:17:10: metrics.price: 'prices.ETHH' names no asset 'ETHH' (did you mean 'ETH'?); assets: ETH"],
    ['a point that sets a grid parameter', ['overlap.yaml'], {}, "overlap.yaml:12:37: points.1.venues.pool.feeBps: 'venues.pool.feeBps' is also in parameters, whose values would replace this point's: set it in one place only"],
    ['a bad HEDGESIM_PROGRESS_INTERVAL', ['small.yaml'], { HEDGESIM_PROGRESS_INTERVAL: 'soon' }, "error: HEDGESIM_PROGRESS_INTERVAL must be a number of seconds ≥ 0, found 'soon'"],
    ['a bad HEDGESIM_SWEEP_POOL', ['small.yaml'], { HEDGESIM_SWEEP_POOL: 'yes' }, "error: HEDGESIM_SWEEP_POOL must be auto, always or never, got 'yes'"],
  ])('%s exits 2 with the message and writes nothing', (_name, args, env, line) => {
    const dir = temp({
      'base.yaml': BASE,
      'small.yaml': SWEEP,
      'bad-field.yaml': edit(SWEEP, 'replicates: 3', 'replicate: 3'),
      'bad-range.yaml': edit(SWEEP, '[5, 30, 100]', '[5, 30, 20000]'),
      'bad-base.yaml': edit(SWEEP, 'scenario: base.yaml', 'scenario: nobase.yaml'),
      'empty.yaml': '',
      'bad-path.yaml': edit(SWEEP, '  venues.pool.feeBps: {', '  venues..pool.feeBps: {'),
      'bad-point-path.yaml': edit(SWEEP, '  - { agents.noise.medianUsd: 3000 }', '  - { "agents[x": 3000 }'),
      'seed-param.yaml': edit(SWEEP, 'parameters:\n', 'parameters:\n  seed: { values: [1, 2] }\n'),
      'bad-metric.yaml': edit(SWEEP, 'price: prices.ETH', 'price: prices.ETHH'),
      'overlap.yaml': edit(SWEEP, '  - { agents.noise.medianUsd: 3000 }', '  - { agents.noise.medianUsd: 3000, venues.pool.feeBps: 50 }'),
    });
    const before = snapshot(dir);
    const r = sweep(dir, args, env);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toContain(line);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('runs that fail at run time', () => {
  it('are recorded in runs.csv with their error while the other runs complete', () => {
    const dir = temp({
      'overflow.yaml': FAULT,
      'fault.yaml': `name: fault\nscenario: overflow.yaml\nreplicates: 2\nparameters:\n  agents.whale.actions[0].amount: { values: [1, 1.7e308, 2] }\nmetrics:\n  volume: venues.pool.volumeUsd\n`,
    });
    const r = hedgesim(['sweep', 'fault.yaml', '--out', 'o', '--workers', '2'], { cwd: dir, env: { ...CLEAN_ENV, ...POOL, HEDGESIM_PROGRESS_INTERVAL: '0' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('6 runs (2 failed) over 3 points.');
    // Progress counts the failures as they come (runs finish in any order on two threads).
    const failedSoFar = r.stderr.trimEnd().split('\n').map((l) => Number(/, (\d) failed,/.exec(l)![1]));
    expect(failedSoFar).toHaveLength(6);
    expect(failedSoFar).toEqual([...failedSoFar].sort());
    expect(failedSoFar.at(-1)).toBe(2);
    const runs = csvObjects(read(dir, 'o/runs.csv'));
    expect(runs.map((x) => x.status)).toEqual(['ok', 'ok', 'failed', 'failed', 'ok', 'ok']);
    expect(runs[2]!.error).toBe('SimulationFault: NEGATIVE_RESERVE at block 2, transaction 2: pool pool reserves 1.7e+308, -Infinity');
    expect(runs[2]!.volume).toBe('');
    expect(runs[4]!.volume).toBe('2');
    expect(csvObjects(read(dir, 'o/summary.csv')).map((s) => [s.runs, s.failed, s.volume_mean])).toEqual([['2', '0', '1'], ['2', '2', ''], ['2', '0', '2']]);
    expect(readJson(join(dir, 'o'), 'sweep.json')).toMatchObject({ completed: 6, failed: 2 });
  });

  it('a metric a successful run cannot read: exit 0, its cells empty, and the command says how many runs', () => {
    const scenario = join(ROOT, 'scenarios', 'library', 'seed-rebalancing.yaml');
    const dir = temp({ 'h.yaml': `name: h\nscenario: ${JSON.stringify(scenario)}\nreplicates: 3\nmetrics:\n  rebalances: agents.rebalancer.metrics.rebalances\n  premium: agents.rebalancer.metrics.premiumUsd\n` });
    const r = sweep(dir, ['h.yaml', '--out', 'o']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("3 of the successful runs could not read some metric: its cells are empty, and runs.csv's error column says why.");
    expect(csvObjects(read(dir, 'o/runs.csv')).map((x) => [x.status, x.premium])).toEqual([['ok', ''], ['ok', ''], ['ok', '']]);
  });

  it('every run failing exits 3 with the outputs written and the first error printed', () => {
    const dir = temp({
      'overflow.yaml': FAULT,
      'all-fail.yaml': `name: all-fail\nscenario: overflow.yaml\nreplicates: 2\nparameters:\n  agents.whale.actions[0].amount: { values: [1.7e308, 1.6e308] }\nmetrics:\n  volume: venues.pool.volumeUsd\n`,
    });
    const r = sweep(dir, ['all-fail.yaml', '--out', 'o', '-q']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`simulation fault: every run failed (4 of 4); run 0: SimulationFault: NEGATIVE_RESERVE at block 2, transaction 2: pool pool reserves 1.7e+308, -Infinity\nThe outputs are in ${join(dir, 'o')}/, with each run's error in runs.csv.\n`);
    const runs = csvObjects(read(dir, 'o/runs.csv'));
    expect(runs.map((x) => x.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
    for (const f of RESULT_FILES) expect(existsSync(join(dir, 'o', f))).toBe(true);
  });
});

describe('progress on stderr when it is not a terminal (a cluster log)', () => {
  const LINE = /^runs (\d+)\/36, (\d+) failed, (\d+\.\d) runs\/s, ETA (\d+) s$/;

  it('is a line per finished run with HEDGESIM_PROGRESS_INTERVAL=0: runs done of all, failed, runs/s and the ETA they give', () => {
    const dir = temp({ 'base.yaml': BASE, 'small.yaml': SWEEP });
    const r = sweep(dir, ['small.yaml', '--out', 'o', '--workers', '1'], { HEDGESIM_PROGRESS_INTERVAL: '0' });
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(SWEEP_RUNS);
    lines.forEach((line, i) => {
      const m = LINE.exec(line);
      expect(m, line).not.toBeNull();
      const [done, failed, rate, eta] = m!.slice(1).map(Number) as [number, number, number, number];
      expect([done, failed]).toEqual([i + 1, 0]);
      expect(rate).toBeGreaterThan(0);
      // The remaining runs at the rate shown, to the second (the rate is rounded to 0.1 run/s).
      expect(Math.abs(eta - (SWEEP_RUNS - done) / rate)).toBeLessThanOrEqual(0.5 + (SWEEP_RUNS - done) * (0.05 / rate / rate));
    });
    expect(lines.at(-1)).toMatch(/ETA 0 s$/);
  });

  it('is only the final line when the sweep is shorter than the interval, and nothing with --quiet', () => {
    const dir = temp({ 'base.yaml': BASE, 'small.yaml': SWEEP });
    const r = sweep(dir, ['small.yaml', '--out', 'o', '--workers', '1'], { HEDGESIM_PROGRESS_INTERVAL: '3600' });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^runs 36\/36, 0 failed, \d+\.\d runs\/s, ETA 0 s\n$/);
    const quiet = sweep(dir, ['small.yaml', '--out', 'q', '-q'], { HEDGESIM_PROGRESS_INTERVAL: '0' });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });

  it('when resuming, starts from the runs the journal holds and rates only the runs this process does', () => {
    const dir = temp({ 'base.yaml': BASE, 'small.yaml': SWEEP });
    // One shard's runs in the journal, then the whole sweep resumed in the same folder.
    expect(sweep(dir, ['small.yaml', '--out', 'o', '--shard', '0/2', '-q']).code).toBe(0);
    const r = sweep(dir, ['small.yaml', '--out', 'o', '--resume', '--workers', '1'], { HEDGESIM_PROGRESS_INTERVAL: '0' });
    expect(r.code).toBe(0);
    const done = r.stderr.trimEnd().split('\n').map((l) => Number(LINE.exec(l)![1]));
    expect(done).toEqual(ids(18, 1, 19));
  });
});
