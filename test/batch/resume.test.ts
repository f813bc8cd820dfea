/**
 * Interrupted sweeps (docs/sweeps.md, "Interruption and resume"): a sweep killed at any moment
 * (SIGKILL, SIGINT) and restarted with --resume ends with exactly the files of an uninterrupted
 * sweep; no finished run is redone or lost; a torn last journal line is ignored and its run redone;
 * a killed sweep is not resumed with a sweep file that now gives other runs.
 */
import { cpSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hedgesim, snapshot, tempDirs } from '../cli/helpers';
import { BASE, CLEAN_ENV, differing, edit, journalLines, POOL, startAndKill, type JournalLine } from './fixtures';

const temp = tempDirs();

/** 3,000 blocks with a swap about every block: some milliseconds per run, 4 points × 30 replicates. */
const SLOW = edit(edit(BASE, 'blocks: 300', 'blocks: 3000'), 'meanInterval: 60s', 'meanInterval: 12s');
const LONG = `name: long
scenario: slow.yaml
seed: 11
replicates: 30
parameters:
  venues.pool.feeBps: { values: [5, 30] }
  agents.arb.bid.share: { values: [0.2, 0.8] }
metrics:
  lp_fees: agents.lp.pnl.fees
  volume: venues.pool.volumeUsd
  price: prices.ETH
baseline: { venues.pool.feeBps: 30, agents.arb.bid.share: 0.2 }
`;
const N = 120;
const all = [...Array(N).keys()];

/** With --workers 2 on a pool of two threads (forced: this sweep is too short for the default to start one). */
const poolFor = (args: readonly string[]) => (args.includes('--workers') && args[args.indexOf('--workers') + 1] !== '1' ? POOL : {});
const sweep = (cwd: string, args: string[]) => hedgesim(['sweep', 'long.yaml', '-q', ...args], { cwd, env: { ...CLEAN_ENV, ...poolFor(args) } });
const sortedIds = (lines: JournalLine[]) => lines.map((o) => o.id).sort((a, b) => a - b);

/** Every line of `before` is in `after`, unchanged (same metrics, same wall time: not run again). */
function kept(before: JournalLine[], after: JournalLine[]): boolean {
  const byId = new Map(after.map((o) => [o.id, JSON.stringify(o)]));
  return before.every((o) => byId.get(o.id) === JSON.stringify(o));
}

