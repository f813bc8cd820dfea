/**
 * The sweep's result files, all derived from the run outcomes sorted by run id, so they are the same
 * bytes whatever the worker count or shard split: runs.csv / runs.parquet (one row per run),
 * summary.csv / summary.parquet (one row per point), timing.csv (wall time per run, which varies and
 * so lives apart), sweep.json (what was swept) and sweep.html.
 */
import { stringify } from 'csv-stringify/sync';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { createHash } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quantileName, type PointSummary } from './aggregate';
import type { RunOutcome } from './execute';
import type { Plan, Values } from './plan';

export interface SweepMeta {
  name: string;
  description?: string;
  scenario: string;
  scenarioHash: string;
  set: readonly string[];
  seed: number;
  replicates: number;
  parameters: string[];
  /** Each parameter's unit as the scenario schema records it (`gwei`), for the viewer's axes; parameters without one are left out. */
  units: Record<string, string>;
  metrics: Record<string, string>;
  /** Blocks of a cascade's trigger window (batch/cascade.ts), when a metric reads cascade.*. */
  cascadeWindow?: number;
  /** Quantiles of each metric across a point's replicates, in summary.csv (absent: none). Not part of the plan's identity: they change no run. */
  quantiles?: number[];
  baseline: number;
  /** Points per (explicit × grid) combination (random draws; 1 without random parameters). */
  draws: number;
  points: number;
  runs: number;
  /** The identity of the resolved plan (see planHash): two folders with the same hash hold the same sweep. */
  planHash: string;
}

/** What defines a sweep's results: equal for two sweep files exactly when their runs are the same. */
export type PlanIdentity = Pick<SweepMeta, 'name' | 'scenarioHash' | 'set' | 'seed' | 'replicates' | 'parameters' | 'metrics' | 'baseline' | 'draws'> & { pointValues: readonly Values[] };

/**
 * A hash of the resolved plan — the base scenario (after `set`), seeds, parameters and every
 * point's values, metrics and baseline — not of the file's text, so comments or a description may
 * change but nothing that changes a result.
 */
