/**
 * `hedgesim sweep` and `hedgesim merge`: run a sweep across worker threads (and, on a cluster, one
 * shard per job-array task), with a progress bar over runs; join shard folders into the result one
 * machine would have produced. A sweep whose every run failed exits 3 (its outputs are written); a
 * merge that lacks runs exits 2 (nothing written) unless --allow-partial.
 */
import { SingleBar } from 'cli-progress';
import { mergeSweeps, resolveShard, runSweep, type SweepOptions } from '../batch';
import type { RunOutcome } from '../batch/execute';
import type { PreflightWarning } from '../sim/preflight';
import { onInterrupt } from './interrupt';
import { checkOutPath, SweepFlagError } from './output';
import { duration, progressTiming } from './progress';

export interface SweepCliOptions {
  out?: string;
  workers?: string;
  shard?: string;
  shards?: string;
  resume: boolean;
  force: boolean;
  quiet: boolean;
}

export { SweepFlagError };

function poolMode(env: NodeJS.ProcessEnv): NonNullable<SweepOptions['pool']> {
  const mode = env.HEDGESIM_SWEEP_POOL ?? 'auto';
  if (mode !== 'auto' && mode !== 'always' && mode !== 'never') throw new SweepFlagError(`HEDGESIM_SWEEP_POOL must be auto, always or never, got '${mode}'`);
  return mode;
}

/** Off a terminal (cluster logs) a line every `intervalSeconds` (HEDGESIM_PROGRESS_INTERVAL; 0: one per finished run). */
function runsProgress(quiet: boolean, intervalSeconds: number): { update(done: number, failed: number, total: number): void; stop(): void } {
  if (quiet) return { update() {}, stop() {} };
  const started = performance.now();
  // Runs per second over the runs this process did (not those a resumed journal already held).
  const rate = (done: number, from: number): number => (done - from) / Math.max((performance.now() - started) / 1000, 1e-9);
  let first = -1;
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ format: ' {bar} {value}/{total} runs | {failed} failed | {rate} runs/s | ETA {eta_formatted}', hideCursor: true, stream: process.stderr, barCompleteChar: '█', barIncompleteChar: '░' });
    let on = false;
    return {
      update(done, failed, total) {
        if (first < 0) first = done;
        if (!on) bar.start(total, done, { failed, rate: '0' });
        on = true;
        bar.update(done, { failed, rate: rate(done, first).toFixed(1) });
      },
      stop() {
        if (on) bar.stop();
      },
    };
  }
  let last = started;
  return {
    update(done, failed, total) {
      if (first < 0) first = done;
      // Nothing to say before this process has finished a run (no rate, no ETA), except at the end.
      if (done === first && done < total) return;
      const now = performance.now();
      if (now - last < intervalSeconds * 1000 && done < total) return;
      last = now;
      const r = rate(done, first);
      const eta = done >= total ? '0 s' : r > 0 ? duration((total - done) / r) : '?';
      process.stderr.write(`runs ${done}/${total}, ${failed} failed, ${r.toFixed(1)} runs/s, ETA ${eta}\n`);
    },
    stop() {},
  };
}

