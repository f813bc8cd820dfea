/**
 * V5 — Leland's hedging cost (VALIDATION.md). A vault short one ATM call (S = K = 2000, T = 30 days,
 * σ = 0.8, r = 0) hedges delta daily on a CEX that charges 30 bp each way (k = 60 bp round trip).
 * The initial hedge and the final unwind trade with the OTC desk at mid (`deltaExchange`), so the CEX
 * cost is the cost of the 29 rebalancing trades. Leland: Le = √(2/π)·k/(σ√dt) = 0.1143,
 * σ̂ = σ√(1 + Le) = 0.8445, expected cost ≈ BS(σ̂) − BS(σ) = 10.107. Tolerance 5%, 20,000 paths.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/simulation';
import { DAY, hedgingWorld, meanSd } from './hedging';

const PATHS = 20_000;

function rebalancingCost(seed: number): number {
  const r = simulate(
    hedgingWorld(
      seed,
      30,
      DAY,
      0.8,
      {
        kind: 'delta-hedger',
        id: 'vault',
        options: { kind: 'option', option: 'call', strike: 'atm', expiry: 30 * DAY, quantity: 1, position: 'short', asset: 'ETH', impliedVol: 0.8 },
        trigger: { kind: 'interval', seconds: DAY },
        deltaExchange: true,
      },
      30,
    ),
  );
  const vault = r.agents[0]!;
  // One trade a day between entry and expiry — fewer only when the delta is pinned at 0 or 1.
  expect(vault.metrics.hedgeTrades).toBeLessThanOrEqual(29);
  expect(vault.metrics.hedgeTrades).toBeGreaterThanOrEqual(20);
  return -vault.pnl.cex;
}

describe('V5 Leland hedging cost', () => {
  it('daily delta hedging at 60 bp round trip costs BS(σ̂) − BS(σ) = 10.107 on average (±5%, 20,000 paths)', () => {
    const costs = Array.from({ length: PATHS }, (_, i) => rebalancingCost(i + 1));
    const { mean, se } = meanSd(costs);
    expect(Math.abs(mean / 10.107 - 1)).toBeLessThan(0.05);
    // The Monte-Carlo error is far inside the tolerance.
    expect(se / mean).toBeLessThan(0.01);
  });

  it('charges nothing when the CEX has no spread', () => {
    const r = simulate(
      hedgingWorld(7, 30, DAY, 0.8, {
        kind: 'delta-hedger',
        id: 'vault',
        options: { kind: 'option', option: 'call', strike: 'atm', expiry: 30 * DAY, quantity: 1, position: 'short', asset: 'ETH', impliedVol: 0.8 },
        trigger: { kind: 'interval', seconds: DAY },
        deltaExchange: true,
      }),
    );
    expect(r.agents[0]!.pnl.cex).toBe(0);
  });
});
