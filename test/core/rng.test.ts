import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { Stream, Streams } from '../../sim/rng';
import { K_SE, correlation, expectWithin, logFactorial, mean, moments, variance } from './stats';

// Every statistical check uses a fixed seed and a tolerance of K_SE = 4 standard errors unless stated.

function draws(n: number, f: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f();
  return out;
}

describe('named streams', () => {
  it("draws seedrandom's alea sequence exactly (the inlined generator changes no output)", () => {
    for (const [seed, name] of [[1, 'agent:noise'], [42, 'market:ETH'], ['abc', ''], [0, 'x'.repeat(300)], [-7.5, 'agent:ünï']] as const) {
      const ours = new Stream(seed, name);
      const theirs = seedrandom.alea(`${seed}:${name}`);
      for (let i = 0; i < 20000; i++) {
        const want = theirs();
        const got = ours.uniform();
        if (got !== want) expect({ seed, name, i, got }).toEqual({ seed, name, i, got: want });
      }
    }
  });

  it('gives the same sequence for the same seed and name, whatever the draw mix', () => {
    const a = new Stream(42, 'market:ETH');
    const b = new Streams(42).get('market:ETH');
    for (let i = 0; i < 2000; i++) {
      const which = i % 6;
      const x = [a.uniform, a.normal, () => a.exponential(2), () => a.poisson(3), () => a.poisson(40), () => a.int(9)][which]!.call(a);
      const y = [b.uniform, b.normal, () => b.exponential(2), () => b.poisson(3), () => b.poisson(40), () => b.int(9)][which]!.call(b);
      expect(y).toBe(x);
    }
  });

  it('gives unrelated sequences for different names and for different seeds', () => {
    const uniforms = (seed: number, name: string) => {
      const s = new Stream(seed, name);
      return draws(5000, () => s.uniform());
    };
    const base = uniforms(7, 'agent:noise-1');
    expect(Array.from(uniforms(7, 'agent:noise-1'))).toEqual(Array.from(base));
    for (const other of [uniforms(7, 'agent:noise-2'), uniforms(8, 'agent:noise-1')]) {
      let equal = 0;
      for (let i = 0; i < base.length; i++) if (other[i] === base[i]) equal++;
      expect(equal).toBe(0);
      // Independent uniforms: the sample correlation has SE 1/√n.
      expectWithin(correlation(base, other), 0, 1 / Math.sqrt(base.length), 'cross-stream correlation');
    }
  });

  it('refuses to hand out the same name twice from one Streams, but allows it from another', () => {
    const streams = new Streams(1);
    streams.get('market:ETH');
    streams.get('market:BTC');
    expect(() => streams.get('market:ETH')).toThrow(/market:ETH/);
    expect(() => new Streams(1).get('market:ETH')).not.toThrow();
  });
});

describe('distributions', () => {
  const N = 200_000;

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const s = new Stream(3, 'uniform');
    const xs = draws(N, () => s.uniform());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expectWithin(mean(xs), 0.5, Math.sqrt(1 / 12 / N), 'uniform mean');
    // Var of (U − ½)² is 1/80 − 1/144, so SE of the sample variance is √((1/80 − 1/144)/N).
    expectWithin(variance(xs), 1 / 12, Math.sqrt((1 / 80 - 1 / 144) / N), 'uniform variance');
  });

  it('draws standard normals: mean 0, variance 1, skew 0, excess kurtosis 0, and no lag-1 correlation', () => {
    const s = new Stream(2024, 'normal');
    const xs = draws(N, () => s.normal());
    const m = moments(xs);
    // Standard errors for N normal draws: mean 1/√N, variance √(2/N), skew √(6/N), kurtosis √(24/N).
    expectWithin(m.mean, 0, 1 / Math.sqrt(N), 'normal mean');
    expectWithin(m.variance, 1, Math.sqrt(2 / N), 'normal variance');
    expectWithin(m.skew, 0, Math.sqrt(6 / N), 'normal skew');
    expectWithin(m.kurtosis, 0, Math.sqrt(24 / N), 'normal excess kurtosis');
    // The cached Box–Muller partner must not be correlated with its pair: lag-1 correlation, SE 1/√N.
    expectWithin(correlation(xs.subarray(0, N - 1), xs.subarray(1)), 0, 1 / Math.sqrt(N), 'lag-1 correlation');
    // Tail mass beyond 3: p = 2·(1 − Φ(3)) = 0.0026998; binomial SE √(p(1−p)/N).
    const p3 = 0.0026997960632601866;
    const tail = xs.filter((x) => Math.abs(x) > 3).length / N;
    expectWithin(tail, p3, Math.sqrt((p3 * (1 - p3)) / N), 'P(|Z| > 3)');
  });

  it('draws exponentials with the requested mean and variance mean²', () => {
    const s = new Stream(5, 'exp');
    const mu = 3.5;
    const xs = draws(N, () => s.exponential(mu));
    expect(xs.every((x) => x >= 0 && Number.isFinite(x))).toBe(true);
    // SE of the mean: mu/√N; of the variance: √((μ4 − σ⁴)/N) = mu²·√(8/N) (μ4 = 9·mu⁴).
    expectWithin(mean(xs), mu, mu / Math.sqrt(N), 'exponential mean');
    expectWithin(variance(xs), mu * mu, mu * mu * Math.sqrt(8 / N), 'exponential variance');
  });

  it('draws lognormals whose median is e^mu and whose log has sd sigma', () => {
    const s = new Stream(6, 'lognormal');
    const mu = 1.3;
    const sigma = 0.7;
    const xs = draws(N, () => s.lognormal(mu, sigma));
    // Fraction below the true median e^mu is binomial(N, ½)/N: SE ½/√N.
    const below = xs.filter((x) => x < Math.exp(mu)).length / N;
    expectWithin(below, 0.5, 0.5 / Math.sqrt(N), 'fraction below e^mu');
    const logs = xs.map(Math.log);
    expectWithin(mean(logs), mu, sigma / Math.sqrt(N), 'mean of ln');
    expectWithin(variance(logs), sigma * sigma, sigma * sigma * Math.sqrt(2 / N), 'variance of ln');
  });

  it('draws integers uniformly over [0, n)', () => {
    const s = new Stream(8, 'int');
    const n = 7;
    const counts = new Array<number>(n).fill(0);
    let bad = 0;
    for (let i = 0; i < 70_000; i++) {
      const k = s.int(n);
      if (!(Number.isInteger(k) && k >= 0 && k < n)) bad++;
      else counts[k] = counts[k]! + 1;
    }
    expect(bad).toBe(0);
    // Each count is binomial(70000, 1/7): SE √(N·p·(1−p)).
    for (const c of counts) expectWithin(c, 10_000, Math.sqrt(70_000 * (1 / 7) * (6 / 7)), 'int bucket count');
    expect(draws(100, () => s.int(1)).every((k) => k === 0)).toBe(true);
  });
});

