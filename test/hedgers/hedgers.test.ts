/**
 * The three hedger kinds in full runs: the static hedger holds; the delta hedger keeps a short call
 * delta-hedged on a pool within its band, paying gas per hedge swap; its P&L splits into options
 * (premium, payoff, mark), trading (the hedge), cex (spread) and gas; `deltaExchange` makes the
 * initial hedge and the unwind free; the Whalley–Wilmott band trades between a tight and a wide band.
 * Black–Scholes values come from the test's own formula (world.ts), not from agents/math.
 */
import { describe, expect, it } from 'vitest';
import { createAgent, type AgentSpec, type DeltaHedgerSpec } from '../../agents';
import type { OptionSpec } from '../../agents/hedges';
import type { SimConfig } from '../../sim/config';
import { recordTransactions, type TxRecord } from '../../sim/record';
import type { AgentResult } from '../../sim/result';
import { Simulation, simulate } from '../../sim/simulation';
import { expectRel } from '../validation/helpers';
import { agent, call, rebalanceBlocks, run, SECONDS_PER_YEAR, steps, tracker, triadWorld } from './world';

const HOUR = 3600;
const DAY = 86_400;

describe('static hedger', () => {
  it('enters once at genesis and holds 100 U + 100 1/U while A goes 1 → 2 → 0.7: its P&L is 100·(√0.7 + 1/√0.7 − 2)', () => {
    const holder: AgentSpec = { kind: 'static-hedger', id: 'holder', hedge: { kind: 'triad-parity', venue: 'T', budget: 200 }, balances: { '1': 201, ETH: 1 } };
    const { r, txs } = run(triadWorld({ agents: [tracker(), holder], a: steps([[30, 2], [60, 0.7]]), blocks: 100 }));
    const h = agent(r, 'holder');
    expect(rebalanceBlocks(txs, 'holder')).toEqual([]);
    expect(h.txs.sent).toBe(1); // the genesis forge
    expect(h.metrics.rebalances).toBe(0);
    expect([h.balances.U, h.balances['1/U']]).toEqual([100, 100]);
    // The tracker leaves U at √0.7.
    const p = Math.sqrt(0.7);
    const v = r.venues[0]!;
    expect(v.kind === 'triad' && v.prices[0]).toBeCloseTo(p, 12);
    expectRel(h.pnl.total, 100 * (p + 1 / p - 2), 1e-9, 'static P&L'); // +3.19
  });
});

const option = (over: Partial<OptionSpec> = {}): OptionSpec => ({ kind: 'option', option: 'call', strike: 'atm', expiry: 7 * DAY, quantity: 100, position: 'short', asset: 'ETH', impliedVol: 0.8, ...over });

describe('delta hedger on a cpmm pool (hedgeOn: pool)', () => {
  // Hourly blocks, ETH a GBM (σ 0.8) from 2000; a 10,000 ETH / 20M USD pool; gas paid in a separate
  // token worth $2000, at 10 gwei, so that gas does not touch the ETH hedge. Short 100 ATM calls, 7 days.
  const BAND = 0.05;
  const Q = 100;
  const config = (): SimConfig => ({
    seed: 11,
    blocks: 170,
    chain: { blockTime: HOUR, nativeToken: 'GAS', baseFee: { initial: 10, mode: 'fixed' } },
    market: { assets: [{ id: 'ETH', process: { kind: 'gbm', price: 2000, sigma: 0.8 } }] },
    tokens: [{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }, { id: 'GAS', price: { usd: 2000 } }],
    venues: [{ kind: 'cpmm', id: 'pool', tokens: ['ETH', 'USD'], feeBps: 30 }],
    agents: [
      createAgent({ kind: 'scripted', id: 'lp', balances: { ETH: 10_000, USD: 2e7 }, actions: [{ do: 'addLiquidity', venue: 'pool', amounts: [10_000, 2e7], genesis: true }] }),
      createAgent({ kind: 'delta-hedger', id: 'vault', balances: { ETH: 100, USD: 1e6, GAS: 10 }, options: option({ hedgeOn: 'pool' }), trigger: { kind: 'delta-band', band: BAND } }),
    ],
  });

  // Per block b: S_b (reference, what the vault saw deciding block b) and its hedge after block b.
  const sim = new Simulation(config());
  const txs: TxRecord[] = [];
  recordTransactions(sim, (t) => txs.push(t));
  const S: number[] = [2000];
  const held: number[] = [];
  let r = sim.result();
  held.push(agent(r, 'vault').balances.ETH! - 100);
  while (!sim.done) {
    r = sim.step(1).result();
    S.push(r.prices.ETH!);
    held.push(agent(r, 'vault').balances.ETH! - 100);
  }
  const hedges = txs.filter((t) => t.agent === 'vault' && t.block > 0);
  const target = (b: number) => Q * call(S[b]!, 2000, (7 * DAY - b * HOUR) / SECONDS_PER_YEAR, 0.8).delta;

  it('hedges at genesis to 100·Δ, then trades in block b exactly when |100·Δ(S_b) − hedge| / 100 exceeds the band, back to zero error', () => {
    expectRel(held[0]!, target(0), 1e-9, 'initial hedge');
    const traded = new Set(hedges.map((t) => t.block));
    let checked = 0;
    for (let b = 1; b < 168; b++) {
      const before = Math.abs(target(b) - held[b - 1]!) / Q;
      if (Math.abs(before - BAND) < 1e-9) continue; // too close to call
      checked++;
      expect(traded.has(b), `block ${b}: error ${before} before`).toBe(before > BAND);
      const after = Math.abs(target(b) - held[b]!) / Q;
      expect(after, `block ${b}: error after`).toBeLessThan(traded.has(b) ? 1e-9 : BAND + 1e-9);
    }
    expect(checked).toBe(167);
    expect(traded.size).toBeGreaterThan(10);
  });

  it('unwinds the hedge at expiry (block 168) and trades no more', () => {
    expect(hedges.filter((t) => t.block >= 168).map((t) => t.block)).toEqual([168]);
    expect(Math.abs(held[168]!)).toBeLessThan(1e-9);
    expect(agent(r, 'vault').metrics.hedgeTrades).toBe(hedges.length + 1);
  });

  it('pays the gas of every hedge swap: 115,000 to buy (exact out), 110,000 to sell, at 10 gwei × $2000', () => {
    for (const t of hedges) {
      expect(t.status).toBe('included');
      const bought = held[t.block]! > held[t.block - 1]!;
      expect([t.calls[0]!.op, t.gasUsed]).toEqual(bought ? ['swapExactOut', 115_000] : ['swap', 110_000]);
    }
    const gasUsd = hedges.reduce((s, t) => s + t.gasUsed, 0) * 10e-9 * 2000;
    expect(agent(r, 'vault').pnl.gas).toBeCloseTo(-gasUsd, 9);
  });
});

