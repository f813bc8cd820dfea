import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../sim/errors';
import { smallestEigenvalue } from '../../sim/market/correlation';
import { cholesky, ReferenceMarket, type MarketConfig } from '../../sim/market/market';
import type { PriceProcessConfig } from '../../sim/market/processes';
import { Streams } from '../../sim/rng';
import { SECONDS_PER_YEAR } from '../../sim/units';
import { correlation, expectWithin, logReturns, variance } from './stats';

// Monte-Carlo checks: fixed seeds, tolerance 4 standard errors (expectWithin's default).

const HOUR = 3_600;
type Asset = MarketConfig['assets'][number];
const gbm = (id: string, sigma: number, price = 100): Asset => ({ id, process: { kind: 'gbm', price, sigma } });

/** Prices of every asset at ticks 1..ticks, advancing tick by tick: rows[asset][tick − 1]. */
function run(config: MarketConfig, tick: number, ticks: number, seed: number | string = 1): Float64Array[] {
  const m = new ReferenceMarket(config, tick, new Streams(seed));
  const rows = config.assets.map(() => new Float64Array(ticks));
  for (let k = 1; k <= ticks; k++) {
    m.advanceTo(k * tick);
    rows.forEach((row, i) => (row[k - 1] = m.price[i]!));
  }
  return rows;
}

/** The ConfigError `f` throws (any other outcome fails the test). */
function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('correlated assets', () => {
  it('gives log-returns the sample correlations of the matrix and keeps each asset’s variance', () => {
    const rho = [[1, 0.7, 0.2], [0.7, 1, -0.3], [0.2, -0.3, 1]];
    const sigmas = [0.8, 0.5, 1.2];
    const n = 100_000;
    const rows = run({ assets: sigmas.map((s, i) => gbm(`A${i}`, s)), correlation: rho }, HOUR, n + 1, 'corr');
    const r = rows.map(logReturns);
    for (let i = 0; i < 3; i++) {
      const v = (sigmas[i]! ** 2 * HOUR) / SECONDS_PER_YEAR;
      expectWithin(variance(r[i]!), v, v * Math.sqrt(2 / (n - 1)), `variance of asset ${i}`);
      for (let j = i + 1; j < 3; j++) {
        const p = rho[i]![j]!;
        // Sample correlation of bivariate normals: SE ≈ (1 − ρ²)/√n.
        expectWithin(correlation(r[i]!, r[j]!), p, (1 - p * p) / Math.sqrt(n), `correlation ${i}-${j}`);
      }
    }
  });

  it('keeps the first assets’ paths when an asset is appended (common random numbers)', () => {
    const two: MarketConfig = { assets: [gbm('ETH', 0.8), gbm('BTC', 0.6)], correlation: [[1, 0.7], [0.7, 1]] };
    const three: MarketConfig = {
      assets: [...two.assets, { id: 'SOL', process: { kind: 'merton', price: 20, sigma: 1, jumpRate: 50, jumpMean: 0, jumpSd: 0.1 } }],
      correlation: [[1, 0.7, 0.4], [0.7, 1, 0.5], [0.4, 0.5, 1]],
    };
    const a = run(two, 12, 500, 9);
    const b = run(three, 12, 500, 9);
    expect(Array.from(b[0]!)).toEqual(Array.from(a[0]!));
    expect(Array.from(b[1]!)).toEqual(Array.from(a[1]!));
    // Without a correlation matrix, an asset inserted anywhere leaves the others untouched.
    const solo = run({ assets: [gbm('ETH', 0.8)] }, 12, 500, 9);
    const crowd = run({ assets: [{ id: 'P', process: { kind: 'path', points: [[0, 1], [99, 2]] } }, gbm('X', 0.3), gbm('ETH', 0.8)] }, 12, 500, 9);
    expect(Array.from(crowd[2]!)).toEqual(Array.from(solo[0]!));
  });

  it('draws each asset from its own stream market:<id>, and non-diffusive assets draw nothing', () => {
    const streams = new Streams(4);
    new ReferenceMarket({ assets: [gbm('ETH', 0.5), { id: 'USD', process: { kind: 'constant', price: 1 } }] }, 12, streams);
    expect(() => streams.get('market:ETH')).toThrow();
    expect(() => streams.get('market:USD')).not.toThrow();
    const renamed = run({ assets: [gbm('WETH', 0.8)] }, 12, 50, 9);
    expect(Array.from(renamed[0]!)).not.toEqual(Array.from(run({ assets: [gbm('ETH', 0.8)] }, 12, 50, 9)[0]!));
  });
});

