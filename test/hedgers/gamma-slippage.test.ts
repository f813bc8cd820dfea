/**
 * The delta hedger's gamma slippage: the hedged book's P&L before costs. Priced and hedged at the
 * realised volatility it averages zero (continuous hedging would make it exactly zero); hedged only
 * once a day it is noisier than hedged hourly; and it equals the vault's options + trading P&L when
 * the CEX is free.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/simulation';
import { DAY, hedgingWorld, meanSd } from '../validation/hedging';

function vault(seed: number, every: number) {
  const r = simulate(
    hedgingWorld(seed, 30 * 24, 3600, 0.8, {
      kind: 'delta-hedger',
      id: 'vault',
      options: { kind: 'option', option: 'call', strike: 'atm', expiry: 30 * DAY, quantity: 1, position: 'short', asset: 'ETH', impliedVol: 0.8 },
      trigger: { kind: 'interval', seconds: every },
    }),
  );
  return r.agents[0]!;
}

describe('gamma slippage', () => {
  it('averages zero when the option is priced and hedged at the realised volatility (400 paths, 3 standard errors)', () => {
    const xs = Array.from({ length: 400 }, (_, i) => vault(i + 1, 3600).metrics.gammaSlippageUsd!);
    const { mean, se } = meanSd(xs);
    expect(Math.abs(mean)).toBeLessThan(3 * se);
  });

  it('is noisier hedged daily than hourly (same seeds)', () => {
    const hourly = meanSd(Array.from({ length: 200 }, (_, i) => vault(i + 1, 3600).metrics.gammaSlippageUsd!)).sd;
    const daily = meanSd(Array.from({ length: 200 }, (_, i) => vault(i + 1, DAY).metrics.gammaSlippageUsd!)).sd;
    // Discrete-hedging error grows like 1/√(hedges): 24× fewer hedges, about √24 ≈ 4.9× the sd.
    expect(daily / hourly).toBeGreaterThan(3.5);
    expect(daily / hourly).toBeLessThan(7);
  });

  it('equals the options plus trading P&L when hedging costs nothing', () => {
    const a = vault(7, 3600);
    expect(a.metrics.gammaSlippageUsd!).toBeCloseTo(a.pnl.options + a.pnl.trading, 6);
  });
});
