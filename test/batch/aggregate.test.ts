/**
 * The aggregate per point (batch/aggregate.ts): n, mean, sample sd and a 95 % Student-t confidence
 * interval, checked against values computed by hand; paired differences against the baseline,
 * matched by replicate, which cancel the randomness the points share (common random numbers).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aggregate, describe as stat } from '../../batch/aggregate';
import type { RunOutcome } from '../../batch/execute';
import { tables, type SweepMeta } from '../../batch/outputs';
import { baselineOf, planSweep } from '../../batch/plan';
import { runSweep } from '../../batch/sweep';
import { sweepSchema } from '../../batch/sweep-schema';
import { BASE, edit, SWEEP } from './fixtures';

/** Student-t 0.975 quantiles, from tables. */
const T975: Record<number, number> = { 1: 12.706205, 2: 4.302653, 3: 3.182446, 8: 2.306004, 9: 2.262157 };

function byHand(xs: number[]): { mean: number; sd: number; low: number; high: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const half = T975[n - 1]! * (sd / Math.sqrt(n));
  return { mean, sd, low: mean - half, high: mean + half };
}

describe('the statistics of a sample', () => {
  it.each([
    [[2, 4, 4, 5], 3.75, 1.2583057, 1.747755, 5.752245],
    [[10, 14], 12, 2.8284271, -13.412409, 37.412409],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 3.0276504, 3.334149, 7.665851],
  ])('of %j are the mean, sample sd and 95-percent t interval computed by hand', (xs, mean, sd, low, high) => {
    const s = stat(xs);
    const h = byHand(xs);
    expect(s.n).toBe(xs.length);
    expect(s.mean).toBeCloseTo(mean, 9);
    expect(s.sd).toBeCloseTo(sd, 6);
    expect(s.ciLow).toBeCloseTo(low, 5);
    expect(s.ciHigh).toBeCloseTo(high, 5);
    expect(s.ciLow).toBeCloseTo(h.low, 5);
    expect(s.ciHigh).toBeCloseTo(h.high, 5);
  });

  it('has a zero-width interval when every value is the same', () => {
    expect(stat([7, 7, 7])).toEqual({ n: 3, mean: 7, sd: 0, ciLow: 7, ciHigh: 7 });
  });

  it('of no values has n = 0 and nothing else', () => {
    const s = stat([]);
    expect(s.n).toBe(0);
    for (const v of [s.mean, s.sd, s.ciLow, s.ciHigh]) expect(v).toBeNaN();
  });

  it('of one value has its mean but no sd and no interval', () => {
    const s = stat([3.5]);
    expect(s.n).toBe(1);
    expect(s.mean).toBe(3.5);
    for (const v of [s.sd, s.ciLow, s.ciHigh]) expect(v).toBeNaN();
  });
});

describe('the aggregate of a sweep', () => {
  // Effects 0 (the baseline), +5 and −3; ten replicates (seeds 1…10).
  const file = sweepSchema.parse({ name: 's', scenario: 'b.yaml', seed: 1, replicates: 10, parameters: { effect: { values: [0, 5, -3] } }, metrics: { m: 'x', n: 'y' }, baseline: { effect: 0 } });
  const plan = planSweep(file);
  // Shared noise: a large deterministic function of the seed, the same at every point; plus a tiny
  // idiosyncratic part per run.
  const shared = (seed: number) => 1000 * Math.sin(seed * 12.9898);
  const metric = (runId: number) => {
    const run = plan.runs[runId]!;
    return shared(run.seed) + (plan.points[run.point]!.values.effect as number) + 0.01 * Math.cos(runId * 7.1);
  };
  const ok = (id: number): RunOutcome => ({ id, status: 'ok', metrics: { m: metric(id), n: id }, error: null, wallSeconds: 0 });
  const failed = (id: number): RunOutcome => ({ id, status: 'failed', metrics: {}, error: 'Error: boom', wallSeconds: 0 });

  it('gives paired differences tight around the effect while the means are wide', () => {
    // Inserted in reverse order: the pairing is by replicate, not by arrival.
    const outcomes = new Map([...plan.runs].reverse().map((r) => [r.id, ok(r.id)] as const));
    const summary = aggregate(plan, ['m', 'n'], outcomes);
    expect(summary.map((s) => [s.point, s.runs, s.failed])).toEqual([[0, 10, 0], [1, 10, 0], [2, 10, 0]]);
    for (const [i, effect] of [[0, 0], [1, 5], [2, -3]] as const) {
      const s = summary[i]!;
      const mean = s.stats.m!;
      const diff = s.diffs!.m!;
      expect(mean.ciHigh - mean.ciLow).toBeGreaterThan(500);
      expect(diff.n).toBe(10);
      expect(diff.mean).toBeCloseTo(effect, 1);
      expect(diff.ciLow).toBeLessThanOrEqual(effect + 1e-9);
      expect(diff.ciHigh).toBeGreaterThanOrEqual(effect - 1e-9);
      expect(diff.ciHigh - diff.ciLow).toBeLessThan(0.05);
    }
    // Metric n (the run id) differs by exactly 10 × point between matching replicates.
    expect(summary[2]!.diffs!.n).toMatchObject({ n: 10, mean: 20, sd: 0, ciLow: 20, ciHigh: 20 });
  });

  it('pairs only matching replicates when runs are missing or failed, and leaves failed runs out of the means', () => {
    const outcomes = new Map(plan.runs.map((r) => [r.id, ok(r.id)] as const));
    outcomes.set(3, failed(3)); // the baseline's replicate 3
    outcomes.delete(10 + 5); // point 1, replicate 5 never ran
    outcomes.set(20 + 0, failed(20)); // point 2, replicate 0
    const [s0, s1, s2] = aggregate(plan, ['m'], outcomes);
    expect([s0!.runs, s0!.failed, s1!.runs, s1!.failed, s2!.runs, s2!.failed]).toEqual([10, 1, 9, 0, 10, 1]);
    expect(s0!.stats.m!.n).toBe(9);
    expect(s1!.diffs!.m!.n).toBe(8); // no replicate 3 in the baseline, no 5 here
    expect(s2!.diffs!.m!.n).toBe(8); // no replicate 3 in the baseline, 0 failed here
    expect(s1!.diffs!.m!.ciHigh - s1!.diffs!.m!.ciLow).toBeLessThan(0.05);
    expect(s2!.diffs!.m!.mean).toBeCloseTo(-3, 1);
    const expected = byHand(plan.runs.filter((r) => r.point === 1 && r.replicate !== 5).map((r) => metric(r.id)));
    expect(s1!.stats.m!.mean).toBeCloseTo(expected.mean, 9);
    expect(s1!.stats.m!.ciLow).toBeCloseTo(expected.low, 4);
  });

  it('has no differences without a baseline', () => {
    const noBase = planSweep(sweepSchema.parse({ name: 's', scenario: 'b.yaml', replicates: 2, parameters: { effect: { values: [0, 5] } }, metrics: { m: 'x' } }));
    const summary = aggregate(noBase, ['m'], new Map(noBase.runs.map((r) => [r.id, ok(r.id)] as const)));
    expect(summary.every((s) => s.diffs === null)).toBe(true);
  });
});

