/**
 * The delta hedger's `rebalances` counts the hedge trades it sends after entry. With a hedging
 * volatility so small that Δ is exactly 0 or 1 (bsDelta saturates), every look either trades the
 * whole quantity or nothing, and the option expires in the run: the unwind at expiry, where Δ is
 * exactly 0 or 1 too, is a trade the trigger loop never saw.
 */
import { describe, expect, it } from 'vitest';
import { bsDelta } from '../../agents/math/black-scholes';
import { buildConfig, parseScenario } from '../../scenarios';
import { recordTransactions, type TxRecord } from '../../sim/record';
import { Simulation } from '../../sim/simulation';
import { SECONDS_PER_YEAR } from '../../sim/units';

// ETH steps 2000 → 3000 → 2000 → 3000 every 10 minutes around a 2500 strike; the call expires at
// 40 minutes (block 40 of 60-second blocks), in the money.
const SCENARIO = `name: delta-trades
blocks: 60
chain: { blockTime: 60, nativeToken: ETH, baseFee: { initial: 0, mode: fixed } }
market:
  assets:
    ETH: { kind: path, points: [[0, 2000], [600, 3000], [1200, 2000], [1800, 3000]] }
tokens: { ETH: {}, USD: { usd: 1 } }
venues:
  amm: { kind: cpmm, tokens: [ETH, USD], feeBps: 30 }
agents:
  lp: { kind: lp, venue: amm, balances: { ETH: 1000, USD: 2000000 } }
  vault:
    kind: delta-hedger
    options: { kind: option, option: call, strike: 2500, expiry: 2400, quantity: 1, position: short, asset: ETH, impliedVol: 0.8, hedgeVol: 0.0001, hedgeOn: amm }
    trigger: { kind: delta-band, band: 0.05 }
    balances: { ETH: 10, USD: 100000 }
`;

describe("delta hedger's rebalances", () => {
  it('sees Δ exactly 0 below the strike and exactly 1 above it at this hedging volatility', () => {
    const terms = { kind: 'call', strike: 2500 } as const;
    expect(bsDelta(terms, 2000, 2400 / SECONDS_PER_YEAR, 0.0001)).toBe(0);
    expect(bsDelta(terms, 3000, 1800 / SECONDS_PER_YEAR, 0.0001)).toBe(1);
  });

  it('counts every hedge trade after entry, the unwind at expiry included', () => {
    const loaded = parseScenario(SCENARIO, 's.yaml');
    const sim = new Simulation({ ...buildConfig(loaded.scenario, '.'), checkInvariants: true });
    const trades: TxRecord[] = [];
    recordTransactions(sim, (t) => {
      if (t.agent === 'vault' && t.block > 0 && t.status === 'included') trades.push(t);
    });
    const r = sim.run().result();
    // Buy 1 at 3000, sell it at 2000, buy at 3000, sell at expiry: four swaps, none at entry (Δ = 0).
    expect(trades.map((t) => t.calls[0]!.op)).toEqual(['swapExactOut', 'swap', 'swapExactOut', 'swap']);
    const vault = r.agents.find((a) => a.id === 'vault')!;
    expect(vault.metrics.rebalances).toBe(trades.length);
    expect(vault.metrics.hedgeTrades).toBe(4);
  });
});
