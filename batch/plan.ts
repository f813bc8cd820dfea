/**
 * Expanding a sweep into runs, deterministically: points are (explicit points) × (grid product) ×
 * (samples of the random and Latin-hypercube parameters); each point runs `replicates` times with
 * seeds seed, seed + 1, …, the same at every point (common random numbers, so comparisons across
 * points are paired). Run id = point × replicates + replicate.
 *
 * The baseline names the grid and explicit-point values of one (explicit × grid) combination; with
 * random or Latin-hypercube parameters that combination has one point per draw, and every point is
 * compared with the baseline point of its own draw — paired in the drawn values as in the seeds.
 */
import { Stream } from '../sim/rng';
import type { SweepFile } from './sweep-schema';

export type Values = Record<string, unknown>;

export interface Point {
  id: number;
  values: Values;
}

export interface Run {
  id: number;
  point: number;
  replicate: number;
  seed: number;
}

export interface Plan {
  points: Point[];
  runs: Run[];
  /** Parameter paths, in column order. */
  parameters: string[];
  /** The baseline point's id (of the first draw); -1 if none matches, -2 if several do. */
  baseline: number;
  /** Points per (explicit × grid) combination: the number of draws, 1 without random parameters. */
  draws: number;
}

/** The baseline point that point `id` is compared with (the same draw), or -1 without a baseline. */
export function baselineOf(plan: Pick<Plan, 'baseline' | 'draws'>, id: number): number {
  return plan.baseline < 0 ? -1 : plan.baseline + (id % plan.draws);
}

function product(axes: [string, unknown[]][]): Values[] {
  let out: Values[] = [{}];
  for (const [path, values] of axes) out = out.flatMap((p) => values.map((v) => ({ ...p, [path]: v })));
  return out;
}

/** Random and Latin-hypercube parameter values, one assignment per sample. */
function samples(sweep: SweepFile): Values[] {
  const specs = Object.entries(sweep.parameters).filter(([, p]) => !('values' in p));
  if (specs.length === 0) return [{}];
  const n = sweep.samples ?? 0;
  const salt = sweep.seedSalt ?? sweep.seed;
  const out: Values[] = Array.from({ length: n }, () => ({}));
  for (const [path, p] of specs) {
    // One stream per parameter: adding a parameter leaves the others' draws unchanged.
    const rng = new Stream(salt, `sweep:${path}`);
    if ('uniform' in p) for (const v of out) v[path] = p.uniform[0] + (p.uniform[1] - p.uniform[0]) * rng.uniform();
    else if ('logUniform' in p) {
      const [a, b] = p.logUniform.map(Math.log) as [number, number];
      for (const v of out) v[path] = Math.exp(a + (b - a) * rng.uniform());
    } else {
      // Latin hypercube: a random permutation of the n strata, a uniform point inside each.
      const log = 'lhsLog' in p;
      const [lo, hi] = ('lhsLog' in p ? p.lhsLog : 'lhs' in p ? p.lhs : [0, 1]).map((x) => (log ? Math.log(x) : x)) as [number, number];
      const strata = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [strata[i], strata[j]] = [strata[j]!, strata[i]!];
      }
      out.forEach((v, i) => {
        const x = lo + ((strata[i]! + rng.uniform()) / n) * (hi - lo);
        v[path] = log ? Math.exp(x) : x;
      });
    }
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function planSweep(sweep: SweepFile): Plan {
  const grid = product(Object.entries(sweep.parameters).flatMap(([path, p]) => ('values' in p ? [[path, p.values] as [string, unknown[]]] : [])));
  const explicit = sweep.points ?? [{}];
  const drawn = samples(sweep);
  const values: Values[] = [];
  for (const e of explicit) for (const g of grid) for (const s of drawn) values.push({ ...e, ...g, ...s });
  const points = values.map((v, id) => ({ id, values: v }));
  const parameters = [...new Set(values.flatMap((v) => Object.keys(v)))];
  const runs: Run[] = [];
  for (const p of points) for (let r = 0; r < sweep.replicates; r++) runs.push({ id: p.id * sweep.replicates + r, point: p.id, replicate: r, seed: sweep.seed + r });
  // Draws vary fastest: point id = combination × draws + draw.
  const draws = Math.max(1, drawn.length);
  let baseline = -1;
  if (sweep.baseline) {
    const b = sweep.baseline;
    const matches = points.filter((p) => p.id % draws === 0 && Object.entries(b).every(([k, v]) => same(p.values[k], v)));
    // Several matching combinations (the baseline leaves a grid or point parameter unnamed) is as bad as none.
    baseline = matches.length === 1 ? matches[0]!.id : matches.length > 1 ? -2 : -1;
  }
  return { points, runs, parameters, baseline, draws };
}