describe('advancing the grid', () => {
  const config: MarketConfig = {
    assets: [
      gbm('ETH', 0.8),
      { id: 'JMP', process: { kind: 'merton', price: 5, sigma: 0.4, jumpRate: 400, jumpMean: -0.01, jumpSd: 0.05 } },
      { id: 'REG', process: { kind: 'regime', price: 3, regimes: [{ sigma: 0.3, meanDuration: 600 }, { sigma: 1.5, meanDuration: 300 }] } },
      { id: 'OU', process: { kind: 'ou', price: 1, mean: 1.1, kappa: 50, sigma: 0.5 } },
      { id: 'PTH', process: { kind: 'path', points: [[0, 1], [500, 2], [900, 1]], interpolate: 'linear' } },
    ],
    correlation: [[1, 0.5, 0.3, 0, 0], [0.5, 1, 0.2, 0, 0], [0.3, 0.2, 1, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 0, 1]],
  };
  const tick = 12;
  const ticks = 400;
  const byTick = run(config, tick, ticks, 'grid');

  it('gives the same prices in one jump as tick by tick', () => {
    const m = new ReferenceMarket(config, tick, new Streams('grid'));
    expect(m.advanceTo(ticks * tick + 5)).toBe(ticks);
    expect(Array.from(m.price)).toEqual(byTick.map((row) => row[ticks - 1]!));
  });

  it('gives the same prices whatever the sequence of advanceTo times (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: ticks * tick, noNaN: true }), { maxLength: 40 }), (times) => {
        const m = new ReferenceMarket(config, tick, new Streams('grid'));
        let taken = 0;
        for (const t of times) {
          taken += m.advanceTo(t); // earlier times are no-ops
          if (m.tickIndex > 0) expect(Array.from(m.price)).toEqual(byTick.map((row) => row[m.tickIndex - 1]!));
        }
        expect(taken).toBe(m.tickIndex);
      }),
      { numRuns: 60 },
    );
  });

  it('lands on tick k at t = k·tick despite floating-point division', () => {
    const m = new ReferenceMarket({ assets: [gbm('A', 0.1)] }, 0.1, new Streams(1));
    for (let k = 1; k <= 1000; k++) {
      m.advanceTo(k * 0.1);
      if (m.tickIndex !== k) expect(m.tickIndex).toBe(k);
    }
  });
});