describe('a sweep interrupted and resumed', () => {
  let dir: string;
  beforeAll(() => {
    dir = temp({ 'slow.yaml': SLOW, 'long.yaml': LONG });
    expect(sweep(dir, ['--out', 'ref', '--workers', '1']).code).toBe(0);
    expect(journalLines(join(dir, 'ref'))).toHaveLength(N);
  });

  it.each([
    ['SIGKILL', '2', '1'],
    ['SIGINT', '1', '2'],
  ] as const)('after %s (workers %s, resumed with %s) ends byte-identical to an uninterrupted sweep, no run lost, repeated or redone', async (signal, workers, resumeWorkers) => {
    const out = `killed-${signal}`;
    const args = ['sweep', 'long.yaml', '-q', '--out', out, '--workers', workers];
    const killed = await startAndKill(args, dir, () => journalLines(join(dir, out)).length >= 10, signal, poolFor(args));
    expect(killed.killed).toBe(true);
    // Killed by the signal (or, should the command ever catch SIGINT, exiting 128 + 2).
    expect(killed.signal === signal || (signal === 'SIGINT' && killed.code === 130)).toBe(true);
    const before = journalLines(join(dir, out));
    expect(before.length).toBeGreaterThanOrEqual(10);
    expect(before.length).toBeLessThan(N);
    expect(new Set(before.map((o) => o.id)).size).toBe(before.length);

    // Without --resume the folder is refused; with it, the sweep completes.
    expect(sweep(dir, ['--out', out]).code).toBe(2);
    const resumed = sweep(dir, ['--out', out, '--resume', '--workers', resumeWorkers]);
    expect(resumed.code).toBe(0);
    const after = journalLines(join(dir, out));
    expect(sortedIds(after)).toEqual(all);
    expect(after).toHaveLength(N);
    expect(kept(before, after)).toBe(true);
    // The lines the resumed process added are exactly the runs that were missing.
    expect(sortedIds(after.slice(before.length))).toEqual(all.filter((id) => !before.some((o) => o.id === id)));
    expect(differing(join(dir, 'ref'), join(dir, out))).toEqual([]);
  });

  it('of one shard, then merged with the other shard, gives the single-machine result', async () => {
    const killed = await startAndKill(['sweep', 'long.yaml', '-q', '--out', 's0', '--shard', '0/2', '--workers', '1'], dir, () => journalLines(join(dir, 's0')).length >= 5, 'SIGKILL');
    expect(killed.killed).toBe(true);
    const before = journalLines(join(dir, 's0'));
    expect(before.length).toBeLessThan(N / 2);
    expect(sweep(dir, ['--out', 's0', '--shard', '0/2', '--resume', '--workers', '2']).code).toBe(0);
    expect(sortedIds(journalLines(join(dir, 's0')))).toEqual(all.filter((id) => id % 2 === 0));
    expect(kept(before, journalLines(join(dir, 's0')))).toBe(true);
    expect(sweep(dir, ['--out', 's1', '--shard', '1/2', '--resume']).code).toBe(0);
    expect(hedgesim(['merge', 's0', 's1', '--out', 'merged', '-q'], { cwd: dir }).code).toBe(0);
    expect(differing(join(dir, 'ref'), join(dir, 'merged'))).toEqual([]);
  });

  it('ignores a torn last journal line and redoes that run only', () => {
    cpSync(join(dir, 'ref'), join(dir, 'torn'), { recursive: true });
    const path = join(dir, 'torn', 'runs.jsonl');
    const text = readFileSync(path, 'utf8');
    const lastStart = text.lastIndexOf('\n', text.length - 2) + 1;
    const tornId = (JSON.parse(text.slice(lastStart)) as JournalLine).id;
    truncateSync(path, Buffer.byteLength(text.slice(0, lastStart + 20)));
    // Results written from the journal as it is now would lack that run: make them stale on purpose.
    writeFileSync(join(dir, 'torn', 'runs.csv'), 'stale\n');
    const before = journalLines(join(dir, 'torn'));
    expect(before).toHaveLength(N - 1);

    expect(sweep(dir, ['--out', 'torn', '--resume', '--workers', '1']).code).toBe(0);
    const after = journalLines(join(dir, 'torn'));
    expect(after).toHaveLength(N);
    expect(after[N - 1]!.id).toBe(tornId);
    expect(sortedIds(after)).toEqual(all);
    expect(kept(before, after)).toBe(true);
    // The torn fragment stays on a line of its own; the redone run's line is whole.
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines[N - 1]).toHaveLength(20);
    expect(differing(join(dir, 'ref'), join(dir, 'torn'))).toEqual([]);
  });

  it('redoes nothing when resuming a finished sweep, and rewrites the same files', () => {
    cpSync(join(dir, 'ref'), join(dir, 'again'), { recursive: true });
    const journal = readFileSync(join(dir, 'again', 'runs.jsonl'));
    const timing = readFileSync(join(dir, 'again', 'timing.csv'));
    expect(sweep(dir, ['--out', 'again', '--resume', '--workers', '2']).code).toBe(0);
    expect(readFileSync(join(dir, 'again', 'runs.jsonl')).equals(journal)).toBe(true);
    expect(readFileSync(join(dir, 'again', 'timing.csv')).equals(timing)).toBe(true);
    expect(differing(join(dir, 'ref'), join(dir, 'again'))).toEqual([]);
  });

  it('runs everything with --resume on a first start (nothing to resume)', () => {
    expect(sweep(dir, ['--out', 'fresh', '--resume', '--workers', '2']).code).toBe(0);
    expect(sortedIds(journalLines(join(dir, 'fresh')))).toEqual(all);
    expect(differing(join(dir, 'ref'), join(dir, 'fresh'))).toEqual([]);
  });

  it('after SIGKILL, refuses --resume with an edited seed (exit 2, folder untouched) and resumes with the original file', async () => {
    const cwd = temp({ 'slow.yaml': SLOW, 'long.yaml': LONG });
    const killed = await startAndKill(['sweep', 'long.yaml', '-q', '--out', 'k', '--workers', '1'], cwd, () => journalLines(join(cwd, 'k')).length >= 2, 'SIGKILL');
    expect(killed.killed).toBe(true);
    expect(killed.signal).toBe('SIGKILL');
    const before = snapshot(join(cwd, 'k'));
    // Killed mid-sweep: no result file yet, only the journal and the sweep.json written before the
    // first run — and the folder's lock, which the next sweep takes over (its process is gone).
    expect(Object.keys(before).sort()).toEqual(['.hedgesim.lock', 'runs.jsonl', 'sweep.json']);
    expect(journalLines(join(cwd, 'k')).length).toBeGreaterThanOrEqual(2);

    writeFileSync(join(cwd, 'long.yaml'), edit(LONG, 'seed: 11', 'seed: 500'));
    const refused = sweep(cwd, ['--out', 'k', '--resume', '--workers', '1']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`error: ${join(cwd, 'k')} holds runs of a different sweep (its base scenario, overrides, seed, replicates, parameters, points, metrics or baseline differ from long's now): resume it with the original sweep file, or start over with --force\n`);
    expect(snapshot(join(cwd, 'k'))).toEqual(before);

    // An edit that changes no run (a description) is not a different sweep.
    writeFileSync(join(cwd, 'long.yaml'), edit(LONG, 'seed: 11', 'description: the same runs\nseed: 11'));
    expect(sweep(cwd, ['--out', 'k', '--resume', '--workers', '1']).code).toBe(0);
    expect(sortedIds(journalLines(join(cwd, 'k')))).toEqual(all);
    expect(differing(join(dir, 'ref'), join(cwd, 'k'), ['runs.csv', 'summary.csv', 'runs.parquet', 'summary.parquet'])).toEqual([]);
  });

  it('refuses --resume in a folder whose journal has no sweep.json (nothing to check it against)', () => {
    const cwd = temp({ 'slow.yaml': SLOW, 'long.yaml': LONG, 'k/runs.jsonl': `${readFileSync(join(dir, 'ref', 'runs.jsonl'), 'utf8').split('\n')[0]}\n` });
    const before = snapshot(cwd);
    const r = sweep(cwd, ['--out', 'k', '--resume', '--workers', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${join(cwd, 'k')} holds a journal of runs but no sweep.json, so it cannot be checked to belong to this sweep: start over with --force\n`);
    expect(snapshot(cwd)).toEqual(before);
  });
});
