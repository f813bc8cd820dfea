/**
 * V7 — gamma scalping (VALIDATION.md). Long one ATM call bought at implied vol 0.6 while realised vol
 * is 0.8 (S = K = 2000, 30 days, r = 0), delta-hedged hourly on a cost-free CEX: expected P&L
 * BS(0.8) − BS(0.6) = 45.52 per option; sd ≈ 5.9 hedging with the realised-vol delta, ≈ 20.8 with the
 * implied-vol delta. Tolerance 1%, 20,000 paths each.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/simulation';
import { DAY, hedgingWorld, meanSd } from './hedging';

const PATHS = 20_000;

function pnl(seed: number, hedgeVol: number | 'implied'): number {
  const r = simulate(
    hedgingWorld(seed, 720, 3600, 0.8, {
      kind: 'delta-hedger',
      id: 'scalper',
      options: { kind: 'option', option: 'call', strike: 'atm', expiry: 30 * DAY, quantity: 1, position: 'long', asset: 'ETH', impliedVol: 0.6, hedgeVol },
      trigger: { kind: 'interval', seconds: 3600 },
    }),
  );
  return r.agents[0]!.pnl.total;
}

describe('V7 gamma scalping', () => {
  it('hedging with the realised-vol delta earns BS(0.8) − BS(0.6) = 45.52 with sd ≈ 5.9 (±1%, 20,000 paths)', () => {
    const { mean, sd } = meanSd(Array.from({ length: PATHS }, (_, i) => pnl(i + 1, 0.8)));
    expect(Math.abs(mean / 45.52 - 1)).toBeLessThan(0.01);
    expect(sd).toBeGreaterThan(5.3);
    expect(sd).toBeLessThan(6.5);
  });

  it('hedging with the implied-vol delta earns the same on average with sd ≈ 20.8 (±1%, 20,000 paths)', () => {
    const { mean, sd } = meanSd(Array.from({ length: PATHS }, (_, i) => pnl(i + 1, 'implied')));
    expect(Math.abs(mean / 45.52 - 1)).toBeLessThan(0.01);
    expect(sd).toBeGreaterThan(19);
    expect(sd).toBeLessThan(22.5);
  });
});