describe('the paired-difference columns of summary.csv', () => {
  // Three replicates; point 0 is the baseline. Point 1's differences are [1, 2, 4]; point 2's
  // replicate 1 failed, so only replicates 0 and 2 pair: [4, 6].
  const file = sweepSchema.parse({ name: 's', scenario: 'b.yaml', replicates: 3, parameters: { effect: { values: [0, 1, 2] } }, metrics: { m: 'x' }, baseline: { effect: 0 } });
  const plan = planSweep(file);
  const values: (number | null)[][] = [[1, 2, 3], [2, 4, 7], [5, null, 9]];
  const outcomes = new Map(
    plan.runs.map((r) => {
      const v = values[r.point]![r.replicate]!;
      const o: RunOutcome = v === null ? { id: r.id, status: 'failed', metrics: {}, error: 'Error: boom', wallSeconds: 0 } : { id: r.id, status: 'ok', metrics: { m: v }, error: null, wallSeconds: 0 };
      return [r.id, o] as const;
    }),
  );
  const meta = { metrics: { m: 'x' } } as unknown as SweepMeta;
  const t = tables(plan, meta, outcomes, aggregate(plan, ['m'], outcomes)).summary;
  const col = (row: number, name: string) => t.rows[row]![t.columns.indexOf(name)];

  it('come after the means: n, mean, sd and the 95-percent interval of the differences', () => {
    expect(t.columns).toEqual(['point_id', 'effect', 'runs', 'failed', 'm_n', 'm_mean', 'm_sd', 'm_ci_low', 'm_ci_high', 'm_diff_n', 'm_diff_mean', 'm_diff_sd', 'm_diff_ci_low', 'm_diff_ci_high']);
  });

  it('hold the values computed by hand', () => {
    // [1, 2, 4]: mean 7/3, sd √(7/3), half-width t(0.975, 2) · sd / √3.
    expect(col(1, 'm_diff_n')).toBe(3);
    expect(col(1, 'm_diff_mean')).toBeCloseTo(7 / 3, 12);
    expect(col(1, 'm_diff_sd')).toBeCloseTo(1.5275252316519465, 12);
    expect(col(1, 'm_diff_ci_low')).toBeCloseTo(-1.4612497, 6);
    expect(col(1, 'm_diff_ci_high')).toBeCloseTo(6.1279164, 6);
    // [4, 6]: mean 5, sd √2, half-width t(0.975, 1) · √2 / √2 = 12.706205.
    expect([col(2, 'runs'), col(2, 'failed'), col(2, 'm_diff_n'), col(2, 'm_diff_mean')]).toEqual([3, 1, 2, 5]);
    expect(col(2, 'm_diff_sd')).toBeCloseTo(Math.SQRT2, 12);
    expect(col(2, 'm_diff_ci_low')).toBeCloseTo(5 - 12.706205, 5);
    expect(col(2, 'm_diff_ci_high')).toBeCloseTo(5 + 12.706205, 5);
    // The baseline against itself: three pairs, all zero.
    expect([col(0, 'm_diff_n'), col(0, 'm_diff_mean'), col(0, 'm_diff_sd'), col(0, 'm_diff_ci_low'), col(0, 'm_diff_ci_high')]).toEqual([3, 0, 0, 0, 0]);
  });

  it('leave the sd and interval empty for a single pair, and say n = 0 when nothing pairs', () => {
    const few = new Map(outcomes);
    for (const id of [3, 5]) few.delete(id); // point 1 keeps replicate 1 only
    for (const id of [6, 8]) few.set(id, { id, status: 'failed', metrics: {}, error: 'Error: boom', wallSeconds: 0 }); // point 2: nothing ok
    const u = tables(plan, meta, few, aggregate(plan, ['m'], few)).summary;
    const c = (row: number, name: string) => u.rows[row]![u.columns.indexOf(name)];
    expect([c(1, 'm_diff_n'), c(1, 'm_diff_mean'), c(1, 'm_diff_sd'), c(1, 'm_diff_ci_low')]).toEqual([1, 2, '', '']);
    expect([c(2, 'm_diff_n'), c(2, 'm_diff_mean'), c(2, 'm_diff_sd')]).toEqual([0, '', '']);
  });

  it('leave out a successful run without a value for the metric (unresolved, or NaN): m_n counts the values', () => {
    const gap = new Map(outcomes);
    gap.set(3, { id: 3, status: 'ok', metrics: { m: null }, error: 'metric m (x): no x', wallSeconds: 0 }); // point 1, replicate 0
    const u = tables(plan, meta, gap, aggregate(plan, ['m'], gap)).summary;
    const c = (row: number, name: string) => u.rows[row]![u.columns.indexOf(name)];
    // Point 1 keeps 4 and 7 (mean 5.5) and the pairs of replicates 1 and 2: 4 − 2, 7 − 3.
    expect([c(1, 'runs'), c(1, 'failed'), c(1, 'm_n'), c(1, 'm_mean'), c(1, 'm_diff_n'), c(1, 'm_diff_mean')]).toEqual([3, 0, 2, 5.5, 2, 3]);
    expect([c(0, 'm_n'), c(2, 'm_n')]).toEqual([3, 2]);
  });
});

