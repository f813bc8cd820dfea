/**
 * Issue 11, "interruptions and concurrency": a signal while a run writes its outputs leaves the
 * previous folder as it was and exits 130 / 143 / 129; what killed sweeps and merges left is removed
 * by the next command on the folder; one sweep folder has one writer at a time (a lock, taken over
 * when its process is gone); a second run into an --out another process is writing is refused.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, LockError, lockFolder } from '../../batch/lock';
import { BASE, CLEAN_ENV, SWEEP } from '../batch/fixtures';
import { CLI, edit, hedgesim, snapshot, tempDirs, TINY } from './helpers';

const temp = tempDirs();

/** A process that lives until killed, for a pid that is alive; and the pid of one that has ended. */
function liveProcess(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
}
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

const exited = (child: ChildProcess): Promise<{ code: number | null; stderr: string }> =>
  new Promise((resolve) => {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });

describe('a signal while a run writes its outputs', () => {
  // Long enough that writing the outputs (report.html of every block) takes a while, so that the
  // process can be stopped inside that stretch; the signal then waits for SIGCONT.
  const LONG = edit('blocks: 50', 'blocks: 60000');

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s leaves the previous folder as it was and exits %i', async (signal, code) => {
    const dir = temp({ 'long.yaml': LONG });
    expect(hedgesim(['run', 'long.yaml', '--out', 'o', '-q', '--record', 'summary', '--set', 'blocks=50'], { cwd: dir }).code).toBe(0);
    const before = snapshot(join(dir, 'o'));
    let caught = false;
    for (let attempt = 0; attempt < 4 && !caught; attempt++) {
      const child = spawn(process.execPath, [CLI, 'run', 'long.yaml', '--out', 'o', '-q'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      const done = exited(child);
      const summary = join(dir, `.o.tmp-${child.pid}`, 'summary.json');
      // summary.json is the first file written once the blocks have run: stop the process there.
      const deadline = Date.now() + 90_000;
      while (!existsSync(summary) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      child.kill('SIGSTOP');
      // Caught inside the stretch only if the folder has not been replaced yet.
      caught = existsSync(join(dir, `.o.tmp-${child.pid}`)) && child.exitCode === null;
      child.kill(signal);
      child.kill('SIGCONT');
      const r = await done;
      if (!caught) continue;
      expect([r.code, r.stderr]).toEqual([code, `\nInterrupted (${signal}): no output was written (any previous outputs are as they were).\n`]);
      expect(snapshot(join(dir, 'o'))).toEqual(before);
      expect(readdirSync(dir).sort()).toEqual(['long.yaml', 'o']);
    }
    expect(caught, 'the process was never stopped while writing its outputs').toBe(true);
  });
});

describe('one writer per output folder', () => {
  it('a second run into an --out another live run is writing is refused (exit 2)', () => {
    const dir = temp({ 'tiny.yaml': TINY });
    const other = liveProcess();
    try {
      mkdirSync(join(dir, `.o.tmp-${other.pid}`));
      const r = hedgesim(['run', 'tiny.yaml', '--out', 'o', '-q'], { cwd: dir });
      expect([r.code, r.stderr]).toEqual([2, `error: --out: 'o' is being written by another hedgesim process (pid ${other.pid}); wait for it to finish, or give another --out\n`]);
      expect(readdirSync(dir).sort()).toEqual([`.o.tmp-${other.pid}`, 'tiny.yaml']);
    } finally {
      other.kill();
    }
  });

  it('two sweeps resuming one folder: the second is refused while the first runs, then resumes', async () => {
    const dir = temp({ 'base.yaml': BASE, 'sw.yaml': SWEEP });
    // The first stops after 5 runs (a partial sweep to resume).
    const first = hedgesim(['sweep', 'sw.yaml', '--out', 'o', '-q', '--workers', '1'], { cwd: dir, env: { ...CLEAN_ENV } });
    expect(first.code).toBe(0);
    writeFileSync(join(dir, 'o', 'runs.jsonl'), '');
    const a = spawn(process.execPath, [CLI, 'sweep', 'sw.yaml', '--out', 'o', '--resume', '--workers', '1'], { cwd: dir, env: { ...process.env, ...CLEAN_ENV, HEDGESIM_PROGRESS_INTERVAL: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
    const aDone = exited(a);
    // Wait for the first's lock (it is taken before the first run).
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(dir, 'o', LOCK_FILE)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    a.kill('SIGSTOP');
    const b = hedgesim(['sweep', 'sw.yaml', '--out', 'o', '--resume', '-q'], { cwd: dir, env: CLEAN_ENV });
    expect([b.code, b.stderr]).toEqual([2, `error: ${join(dir, 'o')} is in use by another hedgesim sweep (pid ${a.pid}); wait for it to finish, or write elsewhere\n`]);
    const m = hedgesim(['merge', 'o', '--out', 'o', '-q', '--force', '--allow-partial'], { cwd: dir, env: CLEAN_ENV });
    expect(m.code).toBe(2);
    expect(m.stderr).toContain(`is in use by another hedgesim sweep (pid ${a.pid})`);
    a.kill('SIGCONT');
    expect((await aDone).code).toBe(0);
    expect(existsSync(join(dir, 'o', LOCK_FILE))).toBe(false);
    expect(hedgesim(['sweep', 'sw.yaml', '--out', 'o', '--resume', '-q'], { cwd: dir, env: CLEAN_ENV }).code).toBe(0);
  });

  it('a lock left by a killed sweep (its pid gone) is taken over, and the temporary files it left are removed', () => {
    const dir = temp({ 'base.yaml': BASE, 'sw.yaml': SWEEP });
    expect(hedgesim(['sweep', 'sw.yaml', '--out', 'o', '-q'], { cwd: dir, env: CLEAN_ENV }).code).toBe(0);
    const finished = snapshot(join(dir, 'o'));
    const gone = deadPid();
    writeFileSync(join(dir, 'o', LOCK_FILE), `${JSON.stringify({ pid: gone, host: hostname(), command: 'sweep' })}\n`);
    for (const f of ['runs.csv', 'summary.parquet', 'sweep.json']) writeFileSync(join(dir, 'o', `${f}.tmp-${gone}`), 'half written');
    const r = hedgesim(['sweep', 'sw.yaml', '--out', 'o', '--resume', '-q'], { cwd: dir, env: CLEAN_ENV });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(snapshot(join(dir, 'o'))).toEqual(finished);
    // And a merge into the folder does the same.
    writeFileSync(join(dir, 'o', LOCK_FILE), `${JSON.stringify({ pid: gone, host: hostname(), command: 'merge' })}\n`);
    writeFileSync(join(dir, 'o', `runs.jsonl.tmp-${gone}`), 'half');
    const m = hedgesim(['merge', 'o', '--out', 'o', '-q'], { cwd: dir, env: CLEAN_ENV });
    expect([m.code, m.stderr]).toEqual([0, '']);
    expect(Object.keys(snapshot(join(dir, 'o')))).toEqual(Object.keys(finished));
  });

  it('a live lock of another host is refused, naming host and pid (its process cannot be checked from here)', () => {
    const dir = temp();
    writeFileSync(join(dir, LOCK_FILE), `${JSON.stringify({ pid: 4242, host: 'node-17', command: 'sweep' })}\n`);
    expect(() => lockFolder(dir, 'sweep')).toThrow(new LockError(`${dir} is in use by hedgesim sweep (pid 4242 on host node-17); wait for it to finish — or, if that process is gone, remove ${join(dir, LOCK_FILE)}`));
  });

  it('the lock is exclusive within a process too, and released', () => {
    const dir = temp();
    const lock = lockFolder(dir, 'sweep');
    // It appears whole (written aside, then linked into place): the holder is readable at once and nothing is left beside it.
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, command: 'sweep' });
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    expect(() => lockFolder(dir, 'merge')).toThrow(LockError);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockFolder(dir, 'merge').release();
  });
});
