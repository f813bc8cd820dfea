/**
 * A sweep's results for the sweep viewer: read from the data inlined in sweep.html or from
 * sweep.json + summary.csv, then cut into heatmap cells (a metric over two parameters, the others
 * held at chosen values) and lines with confidence bands (a metric against one parameter, one
 * line per value of another).
 */
import { csvParseRows } from 'd3';
import { fail } from './errors';

export interface Stat {
  n: number;
  mean: number;
  sd: number;
  ciLow: number;
  ciHigh: number;
}

export interface PointResult {
  point: number;
  runs: number;
  failed: number;
  stats: Record<string, Stat>;
  diffs: Record<string, Stat> | null;
}

export interface SweepData {
  meta: { name: string; parameters: string[]; metrics: Record<string, string>; replicates: number; runs: number; /** The baseline's point index (-1 or absent: none). */
    baseline?: number; units?: Record<string, string> };
  points: Record<string, unknown>[];
  summary: PointResult[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkSweep(v: unknown): SweepData {
  if (!isObj(v) || !isObj(v.meta) || !Array.isArray(v.points) || !Array.isArray(v.summary)) fail('this is not a hedgesim sweep (meta, points and summary expected)');
  const meta = v.meta;
  if (typeof meta.name !== 'string' || !Array.isArray(meta.parameters) || !isObj(meta.metrics)) fail('the sweep description is malformed');
  for (const [i, s] of v.summary.entries()) {
    if (!isObj(s) || typeof s.point !== 'number' || !isObj(s.stats)) fail(`sweep point ${i} is malformed`);
    if (!isObj(v.points[s.point])) fail(`sweep point ${s.point} has no parameter values`);
  }
  return v as unknown as SweepData;
}

/** The same data from sweep.json and summary.csv (as `hedgesim view` serves a sweep folder). */
export function fromSweepFiles(sweepJson: unknown, summaryCsv: string): SweepData {
  if (!isObj(sweepJson) || !Array.isArray(sweepJson.pointValues)) fail('sweep.json is malformed (no pointValues)');
  const rows = csvParseRows(summaryCsv.trimEnd());
  const header = rows.shift() ?? fail('summary.csv is empty');
  const at = (r: string[], name: string): number => {
    const j = header.indexOf(name);
    return j < 0 || r[j] === '' || r[j] === undefined ? NaN : Number(r[j]);
  };
  const metrics = Object.keys(isObj(sweepJson.metrics) ? sweepJson.metrics : {});
  const stat = (r: string[], prefix: string, n: number): Stat => ({ n, mean: at(r, `${prefix}_mean`), sd: at(r, `${prefix}_sd`), ciLow: at(r, `${prefix}_ci_low`), ciHigh: at(r, `${prefix}_ci_high`) });
  const summary = rows.map((r, i): PointResult => {
    if (r.length !== header.length) fail(`summary.csv: line ${i + 2} has ${r.length} values instead of ${header.length} (is the file truncated?)`);
    const runs = at(r, 'runs');
    const failed = at(r, 'failed');
    const n = runs - failed;
    const hasDiffs = header.some((h) => h.endsWith('_diff_mean'));
    return {
      point: at(r, 'point_id'),
      runs,
      failed,
      // Each metric's own count of values (`_n`; older files: the successful runs).
      stats: Object.fromEntries(metrics.map((m) => [m, stat(r, m, header.includes(`${m}_n`) ? at(r, `${m}_n`) : n)])),
      // The paired differences count only replicates that succeeded at both points (`_diff_n`).
      diffs: hasDiffs ? Object.fromEntries(metrics.map((m) => [m, stat(r, `${m}_diff`, header.includes(`${m}_diff_n`) ? at(r, `${m}_diff_n`) : n)])) : null,
    };
  });
  return checkSweep({ meta: sweepJson, points: sweepJson.pointValues, summary });
}

/** A parameter's unit as sweep.json names it (from the scenario schema), or '' (none, or an older sweep). */
export function paramUnit(d: SweepData, p: string): string {
  const u = isObj(d.meta.units) ? d.meta.units[p] : undefined;
  return typeof u === 'string' ? u : '';
}

/** Parameters that take at least two distinct values across the points. */
export function variedParameters(d: SweepData): string[] {
  return d.meta.parameters.filter((p) => new Set(d.points.map((v) => JSON.stringify(v[p]))).size > 1);
}

/** Distinct values of a parameter, numbers ascending, others in order of appearance. */
export function valuesOf(d: SweepData, p: string): unknown[] {
  const seen = new Map<string, unknown>();
  for (const v of d.points) seen.set(JSON.stringify(v[p]), v[p]);
  const vals = [...seen.values()];
  return vals.every((v) => typeof v === 'number') ? (vals as number[]).sort((a, b) => a - b) : vals;
}

export type Which = 'mean' | 'diff';

export interface Cell {
  point: number;
  x: unknown;
  y: unknown;
  stat: Stat;
  /** The point's finished and failed runs (for saying why a cell has no data). */
  runs: number;
  failed: number;
}

/** Whether a point has a value to draw (a finite mean); the others are drawn as 'no data'. */
export const hasData = (st: Stat): boolean => typeof st.mean === 'number' && Number.isFinite(st.mean);

/** Why a point has no value, in words, for its tooltip. */
export function noDataReason(p: { runs: number; failed: number }, which: Which): string {
  if (!(p.runs > 0)) return 'no data: none of its runs has finished (a partial result)';
  if (p.failed >= p.runs) return `no data: all ${p.runs} runs failed (errors in runs.csv)`;
  if (which === 'diff') return 'no data: no replicate succeeded with a value both here and at the baseline';
  return `no data: none of its ${p.runs - p.failed} successful runs has a value for this metric (see runs.csv)`;
}

/** Finished and failed runs over the whole sweep, and how many of the planned runs are missing. */
export function runCounts(d: SweepData): { finished: number; failed: number; missing: number } {
  const finished = d.summary.reduce((n, s) => n + (Number.isFinite(s.runs) ? s.runs : 0), 0);
  const failed = d.summary.reduce((n, s) => n + (Number.isFinite(s.failed) ? s.failed : 0), 0);
  return { finished, failed, missing: Math.max(0, d.meta.runs - finished) };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function statOf(s: PointResult, metric: string, which: Which): Stat | undefined {
  return which === 'diff' ? s.diffs?.[metric] : s.stats[metric];
}

/** One cell per point whose other parameters equal `fixed`. */
export function heatCells(d: SweepData, metric: string, px: string, py: string, fixed: Record<string, unknown>, which: Which = 'mean'): Cell[] {
  const out: Cell[] = [];
  for (const s of d.summary) {
    const v = d.points[s.point]!;
    if (!Object.entries(fixed).every(([p, val]) => p === px || p === py || same(v[p], val))) continue;
    const stat = statOf(s, metric, which);
    if (stat !== undefined) out.push({ point: s.point, x: v[px], y: v[py], stat, runs: s.runs, failed: s.failed });
  }
  return out;
}

export interface Line {
  /** Value of the grouping parameter (undefined with none). */
  key: unknown;
  points: { x: number; stat: Stat; point: number; runs: number; failed: number }[];
}

/** The metric against numeric parameter `px`: one line per value of `group`, others held at `fixed`. */
export function lines(d: SweepData, metric: string, px: string, group: string | null, fixed: Record<string, unknown>, which: Which = 'mean'): Line[] {
  const byKey = new Map<string, Line>();
  for (const s of d.summary) {
    const v = d.points[s.point]!;
    const x = v[px];
    if (typeof x !== 'number') continue;
    if (!Object.entries(fixed).every(([p, val]) => p === px || p === group || same(v[p], val))) continue;
    const stat = statOf(s, metric, which);
    if (stat === undefined) continue;
    const key = group === null ? undefined : v[group];
    const k = JSON.stringify(key) ?? '';
    const line = byKey.get(k) ?? { key, points: [] };
    line.points.push({ x, stat, point: s.point, runs: s.runs, failed: s.failed });
    byKey.set(k, line);
  }
  const out = [...byKey.values()];
  for (const l of out) l.points.sort((a, b) => a.x - b.x);
  if (out.every((l) => typeof l.key === 'number')) out.sort((a, b) => (a.key as number) - (b.key as number));
  return out;
}

/** The baseline point's index, or undefined when the sweep names none. */
export function baselinePoint(d: SweepData): number | undefined {
  const b = d.meta.baseline;
  return typeof b === 'number' && b >= 0 && b < d.points.length ? b : undefined;
}

/** The coefficient of variation of the gaps between consecutive values. */
function unevenness(v: readonly number[]): number {
  const gaps = v.slice(1).map((x, i) => x - v[i]!);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
  return mean > 0 ? sd / mean : Infinity;
}

/**
 * Whether a parameter's values are log-spaced, to be drawn on a log axis: at least three, all
 * positive, spanning at least a factor of 10, and more evenly spaced in log than linearly
 * (0.01, 0.02, 0.05, 0.1, 0.2 are; 1,000, 2,000, 3,000 are not).
 */
export function logSpaced(values: readonly number[]): boolean {
  const v = [...new Set(values)].sort((a, b) => a - b);
  if (v.length < 3 || !(v[0]! > 0) || v.at(-1)! / v[0]! < 10) return false;
  return unevenness(v.map(Math.log)) < unevenness(v);
}
