/**
 * The aggregate per parameter point: for each metric the number of runs, mean, sample standard
 * deviation and a 95% confidence interval of the mean (Student t); and, when the sweep names a
 * baseline point, the same for the paired differences against it — replicate r of every point uses
 * the same seed, so differences cancel the shared randomness (common random numbers). With random
 * or Latin-hypercube parameters each point is paired with the baseline point of its own draw.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { baselineOf, type Plan } from './plan';
import type { RunOutcome } from './execute';

export interface Stat {
  n: number;
  mean: number;
  sd: number;
  ciLow: number;
  ciHigh: number;
}

export function describe(xs: readonly number[]): Stat {
  const n = xs.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, ciLow: NaN, ciHigh: NaN };
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= n;
  if (n === 1) return { n, mean, sd: NaN, ciLow: NaN, ciHigh: NaN };
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  const sd = Math.sqrt(ss / (n - 1));
  const half = tQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, ciLow: mean - half, ciHigh: mean + half };
}

/**
 * The q-quantile of a sample, linearly interpolated between order statistics (Hyndman and Fan's
 * type 7: R's default, numpy's `linear`): h = (n − 1)·q, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
 */
export function quantile(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  return lo + 1 < n ? a + (h - lo) * (sorted[lo + 1]! - a) : a;
}

/** The column suffix of a quantile: 0.05 → q5, 0.5 → q50, 0.025 → q2_5. */
export function quantileName(q: number): string {
  return `q${String(Math.round(q * 1e6) / 1e4).replace('.', '_')}`;
}

/** A metric's value as a list of one, or empty when the run has none (null in the journal, NaN). */
const finite = (v: number | null | undefined): number[] => (typeof v === 'number' && Number.isFinite(v) ? [v] : []);

export interface PointSummary {
  point: number;
  runs: number;
  failed: number;
  stats: Record<string, Stat>;
  /** Per metric, the quantiles of its values across the point's replicates (the sweep's `quantiles`, in order). */
  quantiles?: Record<string, number[]>;
  /** Paired differences against the baseline point, by metric (absent without a baseline). */
  diffs: Record<string, Stat> | null;
}

export function aggregate(plan: Plan, metrics: readonly string[], outcomes: ReadonlyMap<number, RunOutcome>, quantiles: readonly number[] = []): PointSummary[] {
  const byPoint = new Map<number, RunOutcome[]>();
  for (const run of plan.runs) {
    const o = outcomes.get(run.id);
    if (o === undefined) continue;
    let list = byPoint.get(run.point);
    if (list === undefined) byPoint.set(run.point, (list = []));
    list.push(o);
  }
  const replicateOf = new Map(plan.runs.map((r) => [r.id, r.replicate]));
  // The baseline point's successful runs by replicate, per baseline point (one per draw).
  const bases = new Map<number, Map<number, RunOutcome>>();
  const baseRuns = (b: number): Map<number, RunOutcome> => {
    let m = bases.get(b);
    if (m === undefined) bases.set(b, (m = new Map((byPoint.get(b) ?? []).filter((o) => o.status === 'ok').map((o) => [replicateOf.get(o.id)!, o]))));
    return m;
  };
  return plan.points.map((p) => {
    const runs = byPoint.get(p.id) ?? [];
    const ok = runs.filter((o) => o.status === 'ok');
    const stats: Record<string, Stat> = {};
    // Over the runs that have a value: a metric a run could not resolve, or NaN, is left out (n says how many).
    const qs: Record<string, number[]> = {};
    for (const m of metrics) {
      const xs = ok.flatMap((o) => finite(o.metrics[m]));
      stats[m] = describe(xs);
      if (quantiles.length > 0) {
        const sorted = [...xs].sort((a, b) => a - b);
        qs[m] = quantiles.map((q) => quantile(sorted, q));
      }
    }
    let diffs: Record<string, Stat> | null = null;
    if (plan.baseline >= 0) {
      const base = baseRuns(baselineOf(plan, p.id));
      diffs = {};
      for (const m of metrics) {
        const d: number[] = [];
        for (const o of ok) {
          const b = base.get(replicateOf.get(o.id)!);
          const x = finite(o.metrics[m]);
          const y = finite(b?.metrics[m]);
          if (x.length === 1 && y.length === 1) d.push(x[0]! - y[0]!);
        }
        diffs[m] = describe(d);
      }
    }
    return { point: p.id, runs: runs.length, failed: runs.length - ok.length, stats, ...(quantiles.length > 0 ? { quantiles: qs } : {}), diffs };
  });
}