describe('the baseline with random draws', () => {
  // A grid of 2 × 3 draws; the baseline names the grid value only.
  const file = sweepSchema.parse({ name: 's', scenario: 'b.yaml', replicates: 2, samples: 3, parameters: { g: { values: [0, 10] }, u: { uniform: [0, 1] } }, metrics: { m: 'x' }, baseline: { g: 0 } });
  const plan = planSweep(file);

  it('pairs each point with the baseline point of its own draw', () => {
    expect([plan.baseline, plan.draws]).toEqual([0, 3]);
    expect(plan.points.map((p) => baselineOf(plan, p.id))).toEqual([0, 1, 2, 0, 1, 2]);
    for (const p of plan.points) expect(plan.points[baselineOf(plan, p.id)]!.values.u).toBe(p.values.u);
  });

  it('gives differences that are the grid effect alone when a metric depends on the draw', () => {
    // m = 100 · u (the draw) + g (the grid value) + the replicate: only g differs within a pair.
    const outcomes = new Map(plan.runs.map((r) => {
      const v = plan.points[r.point]!.values as { g: number; u: number };
      return [r.id, { id: r.id, status: 'ok', metrics: { m: 100 * v.u + v.g + r.replicate }, error: null, wallSeconds: 0 } as RunOutcome] as const;
    }));
    const summary = aggregate(plan, ['m'], outcomes);
    for (const s of summary.slice(3)) expect(s.diffs!.m).toMatchObject({ n: 2, sd: 0 });
    for (const s of summary.slice(3)) expect(s.diffs!.m!.mean).toBeCloseTo(10, 12);
    for (const s of summary.slice(0, 3)) expect(s.diffs!.m).toMatchObject({ n: 2, mean: 0, sd: 0 });
  });
});

describe('common random numbers in a simulated sweep', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hedgesim-crn-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('give every point the same price path per replicate: price differences are exactly 0 though the price means vary widely', async () => {
    writeFileSync(join(dir, 'base.yaml'), BASE);
    writeFileSync(join(dir, 'crn.yaml'), edit(SWEEP, 'replicates: 3', 'replicates: 6'));
    const r = await runSweep(join(dir, 'crn.yaml'), { out: join(dir, 'out'), workers: 1 });
    expect(r.missing).toBe(0);
    expect([...r.outcomes.values()].every((o) => o.status === 'ok')).toBe(true);
    for (const s of r.summary) {
      const price = s.stats.price!;
      expect(price.n).toBe(6);
      expect(price.ciHigh - price.ciLow).toBeGreaterThan(1);
      expect(s.diffs!.price).toMatchObject({ n: 6, mean: 0, sd: 0, ciLow: 0, ciHigh: 0 });
    }
    // And the parameters do matter: the LP's fees differ between fee levels.
    const fees = new Set(r.summary.map((s) => s.stats.lp_fees!.mean.toFixed(6)));
    expect(fees.size).toBeGreaterThan(3);
  });
});