export async function sweepCommand(file: string, opts: SweepCliOptions): Promise<void> {
  let workers: number | undefined;
  if (opts.workers !== undefined) {
    if (!/^\d+$/.test(opts.workers) || Number(opts.workers) < 1) throw new SweepFlagError(`--workers must be a whole number ≥ 1, got '${opts.workers}'`);
    workers = Number(opts.workers);
  }
  const shard = resolveShard(opts.shard, opts.shards);
  const bar = runsProgress(opts.quiet, progressTiming().interval);
  const pool = poolMode(process.env);
  // Finished runs are journaled as they finish, so an interrupted sweep loses only the runs under
  // way; exiting releases the folder's lock (an exit handler), and --resume continues.
  const interrupt = onInterrupt((signal) => {
    bar.stop();
    process.stderr.write(`\nInterrupted (${signal}): the finished runs are kept in the folder's journal; continue with --resume.\n`);
  });
  const r = await runSweep(file, { ...(opts.out !== undefined ? { out: opts.out } : {}), ...(workers !== undefined ? { workers } : {}), shard, resume: opts.resume, force: opts.force, pool, checkOut: (out, inputs) => void checkOutPath(out, inputs), onProgress: (d, f, t) => bar.update(d, f, t) });
  interrupt.off();
  bar.stop();
  if (!opts.quiet) for (const line of sweepWarnings(r.outcomes)) process.stderr.write(`${line}\n`);
  const failed = [...r.outcomes.values()].filter((o) => o.status === 'failed');
  if (!opts.quiet) {
    process.stdout.write(`${r.outcomes.size} runs (${failed.length} failed) over ${r.plan.points.length} points${shard ? ` — shard ${shard.index}/${shard.count} (from ${shard.source})` : ''}.\n`);
    // Successful runs that could not read a metric (a name their configuration does not produce).
    const gaps = [...r.outcomes.values()].filter((o) => o.status === 'ok' && o.error !== null).length;
    if (gaps > 0) process.stdout.write(`${gaps} of the successful runs could not read some metric: its cells are empty, and runs.csv's error column says why.\n`);
    process.stdout.write(`Results in ${r.dir}/: runs.csv, summary.csv (mean, sd, 95% CI per point), *.parquet, sweep.html.\n`);
    if (shard) process.stdout.write(`Join the shards with: hedgesim merge <shard folders…> --out <folder>\n`);
  }
  // One failed run is a result (recorded, the others go on); all of them failing is a broken sweep
  // — a wrong metric path, a scenario every point breaks — and scripts must not take it for success.
  if (r.outcomes.size > 0 && failed.length === r.outcomes.size) {
    const firstFailure = failed.reduce((a, b) => (b.id < a.id ? b : a));
    process.stderr.write(`simulation fault: every run failed (${failed.length} of ${failed.length}); run ${firstFailure.id}: ${firstFailure.error ?? 'no error recorded'}\nThe outputs are in ${r.dir}/, with each run's error in runs.csv.\n`);
    process.exitCode = 3;
  }
}

/**
 * The runs' preflight warnings, once each (by code, path and venue) with the number of runs that
 * gave it and the first such run's message: a sweep repeats one scenario, so one per run would bury
 * them. Each run's own list is in its line of runs.jsonl.
 */
export function sweepWarnings(outcomes: ReadonlyMap<number, RunOutcome>): string[] {
  const distinct = new Map<string, { w: PreflightWarning; runs: number }>();
  let runs = 0;
  for (const o of [...outcomes.values()].sort((a, b) => a.id - b.id)) {
    if (o.warnings === undefined || o.warnings.length === 0) continue;
    runs++;
    const keys = new Set<string>();
    for (const w of o.warnings) {
      const key = `${w.code}\u0000${w.path}\u0000${w.venue ?? ''}`;
      if (keys.has(key)) continue;
      keys.add(key);
      const d = distinct.get(key);
      if (d === undefined) distinct.set(key, { w, runs: 1 });
      else d.runs++;
    }
  }
  if (distinct.size === 0) return [];
  const lines = [`warning: ${runs} of ${outcomes.size} runs have preflight warnings, ${distinct.size} distinct (each run's are in runs.jsonl):`];
  for (const { w, runs: n } of distinct.values()) lines.push(`  ${w.code} at ${w.path} in ${n} run${n === 1 ? '' : 's'}: ${w.message}`);
  return lines;
}

export function mergeCommand(dirs: string[], opts: { out: string; force: boolean; quiet: boolean; allowPartial: boolean }): void {
  checkOutPath(opts.out);
  // Runs missing (a shard not given or not finished) are an error (exit 2, nothing written) unless
  // --allow-partial asks for the runs there are.
  const r = mergeSweeps(dirs, opts.out, { force: opts.force, allowPartial: opts.allowPartial });
  if (!opts.quiet) {
    process.stdout.write(`Merged ${dirs.length} folders into ${r.dir}/${r.missing > 0 ? ` — a partial result: ${r.missing} runs are missing (run the remaining shards, or --resume them, and merge again)` : ''}.\n`);
  }
}
