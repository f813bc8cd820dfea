/**
 * The core agents' behaviour as their specs state it, observed through the engine:
 * - `noise`: Poisson arrivals at the mean interval, lognormal USD sizes (median, log-sd), the buy
 *   probability, the private share, and a min-out bound of quote × (1 − slippage) from the pool it saw;
 * - `lp`: leaves a pool that does worse than holding (exit rule), comes back when the incumbents'
 *   edge beats the outside rate, stays when told to accept any loss; on a triad it forges its deposit;
 * - `arbitrageur` with `hedge: true`: offsets every fill on the CEX, so it ends with no ETH exposure
 *   but what it paid in gas.
 * Monte-Carlo checks use a fixed seed and 4-standard-error tolerances.
 */
import { describe, expect, it } from 'vitest';
import { createAgent, type AgentSpec } from '../../agents';
import type { TxView } from '../../sim/agent';
import type { SimConfig } from '../../sim/config';
import { Simulation, simulate } from '../../sim/simulation';
import type { Tx } from '../../sim/tx';
import { amountOut, expectClose, lazy } from '../engine/helpers';

const BLOCK = 12;
const ETH_USD = 2000;

/** 12 s blocks, zero base fee, a 30 bp ETH/USD pool of 1000 ETH / 2M USD seeded by a passive LP. */
function poolWorld(blocks: number, agents: AgentSpec[], extra: Partial<SimConfig> = {}): SimConfig {
  return {
    seed: 7,
    blocks,
    chain: { blockTime: BLOCK, nativeToken: 'ETH', baseFee: { initial: 0, mode: 'fixed' } },
    market: { assets: [{ id: 'ETH', process: { kind: 'constant', price: ETH_USD } }] },
    tokens: [{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }],
    venues: [{ kind: 'cpmm', id: 'pool', tokens: ['ETH', 'USD'], feeBps: 30 }],
    agents: [createAgent({ kind: 'lp', id: 'seed-lp', venue: 'pool', balances: { ETH: 1000, USD: 2_000_000 } }), ...agents.map(createAgent)],
    checkInvariants: true,
    ...extra,
  };
}

interface NoiseOrder {
  submitTime: number;
  side: number;
  amountIn: number;
  minOut: number;
  isPrivate: boolean;
  /** Reserves (paid side, other side) after the last block before the order was sent. */
  reserveIn: number;
  reserveOut: number;
}

