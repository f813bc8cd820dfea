/**
 * Output folders written atomically: everything goes into a temporary sibling folder, which is
 * renamed over the target only when the run has succeeded. A failed or interrupted run leaves the
 * previous output (or nothing) in place, never a half-written folder.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** A command-line problem outside the scenario file (CLI exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError' as const;
}

/**
 * Refuse an output folder that exists but does not hold a previous run's outputs (a file, or a
 * folder with other things in it and no summary.json): replacing it would delete what is there.
 */
export function checkTarget(target: string): void {
  let entries: string[];
  try {
    if (!statSync(target).isDirectory()) throw new UsageError(`--out: '${target}' is a file, not a folder`);
    entries = readdirSync(target);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    return;
  }
  if (entries.length > 0 && !entries.includes('summary.json')) {
    throw new UsageError(`--out: '${target}' exists and is not an output folder (it has no summary.json); a run replaces its output folder as a whole, so choose a new folder or remove it`);
  }
}

export class OutputDir {
  readonly final: string;
  readonly tmp: string;
  private readonly appenders: Appender[] = [];
  private done = false;
  /** The outermost parent folder this run created (removed again if the run fails), if any. */
  private madeParent: string | undefined;

  constructor(target: string) {
    this.final = resolve(target);
    this.tmp = join(dirname(this.final), `.${basename(this.final)}.tmp-${process.pid}`);
    try {
      this.madeParent = mkdirSync(dirname(this.final), { recursive: true });
      rmSync(this.tmp, { recursive: true, force: true });
      mkdirSync(this.tmp);
    } catch (e) {
      this.removeMadeParents();
      throw new UsageError(`--out: cannot create the output folder '${target}' (${e instanceof Error ? e.message : String(e)})`);
    }
  }

  path(name: string): string {
    return join(this.tmp, name);
  }

  write(name: string, content: string): void {
    writeFileSync(this.path(name), content);
  }

  /** A file written as the run goes (buffered, synchronous: nothing is lost or reordered). */
  appender(name: string): Appender {
    const a = new Appender(this.path(name));
    this.appenders.push(a);
    return a;
  }

  /** Close the files and move the folder into place. */
  commit(): void {
    for (const a of this.appenders) a.close();
    if (existsSync(this.final)) {
      const old = `${this.tmp}.old`;
      renameSync(this.final, old);
      renameSync(this.tmp, this.final);
      rmSync(old, { recursive: true, force: true });
    } else {
      mkdirSync(dirname(this.final), { recursive: true });
      renameSync(this.tmp, this.final);
    }
    this.done = true;
  }

  /** Throw the temporary folder away (on failure). */
  discard(): void {
    if (this.done) return;
    for (const a of this.appenders) a.close();
    rmSync(this.tmp, { recursive: true, force: true });
    this.removeMadeParents();
  }

  /** Parent folders made for this output go too (while empty: another run may be using them). */
  private removeMadeParents(): void {
    if (this.madeParent === undefined) return;
    for (let dir = dirname(this.final); ; dir = dirname(dir)) {
      try {
        rmdirSync(dir);
      } catch {
        return;
      }
      if (dir === this.madeParent) return;
    }
  }
}

/** Appends text to a file through a 64 KiB buffer. */
export class Appender {
  private fd: number;
  private chunks: string[] = [];
  private size = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= 65_536) this.flush();
  }

  flush(): void {
    if (this.chunks.length === 0 || this.fd < 0) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }

  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** Write a file atomically (temporary name, then rename). */
export function writeFileAtomic(path: string, content: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}
