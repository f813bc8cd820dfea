/**
 * Option hedges in full runs, on a CEX (hourly blocks, ETH a GBM with σ 0.8 from 2000): a static
 * hedger's option, delta-hedged once at entry and settled at expiry; puts; and a delta hedger on a
 * price-move trigger. Black–Scholes values come from the test's own formula (world.ts; puts by
 * put–call parity at r = 0), never from agents/math; every P&L total is checked against the cash
 * flows written out here.
 */
import { describe, expect, it } from 'vitest';
import { createAgent, type AgentSpec } from '../../agents';
import type { OptionSpec } from '../../agents/hedges';
import type { SimConfig } from '../../sim/config';
import type { AgentResult } from '../../sim/result';
import { Simulation } from '../../sim/simulation';
import { expectRel } from '../validation/helpers';
import { agent, call, SECONDS_PER_YEAR } from './world';

const HOUR = 3600;
const DAY = 86_400;
const VOL = 0.8;

/** A put at r = 0 by parity: P = C − S + K, Δput = Δcall − 1. */
function put(s: number, k: number, years: number, sigma: number): { delta: number; price: number } {
  const c = call(s, k, years, sigma);
  return { delta: c.delta - 1, price: c.price - s + k };
}

const option = (over: Partial<OptionSpec> = {}): OptionSpec => ({ kind: 'option', option: 'call', strike: 'atm', expiry: DAY, quantity: 10, position: 'short', asset: 'ETH', impliedVol: VOL, ...over });

function cexWorld(seed: number, blocks: number, vault: AgentSpec, halfSpreadBps: number): SimConfig {
  return {
    seed,
    blocks,
    chain: { blockTime: HOUR, nativeToken: 'ETH', baseFee: { initial: 0, mode: 'fixed' } },
    market: { assets: [{ id: 'ETH', process: { kind: 'gbm', price: 2000, sigma: VOL } }], cex: { quote: 'USD', halfSpreadBps } },
    tokens: [{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }],
    venues: [],
    agents: [createAgent(vault)],
  };
}

/** Run block by block: S[b] the reference price after block b (what the vault saw before it), h[b] its CEX hedge, res[b] its result. */
function steps(config: SimConfig): { S: number[]; h: number[]; res: AgentResult[] } {
  const sim = new Simulation(config);
  const S = [2000];
  const res = [agent(sim.result(), 'vault')];
  const h = [res[0]!.cexBalances.ETH ?? 0];
  while (!sim.done) {
    const r = sim.step(1).result();
    S.push(r.prices.ETH!);
    h.push(agent(r, 'vault').cexBalances.ETH ?? 0);
    res.push(agent(r, 'vault'));
  }
  return { S, h, res };
}

describe('static hedger with a short call: delta-hedged once at entry, settled at expiry', () => {
  // Entered before block 1 (t = 1 h), expiring one day later (block 25), on a 10 bp CEX.
  const HS = 0.001;
  const { S, h, res } = steps(cexWorld(3, 30, { kind: 'static-hedger', id: 'vault', atBlock: 1, hedge: option() }, 10));
  const K = S[1]!;
  const entry = call(K, K, DAY / SECONDS_PER_YEAR, VOL);
  const h0 = 10 * entry.delta;

  it('holds 10·Δ(S₁) on the CEX from entry to expiry, never rebalancing, then nothing', () => {
    for (let b = 1; b < 25; b++) expectRel(h[b]!, h0, 1e-12, `hedge after block ${b}`);
    for (let b = 25; b <= 30; b++) expect(h[b]).toBe(0);
    const last = res[30]!;
    expect(last.metrics.hedgeTrades).toBe(2);
    expect(last.metrics.rebalances).toBe(0);
    expectRel(last.metrics.premiumUsd!, 10 * entry.price, 1e-9, 'premium');
  });

  it('settles the payoff at expiry: options = premium − payoff, and the total is the cash flows', () => {
    const payoff = 10 * Math.max(S[25]! - K, 0);
    const p = res[25]!;
    expectRel(-p.metrics.payoffUsd!, payoff, 1e-12, 'payoff');
    expectRel(p.pnl.options, 10 * entry.price - payoff, 1e-9, 'options P&L');
    // Premium − payoff, the hedge held from S₁ to S₂₅, and the half spread paid on entry and unwind.
    const cash = 10 * entry.price - payoff + h0 * (S[25]! - K) - h0 * HS * (K + S[25]!);
    expectRel(p.pnl.total, cash, 1e-9, 'total');
    expectRel(p.pnl.cex, -h0 * HS * (K + S[25]!), 1e-9, 'cex');
    // Nothing is held after expiry: later price moves change nothing.
    expect(res[30]!.pnl.total).toBeCloseTo(p.pnl.total, 9);
    expect(Math.abs(S[30]! / S[25]! - 1)).toBeGreaterThan(1e-3);
  });
});

