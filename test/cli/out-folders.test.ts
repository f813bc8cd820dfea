/**
 * Output folders lose nothing that is not theirs. `run` replaces its folder whole, so it refuses one
 * holding anything a run does not write (or a sweep's outputs), even when it appears while the run
 * goes on; `sweep` and `merge` write into theirs, so they refuse a run's folder, and `merge` one of
 * another sweep (or of runs it would drop) unless --force. A symbolic link given as --out stays a
 * link: the run replaces the folder it points to. Everything runs the built CLI in child processes.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE, CLEAN_ENV, differing, edit as editSweep, SWEEP } from '../batch/fixtures';
import { RUN_OUTPUT_FILES } from '../../cli/output';
import { CLI, edit, hedgesim, read, readJson, ROOT, snapshot, tempDirs, TINY } from './helpers';

const temp = tempDirs();
/** What `run --record blocks` (the default) writes. */
const RUN_FILES = ['blocks.csv', 'mev.csv', 'pnl.csv', 'report.html', 'run.json', 'summary.json', 'transfers.csv'];
const sweep = (cwd: string, args: string[]) => hedgesim(['sweep', ...args], { cwd, env: CLEAN_ENV });

/** A folder with tiny.yaml, the sweep files, a run's output folder `run/`, a sweep `sw/` and its two shards. */
function world(): string {
  const dir = temp({ 'tiny.yaml': TINY, 'base.yaml': BASE, 'small.yaml': SWEEP, 'other.yaml': editSweep(SWEEP, 'name: small', 'name: other') });
  expect(hedgesim(['run', 'tiny.yaml', '--out', 'run', '-q'], { cwd: dir }).code).toBe(0);
  expect(readdirSync(join(dir, 'run')).sort()).toEqual(RUN_FILES);
  for (const [out, shard] of [['sw', []], ['s0', ['--shard', '0/2']], ['s1', ['--shard', '1/2']]] as const) {
    expect(sweep(dir, ['small.yaml', '--out', out, '-q', ...shard]).code).toBe(0);
  }
  return dir;
}

