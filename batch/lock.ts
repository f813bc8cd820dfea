/**
 * One writer per sweep folder: `sweep` and `merge` hold `.hedgesim.lock` (the holder's pid and host)
 * while they write there. The lock appears whole: it is written to a temporary file first and then
 * hard-linked into place, which fails if the lock exists, so two processes cannot both take it and
 * nobody ever reads a lock that is still being written (where hard links are not supported, it is
 * created with O_EXCL and then written). A lock whose
 * process is gone (same host, pid not alive) is stale and taken over; a live one — or one of another
 * host, whose process cannot be checked from here — is refused with exit 2. The temporary files
 * (`<name>.tmp-<pid>`) that a killed sweep or merge left are removed by the next one on the folder.
 */
import { closeSync, existsSync, linkSync, openSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LockError } from './errors';

export const LOCK_FILE = '.hedgesim.lock';

export { LockError };

interface Holder {
  pid: number;
  host: string;
  command: string;
}

/** Whether a process with this id runs on this host (EPERM: it does, as another user). */
export function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function readHolder(path: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? { pid: h.pid, host: h.host, command: String(h.command ?? '?') } : undefined;
  } catch {
    return undefined;
  }
}

export interface Lock {
  release(): void;
}

/**
 * Take the folder's lock for `command` (`sweep`, `merge`), or throw a LockError naming the process
 * that holds it. The folder must exist. Released by `release()`, and on exit.
 */
export function lockFolder(dir: string, command: string): Lock {
  const path = join(dir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: hostname(), command };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      create(path, `${JSON.stringify(me)}\n`, me.pid);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readHolder(path);
      // Being written by its taker this very moment (or torn by a crash): look again shortly.
      if (holder === undefined) {
        if (attempt < 4) {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
          continue;
        }
        throw new LockError(`${dir} is locked (${path} exists but is unreadable); if no hedgesim process writes there, remove ${path}`);
      }
      if (holder.host !== me.host) throw new LockError(`${dir} is in use by hedgesim ${holder.command} (pid ${holder.pid} on host ${holder.host}); wait for it to finish — or, if that process is gone, remove ${path}`);
      if (holder.pid === me.pid) throw new LockError(`${dir} is already locked by this process`);
      if (alive(holder.pid)) throw new LockError(`${dir} is in use by another hedgesim ${holder.command} (pid ${holder.pid}); wait for it to finish, or write elsewhere`);
      // Stale: move it aside (only one taker can), check it was the stale one, and try again.
      const aside = `${path}.stale-${me.pid}`;
      try {
        renameSync(path, aside);
      } catch {
        continue;
      }
      const moved = readHolder(aside);
      if (moved !== undefined && moved.pid !== holder.pid && alive(moved.pid)) {
        // A live lock taken in between: put it back.
        try {
          renameSync(aside, path);
        } catch {
          /* It is then held by whoever took it since; the O_EXCL create below decides. */
        }
      } else rmSync(aside, { force: true });
      continue;
    }
    let held = true;
    const release = (): void => {
      if (!held) return;
      held = false;
      process.off('exit', release);
      // Only our own lock: never one a later process took over.
      if (readHolder(path)?.pid === me.pid) {
        try {
          unlinkSync(path);
        } catch {
          /* Gone already. */
        }
      }
    };
    process.on('exit', release);
    return { release };
  }
  throw new LockError(`${dir}: could not take the lock ${path} (other processes keep taking it)`);
}

/**
 * Create `path` holding `text`, or throw EEXIST if it exists: written to `<path>.tmp-<pid>` and
 * hard-linked into place (atomic: the file appears with its text), or, on a filesystem without hard
 * links, created with O_EXCL and then written.
 */
function create(path: string, text: string, pid: number): void {
  const tmp = `${path}.tmp-${pid}`;
  writeFileSync(tmp, text);
  try {
    linkSync(tmp, path);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || !(code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EXDEV' || code === 'EMLINK')) throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
  const fd = openSync(path, 'wx');
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * Remove the `<file>.tmp-<pid>` files (and `.hedgesim.lock.stale-<pid>`) that processes killed while
 * writing into `dir` left behind: those of pids that no longer run. Call with the folder's lock held.
 */
export function removeStaleTemps(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = /\.(?:tmp|stale)-([1-9]\d*)$/.exec(name);
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** Whether `dir` holds a lock file (for tests and messages). */
export function isLocked(dir: string): boolean {
  return existsSync(join(dir, LOCK_FILE));
}
