/**
 * Output folders written atomically: everything goes into a temporary sibling folder, which is
 * renamed over the target only when the run has succeeded. A failed or interrupted run leaves the
 * previous output (or nothing) in place, never a half-written folder.
 */
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, realpathSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { outPathProblem } from './out-checks';

/** A command-line problem outside the scenario file (CLI exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError' as const;
}

/** A bad `sweep` flag or environment setting (CLI exit code 2); here so that classifying it loads no sweep code. */
export class SweepFlagError extends Error {
  override readonly name = 'SweepFlagError' as const;
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
  const unusable = outPathProblem(target);
  if (unusable !== undefined) throw new UsageError(`--out: ${unusable}`);
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
 * Every file `hedgesim run` writes into its output folder, and so the only entries a folder it
 * replaces may hold: anything else there would be deleted with the old folder. OutputDir writes no
 * other name.
 */
export const RUN_OUTPUT_FILES = ['summary.json', 'run.json', 'report.html', 'blocks.csv', 'pnl.csv', 'mev.csv', 'transfers.csv', 'transfers-blocks.csv', 'transactions.jsonl', 'mempool.jsonl'] as const;
export type RunOutputFile = (typeof RUN_OUTPUT_FILES)[number];

/**
 * The folder an output path stands for: a symbolic link (or a chain of them) as its last part is
 * followed to its target, which the run replaces — the link stays, pointing at the new outputs. A
 * link to a missing folder stands for that folder (created by the run). Anything else: the path,
 * made absolute (parent folders are left as they are).
 */
export function outTarget(target: string): string {
  let path = resolve(target);
  for (let hops = 0; hops < 40; hops++) {
    try {
      if (!lstatSync(path).isSymbolicLink()) return path;
    } catch {
      return path;
    }
    try {
      return realpathSync(path);
    } catch {
      path = resolve(dirname(path), readlinkSync(path));
    }
  }
  // A loop of links: creating the folder reports it (ELOOP).
  return path;
}

/** `a, b, c and 2 more`, for naming the entries of a folder in a message. */
function someOf(names: readonly string[], max = 5): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/**
 * Why a run may not replace the folder `dir` — undefined when it may: it is missing or empty, or it
 * holds a previous run's outputs (a summary.json) and nothing else a run does not write.
 */
function notReplaceable(dir: string): string | undefined {
  let entries: { name: string; isFile(): boolean; isDirectory(): boolean }[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  if (entries.length === 0) return undefined;
  const replace = 'a run replaces its output folder as a whole, which would delete';
  if (entries.some((e) => e.name === 'sweep.json')) return `holds a sweep's outputs (sweep.json); ${replace} them: give the run another --out`;
  const outputs: readonly string[] = RUN_OUTPUT_FILES;
  const foreign = entries
    .filter((e) => !(outputs.includes(e.name) && e.isFile()))
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
    .sort();
  if (foreign.length > 0) return `holds ${foreign.length === 1 ? 'an entry' : `${foreign.length} entries`} a run does not write (${someOf(foreign)}); ${replace} ${foreign.length === 1 ? 'it' : 'them'}: give another --out, or move or remove ${foreign.length === 1 ? 'it' : 'them'}`;
  if (!entries.some((e) => e.name === 'summary.json')) return `is not a run's output folder (it has no summary.json); ${replace} what it holds: give another --out, or remove it`;
  return undefined;
}

/**
 * Refuse an output folder that exists and holds anything but a previous run's outputs (a file, a
 * sweep's folder, a folder with other entries): replacing it would delete them. The checks of
 * `checkOutPath` come first.
 */
export function checkTarget(target: string, inputs: readonly Input[] = []): void {
  checkOutPath(target, inputs);
  // The run's temporary folder is made beside the folder it replaces.
  const beside = outPathProblem(dirname(outTarget(target)));
  if (beside !== undefined) throw new UsageError(`--out: the run writes beside '${target}', but ${beside}`);
  const problem = notReplaceable(outTarget(target));
  if (problem !== undefined) throw new UsageError(`--out: '${target}' ${problem}`);
}

export class OutputDir {
  /** The folder replaced: `--out` as given, a symbolic link followed to its target. */
  readonly final: string;
  readonly tmp: string;
  private readonly appenders: Appender[] = [];
  private done = false;
  /** The outermost parent folder this run created (removed again if the run fails), if any. */
  private madeParent: string | undefined;

  constructor(private readonly target: string) {
    this.final = outTarget(target);
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
    // Checked once our own temporary folder is there, so that of two runs started together at least
    // one sees the other (both may refuse; neither replaces the other's output).
    const other = liveWriter(this.final);
    if (other !== undefined) {
      rmSync(this.tmp, { recursive: true, force: true });
      this.removeMadeParents();
      throw new UsageError(`--out: '${target}' is being written by another hedgesim process (pid ${other}); wait for it to finish, or give another --out`);
    }
  }

  path(name: RunOutputFile): string {
    return join(this.tmp, name);
  }

  write(name: RunOutputFile, content: string): void {
    writeFileSync(this.path(name), content);
  }

  /** A file written as the run goes (buffered, synchronous: nothing is lost or reordered). */
  appender(name: RunOutputFile): Appender {
    const a = new Appender(this.path(name));
    this.appenders.push(a);
    return a;
  }

  /**
   * Close the files and move the folder into place. The folder replaced is checked again once it
   * has been moved aside (nothing can be added to it unseen from then on): what was put into it
   * while the run went on is not deleted — it is moved back, and the run fails with a UsageError.
   */
  commit(): void {
    for (const a of this.appenders) a.close();
    if (existsSync(this.final)) {
      const old = `${this.tmp}.old`;
      renameSync(this.final, old);
      const problem = notReplaceable(old);
      if (problem !== undefined) {
        renameSync(old, this.final);
        throw new UsageError(`--out: '${this.target}' ${problem} (it changed while the run went on; the run's outputs were not kept)`);
      }
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

/** The pid of another live process whose run is writing the output `final` (its temporary folder is there), if any. */
function liveWriter(final: string): number | undefined {
  const prefix = `.${basename(final)}.tmp-`;
  let entries: string[];
  try {
    entries = readdirSync(dirname(final));
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    const m = entry.startsWith(prefix) ? /^([1-9]\d*)$/.exec(entry.slice(prefix.length)) : null;
    if (m !== null && Number(m[1]) !== process.pid && alive(Number(m[1]))) return Number(m[1]);
  }
  return undefined;
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