describe('priceAt with latency', () => {
  const tick = 12;
  const keep = 60;

  function market(): { m: ReferenceMarket; hist: number[] } {
    const m = new ReferenceMarket({ assets: [gbm('ETH', 0.8), gbm('BTC', 0.5)] }, tick, new Streams('lag'));
    m.keepHistory(keep);
    const hist = [m.price[1]!];
    for (let k = 1; k <= 100; k++) {
      m.advanceTo(k * tick);
      hist.push(m.price[1]!);
    }
    return { m, hist };
  }

  it('returns the tick at or before t − latency for every latency within keepHistory', () => {
    const { m, hist } = market();
    const now = 100 * tick + 5; // between ticks
    m.advanceTo(now);
    for (let lag = 0; lag <= keep; lag += 0.5) {
      const k = Math.floor((now - lag) / tick);
      expect(m.priceAt(1, now - lag), `lag ${lag}`).toBe(hist[k]);
    }
    for (let k = 95; k <= 100; k++) {
      expect(m.priceAt(1, k * tick)).toBe(hist[k]); // exactly on a tick: that tick
      expect(m.priceAt(1, k * tick - 0.01)).toBe(hist[k - 1]); // just before: the previous one
    }
    expect(m.priceAt(1, now + 1000)).toBe(hist[100]); // the future: the latest tick
  });

  it('throws a RangeError for times older than the kept history, and never answers one with a wrong price', () => {
    const { m, hist } = market();
    const now = 100 * tick;
    // The ring keeps the span plus at most two ticks of slack; three ticks further back must be gone.
    expect(() => m.priceAt(0, now - keep - 3 * tick)).toThrow(RangeError);
    expect(() => m.priceAt(0, 0)).toThrow(RangeError);
    for (let t = now - keep; t >= -tick; t -= 1) {
      let got: number | null = null;
      try {
        got = m.priceAt(1, t);
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
      }
      if (got !== null) expect(got, `t = ${t}`).toBe(hist[Math.max(0, Math.floor(t / tick))]);
    }
  });

  it('answers times before the start with the initial price while it is kept', () => {
    const m = new ReferenceMarket({ assets: [gbm('ETH', 0.8)] }, tick, new Streams(1));
    m.keepHistory(keep);
    const p0 = m.price[0]!;
    m.advanceTo(2 * tick);
    expect(m.priceAt(0, -30)).toBe(p0);
  });

  it('keeps already-recorded ticks when keepHistory is extended mid-run, and throws for unrecorded ones', () => {
    const m = new ReferenceMarket({ assets: [gbm('ETH', 0.8)] }, tick, new Streams('grow'));
    const hist = [m.price[0]!];
    for (let k = 1; k <= 50; k++) {
      m.advanceTo(k * tick);
      hist.push(m.price[0]!);
    }
    m.keepHistory(keep);
    expect(m.priceAt(0, 49 * tick)).toBe(hist[49]); // kept by the default two-tick ring
    expect(() => m.priceAt(0, 46 * tick)).toThrow(RangeError); // never kept: not a made-up number
    for (let k = 51; k <= 60; k++) {
      m.advanceTo(k * tick);
      hist.push(m.price[0]!);
    }
    for (let t = 60 * tick - keep; t <= 60 * tick; t += 3) expect(m.priceAt(0, t)).toBe(hist[Math.floor(t / tick)]);
  });
});

