import { describe, expect, it } from 'vitest';
import { ReferenceMarket } from '../../sim/market/market';
import type { PriceProcessConfig } from '../../sim/market/processes';
import { Streams } from '../../sim/rng';
import { SECONDS_PER_YEAR } from '../../sim/units';
import { correlation, expectWithin, logReturns, mean, variance } from './stats';

// Monte-Carlo checks: fixed seeds, tolerance 4 standard errors (expectWithin's default) unless stated.

const DAY = 86_400;
const HOUR = 3_600;
const YEAR = SECONDS_PER_YEAR;

function market(process: PriceProcessConfig, tick: number, seed: number | string = 1): ReferenceMarket {
  return new ReferenceMarket({ assets: [{ id: 'X', process }] }, tick, new Streams(seed));
}

/** Prices at ticks 0..ticks of one market, advanced tick by tick. */
function pathOf(m: ReferenceMarket, ticks: number): Float64Array {
  const out = new Float64Array(ticks + 1);
  out[0] = m.price[0]!;
  for (let k = 1; k <= ticks; k++) {
    m.advanceTo(k * m.tick);
    out[k] = m.price[0]!;
  }
  return out;
}

/** P_T / P_0 over `paths` independent markets (seed `mc-i`), each advanced in `ticks` steps. */
function terminalRatios(process: PriceProcessConfig, years: number, ticks: number, paths: number): Float64Array {
  const out = new Float64Array(paths);
  const T = years * YEAR;
  for (let i = 0; i < paths; i++) {
    const m = market(process, T / ticks, `mc-${i}`);
    const p0 = m.price[0]!;
    m.advanceTo(T);
    out[i] = m.price[0]! / p0;
  }
  return out;
}

const se = (xs: ArrayLike<number>) => Math.sqrt(variance(xs) / xs.length);

describe('geometric Brownian motion', () => {
  it('is a martingale with μ = 0: E[P_T] = P_0, E[ln P_T/P_0] = −σ²T/2, Var = σ²T across 20k seeds', () => {
    const sigma = 0.8;
    const T = 0.25;
    const r = terminalRatios({ kind: 'gbm', price: 2000, sigma }, T, 8, 20_000);
    expectWithin(mean(r), 1, se(r), 'E[P_T/P_0]');
    const logs = r.map(Math.log);
    expectWithin(mean(logs), (-sigma * sigma * T) / 2, se(logs), 'E[ln P_T/P_0]');
    // SE of a normal sample variance: σ²T·√(2/(N−1)).
    expectWithin(variance(logs), sigma * sigma * T, sigma * sigma * T * Math.sqrt(2 / (logs.length - 1)), 'Var[ln P_T/P_0]');
  });

  it('has log-return variance σ²·dt per tick and σ²T over non-overlapping windows of one long path', () => {
    const sigma = 0.8;
    const path = pathOf(market({ kind: 'gbm', price: 1, sigma }, DAY, 'long'), 300_000);
    const r = logReturns(path);
    const v1 = (sigma * sigma * DAY) / YEAR;
    expectWithin(variance(r), v1, v1 * Math.sqrt(2 / (r.length - 1)), 'daily log-return variance');
    const w = 30;
    const windows = new Float64Array(Math.floor(r.length / w));
    for (let i = 0; i < windows.length; i++) windows[i] = Math.log(path[(i + 1) * w]! / path[i * w]!);
    const vT = v1 * w;
    expectWithin(variance(windows), vT, vT * Math.sqrt(2 / (windows.length - 1)), '30-day log-return variance');
    expect(Math.abs(correlation(r.subarray(0, -1), r.subarray(1)))).toBeLessThanOrEqual(4 / Math.sqrt(r.length));
  });

  it('grows in expectation as e^{μT} with μ ≠ 0: μ is the drift of the price, the log drifts at μ − σ²/2', () => {
    const mu = 0.6;
    const sigma = 0.8;
    const T = 0.25;
    const r = terminalRatios({ kind: 'gbm', price: 50, mu, sigma }, T, 8, 20_000);
    expectWithin(mean(r), Math.exp(mu * T), se(r), 'E[P_T/P_0]');
    const logs = r.map(Math.log);
    expectWithin(mean(logs), (mu - (sigma * sigma) / 2) * T, se(logs), 'E[ln P_T/P_0]');
  });
});

