/**
 * Objectives of a study: what "best" means for a metric's values across replicates (common random
 * numbers: replicate r of every strategy ran with the same seed), and which strategies are
 * statistically indistinguishable from the best.
 *
 * Every objective is the mean of per-run scores, so that two strategies compare by paired
 * differences of scores, replicate by replicate:
 * - `mean`: the score is the value x.
 * - `meanVariance` (λ): x − λ·(x − x̄)²·n/(n − 1); their mean is x̄ − λ·s² (s² the sample variance).
 * - `cvar` (level α, the mean of the worst α fraction, the lower tail of a payoff): with v the
 *   empirical α-quantile x₍⌈αn⌉₎, v + min(x − v, 0)/α; their mean is Rockafellar and Uryasev's
 *   CVaR at v, which equals the fractional tail mean [Σ₍ᵢ≤ₖ₎ x₍ᵢ₎ + (αn − k)·x₍ₖ₊₁₎]/(αn), k = ⌊αn⌋.
 * - `sharpe` (mean/sd): the value plus its influence function,
 *   x̄/s + (x − x̄)/s − x̄·((x − x̄)²·n/(n − 1) − s²)/(2s³); their mean is x̄/s.
 * For the last two the scores' paired t-test is a first-order (delta-method) test.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

export type Objective = { kind: 'mean' } | { kind: 'meanVariance'; lambda: number } | { kind: 'cvar'; level: number } | { kind: 'sharpe' };

export function objectiveName(o: Objective): string {
  switch (o.kind) {
    case 'mean':
      return 'mean';
    case 'meanVariance':
      return `mean − ${o.lambda}·variance`;
    case 'cvar':
      return `CVaR ${o.level}`;
    case 'sharpe':
      return 'mean / sd';
  }
}

const meanOf = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Per-run scores whose mean is the objective (see the module comment). Needs n ≥ 2 but for `mean`. */
export function scores(xs: readonly number[], o: Objective): number[] {
  const n = xs.length;
  if (n === 0) return [];
  const m = meanOf(xs);
  if (o.kind === 'mean') return [...xs];
  if (n < 2) return xs.map(() => NaN);
  const ss = xs.reduce((a, x) => a + (x - m) ** 2, 0);
  const s2 = ss / (n - 1);
  const k = n / (n - 1);
  switch (o.kind) {
    case 'meanVariance':
      return xs.map((x) => x - o.lambda * (x - m) ** 2 * k);
    case 'cvar': {
      const sorted = [...xs].sort((a, b) => a - b);
      const v = sorted[Math.max(0, Math.ceil(o.level * n) - 1)]!;
      return xs.map((x) => v + Math.min(x - v, 0) / o.level);
    }
    case 'sharpe': {
      const s = Math.sqrt(s2);
      return xs.map((x) => m / s + (x - m) / s - (m * ((x - m) ** 2 * k - s2)) / (2 * s ** 3));
    }
  }
}

/** The objective of a sample: the mean of its scores. */
export function objective(xs: readonly number[], o: Objective): number {
  const s = scores(xs, o);
  return s.length === 0 ? NaN : meanOf(s);
}

export interface Paired {
  n: number;
  /** Mean of the paired differences a − b. */
  mean: number;
  sd: number;
  /** 95 % confidence interval of the mean difference (Student t, n − 1 degrees of freedom). */
  ciLow: number;
  ciHigh: number;
  t: number;
  /** Two-sided p-value of "the mean difference is 0". */
  p: number;
}

