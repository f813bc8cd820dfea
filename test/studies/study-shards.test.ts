/**
 * A study run as two shards sharing its folder (a job array re-run per stage: each run of a shard
 * does its slice of the current stage, exits 4 while the other's slice is not done, and the first
 * to find both done merges the stage and goes on) ends in the same bytes as the study run on one
 * machine: study.json, the tables, the page and every stage's sweep files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hedgesim, read, tempDirs } from '../cli/helpers';
import { CLEAN_ENV, differing, journalLines, RESULT_FILES, startAndKill } from '../batch/fixtures';
import { feesScenario } from './fixtures';

const temp = tempDirs();

const BASE = feesScenario(120);

// Three stages: the grid and two of the golden-section search, each depending on the last.
const OPT = `name: fee-opt
kind: optimise
scenario: base.yaml
replicates: 8
quick: { replicates: 3 }
metrics:
  a_pnl: agents.a.pnl.total
objective: { metric: a_pnl }
strategy: { agents.a.priorityFee: { values: [0, 1, 2, 4] } }
refine: { method: golden, iterations: 1 }
`;

describe('a study in shards', () => {
  it('two shards, merged stage by stage, end byte-identical to the study run on one machine', () => {
    const d = temp({ 'base.yaml': BASE, 'opt.yaml': OPT });
    expect(hedgesim(['study', 'opt.yaml', '--quick', '-q', '--out', 'one'], { cwd: d, env: CLEAN_ENV }).code).toBe(0);
    const codes: number[] = [];
    const first = hedgesim(['study', 'opt.yaml', '--quick', '-q', '--shard', '0/2', '--out', 'sh'], { cwd: d, env: CLEAN_ENV });
    codes.push(first.code ?? -1);
    expect(first.stderr).toContain('stage 00-grid: shard 0/2 done; 6 of the stage\'s 12 runs are the other shards\'');
    // The job array, re-run until both tasks finish (shard 1, then 0, then 1, …; the last one each
    // time finds the stage whole, merges it and runs its slice of the next).
    const done = new Set<number>();
    for (let k = 1; done.size < 2 && k < 12; k++) {
      const i = k % 2;
      // The job-array index variable of Slurm stands for --shard.
      const r = hedgesim(['study', 'opt.yaml', '--quick', '-q', '--out', 'sh'], { cwd: d, env: { ...CLEAN_ENV, SLURM_ARRAY_TASK_ID: String(i), SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '2' } });
      codes.push(r.code ?? -1);
      expect([0, 4], r.stderr).toContain(r.code);
      if (r.code === 0) done.add(i);
    }
    expect(done.size).toBe(2);
    // One stop per stage and shard, at most: three stages, two shards.
    expect(codes.filter((c) => c === 4).length).toBeGreaterThanOrEqual(3);
    expect(codes.length).toBeLessThanOrEqual(8);
    const one = join(d, 'one');
    const sh = join(d, 'sh');
    expect(differing(one, sh, ['study.json', 'study.html', 'curve.csv', 'curve.parquet', 'study-plan.json'])).toEqual([]);
    const stages = readdirSync(join(one, 'stages')).filter((f) => !f.endsWith('.json'));
    expect(stages.length).toBe(3);
    expect(readdirSync(join(sh, 'stages'))).toEqual(readdirSync(join(one, 'stages')));
    for (const s of stages) {
      expect(differing(join(one, 'stages', s), join(sh, 'stages', s), RESULT_FILES), s).toEqual([]);
      expect(read(join(sh, 'stages'), `${s}.sweep.json`)).toBe(read(join(one, 'stages'), `${s}.sweep.json`));
      expect(readdirSync(join(sh, 'shards', s))).toEqual(['shard-0-of-2', 'shard-1-of-2']);
    }
  });

  it('a stage left half done by shards is finished by a run without --shard, to the same bytes', () => {
    const d = temp({ 'base.yaml': BASE, 'opt.yaml': OPT });
    expect(hedgesim(['study', 'opt.yaml', '--quick', '-q', '--out', 'one'], { cwd: d, env: CLEAN_ENV }).code).toBe(0);
    expect(hedgesim(['study', 'opt.yaml', '--quick', '-q', '--shard', '1/2', '--out', 'mix'], { cwd: d, env: CLEAN_ENV }).code).toBe(4);
    expect(hedgesim(['study', 'opt.yaml', '--quick', '-q', '--shard', '0/2', '--force', '--out', 'mix'], { cwd: d, env: CLEAN_ENV }).code).toBe(2);
    expect(hedgesim(['study', 'opt.yaml', '--quick', '-q', '--resume', '--out', 'mix'], { cwd: d, env: CLEAN_ENV }).code).toBe(0);
    expect(differing(join(d, 'one'), join(d, 'mix'), ['study.json', 'curve.csv', 'study.html'])).toEqual([]);
    expect(differing(join(d, 'one', 'stages', '00-grid'), join(d, 'mix', 'stages', '00-grid'), RESULT_FILES)).toEqual([]);
  });

  it('a shard killed (SIGKILL) in the middle of its slice, run again, ends in the same bytes', async () => {
    const d = temp({ 'base.yaml': feesScenario(1500), 'opt.yaml': OPT });
    expect(hedgesim(['study', 'opt.yaml', '--quick', '-q', '--out', 'one'], { cwd: d, env: CLEAN_ENV }).code).toBe(0);
    const slice = join(d, 'sh', 'shards', '00-grid', 'shard-0-of-2');
    const killed = await startAndKill(['study', 'opt.yaml', '--quick', '-q', '--shard', '0/2', '--out', 'sh'], d, () => journalLines(slice).length >= 2, 'SIGKILL');
    expect([killed.killed, killed.signal]).toEqual([true, 'SIGKILL']);
    expect(journalLines(slice).length).toBeLessThan(6);
    const done = new Set<number>();
    for (let k = 0; done.size < 2 && k < 12; k++) {
      const r = hedgesim(['study', 'opt.yaml', '--quick', '-q', '--shard', `${k % 2}/2`, '--out', 'sh'], { cwd: d, env: CLEAN_ENV });
      expect([0, 4], r.stderr).toContain(r.code);
      if (r.code === 0) done.add(k % 2);
    }
    expect(done.size).toBe(2);
    expect(existsSync(join(d, 'sh', '.hedgesim.lock'))).toBe(false);
    expect(differing(join(d, 'one'), join(d, 'sh'), ['study.json', 'study.html', 'curve.csv', 'curve.parquet'])).toEqual([]);
  });

  it('without a shared filesystem: a folder per shard, their shards/ copied across between rounds (docs/studies.md)', () => {
    const d = temp({ 'base.yaml': BASE, 'opt.yaml': OPT });
    expect(hedgesim(['study', 'opt.yaml', '--quick', '-q', '--out', 'one'], { cwd: d, env: CLEAN_ENV }).code).toBe(0);
    let rounds = 0;
    for (; rounds < 10; rounds++) {
      const codes = [0, 1].map((i) => hedgesim(['study', 'opt.yaml', '--quick', '-q', '--shard', `${i}/2`, '--out', `d${i}`], { cwd: d, env: CLEAN_ENV }).code);
      for (const c of codes) expect([0, 4]).toContain(c);
      if (!codes.includes(4)) break;
      execFileSync('cp', ['-ru', 'd0/shards/.', 'd1/shards/'], { cwd: d });
      execFileSync('cp', ['-ru', 'd1/shards/.', 'd0/shards/'], { cwd: d });
    }
    expect(rounds).toBeLessThan(10);
    for (const i of [0, 1]) expect(differing(join(d, 'one'), join(d, `d${i}`), ['study.json', 'study.html', 'curve.csv', 'curve.parquet'])).toEqual([]);
  });
});