/** One asset (GBM σ 0.8 from 2000, hourly blocks), a CEX quoting USD with a half spread, one delta hedger. */
function cexWorld(seed: number, blocks: number, hedger: Omit<DeltaHedgerSpec, 'id'>, halfSpreadBps: number): SimConfig {
  return {
    seed,
    blocks,
    chain: { blockTime: HOUR, nativeToken: 'ETH', baseFee: { initial: 0, mode: 'fixed' } },
    market: { assets: [{ id: 'ETH', process: { kind: 'gbm', price: 2000, sigma: 0.8 } }], cex: { quote: 'USD', halfSpreadBps } },
    tokens: [{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }],
    venues: [],
    agents: [createAgent({ kind: 'delta-hedger', id: 'vault', ...hedger })],
  };
}

describe('option P&L decomposition: premium and payoff in options, the hedge in trading, spread in cex', () => {
  // Short 10 ATM calls for one day, entered before block 1 (t = 1 h), hedged hourly on a 10 bp CEX.
  const HS = 0.001;
  const sim = new Simulation(cexWorld(1, 26, { atBlock: 1, options: option({ expiry: DAY, quantity: 10 }), trigger: { kind: 'interval', seconds: HOUR } }, 10));
  const S: number[] = [2000];
  const h: number[] = [0];
  const res: AgentResult[] = [];
  while (!sim.done) {
    const r = sim.step(1).result();
    S.push(r.prices.ETH!);
    h.push(agent(r, 'vault').cexBalances.ETH ?? 0);
    res.push(agent(r, 'vault'));
  }
  const K = S[1]!;
  const premium = 10 * call(K, K, DAY / SECONDS_PER_YEAR, 0.8).price;

  it('at entry: the premium is received in cash and offset in options by the short mark (options ≈ 0)', () => {
    const first = res[0]!;
    expectRel(first.metrics.premiumUsd!, premium, 1e-9, 'premium');
    expect(Math.abs(first.pnl.options)).toBeLessThan(1e-9 * premium);
    expectRel(h[1]!, 10 * call(K, K, DAY / SECONDS_PER_YEAR, 0.8).delta, 1e-9, 'initial hedge');
    expectRel(first.cexBalances.USD!, premium - h[1]! * K * (1 + HS), 1e-9, 'cash after entry');
    expectRel(first.pnl.cex, -h[1]! * K * HS, 1e-9, 'spread of the initial hedge');
  });

  it('at expiry (block 25): options = premium − payoff; trading = Σ h·ΔS; cex = −Σ |Δh|·S·spread; the total is those cash flows', () => {
    const last = res[res.length - 1]!;
    const payoff = 10 * Math.max(S[25]! - K, 0);
    expect(payoff).toBeGreaterThan(100); // this seed ends in the money
    expectRel(last.metrics.payoffUsd!, -payoff, 1e-12, 'payoff settled');
    expectRel(last.pnl.options, premium - payoff, 1e-9, 'options P&L');
    expect(h[25]).toBe(0);
    let trading = 0;
    let spread = 0;
    for (let b = 1; b < S.length; b++) {
      if (b >= 2) trading += h[b - 1]! * (S[b]! - S[b - 1]!);
      spread += Math.abs(h[b]! - h[b - 1]!) * S[b]! * HS;
    }
    expect(last.pnl.trading).toBeCloseTo(trading, 6);
    expectRel(last.pnl.cex, -spread, 1e-9, 'cex costs');
    expect(last.pnl.gas).toBe(0);
    // The total comes from the ledger (final value − initial value), not from the parts.
    expect(last.pnl.total).toBeCloseTo(premium - payoff + trading - spread, 6);
  });

  // An OTC premium settled at genesis is in the baseline value: counting it again in `options` would
  // show options ≈ +premium and trading ≈ −premium here.
  it('entering at genesis decomposes the same way: options ≈ the mark change only, trading ≈ 0 on a flat price', () => {
    const flat = cexWorld(1, 1, { options: option({ expiry: DAY, quantity: 10 }), trigger: { kind: 'interval', seconds: HOUR } }, 0);
    const r = simulate({ ...flat, market: { ...flat.market, assets: [{ id: 'ETH', process: { kind: 'constant', price: 2000 } }] } });
    const v = agent(r, 'vault');
    const prem = 10 * call(2000, 2000, DAY / SECONDS_PER_YEAR, 0.8).price;
    // One hour of theta on a one-day option: well under 5% of the premium.
    expect(Math.abs(v.pnl.options)).toBeLessThan(0.05 * prem);
    expect(Math.abs(v.pnl.trading)).toBeLessThan(1e-9 * prem);
  });
});

