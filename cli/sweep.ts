/**
 * `hedgesim sweep` and `hedgesim merge`: run a sweep across worker threads (and, on a cluster, one
 * shard per job-array task), with a progress bar over runs; join shard folders into the result one
 * machine would have produced.
 */
import { SingleBar } from 'cli-progress';
import { mergeSweeps, resolveShard, runSweep } from '../batch';
import { checkOutPath } from './output';
import { progressTiming } from './progress';

export interface SweepCliOptions {
  out?: string;
  workers?: string;
  shard?: string;
  shards?: string;
  resume: boolean;
  force: boolean;
  quiet: boolean;
}

export class SweepFlagError extends Error {
  override readonly name = 'SweepFlagError' as const;
}

function runsProgress(quiet: boolean, interval: number): { update(done: number, failed: number, total: number): void; stop(): void } {
  if (quiet) return { update() {}, stop() {} };
  const started = performance.now();
  const rate = (done: number, from: number): string => ((done - from) / Math.max((performance.now() - started) / 1000, 1e-9)).toFixed(1);
  let first = -1;
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ format: ' {bar} {value}/{total} runs | {failed} failed | {rate} runs/s | ETA {eta_formatted}', hideCursor: true, stream: process.stderr, barCompleteChar: '█', barIncompleteChar: '░' });
    let on = false;
    return {
      update(done, failed, total) {
        if (first < 0) first = done;
        if (!on) bar.start(total, done, { failed, rate: '0' });
        on = true;
        bar.update(done, { failed, rate: rate(done, first) });
      },
      stop() {
        if (on) bar.stop();
      },
    };
  }
  let last = 0;
  return {
    update(done, failed, total) {
      if (first < 0) first = done;
      const now = performance.now();
      if (now - last < interval * 1000 && done < total) return;
      last = now;
      process.stderr.write(`runs ${done}/${total}, ${failed} failed, ${rate(done, first)} runs/s\n`);
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
  const r = await runSweep(file, { ...(opts.out !== undefined ? { out: opts.out } : {}), ...(workers !== undefined ? { workers } : {}), shard, resume: opts.resume, force: opts.force, checkOut: (out, inputs) => void checkOutPath(out, inputs), onProgress: (d, f, t) => bar.update(d, f, t) });
  bar.stop();
  if (!opts.quiet) {
    const failed = [...r.outcomes.values()].filter((o) => o.status === 'failed').length;
    process.stdout.write(`${r.outcomes.size} runs (${failed} failed) over ${r.plan.points.length} points${shard ? ` — shard ${shard.index}/${shard.count} (from ${shard.source})` : ''}.\n`);
    process.stdout.write(`Results in ${r.dir}/: runs.csv, summary.csv (mean, sd, 95% CI per point), *.parquet, sweep.html.\n`);
    if (shard) process.stdout.write(`Join the shards with: hedgesim merge <shard folders…> --out <folder>\n`);
  }
}

export function mergeCommand(dirs: string[], opts: { out: string; quiet: boolean }): void {
  checkOutPath(opts.out);
  const r = mergeSweeps(dirs, opts.out);
  if (!opts.quiet) {
    process.stdout.write(`Merged ${dirs.length} folders into ${r.dir}/${r.missing > 0 ? ` — ${r.missing} runs are still missing (run the remaining shards, or --resume them)` : ''}.\n`);
  }
}