describe('run --out', () => {
  let dir: string;
  beforeAll(() => {
    dir = world();
  });

  it('knows every file a run writes, and docs/outputs.md lists them', () => {
    const cwd = temp({ 'tiny.yaml': TINY });
    expect(hedgesim(['run', 'tiny.yaml', '--out', 'o', '-q', '--record', 'full'], { cwd }).code).toBe(0);
    expect(readdirSync(join(cwd, 'o')).sort()).toEqual([...RUN_OUTPUT_FILES].sort());
    const table = read(join(ROOT, 'docs'), 'outputs.md').split('## How the folder is written')[0]!;
    expect([...table.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]).sort()).toEqual([...RUN_OUTPUT_FILES].sort());
  });

  it('replaces a previous run’s folder that holds only what a run writes', () => {
    const before = read(join(dir, 'run'), 'run.json');
    const r = hedgesim(['run', 'tiny.yaml', '--out', 'run', '-q', '--record', 'summary'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(readdirSync(join(dir, 'run')).sort()).toEqual(['mev.csv', 'report.html', 'run.json', 'summary.json', 'transfers.csv']);
    expect(read(join(dir, 'run'), 'run.json')).not.toBe(before);
  });

  it.each([
    ['a file of the user’s', { 'notes.txt': 'keep me' }, "holds an entry a run does not write (notes.txt); a run replaces its output folder as a whole, which would delete it: give another --out, or move or remove it"],
    ['a file and a folder', { 'notes.txt': 'keep me', 'analysis/fit.py': 'print(1)' }, "holds 2 entries a run does not write (analysis/, notes.txt); a run replaces its output folder as a whole, which would delete them: give another --out, or move or remove them"],
    ['many entries', Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => [`${n}.txt`, n])), "holds 7 entries a run does not write (a.txt, b.txt, c.txt, d.txt, e.txt and 2 more); a run replaces its output folder as a whole, which would delete them: give another --out, or move or remove them"],
    ['a folder named like an output file', { 'blocks.csv/mine.csv': '1' }, "holds an entry a run does not write (blocks.csv/); a run replaces its output folder as a whole, which would delete it: give another --out, or move or remove it"],
  ])('refuses a run’s folder that also holds %s, naming the entries; exit 2, nothing touched', (_what, extra, message) => {
    const cwd = temp({ 'tiny.yaml': TINY });
    expect(hedgesim(['run', 'tiny.yaml', '--out', 'o', '-q'], { cwd }).code).toBe(0);
    for (const [name, text] of Object.entries(extra)) {
      // blocks.csv/mine.csv: the run's blocks.csv gives way to a folder of that name.
      if (name.includes('/')) rmSync(join(cwd, 'o', name.split('/')[0]!), { recursive: true, force: true });
      mkdirSync(join(cwd, 'o', name, '..'), { recursive: true });
      writeFileSync(join(cwd, 'o', name), text);
    }
    const before = snapshot(cwd);
    const r = hedgesim(['run', 'tiny.yaml', '--out', 'o'], { cwd });
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`error: --out: 'o' ${message}\n`);
    expect(snapshot(cwd)).toEqual(before);
  });

  it('refuses a sweep’s folder (sweep.json), nothing touched', () => {
    const before = snapshot(dir);
    const r = hedgesim(['run', 'tiny.yaml', '--out', 'sw'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: --out: 'sw' holds a sweep's outputs (sweep.json); a run replaces its output folder as a whole, which would delete them: give the run another --out\n");
    expect(snapshot(dir)).toEqual(before);
  });

  it('keeps what is put into the folder while the run goes on: exit 2, the entry and the previous outputs left as they were', async () => {
    const cwd = temp({ 'tiny.yaml': TINY, 'long.yaml': edit('blocks: 50', 'blocks: 10000000', edit('  noise:\n    kind: noise\n    venue: pool\n    meanInterval: 60s\n    medianUsd: 2000\n    balances: { ETH: 10000, USD: 25000000 }\n', '')) });
    expect(hedgesim(['run', 'tiny.yaml', '--out', 'o', '-q'], { cwd }).code).toBe(0);
    const before = snapshot(join(cwd, 'o'));
    const child = spawn(process.execPath, [CLI, 'run', 'long.yaml', '--out', 'o', '-q', '--record', 'summary'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Once the run writes (its temporary folder exists), a file of the user's lands in the target.
    const deadline = Date.now() + 30_000;
    while (!readdirSync(cwd).some((f) => f.startsWith('.o.tmp-')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    writeFileSync(join(cwd, 'o', 'notes.txt'), 'written during the run');
    expect(await exited).toBe(2);
    expect(stderr).toBe("error: --out: 'o' holds an entry a run does not write (notes.txt); a run replaces its output folder as a whole, which would delete it: give another --out, or move or remove it (it changed while the run went on; the run's outputs were not kept)\n");
    expect(snapshot(join(cwd, 'o'))).toEqual({ ...before, 'notes.txt': 'written during the run' });
    expect(readdirSync(cwd).sort()).toEqual(['long.yaml', 'o', 'tiny.yaml']);
  });
});

describe('run --out through a symbolic link', () => {
  it('writes into the folder the link points to, and the link stays a link (run twice)', () => {
    const cwd = temp({ 'tiny.yaml': TINY });
    mkdirSync(join(cwd, 'data', 'real'), { recursive: true });
    symlinkSync(join('data', 'real'), join(cwd, 'link'));
    for (const record of ['full', 'summary']) {
      const r = hedgesim(['run', 'tiny.yaml', '--out', 'link', '-q', '--record', record], { cwd });
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(lstatSync(join(cwd, 'link')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(cwd, 'link'))).toBe(join('data', 'real'));
      expect(readJson(join(cwd, 'data', 'real'), 'run.json')).toMatchObject({ record });
    }
    expect(readdirSync(join(cwd, 'data', 'real')).sort()).toEqual(['mev.csv', 'report.html', 'run.json', 'summary.json', 'transfers.csv']);
    // No temporary folder left, next to the link or next to its target.
    expect(readdirSync(cwd).sort()).toEqual(['data', 'link', 'tiny.yaml']);
    expect(readdirSync(join(cwd, 'data'))).toEqual(['real']);
  });

  it('follows a chain of links, and a link to a folder that does not exist yet', () => {
    const cwd = temp({ 'tiny.yaml': TINY });
    mkdirSync(join(cwd, 'real'));
    symlinkSync('real', join(cwd, 'hop'));
    symlinkSync('hop', join(cwd, 'link'));
    symlinkSync('later', join(cwd, 'dangling'));
    expect(hedgesim(['run', 'tiny.yaml', '--out', 'link', '-q'], { cwd }).code).toBe(0);
    expect(hedgesim(['run', 'tiny.yaml', '--out', 'dangling', '-q'], { cwd }).code).toBe(0);
    expect([readlinkSync(join(cwd, 'link')), readlinkSync(join(cwd, 'hop')), readlinkSync(join(cwd, 'dangling'))]).toEqual(['hop', 'real', 'later']);
    expect(readdirSync(join(cwd, 'real')).sort()).toEqual(RUN_FILES);
    expect(readdirSync(join(cwd, 'later')).sort()).toEqual(RUN_FILES);
  });

  it('refuses a link to a folder holding other entries, as it would the folder itself', () => {
    const cwd = temp({ 'tiny.yaml': TINY, 'real/notes.txt': 'keep me' });
    symlinkSync('real', join(cwd, 'link'));
    const before = snapshot(cwd);
    const r = hedgesim(['run', 'tiny.yaml', '--out', 'link'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: --out: 'link' holds an entry a run does not write (notes.txt)");
    expect(snapshot(cwd)).toEqual(before);
  });
});

describe('sweep --out and merge --out', () => {
  let dir: string;
  beforeAll(() => {
    dir = world();
  });

  it.each([
    ['sweep', ['small.yaml', '--out', 'run']],
    ['sweep --force', ['small.yaml', '--out', 'run', '--force']],
    ['sweep --resume', ['small.yaml', '--out', 'run', '--resume']],
  ])('%s refuses a run’s folder (summary.json), nothing touched', (_name, args) => {
    const before = snapshot(dir);
    const r = sweep(dir, args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${join(dir, 'run')} holds a run's outputs (summary.json); a sweep writes its files into its folder, which must not be a run's: give the sweep another --out\n`);
    expect(snapshot(dir)).toEqual(before);
  });

  it.each([
    ['merge', ['s0', 's1', '--out', 'run']],
    ['merge --force', ['s0', 's1', '--out', 'run', '--force']],
  ])('%s refuses a run’s folder (summary.json), nothing touched', (_name, args) => {
    const before = snapshot(dir);
    const r = hedgesim(['merge', ...args], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: run holds a run's outputs (summary.json); a merge writes its files into its folder, which must not be a run's: give the merge another --out\n");
    expect(snapshot(dir)).toEqual(before);
  });

  it('merge refuses a folder holding another finished sweep, and replaces it with --force', () => {
    const cwd = world();
    expect(sweep(cwd, ['other.yaml', '--out', 'theirs', '-q']).code).toBe(0);
    const before = snapshot(cwd);
    const r = hedgesim(['merge', 's0', 's1', '--out', 'theirs'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: theirs holds the outputs of another sweep ('other', not 'small'); the merge would overwrite them: give the merge another --out, or --force to replace them\n");
    expect(snapshot(cwd)).toEqual(before);
    const forced = hedgesim(['merge', 's0', 's1', '--out', 'theirs', '--force', '-q'], { cwd });
    expect([forced.code, forced.stderr]).toEqual([0, '']);
    expect(differing(join(cwd, 'sw'), join(cwd, 'theirs'))).toEqual([]);
  });

  it('merge refuses a folder holding a sweep of the same name whose runs differ, and an unreadable sweep.json', () => {
    const cwd = world();
    writeFileSync(join(cwd, 'seed8.yaml'), editSweep(SWEEP, 'seed: 7', 'seed: 8'));
    expect(sweep(cwd, ['seed8.yaml', '--out', 'seed8', '-q']).code).toBe(0);
    mkdirSync(join(cwd, 'torn'));
    writeFileSync(join(cwd, 'torn', 'sweep.json'), '{ "name": "sma');
    const before = snapshot(cwd);
    const same = hedgesim(['merge', 's0', 's1', '--out', 'seed8'], { cwd });
    expect([same.code, same.stderr]).toEqual([2, "error: seed8 holds the outputs of another sweep (one also named 'small' whose runs differ (base scenario, overrides, seeds, parameters, points or metrics)); the merge would overwrite them: give the merge another --out, or --force to replace them\n"]);
    const torn = hedgesim(['merge', 's0', 's1', '--out', 'torn'], { cwd });
    expect([torn.code, torn.stderr]).toEqual([2, 'error: torn holds a sweep.json that is not readable JSON, so it cannot be checked to belong to this sweep; the merge would overwrite its files: give the merge another --out, or --force to replace them\n']);
    expect(snapshot(cwd)).toEqual(before);
  });

  it('merge into a folder of the same sweep: refused when it would drop runs the folder holds, fine when the folder is among those merged', () => {
    const cwd = world();
    cpSync(join(cwd, 'sw'), join(cwd, 'all'), { recursive: true });
    const before = snapshot(cwd);
    // One shard of two: a partial merge (asked for), which would drop the 18 runs of the other.
    const r = hedgesim(['merge', 's0', '--out', 'all', '--allow-partial'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: all holds 18 runs of this sweep that the folders merged do not; the merge would drop them: name all among the folders to merge, give another --out, or --force to replace them\n');
    expect(snapshot(cwd)).toEqual(before);
    // Merging the shards into a folder of the whole sweep, or a shard into itself with the other one, drops nothing.
    expect(hedgesim(['merge', 's0', 's1', '--out', 'all', '-q'], { cwd }).code).toBe(0);
    expect(hedgesim(['merge', 's0', 's1', '--out', 's0', '-q'], { cwd }).code).toBe(0);
    expect(differing(join(cwd, 'sw'), join(cwd, 'all'))).toEqual([]);
    expect(differing(join(cwd, 'sw'), join(cwd, 's0'))).toEqual([]);
  });

  it('the audit’s sequence loses nothing: a sweep into a run’s folder is refused, so a later run there deletes no sweep', () => {
    const cwd = world();
    expect(sweep(cwd, ['small.yaml', '--out', 'run', '-q']).code).toBe(2);
    expect(existsSync(join(cwd, 'run', 'runs.jsonl'))).toBe(false);
    const sweepFiles = snapshot(join(cwd, 'sw'));
    expect(hedgesim(['run', 'tiny.yaml', '--out', 'sw', '-q'], { cwd }).code).toBe(2);
    expect(snapshot(join(cwd, 'sw'))).toEqual(sweepFiles);
  });
});