describe('Merton jump-diffusion', () => {
  it('is drift-compensated: E[P_T] = P_0·e^{μT} despite negative mean jumps', () => {
    const mu = 0.2;
    const T = 0.25;
    const process = { kind: 'merton', price: 10, mu, sigma: 0.4, jumpRate: 40, jumpMean: -0.08, jumpSd: 0.12 } as const;
    const r = terminalRatios(process, T, 8, 20_000);
    expectWithin(mean(r), Math.exp(mu * T), se(r), 'E[P_T/P_0]');
  });

  it('jumps at the configured rate, with Poisson counts per tick', () => {
    // σ = 0 and jumpSd = 0 make every tick's log return (drift) + n·jumpMean, so n can be read off exactly.
    const jumpRate = 36.5; // per year: 0.1 per daily tick
    const jumpMean = 0.25;
    const kappa = Math.exp(jumpMean) - 1;
    const mu = jumpRate * (kappa - jumpMean); // keeps ln P centred so 200k ticks stay in floating range
    const ticks = 200_000;
    const r = logReturns(pathOf(market({ kind: 'merton', price: 1, mu, sigma: 0, jumpRate, jumpMean, jumpSd: 0 }, DAY, 'jumps'), ticks));
    const drift = ((mu - jumpRate * kappa) * DAY) / YEAR;
    let total = 0;
    let quiet = 0;
    let worst = 0;
    for (const x of r) {
      const n = (x - drift) / jumpMean;
      worst = Math.max(worst, Math.abs(n - Math.round(n)));
      total += Math.round(n);
      if (Math.round(n) === 0) quiet++;
    }
    expect(worst).toBeLessThan(1e-6);
    const lambda = (jumpRate * DAY) / YEAR;
    // Total count is Poisson(λ·ticks): SE √(λ·ticks). Quiet ticks are binomial with p = e^{−λ}.
    expectWithin(total, lambda * ticks, Math.sqrt(lambda * ticks), 'jump count');
    const p0 = Math.exp(-lambda);
    expectWithin(quiet / ticks, p0, Math.sqrt((p0 * (1 - p0)) / ticks), 'fraction of ticks without a jump');
  });
});

describe('Ornstein–Uhlenbeck in log price', () => {
  const kappa = 12; // per year: half-life ≈ 21 days
  const sigma = 0.6;
  const level = 100;
  const theta = Math.log(level);
  const stationary = (sigma * sigma) / (2 * kappa);

  it('reverts to ln(mean) with stationary variance σ²/(2κ) and lag-1 autocorrelation e^{−κ·dt}', () => {
    const burn = 400;
    const n = 200_000;
    const path = pathOf(market({ kind: 'ou', price: level * Math.exp(0.5), mean: level, kappa, sigma }, DAY, 'ou'), burn + n);
    const x = path.subarray(burn + 1).map(Math.log);
    const phi = Math.exp((-kappa * DAY) / YEAR);
    // The daily samples are AR(1) with coefficient φ: SE of the mean √(v/N·(1+φ)/(1−φ)), of the variance
    // v·√(2/N·(1+φ²)/(1−φ²)), of the lag-1 autocorrelation √((1−φ²)/N).
    expectWithin(mean(x), theta, Math.sqrt((stationary / n) * ((1 + phi) / (1 - phi))), 'long-run mean of ln P');
    expectWithin(variance(x), stationary, stationary * Math.sqrt((2 / n) * ((1 + phi * phi) / (1 - phi * phi))), 'stationary variance');
    expectWithin(correlation(x.subarray(0, -1), x.subarray(1)), phi, Math.sqrt((1 - phi * phi) / n), 'lag-1 autocorrelation');
  });

  it('pulls a displaced start back as (x₀ − θ)·e^{−κt} on average', () => {
    const t = 30 / 365;
    const x0 = theta + 0.5;
    const r = terminalRatios({ kind: 'ou', price: Math.exp(x0), mean: level, kappa, sigma }, t, 30, 5_000);
    const xt = r.map((q) => x0 + Math.log(q));
    expectWithin(mean(xt), theta + (x0 - theta) * Math.exp(-kappa * t), se(xt), 'E[ln P_t]');
    const v = stationary * (1 - Math.exp(-2 * kappa * t));
    expectWithin(variance(xt), v, v * Math.sqrt(2 / (xt.length - 1)), 'Var[ln P_t]');
  });
});