describe('noise', () => {
  const BLOCKS = 3000;
  const observe = lazy(() => {
    const sim = new Simulation(
      poolWorld(BLOCKS, [{ kind: 'noise', id: 'noise', venue: 'pool', meanInterval: 6, medianUsd: 3000, logSd: 0.8, buyProbability: 0.3, slippage: 0.02, privateShare: 0.25, balances: { ETH: 1e6, USD: 1e12 } }]),
    );
    // Reserves after each block, to know what the trader saw when it quoted.
    const after: [number, number][] = [[1000, 2_000_000]];
    const orders: NoiseOrder[] = [];
    sim.events.on('block', () => {
      const v = sim.kernel.world.pools[0]!;
      const bal = sim.kernel.world.ledger.bal;
      after.push([bal[v.r0]!, bal[v.r1]!]);
    });
    sim.events.on('tx', (v: TxView) => {
      const tx = v as Tx;
      if (sim.config.agents[tx.agent]!.id !== 'noise') return;
      const c = tx.calls[0]!;
      const seen = after[Math.floor(tx.submitTime / BLOCK)]!;
      orders.push({ submitTime: tx.submitTime, side: c.side, amountIn: c.a, minOut: c.boundA, isPrivate: tx.isPrivate, reserveIn: seen[c.side]!, reserveOut: seen[1 - c.side]! });
    });
    const result = sim.run().result();
    return { orders, result };
  });

  it('sends orders at the Poisson rate: 36,000 s / 6 s = 6000 expected, within 4 sd (±310)', () => {
    const n = observe().orders.length;
    expect(Math.abs(n - 6000)).toBeLessThan(4 * Math.sqrt(6000));
    expect(observe().result.agents.find((a) => a.id === 'noise')!.metrics.tradesAttempted).toBe(n);
    // Exponential gaps: sd ≈ mean.
    const t = observe().orders.map((o) => o.submitTime).sort((a, b) => a - b);
    const gaps = t.slice(1).map((x, i) => x - t[i]!);
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
    expect(Math.abs(sd / mean - 1)).toBeLessThan(0.1);
  });

  it('draws lognormal USD sizes: median 3000 and log-sd 0.8 within 4 standard errors', () => {
    const usd = observe().orders.map((o) => (o.side === 1 ? o.amountIn : o.amountIn * ETH_USD));
    const logs = usd.map(Math.log);
    const n = logs.length;
    const mu = logs.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(logs.reduce((s, x) => s + (x - mu) ** 2, 0) / (n - 1));
    expect(Math.abs(mu - Math.log(3000))).toBeLessThan((4 * 0.8) / Math.sqrt(n));
    expect(Math.abs(sd - 0.8)).toBeLessThan((4 * 0.8) / Math.sqrt(2 * n));
  });

  it('buys ETH (pays USD) with probability 0.3 and sends a quarter of its orders privately', () => {
    const o = observe().orders;
    const n = o.length;
    const buys = o.filter((x) => x.side === 1).length / n;
    const priv = o.filter((x) => x.isPrivate).length / n;
    expect(Math.abs(buys - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / n));
    expect(Math.abs(priv - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / n));
  });

  it('keeps sizes and sides paired across private shares: privateShare 0 and 1e-9 trade the same volume', () => {
    const volume = (privateShare: number): number[] => {
      const r = simulate(poolWorld(500, [{ kind: 'noise', id: 'noise', venue: 'pool', meanInterval: 12, medianUsd: 3000, privateShare, balances: { ETH: 1e6, USD: 1e12 } }]));
      const pool = r.venues.find((v) => v.id === 'pool')!;
      if (pool.kind !== 'cpmm') throw new Error('pool is a cpmm');
      return [r.agents.find((a) => a.id === 'noise')!.metrics.tradesAttempted!, ...pool.reserves, pool.volumeUsd];
    };
    expect(volume(1e-9)).toEqual(volume(0));
  });

  it('bounds each order at (1 − 2 %) of the v2 quote from the pool it saw', () => {
    for (const o of observe().orders) expectClose(o.minOut, amountOut(o.amountIn, o.reserveIn, o.reserveOut) * 0.98, 1e-12);
  });
});

describe('lp with an exit rule', () => {
  /**
   * ETH at σ = 150 %/yr with an arbitrageur and no other flow: the pool pays its LPs only the
   * arbitrageur's fees and loses more to it (LVR), so LPing does worse than holding.
   */
  const volatile = (exit: { outsideRate: number; reenter?: boolean }): SimConfig => ({
    ...poolWorld(1800, [
      { kind: 'lp', id: 'lp', venue: 'pool', balances: { ETH: 100, USD: 200_000 }, exit: { ...exit, window: 3600, checkEvery: 25 } },
      { kind: 'arbitrageur', id: 'arb', venue: 'pool', balances: { ETH: 1e5, USD: 1e9 } },
    ]),
    market: { assets: [{ id: 'ETH', process: { kind: 'gbm', price: ETH_USD, sigma: 1.5 } }] },
  });
  const lpOf = (r: ReturnType<typeof simulate>) => r.agents.find((a) => a.id === 'lp')!;

  it('leaves at the first check after one window when LPing trails holding, and stays out without re-entry', () => {
    const r = simulate(volatile({ outsideRate: 0, reenter: false }));
    const lp = lpOf(r);
    expect([lp.metrics.exits, lp.metrics.reentries, lp.metrics.inPool]).toEqual([1, 0, 0]);
    expect(lp.balances['LP-pool'] ?? 0).toBe(0);
    // It left because LPing did worse than holding: fees did not cover LVR.
    expect(lp.pnl.fees + lp.pnl.lvr).toBeLessThan(0);
  });

  it('comes back once the incumbent (the passive seed LP) earns above the outside rate, and alternates exits and entries', () => {
    // One-hour windows at σ = 150 %/yr: the trailing edge is noisy (fees on the path against the
    // end-to-end loss to holding) and the default hysteresis (1 %/yr) is far inside that noise.
    const lp = lpOf(simulate(volatile({ outsideRate: 0 })));
    expect(lp.metrics.exits).toBeGreaterThanOrEqual(2);
    expect(lp.metrics.reentries).toBeGreaterThanOrEqual(1);
    // Every entry follows an exit: exits − entries is 1 when out, 0 when in.
    expect(lp.metrics.exits! - lp.metrics.reentries!).toBe(1 - lp.metrics.inPool!);
  });

  it('stays in a losing pool when its outside rate is far below any loss', () => {
    const lp = lpOf(simulate(volatile({ outsideRate: -1e6 })));
    expect([lp.metrics.exits, lp.metrics.inPool]).toEqual([0, 1]);
    expect(lp.balances['LP-pool']).toBeGreaterThan(0);
  });
});

