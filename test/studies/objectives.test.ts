/** Objectives, the paired t-test and Holm's procedure against hand-computed and textbook values. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareStrategies, holm, holmLevels, objective, pairedInterval, pairedTest, scores } from '../../batch/objectives';

describe('objectives', () => {
  it('mean, mean − λ·variance, CVaR and mean/sd of a small sample', () => {
    const xs = [1, 2, 3, 4];
    expect(objective(xs, { kind: 'mean' })).toBe(2.5);
    // Sample variance (n − 1) of 1..4 is 5/3: 2.5 − 0.3·5/3 = 2.
    expect(objective(xs, { kind: 'meanVariance', lambda: 0.3 })).toBeCloseTo(2, 12);
    expect(objective(xs, { kind: 'sharpe' })).toBeCloseTo(2.5 / Math.sqrt(5 / 3), 12);
    // CVaR at 25 % of 4 values: the worst one; at 30 %: (1 + 0.2·2)/1.2 (the second weighted by the 0.2 left).
    expect(objective([5, 1, 3, 2], { kind: 'cvar', level: 0.25 })).toBeCloseTo(1, 12);
    expect(objective([5, 1, 3, 2], { kind: 'cvar', level: 0.3 })).toBeCloseTo(1.4 / 1.2, 12);
    expect(objective([5, 1, 3, 2], { kind: 'cvar', level: 1 })).toBeCloseTo(2.75, 12);
    expect(scores([3], { kind: 'meanVariance', lambda: 1 })).toEqual([NaN]);
  });

  it('paired t-test: d = 1…5 gives t = 4.2426, p = 0.013236 (scipy.stats.ttest_rel)', () => {
    const r = pairedTest([1, 2, 3, 4, 5]);
    expect(r.mean).toBe(3);
    expect(r.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(r.t).toBeCloseTo(4.242640687119285, 10);
    expect(r.p).toBeCloseTo(0.01323559956368269, 8);
    // 95 % CI: 3 ± t(0.975, 4)·√2.5/√5, t(0.975, 4) = 2.776445105.
    expect(r.ciHigh - r.mean).toBeCloseTo(2.776445105 * Math.sqrt(0.5), 6);
    expect(pairedTest([2, 2, 2]).p).toBe(0);
    expect(pairedTest([0, 0, 0]).p).toBe(1);
  });

  it("Holm's procedure: the textbook example (p = 0.01, 0.04, 0.03, 0.005 at 5 %) rejects the first and the last", () => {
    // Sorted 0.005 ≤ 0.05/4, 0.01 ≤ 0.05/3, then 0.03 > 0.05/2 stops: 0.03 and 0.04 stand.
    expect(holm([0.01, 0.04, 0.03, 0.005])).toEqual([true, false, false, true]);
    // 0.02 ≤ 0.05/2, then 0.04 ≤ 0.05/1: both rejected (Bonferroni, 0.025 for each, would keep 0.04).
    expect(holm([0.02, 0.04])).toEqual([true, true]);
    expect(holm([0.03, 0.04])).toEqual([false, false]);
    expect(holm([NaN, 0.001])).toEqual([false, true]);
  });

  it('the set indistinguishable from the best', () => {
    const a = [11, 12, 13, 14, 15];
    const b = a.map((x, i) => x - (i + 1)); // p = 0.0132 against a
    const c = a.map((x, i) => x - [0.1, -0.1, 0.2, -0.2, 0][i]!); // p = 1, mean difference 0
    const { best, comparisons } = compareStrategies([b, a, c], { kind: 'mean' });
    // a and c tie on the mean (13): the first wins.
    expect(best).toBe(1);
    expect(comparisons.map((x) => x.indistinguishable)).toEqual([false, true, true]);
    expect(comparisons[0]!.vsBest!.p).toBeCloseTo(0.01323559956368269, 8);
    expect(comparisons[0]!.vsBest!.mean).toBe(-3);
    expect(comparisons[1]!.vsBest).toBeNull();
    // With six comparisons Holm's first threshold is 0.05/6 < 0.0132: b is no longer distinguishable.
    const many = compareStrategies([b, a, c, c, c, c, c], { kind: 'mean' });
    expect(many.comparisons[0]!.indistinguishable).toBe(true);
  });

  it("Holm's per-comparison levels: each step's 1 − α/(m − i + 1) until the procedure stops, then the stopping step's", () => {
    // Sorted 0.005 (1 − 0.05/4), 0.01 (1 − 0.05/3), then 0.03 stops at 1 − 0.05/2, and 0.04 stands at that level too.
    expect(holmLevels([0.01, 0.04, 0.03, 0.005])).toEqual([1 - 0.05 / 3, 1 - 0.05 / 2, 1 - 0.05 / 2, 1 - 0.05 / 4]);
    // 0.03 > 0.025 stops it: 0.04 (≤ 0.05, its own step's level) must not get 95 %, or its interval would miss 0.
    expect(holmLevels([0.03, 0.04])).toEqual([0.975, 0.975]);
    expect(holmLevels([0.02, 0.04])).toEqual([0.975, 0.95]);
    // At 95 % the interval is pairedTest's own.
    const t = pairedTest([1, 2, 3, 4, 5]);
    expect(pairedInterval(t, 0.95).ciLow).toBeCloseTo(t.ciLow, 12);
    // At 97.5 %: t(0.9875, 4) = 3.4954 (scipy.stats.t.ppf).
    expect(pairedInterval(t, 0.975).ciHigh - 3).toBeCloseTo(3.4954066 * Math.sqrt(0.5), 5);
  });

  it('indistinguishable ⇔ the Holm-consistent interval of the difference contains 0 (random games)', () => {
    // Strategies whose differences from one another are a few standard errors: every decision occurs.
    const game = fc.tuple(fc.integer({ min: 2, max: 7 }), fc.integer({ min: 3, max: 10 }), fc.integer({ min: 0, max: 2 ** 31 - 1 })).map(([k, n, seed]) => {
      let x = seed || 1;
      const u = (): number => ((x = (x * 16807) % 2147483647) / 2147483647);
      const noise = Array.from({ length: n }, () => 10 * u());
      return Array.from({ length: k }, (_, i) => noise.map((z) => z + i * 0.4 * u() + 2 * u()));
    });
    let mixed = 0;
    fc.assert(
      fc.property(game, (values) => {
        const { best, comparisons } = compareStrategies(values, { kind: 'mean' });
        comparisons.forEach((c, i) => {
          if (i === best) return expect(c.vsBestHolm).toBeNull();
          const contains = c.vsBestHolm!.ciLow <= 0 && c.vsBestHolm!.ciHigh >= 0;
          expect(contains, JSON.stringify({ i, c })).toBe(c.indistinguishable);
          // Never narrower than the unadjusted 95 % interval.
          expect(c.vsBestHolm!.ciHigh - c.vsBestHolm!.ciLow).toBeGreaterThanOrEqual(c.vsBest!.ciHigh - c.vsBest!.ciLow - 1e-12);
          if (c.indistinguishable && c.vsBest!.ciHigh < 0) mixed++;
        });
      }),
      { numRuns: 300 },
    );
    // The case the unadjusted CI gets wrong (it misses 0, yet Holm keeps the strategy) did occur.
    expect(mixed).toBeGreaterThan(0);
  });
});
