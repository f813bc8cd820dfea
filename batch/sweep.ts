/**
 * Running a sweep: the runs of this shard that the journal does not already hold go to a pool of
 * worker threads (piscina; in this thread when workers = 1 or the sweep is too short to repay the
 * pool's start), each finished run is journaled at once, and the result files are written from all
 * finished runs sorted by run id — identical for any worker count, shard split or number of
 * interruptions. sweep.json is written before the first run, so a resume can check that the folder
 * holds the same sweep even after a kill.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { scenarioHash } from '../scenarios';
import { fieldUnit } from '../scenarios/issues';
import { scenarioSchema } from '../scenarios/schema';
import { aggregate, type PointSummary } from './aggregate';
import { SweepStateError } from './errors';
import { executeRun, type RunOutcome, type RunTask } from './execute';
import { Journal, readJournal } from './journal';
import { lockFolder, removeStaleTemps } from './lock';
import { loadSweepFile } from './load';
import { planHash, writeOutputs, writeSweepJson, type SweepMeta, type Tables } from './outputs';
import type { Plan } from './plan';
import type { Shard } from './shard';
import { sweepHtml } from './html';
import { pathSegments } from './variant';

export interface SweepOptions {
  out?: string;
  workers?: number;
  shard?: Shard | null;
  resume?: boolean;
  /** Start over even if the folder holds a partial sweep. */
  force?: boolean;
  onProgress?: (done: number, failed: number, total: number) => void;
  /** The bundled worker script (default: sweep-worker.mjs next to this module, or in dist/). */
  workerFile?: string;
  /** Stop after this many new runs (for tests of interruption). */
  limit?: number;
  /**
   * Worker threads: `auto` (default) uses a pool when there are several workers and enough work to
   * repay its start (see worthAPool); `always` uses one even for one worker or a short sweep (tests
   * of the pool); `never` runs every run in this thread.
   */
  pool?: 'auto' | 'always' | 'never';
  /**
   * Vet the output folder (as given, or the default) before anything is written, knowing the
   * files the sweep reads (the CLI refuses the current folder and folders holding them).
   */
  checkOut?: (out: string, inputs: { what: string; path: string }[]) => void;
}

export interface SweepResult {
  dir: string;
  plan: Plan;
  outcomes: Map<number, RunOutcome>;
  summary: PointSummary[];
  tables: Tables;
  /** Runs of this shard not finished (0 when complete). */
  missing: number;
  /** Worker threads used; 0 when the runs ran in this thread. */
  threads: number;
}

export { SweepStateError };

const here = dirname(fileURLToPath(import.meta.url));

function workerScript(explicit?: string): string {
  // next to this module (dist/), above it (a chunk in dist/chunks/), or in dist/ (from the source tree)
  const candidates = [explicit, join(here, 'sweep-worker.mjs'), join(here, '..', 'sweep-worker.mjs'), join(here, '..', 'dist', 'sweep-worker.mjs')].filter((x): x is string => x !== undefined);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('the sweep worker is not built: run `npm run build`');
  return found;
}

/**
 * One core's time per simulated block, for deciding whether a pool pays: the engine runs the
 * benchmark scenarios at 0.8–1.2 million blocks/s (README, Performance).
 */
export const SECONDS_PER_BLOCK = 1e-6;
/**
 * Starting a pool: each thread loads the bundled simulator (0.2–0.6 s for two threads on a trivial
 * sweep, on the 2-core development machine) and then runs slowly until its own JIT has warmed up
 * (0.4–1 s in all on real sweeps). The middle of that range: a wrong guess costs at most about the
 * difference, and only wall time.
 */
export const POOL_START_SECONDS = 0.5;

/**
 * Whether `workers` threads finish `blocks` simulated blocks sooner than this thread alone: the
 * time saved, work × (1 − 1/workers), must exceed the pool's start. Outputs are the same either
 * way; only the wall time differs.
 */
export function worthAPool(blocks: number, workers: number): boolean {
  return workers > 1 && blocks * SECONDS_PER_BLOCK * (1 - 1 / workers) > POOL_START_SECONDS;
}

export function metaOf(loaded: ReturnType<typeof loadSweepFile>, plan: Plan): SweepMeta {
  const s = loaded.sweep;
  const meta: Omit<SweepMeta, 'planHash'> = {
    name: s.name,
    ...(s.description ? { description: s.description } : {}),
    // As written in the sweep file (relative to it): the same bytes on any machine.
    scenario: s.scenario,
    scenarioHash: scenarioHash(loaded.base.scenario),
    set: s.set,
    seed: s.seed,
    replicates: s.replicates,
    parameters: plan.parameters,
    units: Object.fromEntries(plan.parameters.flatMap((p) => {
      const unit = fieldUnit(scenarioSchema, pathSegments(p), loaded.base.scenario);
      return unit === undefined ? [] : [[p, unit]];
    })),
    metrics: s.metrics,
    // Only where it changes runs (a cascade.* metric), so that other sweeps' sweep.json is unchanged.
    ...(Object.values(s.metrics).some((m) => m.includes('cascade.')) ? { cascadeWindow: s.cascadeWindow } : {}),
    ...(s.quantiles !== undefined && s.quantiles.length > 0 ? { quantiles: s.quantiles } : {}),
    baseline: plan.baseline,
    draws: plan.draws,
    points: plan.points.length,
    runs: plan.runs.length,
  };
  return { ...meta, planHash: planHash({ ...meta, pointValues: plan.points.map((p) => p.values) }) };
}

