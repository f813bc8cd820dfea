/**
 * Each rebalancing trigger fires exactly when its condition holds (agents/triggers/types.ts), on
 * synthetic observations: at the threshold, a hair inside and a hair outside. Thresholds are chosen so
 * that the boundary values are exact in binary (1.25, 0.8, 0.125, …), and the tables state the rule.
 */
import { describe, expect, it } from 'vitest';
import { fires, RealisedVol, type LastRebalance, type TriggerInput, type TriggerSpec } from '../../agents/triggers';
import { normals, SECONDS_PER_YEAR } from './world';

const HAIR = 1e-9;

/** A neutral observation: at target, no gain, no cost, nothing moved; override what a case needs. */
function input(over: Partial<TriggerInput> = {}): TriggerInput {
  return { time: 1000, price: 4, valueRatio: 1, deviation: 0, gainUsd: 0, costUsd: 0, baseFee: 10, realisedVol: NaN, wwHalfWidth: NaN, ...over };
}
const LAST: LastRebalance = { time: 1000, price: 4 };

type Row = [string, Partial<TriggerInput>, boolean];

function check(spec: TriggerSpec, rows: Row[], last: LastRebalance = LAST): void {
  for (const [what, over, expected] of rows) expect(fires(spec, last, input(over)), what).toBe(expected);
}

describe('band: fires when the value ratio leaves [1/(1 + band), 1 + band]', () => {
  it.each<Row>([
    ['at target', { valueRatio: 1 }, false],
    ['at the upper edge 1.25', { valueRatio: 1.25 }, false],
    ['a hair inside the upper edge', { valueRatio: 1.25 - HAIR }, false],
    ['a hair above the upper edge', { valueRatio: 1.25 + HAIR }, true],
    ['at the lower edge 0.8 = 1/1.25', { valueRatio: 0.8 }, false],
    ['a hair inside the lower edge', { valueRatio: 0.8 + HAIR }, false],
    ['a hair below the lower edge', { valueRatio: 0.8 - HAIR }, true],
    ['far outside', { valueRatio: 3 }, true],
    ['no legs (NaN ratio)', { valueRatio: NaN }, false],
  ])('band 0.25, %s → %s', (what, over, expected) => check({ kind: 'band', band: 0.25 }, [[what, over, expected]]));

  it('is symmetric in log ratio: 1.25 and 0.8 are both on the edge, 1.2 and 1/1.2 both inside', () => {
    check({ kind: 'band', band: 0.25 }, [
      ['1.2', { valueRatio: 1.2 }, false],
      ['1/1.2', { valueRatio: 1 / 1.2 }, false],
      ['1.3', { valueRatio: 1.3 }, true],
      ['1/1.3', { valueRatio: 1 / 1.3 }, true],
    ]);
  });
});

describe('price-move: fires when |p / p_last − 1| ≥ threshold', () => {
  // Last price 4; threshold 0.25: the edges are 5 and 3 (exact quotients 1.25 and 0.75).
  it.each<Row>([
    ['unchanged', { price: 4 }, false],
    ['up exactly 25% (5)', { price: 5 }, true],
    ['up a hair less', { price: 5 - HAIR }, false],
    ['down exactly 25% (3)', { price: 3 }, true],
    ['down a hair less', { price: 3 + HAIR }, false],
    ['down a hair more', { price: 3 - HAIR }, true],
  ])('threshold 0.25 from 4: %s → %s', (what, over, expected) => check({ kind: 'price-move', threshold: 0.25 }, [[what, over, expected]]));

  it('measures the move from the last rebalance, not from the previous observation', () => {
    check({ kind: 'price-move', threshold: 0.25 }, [['5 against a last price of 5', { price: 5 }, false]], { time: 0, price: 5 });
  });
});

describe('profit-gas: fires when the unrealised gain exceeds multiple × cost', () => {
  it.each<Row>([
    ['gain = 2 × cost', { gainUsd: 10, costUsd: 5 }, false],
    ['gain a hair above 2 × cost', { gainUsd: 10 + HAIR, costUsd: 5 }, true],
    ['gain a hair below', { gainUsd: 10 - HAIR, costUsd: 5 }, false],
    ['a loss', { gainUsd: -10, costUsd: 5 }, false],
    ['free to act and any gain', { gainUsd: 1e-12, costUsd: 0 }, true],
    ['free to act and no gain', { gainUsd: 0, costUsd: 0 }, false],
  ])('multiple 2: %s → %s', (what, over, expected) => check({ kind: 'profit-gas', multiple: 2 }, [[what, over, expected]]));
});

