/**
 * The elastic background demand through the engine: ln g = a − β ln(b/refFee) + X + ε, X an OU shock.
 * Against the stationary distribution docs/scenarios.md derives ("Background demand"), written out
 * here again from the docs, not taken from the code:
 *   c = 1 − β/D, φ = 2^(−Δt/halfLife),
 *   Var ln b = σ²(1 + cφ) / (D²(1 − c²)(1 − cφ)) + η² / (D²(1 − c²)),  median b = refFee.
 * Fixed seeds; tolerances are stated per test (a few standard errors of the run's sample).
 */
import { describe, expect, it } from 'vitest';
import type { ElasticBackground } from '../../sim/background';
import type { ChainConfig } from '../../sim/config';
import { Simulation } from '../../sim/simulation';
import { BACKGROUND_PRESETS } from '../../scenarios/schema-gas';
import { world } from './helpers';

interface Series {
  fee: Float64Array;
  gas: Float64Array;
  time: Float64Array;
}

function runChain(chain: Partial<ChainConfig>, blocks: number, seed = 1, numeric: 'float' | 'exact' = 'float'): Series {
  const sim = new Simulation({ ...world({ blocks, seed, agents: [], seedPool: false, checkInvariants: false, chain }), numeric });
  const s: Series = { fee: new Float64Array(blocks), gas: new Float64Array(blocks), time: new Float64Array(blocks) };
  let i = 0;
  sim.events.on('block', (b) => {
    s.fee[i] = b.baseFee;
    s.gas[i] = b.backgroundGas;
    s.time[i++] = b.time;
  });
  sim.run();
  return s;
}

const elastic = (bg: Omit<ElasticBackground, 'model'>, blockTime: number, extra: Partial<ChainConfig> = {}): Partial<ChainConfig> => ({
  blockTime,
  baseFee: { initial: bg.refFee, mode: 'eip1559' },
  background: { model: 'elastic', ...bg },
  ...extra,
});

/** Median and standard deviation of ln(fee) over blocks [from, to). */
function lnStats(fee: Float64Array, from: number, to = fee.length): { median: number; sd: number } {
  const ln = Array.from(fee.subarray(from, to), Math.log).sort((a, b) => a - b);
  const mean = ln.reduce((a, b) => a + b, 0) / ln.length;
  const sd = Math.sqrt(ln.reduce((a, b) => a + (b - mean) ** 2, 0) / (ln.length - 1));
  return { median: Math.exp(ln[Math.floor(ln.length / 2)]!), sd };
}

/** The documented linearised sd of ln(baseFee), D = 8. */
function documentedSd(bg: Omit<ElasticBackground, 'model'>, blockTime: number): number {
  const D = 8;
  const c = 1 - bg.priceElasticity / D;
  const phi = 2 ** (-blockTime / bg.shock.halfLife);
  const s2 = bg.shock.sigma ** 2;
  const n2 = (bg.blockNoise ?? 0) ** 2;
  return Math.sqrt((s2 * (1 + c * phi)) / (D * D * (1 - c * c) * (1 - c * phi)) + n2 / (D * D * (1 - c * c)));
}

const BURN_IN = 500;
/** Shocks of ten minutes: 200,000 blocks hold ~2,800 independent ones, so the sample is tight. */
const FAST = { refFee: 20, priceElasticity: 2, shock: { sigma: 0.8, halfLife: 600 }, blockNoise: 0.3 };

