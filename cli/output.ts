/**
 * Output folders written atomically: everything goes into a temporary sibling folder, which is
 * renamed over the target only when the run has succeeded. A failed or interrupted run leaves the
 * previous output (or nothing) in place, never a half-written folder.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, realpathSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

/** A command-line problem outside the scenario file (CLI exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError' as const;
}

/** What a command reads from, which its output folder must not be or hold. */
export interface Input {
  /** How to name it in a message: "the scenario file", "the sweep file", … */
  what: string;
  path: string;
}

/**
 * A path with every existing part resolved through symbolic links (the rest appended as given), so
 * that `out -> ..` or a symlinked current folder compare as the folders they are.
 */
function real(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(real(parent), basename(abs));
  }
}

/** `inner` is `outer` or somewhere inside it. */
function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

/**
 * Refuse an output folder that would take with it what the command stands on. `run` replaces its
 * folder as a whole (the old one is renamed away and deleted), and sweeps and merges write into
 * theirs: an empty `--out` (an unset shell variable: `--out "$OUT"`) resolves to the current folder,
 * which would be deleted or filled. So: no empty name, not the current folder or one above it, and
 * not a folder holding one of the command's input files. Returns the absolute target.
 */
export function checkOutPath(target: string, inputs: readonly Input[] = []): string {
  if (target.trim() === '') throw new UsageError(`--out: the folder name is ${target === '' ? 'empty (an unset shell variable?)' : 'only spaces'}; give a folder such as out/run-1`);
  const abs = resolve(target);
  let isFile = false;
  try {
    isFile = !statSync(abs).isDirectory();
  } catch {
    // Missing (or unreadable, which creating it will report): a new folder.
  }
  if (isFile) throw new UsageError(`--out: '${target}' is a file, not a folder`);
  const dir = real(abs);
  const cwd = real(process.cwd());
  if (within(cwd, dir)) {
    throw new UsageError(`--out: '${target}' is ${cwd === dir ? 'the current folder' : `a folder that holds the current folder (${cwd})`}; the output goes into a folder of its own, e.g. out/run-1`);
  }
  for (const input of inputs) {
    if (within(real(input.path), dir)) throw new UsageError(`--out: '${target}' holds ${input.what} ${relative(process.cwd(), input.path) || input.path}; choose an output folder apart from the inputs`);
  }
  return abs;
}

/**
 * Refuse an output folder that exists but does not hold a previous run's outputs (a file, or a
 * folder with other things in it and no summary.json): replacing it would delete what is there.
 * The checks of `checkOutPath` come first.
 */
export function checkTarget(target: string, inputs: readonly Input[] = []): void {
  checkOutPath(target, inputs);
  let entries: string[];
  try {
    entries = readdirSync(target);
  } catch {
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
      removeAbandoned(this.final);
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

/** Whether a process with this id runs (EPERM: it does, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Remove the temporary folders that runs killed with SIGKILL (or a power cut) left next to `final`
 * — `.<name>.tmp-<pid>` of a process that no longer exists — which nothing else would ever remove.
 * A live pid's folder is another run in progress and is left alone. The `.old` folder of a run
 * killed between the two renames of `commit` is kept while the target is missing: it is then the
 * only copy of the previous output.
 */
function removeAbandoned(final: string): void {
  const parent = dirname(final);
  const prefix = `.${basename(final)}.tmp-`;
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const m = /^([1-9]\d*)(\.old)?$/.exec(entry.slice(prefix.length));
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    if (m[2] !== undefined && !existsSync(final)) continue;
    rmSync(join(parent, entry), { recursive: true, force: true });
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