describe('lp on a triad', () => {
  /** Two blocks on a floating triad `tri` (unit U), no gas. */
  const triadRun = (agents: AgentSpec[]) =>
    simulate({
      seed: 1,
      blocks: 2,
      chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: 0, mode: 'fixed' } },
      market: { assets: [{ id: 'ETH', process: { kind: 'constant', price: ETH_USD } }] },
      tokens: [{ id: 'ETH' }],
      venues: [{ kind: 'triad', id: 'tri', unit: 'U' }],
      agents: agents.map(createAgent),
      checkInvariants: true,
    });

  it('forges its deposit [U, 1/U] at genesis, paying 2·√(u·v) "1" into an empty triad', () => {
    const r = triadRun([{ kind: 'lp', id: 'lp', venue: 'tri', deposit: [4, 9], balances: { '1': 100, ETH: 1 } }]);
    const lp = r.agents[0]!;
    expect([lp.balances.U, lp.balances['1/U'], lp.balances['1']]).toEqual([4, 9, 100 - 12]);
  });

  it('into a live triad forges the largest pool-proportional part of its deposit, leaving the price where it was', () => {
    // u = 1000, v = 4000 (price of U √(v/u) = 2 in "1"); a deposit of [100, 100] fits f = 0.025:
    // [25, 100], paying 2·f·√(u·v) = 2 · 0.025 · 2000 = 100 "1".
    const r = triadRun([
      { kind: 'lp', id: 'first', venue: 'tri', deposit: [1000, 4000], balances: { '1': 10_000, ETH: 1 } },
      { kind: 'lp', id: 'second', venue: 'tri', deposit: [100, 100], balances: { '1': 1000, ETH: 1 } },
    ]);
    const lp = r.agents[1]!;
    expectClose(lp.balances.U!, 25, 1e-12);
    expectClose(lp.balances['1/U']!, 100, 1e-12);
    expectClose(lp.balances['1']!, 1000 - 100, 1e-12);
    const tri = r.venues.find((v) => v.id === 'tri')!;
    expect(tri.kind).toBe('triad');
    if (tri.kind === 'triad') expectClose(tri.prices[0], 2, 1e-12);
  });
});

describe('arbitrageur with hedge: true', () => {
  const run = lazy(() => {
    const cfg: SimConfig = {
      ...poolWorld(600, [
        { kind: 'arbitrageur', id: 'arb', venue: 'pool', hedge: true, balances: { ETH: 1000, USD: 2_000_000 } },
        { kind: 'noise', id: 'noise', venue: 'pool', meanInterval: 12, medianUsd: 20_000, balances: { ETH: 1e6, USD: 1e12 } },
      ]),
      chain: { blockTime: BLOCK, nativeToken: 'ETH', baseFee: { initial: 5, mode: 'fixed' } },
      market: { assets: [{ id: 'ETH', process: { kind: 'gbm', price: ETH_USD, sigma: 0.8 } }], cex: { quote: 'USD', halfSpreadBps: 2 } },
    };
    const sim = new Simulation(cfg);
    let gasEth = 0;
    let fills = 0;
    sim.events.on('tx', (v: TxView) => {
      if (sim.config.agents[v.agent]!.id !== 'arb') return;
      gasEth += v.gasUsed * (v.baseFee + v.effectivePriority) * 1e-9;
      if (v.status === 2) fills++;
    });
    return { result: sim.run().result(), gasEth: () => gasEth, fills: () => fills };
  });

  it('offsets every fill on the CEX: wallet + CEX ETH ends at the start less the gas paid in ETH', () => {
    const { result, gasEth, fills } = run();
    expect(fills()).toBeGreaterThan(20);
    const arb = result.agents.find((a) => a.id === 'arb')!;
    expectClose(arb.balances.ETH! + (arb.cexBalances.ETH ?? 0), 1000 - gasEth(), 1e-10);
    expect(arb.cexBalances.ETH).not.toBe(0);
  });

  it('pays the CEX half spread on every hedge: its cex line is negative', () => {
    expect(run().result.agents.find((a) => a.id === 'arb')!.pnl.cex).toBeLessThan(0);
  });
});