describe('delta hedger short puts, hedged hourly', () => {
  // Seed 12 ends below the strike: the put pays out.
  const HS = 0.001;
  const vault: AgentSpec = { kind: 'delta-hedger', id: 'vault', atBlock: 1, options: option({ option: 'put' }), trigger: { kind: 'interval', seconds: HOUR } };
  const { S, h, res } = steps(cexWorld(12, 26, vault, 10));
  const K = S[1]!;
  const premium = 10 * put(K, K, DAY / SECONDS_PER_YEAR, VOL).price;

  it('receives the put premium and holds a short hedge of 10·(Δcall − 1) after each hour', () => {
    expectRel(res[1]!.metrics.premiumUsd!, premium, 1e-9, 'premium');
    for (let b = 1; b < 25; b++) {
      const target = 10 * put(S[b]!, K, (DAY + HOUR - b * HOUR) / SECONDS_PER_YEAR, VOL).delta;
      expect(target).toBeLessThan(0);
      // Relative to the position (deep out of the money near expiry the target is ~1e-15).
      expect(Math.abs(h[b]! - target), `hedge after block ${b}: ${h[b]} vs ${target}`).toBeLessThan(1e-9 * Math.max(1, -target));
    }
  });

  it('pays 10·(K − S) at expiry and its total is premium − payoff + Σ h·ΔS − spread', () => {
    const payoff = 10 * Math.max(K - S[25]!, 0);
    expect(payoff).toBeGreaterThan(100);
    const p = res[25]!;
    expectRel(-p.metrics.payoffUsd!, payoff, 1e-12, 'payoff');
    expectRel(p.pnl.options, premium - payoff, 1e-9, 'options P&L');
    expect(h[25]).toBe(0);
    let hedge = 0;
    let spread = 0;
    for (let b = 1; b <= 25; b++) {
      if (b >= 2) hedge += h[b - 1]! * (S[b]! - S[b - 1]!);
      spread += Math.abs(h[b]! - h[b - 1]!) * S[b]! * HS;
    }
    expectRel(p.pnl.total, premium - payoff + hedge - spread, 1e-9, 'total');
  });
});

describe('delta hedger on a price-move trigger', () => {
  // Short 10 seven-day ATM calls entered at genesis (S₀ = 2000), hedged on a spread-free CEX when
  // the price has moved 3 % from where it last hedged. The entry counts as a hedge: on seed 1 the
  // first hour already moves the price 1.8 %, and a trigger counting from its first look (S₁)
  // instead would decide differently.
  const MOVE = 0.03;
  const vault: AgentSpec = { kind: 'delta-hedger', id: 'vault', options: option({ expiry: 7 * DAY }), trigger: { kind: 'price-move', threshold: MOVE } };
  const { S, h, res } = steps(cexWorld(1, 167, vault, 0));
  const target = (b: number) => 10 * call(S[b]!, 2000, (7 * DAY - b * HOUR) / SECONDS_PER_YEAR, VOL).delta;

  it('hedges in block b exactly when S_b is 3 % or more from the price of its last hedge, back to 10·Δ(S_b)', () => {
    expectRel(h[0]!, target(0), 1e-12, 'entry hedge');
    let anchor = S[0]!;
    let hedges = 0;
    for (let b = 1; b <= 167; b++) {
      const move = Math.abs(S[b]! / anchor - 1);
      expect(Math.abs(move - MOVE), `block ${b} too close to call`).toBeGreaterThan(1e-9);
      if (move >= MOVE) {
        hedges++;
        anchor = S[b]!;
        expectRel(h[b]!, target(b), 1e-12, `hedge after block ${b}`);
      } else expect(h[b], `block ${b}: no hedge`).toBe(h[b - 1]);
    }
    expect(hedges).toBeGreaterThan(10);
    expect(res[167]!.metrics.rebalances).toBe(hedges);
  });
});