describe('interval: fires once `seconds` have passed since the last rebalance', () => {
  it.each<Row>([
    ['no time passed', { time: 1000 }, false],
    ['59 s', { time: 1059 }, false],
    ['exactly 60 s', { time: 1060 }, true],
    ['1e-6 s short', { time: 1060 - 1e-6 }, false],
    ['long after', { time: 5000 }, true],
  ])('every 60 s, last at 1000: %s → %s', (what, over, expected) => check({ kind: 'interval', seconds: 60 }, [[what, over, expected]]));
});

describe('vol-regime: a value-ratio band scaled by referenceVol / realisedVol, clamped', () => {
  const spec = { kind: 'vol-regime', band: 0.25, referenceVol: 0.5 } as const;
  it.each<[string, number, number]>([
    // realised vol, the band it implies
    ['realised vol twice the reference halves the band', 1, 0.125],
    ['realised vol half the reference doubles it', 0.25, 0.5],
    ['at the reference it is the base band', 0.5, 0.25],
    ['before any estimate (NaN) it is the base band', NaN, 0.25],
  ])('%s (realised %s → band %s)', (_, vol, band) => {
    check(spec, [
      ['at the scaled edge', { realisedVol: vol, valueRatio: 1 + band }, false],
      ['a hair above it', { realisedVol: vol, valueRatio: 1 + band + HAIR }, true],
      ['a hair below the lower edge', { realisedVol: vol, valueRatio: 1 / (1 + band) - HAIR }, true],
      ['a hair inside the lower edge', { realisedVol: vol, valueRatio: 1 / (1 + band) + HAIR }, false],
    ]);
  });

  it('a ratio of 1.3 fires under the base band 0.25 but not in a calm regime (band 0.5)', () => {
    check(spec, [
      ['calm', { realisedVol: 0.25, valueRatio: 1.3 }, false],
      ['reference', { realisedVol: 0.5, valueRatio: 1.3 }, true],
    ]);
  });

  it('clamps the scaled band to [minBand, maxBand]', () => {
    const clamped = { ...spec, minBand: 0.2, maxBand: 0.375 };
    check(clamped, [
      // Wild regime: 0.25·0.5/4 = 0.03125 is raised to 0.2.
      ['wild, ratio 1.1 (outside 0.03125, inside 0.2)', { realisedVol: 4, valueRatio: 1.1 }, false],
      ['wild, a hair beyond 1.2', { realisedVol: 4, valueRatio: 1.2 + HAIR }, true],
      // Calm regime: 0.25·0.5/0.05 = 2.5 is lowered to 0.375.
      ['calm, ratio 1.375', { realisedVol: 0.05, valueRatio: 1.375 }, false],
      ['calm, a hair beyond 1.375', { realisedVol: 0.05, valueRatio: 1.375 + HAIR }, true],
    ]);
  });
});

describe('delta-band and whalley-wilmott: fire when the hedge deviation exceeds the half-width', () => {
  it.each<Row>([
    ['at the band', { deviation: 0.125 }, false],
    ['a hair inside', { deviation: 0.125 - HAIR }, false],
    ['a hair outside', { deviation: 0.125 + HAIR }, true],
  ])('delta band 0.125: %s → %s', (what, over, expected) => check({ kind: 'delta-band', band: 0.125 }, [[what, over, expected]]));

  it.each<Row>([
    ['at the Whalley–Wilmott half-width', { deviation: 0.0625, wwHalfWidth: 0.0625 }, false],
    ['a hair outside it', { deviation: 0.0625 + HAIR, wwHalfWidth: 0.0625 }, true],
    ['a hair inside it', { deviation: 0.0625 - HAIR, wwHalfWidth: 0.0625 }, false],
    ['a zero width (expiry): any deviation', { deviation: 1e-12, wwHalfWidth: 0 }, true],
    ['no width (NaN: no band parameters) never fires', { deviation: 10, wwHalfWidth: NaN }, false],
  ])('whalley-wilmott: %s → %s', (what, over, expected) => check({ kind: 'whalley-wilmott' }, [[what, over, expected]]));
});