describe('the elastic background gives the base fee its documented stationary distribution', () => {
  it('median refFee within ±5 %, sd of ln(fee) within ±10 % of the formula (200,000 blocks of 12 s, seed 1)', () => {
    const { fee } = runChain(elastic(FAST, 12), 200_000);
    const { median, sd } = lnStats(fee, BURN_IN);
    expect(documentedSd(FAST, 12)).toBeCloseTo(0.3949, 3);
    expect(Math.abs(median / 20 - 1)).toBeLessThan(0.05);
    expect(Math.abs(sd / documentedSd(FAST, 12) - 1)).toBeLessThan(0.1);
  });

  it('is stationary: the two halves of the run agree (median ±5 %, sd ±10 %), where the normal model at the target wanders off', () => {
    const half = (f: Float64Array) => [lnStats(f, BURN_IN, f.length / 2), lnStats(f, f.length / 2)] as const;
    const [a, b] = half(runChain(elastic(FAST, 12), 200_000).fee);
    expect(Math.abs(a.median / b.median - 1)).toBeLessThan(0.05);
    expect(Math.abs(a.sd / b.sd - 1)).toBeLessThan(0.1);
    // The old model: demand at the target, no answer to the price. Its ln(fee) is a random walk.
    const [c, d] = half(runChain({ baseFee: { initial: 20 }, background: { meanGas: 15e6, sdGas: 3e6 } }, 200_000).fee);
    expect(Math.abs(Math.log(c.median / d.median))).toBeGreaterThan(1);
  });

  // Four weeks of L1 blocks, and one week of 2 s L2 blocks: median within ±10 %, sd within ±20 %.
  it.each([
    ['l1', 12, 201_600],
    ['l2', 2, 302_400],
  ] as const)('preset %s: median and spread as documented (seed 1)', (name, blockTime, blocks) => {
    const p = BACKGROUND_PRESETS[name];
    const { fee } = runChain(elastic(p, blockTime), blocks);
    const { median, sd } = lnStats(fee, BURN_IN);
    expect(Math.abs(median / p.refFee - 1)).toBeLessThan(0.1);
    expect(Math.abs(sd / documentedSd(p, blockTime) - 1)).toBeLessThan(0.2);
  });

  it('is reproducible: the same seed gives the same fees, another seed others', () => {
    const a = runChain(elastic(FAST, 12), 2000, 5).fee;
    expect(runChain(elastic(FAST, 12), 2000, 5).fee).toEqual(a);
    expect(runChain(elastic(FAST, 12), 2000, 6).fee).not.toEqual(a);
  });

  it('holds in exact-integer mode too (wei base fee, whole gas): median within ±10 % (50,000 blocks)', () => {
    const { fee } = runChain(elastic(FAST, 12), 50_000, 2, 'exact');
    expect(Math.abs(lnStats(fee, BURN_IN).median / 20 - 1)).toBeLessThan(0.1);
  });

  it('never gives more gas than the block holds: full blocks raise the fee by exactly 1/8', () => {
    const big = { ...FAST, blockNoise: 0.6 };
    const { fee, gas } = runChain(elastic(big, 12), 20_000);
    let full = 0;
    for (let i = 0; i + 1 < gas.length; i++) {
      expect(gas[i]).toBeLessThanOrEqual(30e6);
      if (gas[i] === 30e6) {
        full++;
        expect(fee[i + 1]! / fee[i]!).toBeCloseTo(1.125, 12);
      }
    }
    expect(full).toBeGreaterThan(100);
  });
});

describe('the shock X is an exact Ornstein–Uhlenbeck discretisation, over any gap between blocks', () => {
  // With no per-block noise and no clipping, X = ln g + β ln b − const: recover it from the outputs.
  // Exponential block gaps: each step's standardised innovation (X_n − φ(Δt) X_{n−1}) / (σ √(1 − φ(Δt)²))
  // must be a standard normal whatever the gap.
  it('standardised innovations have mean 0 ± 0.02 and sd 1 ± 0.02 (100,000 Poisson blocks, seed 3)', () => {
    const bg = { refFee: 20, priceElasticity: 1, shock: { sigma: 0.2, halfLife: 120 } };
    const { fee, gas, time } = runChain(elastic(bg, 12, { blockTimes: 'exponential' }), 100_000, 3);
    const x = Array.from(gas, (g, i) => Math.log(g) + Math.log(fee[i]!));
    // X has mean 0, so x's mean is the constant.
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    const lambda = Math.LN2 / 120;
    let n = 0;
    let sum = 0;
    let sq = 0;
    for (let i = 1; i < x.length; i++) {
      if (gas[i]! >= 30e6 || gas[i - 1]! >= 30e6) continue;
      const phi = Math.exp(-lambda * (time[i]! - time[i - 1]!));
      const z = (x[i]! - m - phi * (x[i - 1]! - m)) / (0.2 * Math.sqrt(1 - phi * phi));
      n++;
      sum += z;
      sq += z * z;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(sq / n - mean * mean) - 1)).toBeLessThan(0.02);
  });
});
