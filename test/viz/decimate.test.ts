import { describe, expect, it } from 'vitest';
import { extent, m4, paddedDomain, visibleRange } from '../../viz/data/decimate';

const range = (n: number, f: (i: number) => number = (i) => i): number[] => Array.from({ length: n }, (_, i) => f(i));

describe('visibleRange', () => {
  it.each([
    [0, 9, [0, 10]],
    [3, 5, [2, 7]],
    [3.5, 5.5, [3, 7]],
    [-10, -5, [0, 1]],
    [20, 30, [9, 10]],
  ] as const)('covers [%d, %d] with one point of margin either side', (x0, x1, expected) => {
    expect(visibleRange(range(10), x0, x1)).toEqual(expected);
  });
});

describe('m4 (min/max per pixel column)', () => {
  it('keeps every point when there are no more than four per column', () => {
    const x = range(8);
    const y = range(8, (i) => i * i);
    expect(m4(x, y, 0, 8, 0, 7, 2)).toEqual({ x, y });
  });

  it('keeps the first, lowest, highest and last point of each column, in order', () => {
    // 100 points over 2 columns: column 0 holds x 0..49, column 1 x 50..99.
    const x = range(100);
    const y = range(100, (i) => (i === 10 ? 50 : i === 20 ? -50 : i === 70 ? 99 : i === 80 ? -99 : 0));
    const p = m4(x, y, 0, 100, 0, 100, 2);
    expect(p.x).toEqual([0, 10, 20, 49, 50, 70, 80, 99]);
    expect(p.y).toEqual([0, 50, -50, 0, 0, 99, -99, 0]);
  });

  it('bounds the output by four points per column whatever the length', () => {
    const n = 100_000;
    const x = Float64Array.from(range(n));
    const y = Float64Array.from(range(n, (i) => Math.sin(i / 7) * 100));
    const p = m4(x, y, 0, n, 0, n - 1, 800);
    expect(p.x.length).toBeLessThanOrEqual(4 * 800);
    // The drawn extremes are the series' extremes.
    expect(Math.max(...p.y)).toBe(Math.max(...y));
    expect(Math.min(...p.y)).toBe(Math.min(...y));
  });

  it('breaks the line with a NaN point across a column of missing values, skips lone NaNs', () => {
    const x = range(40);
    const y = range(40, (i) => (i >= 10 && i < 20 ? NaN : i === 25 ? NaN : 1));
    const p = m4(x, y, 0, 40, 0, 40, 4); // 10 points per column
    expect(p.y.filter(Number.isNaN)).toHaveLength(1);
    expect(p.x.some((v) => v === 25)).toBe(false);
  });
});

describe('extent', () => {
  it('is the lowest and highest finite value, ignoring NaN, or undefined for none', () => {
    expect(extent([3, NaN, -2, 7], 0, 4)).toEqual([-2, 7]);
    expect(extent([3, NaN, -2, 7], 1, 3)).toEqual([-2, -2]);
    expect(extent([NaN], 0, 1)).toBeUndefined();
  });
});

describe('paddedDomain', () => {
  it('spans every series in the range, padded by 5 %; a flat series by 1 %; [0, 1] for none', () => {
    expect(paddedDomain([[0, 10], [5, 20]], 0, 2)).toEqual([-1, 21]);
    expect(paddedDomain([[100, 100]], 0, 2)).toEqual([99, 101]);
    expect(paddedDomain([[NaN]], 0, 1)).toEqual([0, 1]);
    expect(paddedDomain([], 0, 0)).toEqual([0, 1]);
  });
});