/**
 * Resuming into a folder of another sweep (an edited file) would mix results: refuse. The folder's
 * sweep.json is written before its first run, so it is there even after a kill; a journal without
 * one cannot be checked, and is refused too.
 */
function checkSameSweep(dir: string, meta: SweepMeta): void {
  const path = join(dir, 'sweep.json');
  if (!existsSync(path)) {
    if (existsSync(join(dir, 'runs.jsonl'))) throw new SweepStateError(`${dir} holds a journal of runs but no sweep.json, so it cannot be checked to belong to this sweep: start over with --force`);
    return;
  }
  let old: unknown;
  try {
    old = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new SweepStateError(`${path} is not readable JSON, so the folder cannot be checked to belong to this sweep: start over with --force`);
  }
  const stored = (old as { planHash?: unknown }).planHash;
  if (stored !== meta.planHash) {
    throw new SweepStateError(`${dir} holds runs of a different sweep (its base scenario, overrides, seed, replicates, parameters, points, metrics or baseline differ from ${meta.name}'s now): resume it with the original sweep file, or start over with --force`);
  }
}

export async function runSweep(file: string, opts: SweepOptions = {}): Promise<SweepResult> {
  const loaded = loadSweepFile(file);
  const { plan, sweep } = loaded;
  const shard = opts.shard ?? null;
  const out = opts.out ?? (shard ? `out/${sweep.name}/shard-${shard.index}-of-${shard.count}` : `out/${sweep.name}`);
  opts.checkOut?.(out, [
    { what: 'the sweep file', path: file },
    { what: 'the base scenario', path: loaded.scenarioFile },
  ]);
  // resolve('') is the current folder: an empty name is a mistake, not a request to write there.
  if (out.trim() === '') throw new SweepStateError('the output folder name is empty');
  const dir = resolve(out);
  // A run's folder: the sweep's files would mix with the run's, and a later `run --out` there, which
  // replaces the folder whole, would delete them.
  if (existsSync(join(dir, 'summary.json'))) throw new SweepStateError(`${dir} holds a run's outputs (summary.json); a sweep writes its files into its folder, which must not be a run's: give the sweep another --out`);
  const journalPath = join(dir, 'runs.jsonl');
  if (existsSync(journalPath) && !opts.resume && !opts.force) throw new SweepStateError(`${dir} holds a partial or finished sweep: use --resume to continue it, or --force to start over`);
  const meta = metaOf(loaded, plan);
  if (opts.resume) checkSameSweep(dir, meta);
  mkdirSync(dir, { recursive: true });
  // One writer per folder: a second sweep (or merge) into it is refused while this one runs; what
  // a killed one left half-written goes.
  const lock = lockFolder(dir, 'sweep');
  try {
    return await sweepLocked(dir, loaded, meta, opts);
  } finally {
    lock.release();
  }
}

async function sweepLocked(dir: string, loaded: ReturnType<typeof loadSweepFile>, meta: SweepMeta, opts: SweepOptions): Promise<SweepResult> {
  const { plan, sweep } = loaded;
  const shard = opts.shard ?? null;
  const journalPath = join(dir, 'runs.jsonl');
  removeStaleTemps(dir);
  if (opts.force && !opts.resume) rmSync(journalPath, { force: true });
  const mine = plan.runs.filter((r) => shard === null || r.id % shard.count === shard.index);
  const outcomes = readJournal(journalPath);
  for (const id of [...outcomes.keys()]) if (!mine.some((r) => r.id === id)) outcomes.delete(id);
  // The sweep's identity, before any run is journaled.
  writeSweepJson(dir, plan, meta, outcomes, shard);
  const todo = mine.filter((r) => !outcomes.has(r.id)).slice(0, opts.limit ?? Infinity);
  const task = (r: (typeof todo)[number]): RunTask => ({
    id: r.id,
    scenarioFile: loaded.scenarioFile,
    baseDir: dirname(loaded.scenarioFile),
    set: sweep.set,
    values: plan.points[r.point]!.values,
    seed: r.seed,
    metrics: sweep.metrics,
    cascadeWindow: sweep.cascadeWindow,
  });
  const journal = new Journal(journalPath);
  let failed = [...outcomes.values()].filter((o) => o.status === 'failed').length;
  const finish = (o: RunOutcome): void => {
    journal.append(o);
    outcomes.set(o.id, o);
    if (o.status === 'failed') failed++;
    opts.onProgress?.(outcomes.size, failed, mine.length);
  };
  opts.onProgress?.(outcomes.size, failed, mine.length);
  const workers = Math.max(1, Math.min(opts.workers ?? availableParallelism(), todo.length || 1));
  const mode = opts.pool ?? 'auto';
  const threads = mode === 'always' ? workers : mode === 'never' ? 0 : worthAPool(todo.reduce((sum, r) => sum + loaded.blocks[r.point]!, 0), workers) ? workers : 0;
  try {
    if (threads === 0)
      for (const r of todo) {
        finish(executeRun(task(r)));
        // A turn of the event loop between runs, so that Ctrl-C is handled without waiting for the rest.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    else {
      const pool = new Piscina({ filename: workerScript(opts.workerFile), minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
      try {
        await Promise.all(todo.map((r) => (pool.run(task(r)) as Promise<RunOutcome>).then(finish)));
      } finally {
        await pool.destroy();
      }
    }
  } finally {
    journal.close();
  }
  const summary = aggregate(plan, Object.keys(sweep.metrics), outcomes, sweep.quantiles ?? []);
  const tables = writeOutputs(dir, plan, meta, outcomes, summary, sweepHtml(meta, plan, summary), shard);
  return { dir, plan, outcomes, summary, tables, missing: mine.length - outcomes.size, threads };
}