describe('deltaExchange: the initial hedge and the unwind trade with the desk at the reference price', () => {
  // Ten-hour option, no rebalancing in between (interval 1e9 s): only the entry hedge and the unwind.
  const once = (deltaExchange: boolean) =>
    agent(simulate(cexWorld(4, 12, { atBlock: 1, options: option({ expiry: 10 * HOUR, quantity: 10 }), trigger: { kind: 'interval', seconds: 1e9 }, deltaExchange }, 10)), 'vault');
  const S1 = (seed: number) => simulate({ ...cexWorld(seed, 1, { options: option(), trigger: { kind: 'interval', seconds: 1e9 } }, 0), agents: [] }).prices.ETH!;

  it('with it the CEX costs nothing; without it the entry and unwind pay the 10 bp half spread on h₀·(S₁ + S₁₁)', () => {
    const free = once(true);
    const paid = once(false);
    const s1 = S1(4);
    const h0 = 10 * call(s1, s1, (10 * HOUR) / SECONDS_PER_YEAR, 0.8).delta;
    expect(free.pnl.cex).toBe(0);
    expect(free.metrics.hedgeTrades).toBe(0);
    expect(paid.metrics.hedgeTrades).toBe(2);
    // The hedge is the same either way, so trading and options agree; only the cex line differs.
    const s11 = (paid.pnl.trading + h0 * s1) / h0; // trading = h₀·(S₁₁ − S₁)
    expectRel(paid.pnl.cex, -0.001 * h0 * (s1 + s11), 1e-9, 'spread paid on entry and unwind');
    expectRel(free.pnl.trading, paid.pnl.trading, 1e-9, 'hedge P&L');
    expectRel(free.pnl.options, paid.pnl.options, 1e-12, 'options P&L');
    expect(Math.abs(s11 / s1 - 1)).toBeGreaterThan(1e-3); // the price did move
  });
});

describe('Whalley–Wilmott no-trade band (cost 0.003, risk aversion 1)', () => {
  // Short one 30-day ATM call hedged on a 30 bp CEX, hourly for 720 blocks: the band is ≈ 0.02 near
  // the money, so it trades less often than a 0.005 delta band and more often than a 0.05 one.
  const count = (seed: number, trigger: DeltaHedgerSpec['trigger']) =>
    agent(simulate(cexWorld(seed, 720, { options: option({ expiry: 30 * DAY, quantity: 1 }), trigger, whalleyWilmott: { cost: 0.003, riskAversion: 1 } }, 30)), 'vault').metrics.rebalances!;

  it.each([1, 2, 3, 4, 5, 6])('seed %s: tight band 0.005 > Whalley–Wilmott > wide band 0.05 in number of hedges', (seed) => {
    const ww = count(seed, { kind: 'whalley-wilmott' });
    expect(count(seed, { kind: 'delta-band', band: 0.005 })).toBeGreaterThan(ww);
    expect(ww).toBeGreaterThan(count(seed, { kind: 'delta-band', band: 0.05 }));
  });
});