describe('poisson', () => {
  const N = 100_000;

  /** Chi-square statistic of the draws against the Poisson(λ) pmf, cells merged until each expects ≥ 20. */
  function chiSquare(xs: Int32Array, lambda: number): { chi2: number; df: number } {
    const kmax = Math.ceil(lambda + 12 * Math.sqrt(lambda) + 20);
    const counts = new Float64Array(kmax + 2);
    for (const x of xs) counts[Math.min(x, kmax + 1)]! += 1;
    const pmf = new Float64Array(kmax + 2);
    let total = 0;
    for (let k = 0; k <= kmax; k++) {
      pmf[k] = Math.exp(-lambda + k * Math.log(lambda) - logFactorial(k));
      total += pmf[k]!;
    }
    pmf[kmax + 1] = Math.max(0, 1 - total);
    const cells: [number, number][] = [];
    let o = 0;
    let e = 0;
    for (let k = 0; k <= kmax + 1; k++) {
      o += counts[k]!;
      e += pmf[k]! * xs.length;
      if (e >= 20) {
        cells.push([o, e]);
        o = 0;
        e = 0;
      }
    }
    const last = cells[cells.length - 1]!;
    last[0] += o;
    last[1] += e;
    let chi2 = 0;
    for (const [obs, exp] of cells) chi2 += ((obs - exp) * (obs - exp)) / exp;
    return { chi2, df: cells.length - 1 };
  }

  // 0.5, 3 and 9.99 take Knuth's product method; 10, 37 and 250 take PTRS.
  it.each([0.5, 3, 9.99, 10, 37, 250])('draws Poisson(%s) with the right mean, variance and pmf', (lambda) => {
    const s = new Stream(99, `poisson:${lambda}`);
    const xs = new Int32Array(N);
    for (let i = 0; i < N; i++) {
      const k = s.poisson(lambda);
      if (!(Number.isInteger(k) && k >= 0)) throw new Error(`poisson(${lambda}) returned ${k}`);
      xs[i] = k;
    }
    // SE of the mean √(λ/N); of the sample variance √((μ4 − σ⁴)/N) = √((λ + 2λ²)/N).
    expectWithin(mean(xs), lambda, Math.sqrt(lambda / N), `mean of Poisson(${lambda})`);
    expectWithin(variance(xs), lambda, Math.sqrt((lambda + 2 * lambda * lambda) / N), `variance of Poisson(${lambda})`);
    // Goodness of fit: χ²(df) has mean df and sd √(2df); accept up to K_SE sd above the mean.
    const { chi2, df } = chiSquare(xs, lambda);
    expect(df).toBeGreaterThanOrEqual(4);
    expect(chi2, `χ² = ${chi2} on ${df} df`).toBeLessThanOrEqual(df + K_SE * Math.sqrt(2 * df));
  });

  it('returns 0 for a zero or negative mean without drawing', () => {
    const a = new Stream(1, 'p');
    const b = new Stream(1, 'p');
    expect(a.poisson(0)).toBe(0);
    expect(a.poisson(-3)).toBe(0);
    expect(a.uniform()).toBe(b.uniform());
  });
});