describe('gas-ceiling: the inner trigger may fire only while the base fee is at most the ceiling', () => {
  const spec: TriggerSpec = { kind: 'gas-ceiling', gwei: 30, trigger: { kind: 'band', band: 0.25 } };
  it.each<Row>([
    ['inner fires, base fee at the ceiling', { baseFee: 30, valueRatio: 2 }, true],
    ['inner fires, base fee a hair above', { baseFee: 30 + HAIR, valueRatio: 2 }, false],
    ['inner fires, base fee far below', { baseFee: 1, valueRatio: 2 }, true],
    ['inner quiet, base fee below', { baseFee: 1, valueRatio: 1 }, false],
  ])('ceiling 30 gwei over band 0.25: %s → %s', (what, over, expected) => check(spec, [[what, over, expected]]));
});

describe('any: fires when at least one of its triggers fires', () => {
  const spec: TriggerSpec = { kind: 'any', triggers: [{ kind: 'interval', seconds: 60 }, { kind: 'price-move', threshold: 0.25 }] };
  it.each<Row>([
    ['neither', { time: 1030, price: 4.5 }, false],
    ['only the interval', { time: 1060, price: 4.5 }, true],
    ['only the price move', { time: 1030, price: 5 }, true],
    ['both', { time: 1060, price: 5 }, true],
  ])('interval 60 s or move 25 percent: %s → %s', (what, over, expected) => check(spec, [[what, over, expected]]));

  it('with no triggers never fires, and nests (any inside a gas ceiling)', () => {
    check({ kind: 'any', triggers: [] }, [['empty', { time: 1e9, price: 100, valueRatio: 100 }, false]]);
    const nested: TriggerSpec = { kind: 'gas-ceiling', gwei: 20, trigger: spec };
    check(nested, [
      ['cheap and due', { baseFee: 20, time: 1060 }, true],
      ['dear and due', { baseFee: 21, time: 1060, price: 5 }, false],
    ]);
  });
});

describe('RealisedVol estimates the σ of the prices it is fed (per year)', () => {
  /** Feed a GBM (μ = 0) with volatility σ at times separated by dt() seconds; return the estimate. */
  function estimate(sigma: number, seed: number, steps: number, dt: () => number, halfLife: number): number {
    const z = normals(seed);
    const rv = new RealisedVol(halfLife);
    let t = 0;
    let p = 100;
    rv.observe(t, p);
    for (let i = 0; i < steps; i++) {
      const h = dt();
      t += h;
      const s = sigma * Math.sqrt(h / SECONDS_PER_YEAR);
      p *= Math.exp(-0.5 * s * s + s * z());
      rv.observe(t, p);
    }
    return rv.value;
  }

  // Half-life 1 day, observations every minute for 20 days: weight w ≈ ln2·60/86400 = 4.8e-4, so the
  // estimate's relative sd is ≈ √w / 2 ≈ 1.1%; the tolerance 5% is over 4 sd.
  it.each([
    [0.8, 1],
    [0.8, 2],
    [0.3, 3],
    [1.5, 4],
  ])('σ = %s from a minute-by-minute GBM path (seed %s) within 5 percent', (sigma, seed) => {
    const est = estimate(sigma, seed, 20 * 1440, () => 60, 86_400);
    expect(Math.abs(est / sigma - 1)).toBeLessThan(0.05);
  });

  it('normalises returns by the time between observations (irregular 12 s / 60 s gaps, within 5%)', () => {
    let k = 0;
    const est = estimate(0.8, 5, 40_000, () => (k++ % 3 === 0 ? 60 : 12), 86_400);
    expect(Math.abs(est / 0.8 - 1)).toBeLessThan(0.05);
  });

  it('has no estimate before two observations, ignores repeated times, and reads 0 for a flat price', () => {
    const rv = new RealisedVol(3600);
    expect(rv.value).toBeNaN();
    rv.observe(0, 100);
    expect(rv.value).toBeNaN();
    rv.observe(0, 120);
    expect(rv.value).toBeNaN();
    rv.observe(12, 120);
    rv.observe(24, 120);
    expect(rv.value).toBe(0);
  });

  it('the first return alone sets the estimate: ln(1.01)² over 12 s, per year', () => {
    const rv = new RealisedVol(3600);
    rv.observe(0, 100);
    rv.observe(12, 101);
    expect(rv.value).toBeCloseTo(Math.sqrt((Math.log(1.01) ** 2 / 12) * SECONDS_PER_YEAR), 10);
  });
});
