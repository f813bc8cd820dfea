/**
 * Small statistics helpers for the Monte-Carlo tests. Every statistical assertion goes through
 * `expectWithin`, which states the tolerance as k standard errors (k = 4 unless a test says otherwise:
 * a correct implementation fails a single two-sided check with probability ≈ 6e-5, and with fixed seeds
 * the outcome is deterministic anyway).
 */
import { expect } from 'vitest';

export const K_SE = 4;

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** Unbiased sample variance. */
export function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return s / (xs.length - 1);
}

/** Mean, variance, skewness and excess kurtosis (moment estimators). */
export function moments(xs: ArrayLike<number>): { mean: number; variance: number; skew: number; kurtosis: number } {
  const n = xs.length;
  const m = mean(xs);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { mean: m, variance: (m2 * n) / (n - 1), skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) - 3 };
}

export function correlation(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Log returns ln(p[i+1]/p[i]). */
export function logReturns(prices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(prices.length - 1);
  for (let i = 0; i + 1 < prices.length; i++) out[i] = Math.log(prices[i + 1]! / prices[i]!);
  return out;
}

/** Assert |actual − expected| ≤ k·se, with a message that shows the numbers. */
export function expectWithin(actual: number, expected: number, se: number, what: string, k = K_SE): void {
  expect(Number.isFinite(actual), `${what}: got ${actual}`).toBe(true);
  expect(se > 0 && Number.isFinite(se), `${what}: standard error ${se}`).toBe(true);
  const msg = `${what}: |${actual} − ${expected}| = ${Math.abs(actual - expected)} > ${k}·SE = ${k * se}`;
  expect(Math.abs(actual - expected), msg).toBeLessThanOrEqual(k * se);
}

/** ln(k!) by summation (exact enough for the pmf tables the tests build). */
export function logFactorial(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}