export function planHash(p: PlanIdentity): string {
  const { name, scenarioHash, set, seed, replicates, parameters, metrics, baseline, draws, pointValues } = p;
  const text = JSON.stringify({ name, scenarioHash, set, seed, replicates, parameters, metrics, baseline, draws, pointValues });
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

function atomic(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/** A parameter value in a table cell: numbers as numbers, anything else as JSON text. */
function cell(v: unknown): string | number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : '';
  if (typeof v === 'string') return v;
  return v === undefined ? '' : JSON.stringify(v);
}

const num = (x: number | null | undefined): number | string => (typeof x === 'number' && Number.isFinite(x) ? x : '');

export interface Table {
  columns: string[];
  rows: (string | number)[][];
  /** The columns of whole numbers (ids, seeds, counts): INT64 in Parquet; the other numeric ones are DOUBLE. */
  integers: string[];
}

export interface Tables {
  runs: Table;
  summary: Table;
}

/** The columns of the two tables, in order: fixed ones, one per parameter, per metric. */
export function tableColumns(parameters: readonly string[], metrics: readonly string[], baseline: boolean, quantiles: readonly number[] = []): { runs: string[]; summary: string[] } {
  const summary = ['point_id', ...parameters, 'runs', 'failed'];
  for (const m of metrics) summary.push(`${m}_n`, `${m}_mean`, `${m}_sd`, `${m}_ci_low`, `${m}_ci_high`, ...quantiles.map((q) => `${m}_${quantileName(q)}`));
  if (baseline) for (const m of metrics) summary.push(`${m}_diff_n`, `${m}_diff_mean`, `${m}_diff_sd`, `${m}_diff_ci_low`, `${m}_diff_ci_high`);
  return { runs: ['run_id', 'point_id', 'replicate', 'seed', ...parameters, ...metrics, 'status', 'error'], summary };
}

export function tables(plan: Plan, meta: SweepMeta, outcomes: ReadonlyMap<number, RunOutcome>, summary: PointSummary[]): Tables {
  const metrics = Object.keys(meta.metrics);
  const cols = tableColumns(plan.parameters, metrics, plan.baseline >= 0, meta.quantiles);
  const runRows: (string | number)[][] = [];
  for (const run of plan.runs) {
    const o = outcomes.get(run.id);
    if (o === undefined) continue;
    const values = plan.points[run.point]!.values;
    runRows.push([run.id, run.point, run.replicate, run.seed, ...plan.parameters.map((p) => cell(values[p])), ...metrics.map((m) => (o.status === 'ok' ? num(o.metrics[m]) : '')), o.status, o.error ?? '']);
  }
  const sumRows = summary.map((s) => {
    const values = plan.points[s.point]!.values;
    const row: (string | number)[] = [s.point, ...plan.parameters.map((p) => cell(values[p])), s.runs, s.failed];
    for (const m of metrics) {
      const st = s.stats[m]!;
      row.push(st.n, num(st.mean), num(st.sd), num(st.ciLow), num(st.ciHigh), ...(s.quantiles?.[m] ?? []).map(num));
    }
    if (s.diffs !== null)
      for (const m of metrics) {
        const d = s.diffs[m]!;
        row.push(d.n, num(d.mean), num(d.sd), num(d.ciLow), num(d.ciHigh));
      }
    return row;
  });
  const counts = metrics.flatMap((m) => [`${m}_n`, `${m}_diff_n`]);
  return {
    runs: { columns: cols.runs, rows: runRows, integers: ['run_id', 'point_id', 'replicate', 'seed'] },
    summary: { columns: cols.summary, rows: sumRows, integers: ['point_id', 'runs', 'failed', ...counts.filter((c) => cols.summary.includes(c))] },
  };
}

/**
 * A table as Parquet, typed as DuckDB or pandas would read the CSV: ids, seeds and counts INT64,
 * other numeric columns DOUBLE, the rest UTF-8 text; an empty cell is null in every column.
 */
export function parquet(t: Table): ArrayBuffer {
  return parquetWriteBuffer({
    columnData: t.columns.map((name, j) => {
      const data = t.rows.map((r) => r[j]!);
      if (t.integers.includes(name)) return { name, data: data.map((x) => (x === '' ? null : BigInt(x))), type: 'INT64' as const };
      // `status` and `error` are text even when every error is empty (else an all-null DOUBLE).
      const numeric = name !== 'status' && name !== 'error' && data.every((x) => typeof x === 'number' || x === '');
      return numeric
        ? { name, data: data.map((x) => (x === '' ? null : (x as number))), type: 'DOUBLE' as const }
        : { name, data: data.map((x) => (x === '' ? null : String(x))), type: 'STRING' as const };
    }),
  });
}

export function writeOutputs(dir: string, plan: Plan, meta: SweepMeta, outcomes: ReadonlyMap<number, RunOutcome>, summary: PointSummary[], html: string, shard: ShardOf | null = null): Tables {
  const t = tables(plan, meta, outcomes, summary);
  atomic(join(dir, 'runs.csv'), stringify([t.runs.columns, ...t.runs.rows]));
  atomic(join(dir, 'summary.csv'), stringify([t.summary.columns, ...t.summary.rows]));
  atomic(join(dir, 'runs.parquet'), new Uint8Array(parquet(t.runs)));
  atomic(join(dir, 'summary.parquet'), new Uint8Array(parquet(t.summary)));
  const timing = plan.runs.flatMap((r) => {
    const o = outcomes.get(r.id);
    return o === undefined ? [] : [[r.id, o.wallSeconds]];
  });
  atomic(join(dir, 'timing.csv'), stringify([['run_id', 'wall_seconds'], ...timing]));
  writeSweepJson(dir, plan, meta, outcomes, shard);
  atomic(join(dir, 'sweep.html'), html);
  return t;
}

/** The slice of the runs a folder was written for (`--shard I/N`): run r belongs to shard r mod N. */
export interface ShardOf {
  index: number;
  count: number;
}

/**
 * sweep.json: what was swept, with the counts of finished and failed runs, and for a shard folder
 * which shard (for `merge` to name the shards it lacks). Written (atomically) before the first run
 * too, so that a sweep killed at any moment leaves its identity behind for `--resume` to check.
 */
export function writeSweepJson(dir: string, plan: Plan, meta: SweepMeta, outcomes: ReadonlyMap<number, RunOutcome>, shard: ShardOf | null = null): void {
  const failed = [...outcomes.values()].filter((o) => o.status === 'failed').length;
  const slice = shard === null ? {} : { shard: { index: shard.index, count: shard.count } };
  atomic(join(dir, 'sweep.json'), `${JSON.stringify({ ...meta, completed: outcomes.size, failed, ...slice, pointValues: plan.points.map((p) => p.values) }, null, 2)}\n`);
}
