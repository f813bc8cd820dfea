/**
 * `hedgesim study FILE`: a study (optimise, best-response, free-entry, cascades) run as stages on the
 * sweep machinery, with a line per stage and the answer at the end. Exit codes as for `sweep`, and
 * 4 for a shard (`--shard I/N` or a job-array index) that did its slice of a stage the other shards
 * have not finished.
 */
import { STUDY_WAITING, StudyShardWait } from '../batch/errors';
import { resolveShard } from '../batch/shard';
import { runStudy, type StudyResult } from '../batch/study';
import { fmt } from '../batch/study-page';
import { SweepFlagError } from './sweep';
import { onInterrupt } from './interrupt';
import { checkOutPath } from './output';

export interface StudyCliOptions {
  out?: string;
  workers?: string;
  resume: boolean;
  force: boolean;
  quick: boolean;
  quiet: boolean;
  shard?: string;
  shards?: string;
}

export async function studyCommand(file: string, opts: StudyCliOptions): Promise<void> {
  let workers: number | undefined;
  if (opts.workers !== undefined) {
    if (!/^\d+$/.test(opts.workers) || Number(opts.workers) < 1) throw new SweepFlagError(`--workers must be a whole number ≥ 1, got '${opts.workers}'`);
    workers = Number(opts.workers);
  }
  const mode = process.env.HEDGESIM_SWEEP_POOL ?? 'auto';
  if (mode !== 'auto' && mode !== 'always' && mode !== 'never') throw new SweepFlagError(`HEDGESIM_SWEEP_POOL must be auto, always or never, got '${mode}'`);
  const interrupt = onInterrupt((signal) => {
    process.stderr.write(`\nInterrupted (${signal}): the finished runs are kept in the stages' journals; continue with --resume.\n`);
  });
  const say = (s: string): void => void (opts.quiet ? undefined : process.stderr.write(s));
  const shard = resolveShard(opts.shard, opts.shards);
  let r: StudyResult;
  try {
    r = await runStudy(file, {
      ...(opts.out !== undefined ? { out: opts.out } : {}),
      ...(workers !== undefined ? { workers } : {}),
      resume: opts.resume,
      force: opts.force,
      quick: opts.quick,
      pool: mode,
      shard,
      checkOut: (out, inputs) => void checkOutPath(out, inputs),
      onStage: (label, points, runs) => say(`stage ${label}: ${points} point${points === 1 ? '' : 's'}, ${runs} runs\n`),
    });
  } catch (e) {
    if (!(e instanceof StudyShardWait)) throw e;
    // Not a failure: this shard's part of the stage is done, and the others' are not yet.
    interrupt.off();
    process.stderr.write(`${e.message} (exit code ${STUDY_WAITING}).\n`);
    process.exitCode = STUDY_WAITING;
    return;
  }
  interrupt.off();
  if (r.notWritten !== undefined) process.stderr.write(`The results were left to the process writing them: ${r.notWritten}.\n`);
  if (!opts.quiet) {
    const res = r.result as { optimum?: { values: unknown; objective: number; ciLow: number; ciHigh: number } | null; status?: string; profile?: unknown; nStar?: number; capped?: boolean };
    if (res.optimum !== undefined) process.stdout.write(res.optimum === null ? 'No strategy has a finite objective.\n' : `Optimum ${JSON.stringify(res.optimum.values)}: objective ${fmt(res.optimum.objective)} (95 % CI ${fmt(res.optimum.ciLow)} to ${fmt(res.optimum.ciHigh)}).\n`);
    if (res.status !== undefined) process.stdout.write(`${res.status}: ${JSON.stringify(res.profile)}.\n`);
    if (res.nStar !== undefined) process.stdout.write(`Free entry: n* = ${res.nStar}${res.capped === true ? ' (every count searched enters)' : ''}.\n`);
    process.stdout.write(`Results in ${r.dir}/: study.json, study.html, *.csv, *.parquet; the stages' sweeps in stages/.\n`);
  }
}
