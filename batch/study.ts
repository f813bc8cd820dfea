/**
 * Running a study: a sequence of stages, each an ordinary sweep (written as a sweep file under
 * `stages/` and run by runSweep: worker threads, the resume journal, the folder lock), every stage
 * with the same seeds (common random numbers), so strategies compare by paired differences. Which
 * stage comes next depends only on the results of the earlier ones, so a study stopped at any
 * moment (even SIGKILL) and run again with --resume takes the same path and writes the same bytes.
 * A point already evaluated at the same replicates in an earlier stage is not run again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { scenarioHash } from '../scenarios';
import { LockError, StudyShardWait } from './errors';
import type { RunOutcome } from './execute';
import { readJournal } from './journal';
import { lockFolder, removeStaleTemps, type Lock } from './lock';
import { mergeSweeps } from './merge';
import type { Values } from './plan';
import type { Shard } from './shard';
import { runSweep, SweepStateError, type SweepOptions } from './sweep';
import { loadStudyFile, type LoadedStudy } from './study-load';
import { runBestResponse, runOptimise } from './study-kinds';
import { runFreeEntry } from './study-entry';
import { runCascades } from './study-cascades';
import { writeStudyOutputs } from './study-outputs';

export interface StudyOptions {
  out?: string;
  workers?: number;
  resume?: boolean;
  force?: boolean;
  quick?: boolean;
  pool?: SweepOptions['pool'];
  workerFile?: string;
  /**
   * Run one shard of each stage (its runs whose id mod N is I) into `shards/<stage>/shard-I-of-N/`,
   * the shards sharing the study's folder; a stage whose slices are not all done stops the study
   * with a StudyShardWait, and the first shard to find them all done merges them into the stage.
   */
  shard?: Shard | null;
  checkOut?: (out: string, inputs: { what: string; path: string }[]) => void;
  onStage?: (label: string, points: number, runs: number) => void;
  onProgress?: (done: number, failed: number, total: number) => void;
}

/** A point's metric values by replicate (NaN where the run failed or had no value). */
export type PointValues = Record<string, number[]>;

export interface StageRecord {
  index: number;
  label: string;
  folder: string;
  replicates: number;
  /** Points run in this stage (those not already evaluated earlier). */
  points: number;
}

/**
 * What a stage adds to the study's own: overrides of the base scenario (free entry sets the
 * template's count there, so that metrics naming its copies check against it) and metrics.
 * A point's memo key includes both.
 */
export interface StageExtra {
  set?: string[];
  metrics?: Record<string, string>;
  /** Fields of the stage's sweep file beyond the common ones (cascades: its cascadeWindow). */
  sweep?: Record<string, unknown>;
}

/** What the kinds use to evaluate points: one stage per call. */
export interface Evaluator {
  loaded: LoadedStudy;
  evaluate(label: string, points: readonly Values[], replicates?: number, extra?: StageExtra): Promise<PointValues[]>;
  stages: StageRecord[];
}

export interface StudyResult {
  /** Why this shard did not write the results (the folder's lock held: by another shard writing the same bytes). */
  notWritten?: string;
  dir: string;
  stages: StageRecord[];
  result: Record<string, unknown>;
}

const baseKey = (values: Values, replicates: number): string => `${replicates}\u0000${JSON.stringify(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1)))}`;

