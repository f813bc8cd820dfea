/**
 * The study page's charts: an axis is logarithmic when its values are positive and span more than
 * 1.5 decades (or when the study file says `chart: { x: log }`), linear otherwise or when asked.
 * Checked on the drawn positions: on a log axis equal ratios are equal distances, on a linear one
 * equal differences are.
 */
import { describe, expect, it } from 'vitest';
import { chartSvg, logAxis, logTicks, type CurvePoint } from '../../batch/study-page';
import { studySchema } from '../../batch/study-schema';

const pts = (xs: number[], y: (x: number) => number = () => 1): CurvePoint[] => xs.map((x) => ({ x, y: y(x), lo: y(x) * 0.9, hi: y(x) * 1.1, mark: '' }));
/** The circles' centres, in the order drawn. */
const centres = (svg: string): { cx: number; cy: number }[] => [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => ({ cx: Number(m[1]), cy: Number(m[2]) }));
const scale = (svg: string, axis: 'x' | 'y'): string => new RegExp(`data-${axis}-scale="(\\w+)"`).exec(svg)![1]!;
const steps = (v: number[]): number[] => v.slice(1).map((x, i) => x - v[i]!);

describe('log axes on study charts', () => {
  it('auto: 0.001 to 1 (3 decades) is a log axis, decades equally spaced and labelled', () => {
    const svg = chartSvg(pts([0.001, 0.01, 0.1, 1]), 'band', 'objective');
    expect(scale(svg, 'x')).toBe('log');
    const d = steps(centres(svg).map((c) => c.cx));
    for (const s of d) expect(s).toBeCloseTo(d[0]!, 0);
    expect(d[0]).toBeGreaterThan(100);
    expect([...svg.matchAll(/class="x-tick"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['0.001', '0.01', '0.1', '1']);
    expect(svg).toContain('band (log scale)');
  });

  it('auto: 1 to 16 (1.2 decades) stays linear, positions proportional to the value', () => {
    const svg = chartSvg(pts([1, 2, 4, 8, 16]), 'n', 'objective');
    expect(scale(svg, 'x')).toBe('linear');
    const c = centres(svg).map((p) => p.cx);
    for (let i = 1; i < c.length; i++) expect((c[i]! - c[0]!) / ([1, 2, 4, 8, 16][i]! - 1)).toBeCloseTo((c[4]! - c[0]!) / 15, 1);
    expect(logAxis([1, 31])).toBe(false);
    expect(logAxis([1, 32])).toBe(true);
  });

  it('the study file overrides: linear over 3 decades, log over 1.2, and a log axis over values ≤ 0 is refused and said', () => {
    expect(scale(chartSvg(pts([0.001, 0.01, 0.1, 1]), 'b', 'o', undefined, { x: 'linear' }), 'x')).toBe('linear');
    const svg = chartSvg(pts([1, 4, 16]), 'b', 'o', undefined, { x: 'log' });
    const [a, b, c] = centres(svg).map((p) => p.cx);
    expect(b! - a!).toBeCloseTo(c! - b!, 0);
    const zero = chartSvg(pts([0, 1, 100]), 'b', 'o', undefined, { x: 'log' });
    expect(scale(zero, 'x')).toBe('linear');
    expect(zero).toContain('a log scale was asked for, but its values are not all positive');
  });

  it('a metric axis spanning decades (positive, CIs included) is log too; a difference from the optimum (≤ 0) is not', () => {
    const svg = chartSvg(pts([1, 2, 3], (x) => 10 ** x), 'n', 'fees');
    expect(scale(svg, 'y')).toBe('log');
    const ys = centres(svg).map((p) => p.cy);
    expect(ys[0]! - ys[1]!).toBeCloseTo(ys[1]! - ys[2]!, 0);
    expect(scale(chartSvg(pts([1, 2, 3], (x) => -(10 ** x)), 'n', 'diff'), 'y')).toBe('linear');
  });

  it('chart: defaults to auto on both axes and refuses other values', () => {
    const base = { name: 'c', kind: 'cascades', scenario: 'x.yaml', metrics: { m: 'x' }, sweep: { 'a.b': { values: [1] } } };
    expect((studySchema.parse(base) as { chart: unknown }).chart).toEqual({ x: 'auto', y: 'auto' });
    expect((studySchema.parse({ ...base, chart: { x: 'log' } }) as { chart: unknown }).chart).toEqual({ x: 'log', y: 'auto' });
    expect(studySchema.safeParse({ ...base, chart: { x: 'logarithmic' } }).success).toBe(false);
  });

  it('log ticks: powers of ten over three decades or more, 1-2-5 over fewer, the ends when even those are too few', () => {
    expect(logTicks(0.001, 1)).toEqual([0.001, 0.01, 0.1, 1]);
    expect(logTicks(1, 64)).toEqual([1, 2, 5, 10, 20, 50]);
    expect(logTicks(1, 6)).toEqual([1, 2, 5]);
    expect(logTicks(3, 4)).toEqual([3, 4]);
  });
});