/** Paired t-test of differences d (a − b, replicate by replicate). */
export function pairedTest(d: readonly number[]): Paired {
  const n = d.length;
  if (n < 2) return { n, mean: n === 1 ? d[0]! : NaN, sd: NaN, ciLow: NaN, ciHigh: NaN, t: NaN, p: NaN };
  const mean = meanOf(d);
  const sd = Math.sqrt(d.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const se = sd / Math.sqrt(n);
  const half = tQuantile(0.975, n - 1) * se;
  // Identical differences (a constant shift, or none): certain, not undefined.
  if (se === 0) return { n, mean, sd, ciLow: mean, ciHigh: mean, t: mean === 0 ? 0 : Math.sign(mean) * Infinity, p: mean === 0 ? 1 : 0 };
  const t = mean / se;
  return { n, mean, sd, ciLow: mean - half, ciHigh: mean + half, t, p: 2 * (1 - tCdf(Math.abs(t), n - 1)) };
}

/**
 * Holm's step-down procedure: which of the hypotheses with p-values `p` are rejected at family-wise
 * level `alpha`. Sorted ascending, p₍ᵢ₎ is rejected while p₍ᵢ₎ ≤ alpha/(m − i + 1) (i from 1); the
 * first that is not stops it, and it and every larger one stand. NaN p-values are never rejected.
 */
export function holm(p: readonly number[], alpha = 0.05): boolean[] {
  const m = p.length;
  const order = p.map((x, i) => [x, i] as const).sort((a, b) => (Number.isNaN(a[0]) ? 1 : Number.isNaN(b[0]) ? -1 : a[0] - b[0] || a[1] - b[1]));
  const rejected = p.map(() => false);
  for (let i = 0; i < m; i++) {
    const [x, j] = order[i]!;
    if (!(x <= alpha / (m - i))) break;
    rejected[j] = true;
  }
  return rejected;
}

/**
 * A confidence interval consistent with Holm's decisions: at the per-comparison level of the step
 * that decided it (`level` = 1 − alpha/(m − i + 1) for the i-th smallest p-value; for every
 * comparison at or past the step where the procedure stopped, that step's level). It excludes 0
 * exactly when Holm rejects (t-test duality), so "indistinguishable" ⇔ the interval contains 0.
 */
export interface HolmInterval {
  level: number;
  ciLow: number;
  ciHigh: number;
}

/** The paired difference's interval at confidence `level` (Student t, as `pairedTest`'s 95 %). */
export function pairedInterval(t: Paired, level: number): { ciLow: number; ciHigh: number } {
  if (!(t.n >= 2)) return { ciLow: NaN, ciHigh: NaN };
  const half = t.sd === 0 ? 0 : tQuantile(1 - (1 - level) / 2, t.n - 1) * (t.sd / Math.sqrt(t.n));
  return { ciLow: t.mean - half, ciHigh: t.mean + half };
}

/**
 * Holm's per-comparison confidence levels (see `HolmInterval`): NaN p-values, never rejected, get
 * the level of the step where the procedure stopped like any other comparison that stands.
 */
export function holmLevels(p: readonly number[], alpha = 0.05): number[] {
  const m = p.length;
  const order = p.map((x, i) => [x, i] as const).sort((a, b) => (Number.isNaN(a[0]) ? 1 : Number.isNaN(b[0]) ? -1 : a[0] - b[0] || a[1] - b[1]));
  const levels = p.map(() => NaN);
  let stopped = -1;
  for (let i = 0; i < m; i++) {
    const [x, j] = order[i]!;
    if (stopped < 0 && !(x <= alpha / (m - i))) stopped = i;
    levels[j] = 1 - alpha / (m - (stopped < 0 ? i : stopped));
  }
  return levels;
}

export interface Comparison {
  /** The strategy's objective. */
  value: number;
  /** Paired comparison of its scores with the best's (this − best); null for the best itself. */
  vsBest: Paired | null;
  /** The same difference's Holm-consistent interval (contains 0 ⇔ indistinguishable); null for the best. */
  vsBestHolm: HolmInterval | null;
  /** Not distinguishable from the best: the best, or its paired test not rejected after Holm's correction. */
  indistinguishable: boolean;
}

/**
 * Which strategy is best and which are statistically indistinguishable from it: `values[i][r]` is
 * strategy i's metric in replicate r (NaN where the run has none; such replicates are left out of
 * that pair). The best is the highest objective (the first on a tie); every other is compared with
 * it by a two-sided paired t-test on scores at 5 %, with Holm's correction across the comparisons.
 */
export function compareStrategies(values: readonly (readonly number[])[], o: Objective, alpha = 0.05): { best: number; comparisons: Comparison[] } {
  const finite = values.map((xs) => xs.filter(Number.isFinite));
  const objectives = finite.map((xs) => objective(xs, o));
  let best = -1;
  objectives.forEach((v, i) => {
    if (Number.isFinite(v) && (best < 0 || v > objectives[best]!)) best = i;
  });
  if (best < 0) return { best, comparisons: objectives.map((value) => ({ value, vsBest: null, vsBestHolm: null, indistinguishable: false })) };
  // Scores from each strategy's own replicates; pairs where both have a value.
  const scored = values.map((xs, i) => {
    const s = scores(finite[i]!, o);
    let k = 0;
    return xs.map((x) => (Number.isFinite(x) ? s[k++]! : NaN));
  });
  const tests = values.map((_, i) => {
    if (i === best) return null;
    const d: number[] = [];
    scored[i]!.forEach((x, r) => {
      const y = scored[best]![r];
      if (Number.isFinite(x) && y !== undefined && Number.isFinite(y)) d.push(x - y);
    });
    return pairedTest(d);
  });
  const others = tests.flatMap((t, i) => (t === null ? [] : [i]));
  const ps = others.map((i) => tests[i]!.p);
  const rejected = holm(ps, alpha);
  const levels = holmLevels(ps, alpha);
  const distinct = new Set(others.filter((_, k) => rejected[k]));
  const holmCi = new Map(others.map((i, k) => [i, { level: levels[k]!, ...pairedInterval(tests[i]!, levels[k]!) }]));
  return { best, comparisons: objectives.map((value, i) => ({ value, vsBest: tests[i]!, vsBestHolm: holmCi.get(i) ?? null, indistinguishable: i === best || !distinct.has(i) })) };
}