function atomic(path: string, content: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/** The study's identity: what changes its runs (not its description or comments). */
function studyHash(l: LoadedStudy): string {
  // How the page draws its charts changes no run.
  const { description: _d, $schema: _s, chart: _c, ...rest } = l.study;
  void _d, _s, _c;
  return `sha256:${createHash('sha256').update(JSON.stringify({ rest, scenario: scenarioHash(l.base.scenario), set: l.set, replicates: l.replicates, quick: l.quick })).digest('hex')}`;
}

export async function runStudy(file: string, opts: StudyOptions = {}): Promise<StudyResult> {
  const loaded = loadStudyFile(file, opts.quick ?? false);
  const { study } = loaded;
  const shard = opts.shard ?? null;
  const out = opts.out ?? `out/${study.name}${loaded.quick ? '-quick' : ''}`;
  opts.checkOut?.(out, [
    { what: 'the study file', path: file },
    { what: 'the base scenario', path: loaded.scenarioFile },
  ]);
  if (out.trim() === '') throw new SweepStateError('the output folder name is empty');
  // Starting over would delete the other shards' runs under their feet.
  if (shard !== null && opts.force) throw new SweepStateError('--force cannot be given to a shard of a study (it would delete the other shards\' runs): start over by removing the folder, then run the shards');
  const dir = resolve(out);
  if (existsSync(join(dir, 'summary.json'))) throw new SweepStateError(`${dir} holds a run's outputs (summary.json): give the study another --out`);
  if (existsSync(join(dir, 'sweep.json'))) throw new SweepStateError(`${dir} holds a sweep's outputs (sweep.json): give the study another --out`);
  const planPath = join(dir, 'study-plan.json');
  const hash = studyHash(loaded);
  // The shards of a study share its folder: a shard continues the study that is there (as --resume).
  const resume = (opts.resume ?? false) || shard !== null;
  if (existsSync(planPath) && !resume && !opts.force) throw new SweepStateError(`${dir} holds a partial or finished study: use --resume to continue it, or --force to start over`);
  if (existsSync(planPath) && resume && !opts.force) {
    let old: unknown;
    try {
      old = JSON.parse(readFileSync(planPath, 'utf8'));
    } catch {
      old = undefined;
    }
    if ((old as { studyHash?: unknown } | undefined)?.studyHash !== hash) throw new SweepStateError(`${dir} holds a different study (its scenario, overrides, seed, replicates, metrics, objective, strategies or size differ from ${study.name}'s now): resume it with the original study file and size, or start over with --force`);
  }
  mkdirSync(dir, { recursive: true });
  // One process writes a study's folder — except its shards, each of which writes only its own
  // slices' folders, and the merged stages and the results under those folders' own locks.
  const lock: Lock | null = shard === null ? lockFolder(dir, 'study') : null;
  try {
    if (shard === null) removeStaleTemps(dir);
    if (opts.force && !opts.resume) {
      rmSync(join(dir, 'stages'), { recursive: true, force: true });
      rmSync(join(dir, 'shards'), { recursive: true, force: true });
    }
    atomic(planPath, `${JSON.stringify({ name: study.name, kind: study.kind, studyHash: hash }, null, 2)}\n`);
    mkdirSync(join(dir, 'stages'), { recursive: true });
    const ev = evaluator(dir, loaded, opts);
    const result = study.kind === 'optimise' ? await runOptimise(ev, study) : study.kind === 'best-response' ? await runBestResponse(ev, study) : study.kind === 'free-entry' ? await runFreeEntry(ev, study) : await runCascades(ev, study);
    const notWritten = writeResults(dir, shard, () => writeStudyOutputs(dir, loaded, ev.stages, result));
    return { dir, stages: ev.stages, result: result.json, ...(notWritten !== undefined ? { notWritten } : {}) };
  } finally {
    lock?.release();
  }
}

/**
 * The results, by a shard under the study folder's lock: two shards finishing at once would write
 * the same bytes, so the one that finds it taken leaves them to the other.
 */
function writeResults(dir: string, shard: Shard | null, write: () => void): string | undefined {
  if (shard === null) return void write();
  let lock: Lock;
  try {
    lock = lockFolder(dir, 'study');
  } catch (e) {
    if (e instanceof LockError) return e.message;
    throw e;
  }
  try {
    write();
  } finally {
    lock.release();
  }
  return undefined;
}

/** Run ids 0 … total − 1 that a journal (or the union of several) lacks. */
const lacking = (outcomes: ReadonlyMap<number, RunOutcome>, total: number): number => {
  let k = 0;
  for (let id = 0; id < total; id++) if (!outcomes.has(id)) k++;
  return k;
};

/** The shards' slices of a stage: every `shard-I-of-N` folder under `shards/<stage>/` that holds a sweep. */
function slices(dir: string, name: string): string[] {
  const at = join(dir, 'shards', name);
  if (!existsSync(at)) return [];
  return readdirSync(at)
    .filter((f) => /^shard-\d+-of-\d+$/.test(f) && existsSync(join(at, f, 'sweep.json')))
    .sort()
    .map((f) => join(at, f));
}

function union(dirs: readonly string[]): Map<number, RunOutcome> {
  const all = new Map<number, RunOutcome>();
  for (const d of dirs) for (const [id, o] of readJournal(join(d, 'runs.jsonl'))) all.set(id, o);
  return all;
}

function evaluator(dir: string, loaded: LoadedStudy, opts: StudyOptions): Evaluator {
  const memo = new Map<string, PointValues>();
  const stages: StageRecord[] = [];
  return {
    loaded,
    stages,
    async evaluate(label, points, replicates = loaded.replicates, extra = {}) {
      const allMetrics = { ...loaded.study.metrics, ...extra.metrics };
      const metrics = Object.keys(allMetrics);
      const stageSet = [...loaded.set, ...(extra.set ?? [])];
      const tag = extra.set === undefined && extra.metrics === undefined && extra.sweep === undefined ? '' : JSON.stringify(extra);
      const key = (values: Values, r: number): string => `${baseKey(values, r)}${tag}`;
      const todo: Values[] = [];
      const seen = new Set<string>();
      for (const p of points) {
        const k = key(p, replicates);
        if (!memo.has(k) && !seen.has(k)) {
          seen.add(k);
          todo.push(p);
        }
      }
      if (todo.length > 0) {
        const index = stages.length;
        const name = `${String(index).padStart(2, '0')}-${label}`;
        const folder = join(dir, 'stages', name);
        const sweepFile = join(dir, 'stages', `${name}.sweep.json`);
        const sweep = {
          name: `${loaded.study.name}-${name}`.toLowerCase().replace(/[^a-z0-9-]/g, '-'),
          scenario: relative(join(dir, 'stages'), loaded.scenarioFile),
          set: stageSet,
          seed: loaded.study.seed,
          replicates,
          points: todo,
          metrics: allMetrics,
          ...extra.sweep,
        };
        atomic(sweepFile, `${JSON.stringify(sweep, null, 2)}\n`);
        opts.onStage?.(name, todo.length, todo.length * replicates);
        const total = todo.length * replicates;
        const shard = opts.shard ?? null;
        const sweepOpts = {
          ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
          ...(opts.pool !== undefined ? { pool: opts.pool } : {}),
          ...(opts.workerFile !== undefined ? { workerFile: opts.workerFile } : {}),
          ...(opts.onProgress !== undefined ? { onProgress: opts.onProgress } : {}),
        };
        let outcomes = readJournal(join(folder, 'runs.jsonl'));
        if (lacking(outcomes, total) > 0) {
          // Slices that shards ran: merged into the stage when they hold every run; short of
          // that, one process (not a shard) merges what there is and runs the rest itself.
          if (shard !== null) await runSweep(sweepFile, { out: join(dir, 'shards', name, `shard-${shard.index}-of-${shard.count}`), resume: true, shard, ...sweepOpts });
          const parts = slices(dir, name);
          const have = union(parts);
          const missing = lacking(have, total);
          if (shard !== null && missing > 0) throw new StudyShardWait(`stage ${name}: shard ${shard.index}/${shard.count} done; ${missing} of the stage's ${total} runs are the other shards'. Run the shards again once they are done: the first to find every shard's runs merges the stage and goes on`, name);
          if (parts.length > 0 && (missing === 0 || shard === null)) {
            // The stage's own runs so far (a process without --shard that ran some) are kept.
            const sources = outcomes.size > 0 && existsSync(join(folder, 'sweep.json')) ? [...parts, folder] : parts;
            try {
              mergeSweeps(sources, folder, { allowPartial: true });
            } catch (e) {
              // Another shard merges it this very moment.
              if (shard !== null && e instanceof LockError) throw new StudyShardWait(`stage ${name}: shard ${shard.index}/${shard.count} done; another shard is merging the stage. Run the shards again`, name);
              throw e;
            }
          }
          if (shard === null) outcomes = (await runSweep(sweepFile, { out: folder, resume: true, ...sweepOpts })).outcomes;
          else outcomes = readJournal(join(folder, 'runs.jsonl'));
        } else if (shard === null) {
          // Rewrites the stage's files (the same bytes), as a resumed sweep does.
          outcomes = (await runSweep(sweepFile, { out: folder, resume: true, ...sweepOpts })).outcomes;
        }
        stages.push({ index, label, folder: relative(dir, folder), replicates, points: todo.length });
        todo.forEach((p, i) => {
          const values: PointValues = {};
          for (const m of metrics) values[m] = Array.from({ length: replicates }, () => NaN);
          for (let rep = 0; rep < replicates; rep++) {
            // Run id = point × replicates + replicate (batch/plan.ts).
            const o = outcomes.get(i * replicates + rep);
            if (o?.status !== 'ok') continue;
            for (const m of metrics) {
              const v = o.metrics[m];
              if (typeof v === 'number' && Number.isFinite(v)) values[m]![rep] = v;
            }
          }
          memo.set(key(p, replicates), values);
        });
      }
      return points.map((p) => memo.get(key(p, replicates))!);
    },
  };
}
