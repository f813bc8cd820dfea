/**
 * Expanding a sweep into points and runs (batch/plan.ts): grid products, explicit points, random and
 * Latin-hypercube draws from streams of their own, run ids and common-random-number seeds, baseline.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baselineOf, planSweep } from '../../batch/plan';
import { sweepSchema } from '../../batch/sweep-schema';

const METRICS = { fees: 'agents.lp.pnl.fees' };
const sweep = (fields: Record<string, unknown>) => sweepSchema.parse({ name: 's', scenario: 'base.yaml', metrics: METRICS, ...fields });
const column = (plan: ReturnType<typeof planSweep>, path: string): unknown[] => plan.points.map((p) => p.values[path]);

describe('the grid', () => {
  it('is the product of the axes, the first axis varying slowest', () => {
    const plan = planSweep(sweep({ parameters: { a: { values: [1, 2] }, b: { values: ['x', 'y', 'z'] } } }));
    expect(plan.points.map((p) => p.values)).toEqual([
      { a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 1, b: 'z' },
      { a: 2, b: 'x' }, { a: 2, b: 'y' }, { a: 2, b: 'z' },
    ]);
    expect(plan.points.map((p) => p.id)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(plan.parameters).toEqual(['a', 'b']);
  });

  it('has as many points as the product of the axis lengths (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 }), fc.integer({ min: 1, max: 3 }), (lengths, replicates) => {
        const parameters = Object.fromEntries(lengths.map((n, i) => [`p${i}`, { values: Array.from({ length: n }, (_, k) => k) }]));
        const plan = planSweep(sweep({ parameters, replicates }));
        const points = lengths.reduce((a, b) => a * b, 1);
        expect(plan.points).toHaveLength(points);
        expect(plan.runs).toHaveLength(points * replicates);
        expect(new Set(plan.points.map((p) => JSON.stringify(p.values))).size).toBe(points);
      }),
    );
  });

  it('crosses explicit points with the grid, explicit points varying slowest', () => {
    const plan = planSweep(sweep({ parameters: { fee: { values: [5, 30] } }, points: [{ lp: 1 }, { lp: 2, x: 'q' }, { lp: 3 }] }));
    expect(plan.points.map((p) => p.values)).toEqual([
      { lp: 1, fee: 5 }, { lp: 1, fee: 30 },
      { lp: 2, x: 'q', fee: 5 }, { lp: 2, x: 'q', fee: 30 },
      { lp: 3, fee: 5 }, { lp: 3, fee: 30 },
    ]);
    expect(plan.parameters).toEqual(['lp', 'fee', 'x']);
  });

  it('crosses the grid with the samples of the random parameters', () => {
    const plan = planSweep(sweep({ samples: 3, parameters: { g: { values: [1, 2] }, u: { uniform: [0, 1] } } }));
    expect(plan.points).toHaveLength(6);
    // The same three draws under each grid value.
    expect(column(plan, 'u').slice(0, 3)).toEqual(column(plan, 'u').slice(3));
    expect(new Set(column(plan, 'u')).size).toBe(3);
  });
});

describe('random parameters', () => {
  const ranges = fc
    .tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-3, max: 1e6, noNaN: true }))
    .map(([lo, width]) => [lo, lo + width] as [number, number])
    .filter(([lo, hi]) => lo < hi);

  it('draws uniform values within [low, high), the same on every expansion (property)', () => {
    fc.assert(
      fc.property(ranges, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 40 }), ([lo, hi], seed, samples) => {
        const file = sweep({ seed, samples, parameters: { u: { uniform: [lo, hi] } } });
        const xs = column(planSweep(file), 'u') as number[];
        expect(xs).toHaveLength(samples);
        for (const x of xs) expect(x >= lo && x < hi).toBe(true);
        expect(column(planSweep(file), 'u')).toEqual(xs);
      }),
    );
  });

  it('draws log-uniform values within [low, high], spread over the decades', () => {
    const xs = column(planSweep(sweep({ samples: 400, parameters: { g: { logUniform: [0.01, 100] } } })), 'g') as number[];
    for (const x of xs) expect(x >= 0.01 && x <= 100).toBe(true);
    // Each of the four decades gets about a quarter of the draws (uniform would put 99 % above 1).
    for (const [lo, hi] of [[0.01, 0.1], [0.1, 1], [1, 10], [10, 100]] as const) {
      const share = xs.filter((x) => x >= lo && x < hi).length / xs.length;
      expect(share).toBeGreaterThan(0.15);
      expect(share).toBeLessThan(0.35);
    }
  });

  it('changes the draws with seedSalt, and by default with the seed', () => {
    const draws = (fields: Record<string, unknown>) => column(planSweep(sweep({ samples: 5, parameters: { u: { uniform: [0, 1] } }, ...fields })), 'u');
    expect(draws({ seed: 1 })).toEqual(draws({ seed: 1 }));
    expect(draws({ seed: 1 })).not.toEqual(draws({ seed: 2 }));
    expect(draws({ seed: 1, seedSalt: 9 })).toEqual(draws({ seed: 2, seedSalt: 9 }));
    expect(draws({ seed: 1, seedSalt: 9 })).not.toEqual(draws({ seed: 1 }));
  });

  it('puts exactly one Latin-hypercube draw in each of the n strata of every lhs parameter (property)', () => {
    const EPS = 1e-9;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 1e6 }), fc.array(ranges, { minLength: 1, maxLength: 3 }), fc.boolean(), (n, seed, rs, log) => {
        // On a log scale, the same widths shifted to positive ranges.
        const bounds = rs.map(([lo, hi]) => (log ? ([Math.abs(lo) + 1, Math.abs(lo) + 1 + (hi - lo)] as const) : ([lo, hi] as const)));
        const parameters = Object.fromEntries(bounds.map((b, i) => [`p${i}`, log ? { lhsLog: b } : { lhs: b }]));
        const plan = planSweep(sweep({ seed, samples: n, parameters }));
        expect(plan.points).toHaveLength(n);
        for (const [i, [a, b]] of bounds.entries()) {
          const path = `p${i}`;
          const [lo, hi] = log ? [Math.log(a), Math.log(b)] : [a, b];
          const xs = (column(plan, path) as number[]).map((x) => (log ? Math.log(x) : x)).sort((a, b) => a - b);
          // Sorted, the i-th draw lies in the i-th stratum: one draw per stratum.
          xs.forEach((x, i) => {
            const width = (hi - lo) / n;
            expect(x).toBeGreaterThanOrEqual(lo + i * width - EPS * Math.max(1, Math.abs(lo), Math.abs(hi)));
            expect(x).toBeLessThanOrEqual(lo + (i + 1) * width + EPS * Math.max(1, Math.abs(lo), Math.abs(hi)));
          });
        }
      }),
    );
  });

  it('pairs the strata of two lhs parameters by independent permutations, not diagonally', () => {
    const plan = planSweep(sweep({ seed: 4, samples: 50, parameters: { a: { lhs: [0, 1] }, b: { lhs: [0, 1] } } }));
    const stratum = (x: unknown) => Math.floor((x as number) * 50);
    const same = plan.points.filter((p) => stratum(p.values.a) === stratum(p.values.b)).length;
    expect(same).toBeLessThan(10);
  });

  it("leaves the other parameters' draws unchanged when a parameter is added, or the order changes", () => {
    const one = planSweep(sweep({ samples: 8, parameters: { u: { uniform: [0, 1] }, h: { lhs: [10, 20] } } }));
    const more = planSweep(sweep({ samples: 8, parameters: { z: { logUniform: [1, 2] }, h: { lhs: [10, 20] }, k: { lhsLog: [1, 9] }, u: { uniform: [0, 1] } } }));
    expect(column(more, 'u')).toEqual(column(one, 'u'));
    expect(column(more, 'h')).toEqual(column(one, 'h'));
    const withGrid = planSweep(sweep({ samples: 8, parameters: { g: { values: [1, 2] }, u: { uniform: [0, 1] }, h: { lhs: [10, 20] } } }));
    expect(column(withGrid, 'u').slice(8)).toEqual(column(one, 'u'));
    expect(column(withGrid, 'h').slice(0, 8)).toEqual(column(one, 'h'));
  });
});

describe('runs', () => {
  it('number run ids point × replicates + replicate, replicate r running with seed + r at every point', () => {
    const plan = planSweep(sweep({ seed: 40, replicates: 3, parameters: { a: { values: [1, 2] } }, points: [{ b: 0 }, { b: 1 }] }));
    expect(plan.runs).toHaveLength(12);
    plan.runs.forEach((r, i) => {
      expect(r.id).toBe(i);
      expect(r.id).toBe(r.point * 3 + r.replicate);
      expect(r.seed).toBe(40 + r.replicate);
    });
    for (let r = 0; r < 3; r++) expect(new Set(plan.runs.filter((x) => x.replicate === r).map((x) => x.seed))).toEqual(new Set([40 + r]));
  });

  it('are one per replicate for a sweep without parameters', () => {
    const plan = planSweep(sweep({ seed: 3, replicates: 4 }));
    expect(plan.points).toEqual([{ id: 0, values: {} }]);
    expect(plan.runs.map((r) => r.seed)).toEqual([3, 4, 5, 6]);
  });
});

describe('the baseline', () => {
  const parameters = { a: { values: [1, 2] }, b: { values: ['x', 'y'] } };

  it('is the id of the point with the named values', () => {
    expect(planSweep(sweep({ parameters, baseline: { a: 2, b: 'x' } })).baseline).toBe(2);
    expect(planSweep(sweep({ parameters, baseline: { a: 1, b: 'y' } })).baseline).toBe(1);
  });

  it('is -1 when no point has the named values, or the sweep names none', () => {
    expect(planSweep(sweep({ parameters, baseline: { a: 3, b: 'x' } })).baseline).toBe(-1);
    expect(planSweep(sweep({ parameters, baseline: { a: 1, c: 'x' } })).baseline).toBe(-1);
    expect(planSweep(sweep({ parameters })).baseline).toBe(-1);
  });

  it('is -2 when it leaves a grid parameter unnamed (several points match)', () => {
    expect(planSweep(sweep({ parameters, baseline: { a: 1 } })).baseline).toBe(-2);
  });

  it('with random parameters, is the first draw of the named combination; every point pairs with its own draw', () => {
    const plan = planSweep(sweep({ samples: 2, parameters: { ...parameters, u: { lhs: [0, 1] } }, points: [{ p: 1 }, { p: 2 }], baseline: { a: 2, b: 'y', p: 2 } }));
    // (2 points × 4 grid combinations) × 2 draws; the baseline combination is the last.
    expect([plan.points.length, plan.draws, plan.baseline]).toEqual([16, 2, 14]);
    expect(plan.points.map((p) => baselineOf(plan, p.id))).toEqual(plan.points.map((p) => 14 + (p.id % 2)));
    expect(plan.points[14]!.values).toMatchObject({ a: 2, b: 'y', p: 2 });
    expect(plan.points[15]!.values).toMatchObject({ a: 2, b: 'y', p: 2 });
  });

  it('without random parameters is one point for all (one draw)', () => {
    const plan = planSweep(sweep({ parameters, baseline: { a: 2, b: 'x' } }));
    expect(plan.draws).toBe(1);
    expect(plan.points.map((p) => baselineOf(plan, p.id))).toEqual([2, 2, 2, 2]);
    expect(baselineOf(planSweep(sweep({ parameters })), 0)).toBe(-1);
  });
});
