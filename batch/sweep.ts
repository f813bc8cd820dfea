/**
 * Running a sweep: the runs of this shard that the journal does not already hold go to a pool of
 * worker threads (piscina; in this thread when workers = 1), each finished run is journaled at
 * once, and the result files are written from all finished runs sorted by run id — identical for
 * any worker count, shard split or number of interruptions.
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
import { executeRun, type RunOutcome, type RunTask } from './execute';
import { Journal, readJournal } from './journal';
import { loadSweepFile } from './load';
import { writeOutputs, type SweepMeta, type Tables } from './outputs';
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
  /** Use worker threads even for one worker (the benchmark compares like with like). */
  threads?: boolean;
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
}

export class SweepStateError extends Error {
  override readonly name = 'SweepStateError' as const;
}

const here = dirname(fileURLToPath(import.meta.url));

function workerScript(explicit?: string): string {
  const candidates = [explicit, join(here, 'sweep-worker.mjs'), join(here, '..', 'dist', 'sweep-worker.mjs')].filter((x): x is string => x !== undefined);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('the sweep worker is not built: run `npm run build`');
  return found;
}

export function metaOf(loaded: ReturnType<typeof loadSweepFile>, plan: Plan): SweepMeta {
  const s = loaded.sweep;
  return {
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
    baseline: plan.baseline,
    points: plan.points.length,
    runs: plan.runs.length,
  };
}

/** Resuming into a folder of another sweep (an edited file) would mix results: refuse. */
function checkSameSweep(dir: string, meta: SweepMeta, plan: Plan): void {
  const path = join(dir, 'sweep.json');
  if (!existsSync(path)) return;
  const old = JSON.parse(readFileSync(path, 'utf8')) as SweepMeta & { pointValues?: unknown[] };
  const key = (m: SweepMeta, points: unknown): string => JSON.stringify([m.name, m.scenarioHash, m.set, m.seed, m.replicates, m.parameters, m.metrics, m.baseline, points]);
  if (key(old, old.pointValues) !== key(meta, plan.points.map((p) => p.values))) {
    throw new SweepStateError(`${dir} holds results of a different sweep (its file, base scenario, seeds or metrics changed): resume it with the original file, or start over with --force`);
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
  const journalPath = join(dir, 'runs.jsonl');
  if (existsSync(journalPath) && !opts.resume) {
    if (!opts.force) throw new SweepStateError(`${dir} holds a partial or finished sweep: use --resume to continue it, or --force to start over`);
    rmSync(journalPath);
  }
  mkdirSync(dir, { recursive: true });
  if (opts.resume) checkSameSweep(dir, metaOf(loaded, plan), plan);
  const mine = plan.runs.filter((r) => shard === null || r.id % shard.count === shard.index);
  const outcomes = readJournal(journalPath);
  for (const id of [...outcomes.keys()]) if (!mine.some((r) => r.id === id)) outcomes.delete(id);
  const todo = mine.filter((r) => !outcomes.has(r.id)).slice(0, opts.limit ?? Infinity);
  const task = (r: (typeof todo)[number]): RunTask => ({
    id: r.id,
    scenarioFile: loaded.scenarioFile,
    baseDir: dirname(loaded.scenarioFile),
    set: sweep.set,
    values: plan.points[r.point]!.values,
    seed: r.seed,
    metrics: sweep.metrics,
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
  try {
    if (workers === 1 && !opts.threads) for (const r of todo) finish(executeRun(task(r)));
    else {
      const pool = new Piscina({ filename: workerScript(opts.workerFile), minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
      try {
        await Promise.all(todo.map((r) => (pool.run(task(r)) as Promise<RunOutcome>).then(finish)));
      } finally {
        await pool.destroy();
      }
    }
  } finally {
    journal.close();
  }
  const summary = aggregate(plan, Object.keys(sweep.metrics), outcomes);
  const meta = metaOf(loaded, plan);
  const tables = writeOutputs(dir, plan, meta, outcomes, summary, sweepHtml(meta, plan, summary));
  return { dir, plan, outcomes, summary, tables, missing: mine.length - outcomes.size };
}