describe('configuration checks', () => {
  it.each([
    ['non-symmetric', [[1, 0.5], [0.4, 1]], 2, 'market.correlation[0][1]'],
    ['non-unit-diagonal', [[1, 0.5], [0.5, 0.9]], 2, 'market.correlation[1][1]'],
    ['out-of-range', [[1, 1.2], [1.2, 1]], 2, 'market.correlation[0][1]'],
    ['non-PSD', [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]], 3, 'market.correlation'],
    ['wrongly shaped', [[1, 0], [0, 1], [0, 0]], 2, 'market.correlation'],
  ])('rejects a %s correlation matrix with a ConfigError naming the path', (_what, m, n, path) => {
    const e = configError(() => cholesky(m, n));
    expect(e.path).toBe(path);
    expect(e.message).toContain(path);
    const assets = Array.from({ length: n }, (_, i) => gbm(`A${i}`, 0.5));
    expect(configError(() => new ReferenceMarket({ assets, correlation: m }, 12, new Streams(1))).path).toBe(path);
  });

  it('draws the PSD line exactly: equicorrelation −0.5 of three assets is accepted, −0.51 is rejected', () => {
    const equi = (r: number) => [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? 1 : r)));
    expect(() => cholesky(equi(-0.5), 3)).not.toThrow(); // singular but positive semi-definite
    expect(configError(() => cholesky(equi(-0.51), 3)).path).toBe('market.correlation');
  });

  it('factors any valid correlation matrix so that L·Lᵀ reproduces it (property)', () => {
    // Valid matrices: normalised Gram matrices of random vectors (PSD, unit diagonal; rank-deficient when dim < n).
    const vectors = fc.integer({ min: 1, max: 5 }).chain((n) =>
      fc.integer({ min: 1, max: 5 }).chain((dim) =>
        fc.array(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: dim, maxLength: dim }), { minLength: n, maxLength: n }),
      ),
    );
    fc.assert(
      fc.property(vectors, (vs) => {
        fc.pre(vs.every((v) => Math.hypot(...v) > 0.1));
        const unit = vs.map((v) => v.map((x) => x / Math.hypot(...v)));
        const n = unit.length;
        // Clamped: a dot product of unit vectors can round to 1.0000000000000002.
        const m = unit.map((a, i) => unit.map((b, j) => (i === j ? 1 : Math.min(1, Math.max(-1, a.reduce((s, x, k) => s + x * b[k]!, 0))))));
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) m[j]![i] = m[i]![j]!; // exact symmetry
        const l = cholesky(m, n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let k = 0; k < n; k++) s += l[i * n + k]! * l[j * n + k]!;
            // Near-singular matrices are reproduced within ~5e-6 (sim/market/correlation.ts), others to rounding.
            expect(Math.abs(s - m[i]![j]!)).toBeLessThan(1e-5);
            if (j > i) expect(l[i * n + j]).toBe(0);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts near-singular matrices that rounding makes look indefinite to Cholesky pivots (found by the property above)', () => {
    // Gram matrices of unit vectors: valid, but a plain Cholesky meets a pivot of −4.6e-8 and −0.012.
    const cases = [
      [[1, 3.642227631788799e-7, 5.913341250025284e-45, 0.9981835776704091], [3.642227631788799e-7, 1, -0.9999999999817254, 1.3091511240228998e-41], [5.913341250025284e-45, -0.9999999999817254, 1, -2.4125629180807578e-79], [0.9981835776704091, 1.3091511240228998e-41, -2.4125629180807578e-79, 1]],
      [[1, -0.9999999999999883, -1.5360518401162143e-7], [-0.9999999999999883, 1, -2.7103867060603442e-48], [-1.5360518401162143e-7, -2.7103867060603442e-48, 1]],
    ];
    for (const m of cases) {
      const n = m.length;
      expect(smallestEigenvalue(m, n)).toBeGreaterThan(-1e-12);
      const l = cholesky(m, n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += l[i * n + k]! * l[j * n + k]!;
          expect(Math.abs(s - m[i]![j]!)).toBeLessThan(1e-5);
        }
      }
    }
  });

  it('finds the smallest eigenvalue of a symmetric matrix (Jacobi)', () => {
    // Equicorrelation r over n assets: eigenvalues 1 + (n − 1)r and 1 − r.
    const equi = (n: number, r: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : r)));
    expect(smallestEigenvalue(equi(3, -0.5), 3)).toBeCloseTo(0, 12);
    expect(smallestEigenvalue(equi(4, 0.3), 4)).toBeCloseTo(0.7, 12);
    expect(smallestEigenvalue(equi(5, -0.3), 5)).toBeCloseTo(1 - 4 * 0.3, 12);
    expect(smallestEigenvalue([[2, 1], [1, 2]], 2)).toBeCloseTo(1, 12);
  });

  it('rejects a non-positive tick and an unknown asset name', () => {
    expect(configError(() => new ReferenceMarket({ assets: [] }, 0, new Streams(1))).path).toBe('market.tick');
    const m = new ReferenceMarket({ assets: [gbm('ETH', 0.5)] }, 12, new Streams(1));
    expect(m.assetId('ETH')).toBe(0);
    expect(configError(() => m.assetId('BTC')).path).toBe('market.assets');
  });

  it('rejects correlating an asset that takes no random shock, instead of shrinking the other’s volatility', () => {
    const path: PriceProcessConfig = { kind: 'path', points: [[0, 1], [100, 2]] };
    const config: MarketConfig = { assets: [{ id: 'P', process: path }, gbm('ETH', 0.8)], correlation: [[1, 0.5], [0.5, 1]] };
    expect(configError(() => new ReferenceMarket(config, 12, new Streams(1))).path).toMatch(/^market\.correlation\[[01]\]\[[01]\]$/);
    const zero: MarketConfig = { ...config, correlation: [[1, 0], [0, 1]] };
    expect(() => new ReferenceMarket(zero, 12, new Streams(1))).not.toThrow();
  });
});