describe('regime-switching volatility', () => {
  const regimes = [
    { sigma: 0.2, meanDuration: 2 * DAY },
    { sigma: 1.0, meanDuration: 0.5 * DAY },
    { sigma: 0.5, meanDuration: 1 * DAY },
  ];

  it('spends a fraction meanDuration_i / Σ of time in each regime, with that regime’s volatility', () => {
    const ticks = 250_000;
    const m = market({ kind: 'regime', price: 1, regimes }, HOUR, 'regimes');
    const sigmas = regimes.map((r) => r.sigma);
    const time = [0, 0, 0];
    const returns: number[][] = [[], [], []];
    let prev = m.price[0]!;
    for (let k = 1; k <= ticks; k++) {
      const i = sigmas.indexOf(m.volatility(0)); // regime in force during the coming step
      if (i < 0) throw new Error(`volatility ${m.volatility(0)} is not one of the regimes' sigmas`);
      time[i]! += 1;
      m.advanceTo(k * HOUR);
      returns[i]!.push(Math.log(m.price[0]! / prev));
      prev = m.price[0]!;
    }
    const total = regimes.reduce((s, r) => s + r.meanDuration, 0);
    const cycles = (ticks * HOUR) / total;
    regimes.forEach((r, i) => {
      const f = r.meanDuration / total;
      // Renewal–reward: per cycle, time in regime i minus f·(cycle length) has variance
      // (1−f)²d_i² + f²Σ_{j≠i} d_j² (exponential durations), so SE = √(that / cycles) / Σd.
      const spread = (1 - f) ** 2 * r.meanDuration ** 2 + f * f * regimes.reduce((s, q, j) => (j === i ? s : s + q.meanDuration ** 2), 0);
      expectWithin(time[i]! / ticks, f, Math.sqrt(spread / cycles) / total, `time fraction of regime ${i}`);
      const v = (r.sigma * r.sigma * HOUR) / YEAR;
      const xs = returns[i]!;
      expectWithin(variance(xs), v, v * Math.sqrt(2 / (xs.length - 1)), `hourly variance in regime ${i}`);
    });
  });

  it('starts in the configured regime', () => {
    expect(market({ kind: 'regime', price: 1, regimes, start: 2 }, HOUR).volatility(0)).toBe(regimes[2]!.sigma);
    expect(market({ kind: 'regime', price: 1, regimes }, HOUR).volatility(0)).toBe(regimes[0]!.sigma);
  });
});

describe('scripted path and constant', () => {
  const points: [number, number][] = [
    [0, 1],
    [60, 1.5],
    [120, 1],
    [187, 1.5],
    [240, 1],
  ];

  /** Independent reference: the price the path should show at time t. */
  function expected(pts: readonly [number, number][], t: number, linear: boolean): number {
    let i = 0;
    while (i + 1 < pts.length && pts[i + 1]![0] <= t) i++;
    const [t0, p0] = pts[i]!;
    const next = pts[i + 1];
    if (!linear || next === undefined || t <= t0) return p0;
    return p0 + ((next[1] - p0) * (t - t0)) / (next[0] - t0);
  }

  it.each([
    ['step', false],
    ['linear', true],
  ] as const)('follows the points with %s interpolation at every tick, on and between the points', (mode, linear) => {
    const tick = 2.5;
    const m = market({ kind: 'path', points, interpolate: mode }, tick);
    const seen = pathOf(m, 120); // to t = 300, past the last point
    for (let k = 0; k <= 120; k++) expect(seen[k]!).toBeCloseTo(expected(points, k * tick, linear), 12);
    // Values at the points themselves, and halfway between the first two.
    for (const [t, p] of points) if (Number.isInteger(t / tick)) expect(seen[t / tick]).toBe(p);
    expect(seen[75]!).toBeCloseTo(expected(points, 187.5, linear), 12); // just after the off-grid point 187
    expect(seen[12]!).toBeCloseTo(linear ? 1.25 : 1, 12); // t = 30
    expect(seen[120]).toBe(1); // held after the last point
  });

  it('holds the first price before a path that starts later', () => {
    const pts: [number, number][] = [
      [30, 2],
      [60, 4],
    ];
    const seen = pathOf(market({ kind: 'path', points: pts, interpolate: 'linear' }, 10), 9);
    expect(Array.from(seen.subarray(0, 4))).toEqual([2, 2, 2, 2]);
    expect(seen[5]!).toBeCloseTo(2 + (4 - 2) * (20 / 30), 12);
    expect(seen[9]).toBe(4);
  });

  it('keeps a constant price forever', () => {
    const seen = pathOf(market({ kind: 'constant', price: 2020 }, 12), 1000);
    expect(seen.every((p) => p === 2020)).toBe(true);
  });
});
