/**
 * V1 — optimal CEX–pool arbitrage on a CPMM (VALIDATION.md). Each figure comes from a run of the
 * simulator: a pool of 1000 ETH / 2,000,000 USDC seeded by an LP at genesis, and an arbitrageur agent
 * facing a constant reference price P, trading through the mempool, builder and executor. Expected
 * values are the published literals (checked to the digits printed) and the exact algebra below
 * (checked to 1e-9 relative), written independently of the engine's cpmm-math.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import type { SimConfig } from '../../sim/config';
import type { SimResult } from '../../sim/result';
import { simulate } from '../../sim/simulation';
import { TxStatus } from '../../sim/tx';
import { agent, expectLiteral, expectRel } from './helpers';

const X = 1000;
const Y = 2_000_000;
const REL = 1e-9;
/** Arbitrageur's wallet: enough for either side, small so its mark-to-market rounding stays tiny. */
const ARB = { ETH: 10, USDC: 10_000 };

interface Fill {
  status: number;
  side: number;
  amountIn: number;
  amountOut: number;
}

function scenario(price: number, feeBps: number, baseFeeGwei = 0): SimConfig {
  return {
    seed: 1,
    blocks: 1,
    chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: baseFeeGwei, mode: 'fixed' } },
    market: { assets: [{ id: 'ETH', process: { kind: 'constant', price } }] },
    tokens: [{ id: 'ETH' }, { id: 'USDC', price: { usd: 1 } }],
    venues: [{ kind: 'cpmm', id: 'pool', tokens: ['ETH', 'USDC'], feeBps }],
    agents: [
      createAgent({ kind: 'lp', id: 'lp', venue: 'pool', balances: { ETH: X, USDC: Y } }),
      createAgent({ kind: 'arbitrageur', id: 'arb', venue: 'pool', balances: { ...ARB } }),
    ],
    checkInvariants: true,
  };
}

/** Run one block; collect the arbitrageur's transactions from the 'tx' events (copied: the objects are reused). */
function run(price: number, feeBps: number, baseFeeGwei = 0): { r: SimResult; fills: Fill[] } {
  const fills: Fill[] = [];
  const r = simulate(scenario(price, feeBps, baseFeeGwei), {
    onTx: (tx) => {
      if (tx.agent !== 1) return;
      const c = tx.calls[0]!;
      fills.push({ status: tx.status, side: c.side, amountIn: c.outB, amountOut: c.outA });
    },
  });
  return { r, fills };
}

// Exact algebra (Uniswap v2 periphery's profit-maximising trade), φ = 1 − f.
const buyIn = (P: number, phi: number) => (Math.sqrt(phi * P * X * Y) - Y) / phi;
const buyOut = (P: number, phi: number) => X - Math.sqrt((X * Y) / (phi * P));
const buyProfit = (P: number, phi: number) => (Math.sqrt(P * X) - Math.sqrt(Y / phi)) ** 2;
const sellIn = (P: number, phi: number) => (Math.sqrt((phi * X * Y) / P) - X) / phi;
const sellOut = (P: number, phi: number) => Y - Math.sqrt((P * X * Y) / phi);
const sellProfit = (P: number, phi: number) => (Math.sqrt(Y) - Math.sqrt((P * X) / phi)) ** 2;

describe('V1: the arbitrageur agent makes the profit-maximising trade against a 30 bp pool', () => {
  const phi = 0.997;

  it('at P = 2020 pays 6,978.8334 USDC, receives 3.466887 ETH and earns 24.2790', () => {
    const { r, fills } = run(2020, 30);
    const arb = agent(r, 'arb');
    expect(fills.length).toBe(1);
    const f = fills[0]!;
    expect(f.status).toBe(TxStatus.Included);
    expect(f.side).toBe(1); // pays token1 (USDC) for token0 (ETH)
    const paid = ARB.USDC - (arb.balances.USDC ?? 0);
    const received = (arb.balances.ETH ?? 0) - ARB.ETH;
    for (const [v, what] of [[paid, 'balance'], [f.amountIn, 'tx call']] as const) {
      expectRel(v, buyIn(2020, phi), REL, `USDC paid (${what})`);
      expectLiteral(v, '6978.8334', `USDC paid (${what})`);
    }
    for (const [v, what] of [[received, 'balance'], [f.amountOut, 'tx call']] as const) {
      expectRel(v, buyOut(2020, phi), REL, `ETH received (${what})`);
      expectLiteral(v, '3.466887', `ETH received (${what})`);
    }
    expectRel(arb.pnl.total, buyProfit(2020, phi), REL, 'profit');
    expectLiteral(arb.pnl.total, '24.2790', 'profit');
    expect(Math.abs(arb.pnl.gas)).toBe(0); // the engine reports −0
    // Zero-sum at a constant price with free gas: the LP's loss is the arbitrageur's profit,
    // split into the fee it earned (f·Δy) and its loss-versus-rebalancing.
    const lp = agent(r, 'lp');
    expectRel(lp.pnl.total, -buyProfit(2020, phi), REL, 'LP total');
    expectRel(lp.pnl.fees, 0.003 * buyIn(2020, phi), REL, 'LP fees');
    expectRel(lp.pnl.lvr, -(buyProfit(2020, phi) + 0.003 * buyIn(2020, phi)), REL, 'LP lvr');
  });

  it('at P = 1980 sells 3.539745 ETH and earns 24.7346', () => {
    const { r, fills } = run(1980, 30);
    const arb = agent(r, 'arb');
    expect(fills.length).toBe(1);
    const f = fills[0]!;
    expect(f.status).toBe(TxStatus.Included);
    expect(f.side).toBe(0); // pays token0 (ETH)
    const sold = ARB.ETH - (arb.balances.ETH ?? 0);
    const received = (arb.balances.USDC ?? 0) - ARB.USDC;
    for (const [v, what] of [[sold, 'balance'], [f.amountIn, 'tx call']] as const) {
      expectRel(v, sellIn(1980, phi), REL, `ETH sold (${what})`);
      expectLiteral(v, '3.539745', `ETH sold (${what})`);
    }
    expectRel(received, sellOut(1980, phi), REL, 'USDC received (balance)');
    expectRel(f.amountOut, sellOut(1980, phi), REL, 'USDC received (tx call)');
    expectRel(arb.pnl.total, sellProfit(1980, phi), REL, 'profit');
    expectLiteral(arb.pnl.total, '24.7346', 'profit');
  });

  it('with f = 0 at P = 2020 earns 49.7516, which is the LP’s one-block loss-versus-rebalancing', () => {
    const { r, fills } = run(2020, 0);
    const arb = agent(r, 'arb');
    const lp = agent(r, 'lp');
    expect(fills.map((f) => f.status)).toEqual([TxStatus.Included]);
    expectRel(arb.pnl.total, buyProfit(2020, 1), REL, 'profit');
    expectLiteral(arb.pnl.total, '49.7516', 'profit');
    expectRel(lp.pnl.lvr, -buyProfit(2020, 1), REL, 'LP lvr');
    expectLiteral(lp.pnl.lvr, '-49.7516', 'LP lvr');
    expect(lp.pnl.fees).toBe(0);
    // The pool ends at the reference price.
    const pool = r.venues[0]!;
    expect(pool.kind).toBe('cpmm');
    if (pool.kind === 'cpmm') expectRel(pool.price, 2020, 1e-12, 'pool price');
  });

  it.each([2000, 1994.5, 2005.5])('inside the no-trade band [1994.00, 2006.02], at P = %s, does not trade', (P) => {
    const { r, fills } = run(P, 30);
    const arb = agent(r, 'arb');
    expect(fills).toEqual([]);
    expect(arb.txs.sent).toBe(0);
    expect(arb.pnl.total).toBe(0);
    const pool = r.venues[0]!;
    expect(pool.kind === 'cpmm' && pool.reserves).toEqual([X, Y]);
  });

  it.each([1993.9, 2006.1])('just outside the band, at P = %s, trades', (P) => {
    const { r, fills } = run(P, 30);
    expect(fills.map((f) => f.status)).toEqual([TxStatus.Included]);
    expect(agent(r, 'arb').pnl.total).toBeGreaterThan(0);
  });
});

describe('V1 with gas: the arbitrageur trades only when the profit beats the gas', () => {
  // Swap gas 110,000 (default table), priority fee 0, ETH = 2020: break-even base fee
  // = 24.2790 / (110,000 · 1e-9 · 2020) = 109.27 gwei.
  const gasUsd = (gwei: number) => 110_000 * gwei * 1e-9 * 2020;

  it.each([110, 200])('at a %s gwei base fee (swap costs more than 24.28) it sends nothing', (gwei) => {
    expect(gasUsd(gwei)).toBeGreaterThan(buyProfit(2020, 0.997));
    const { r, fills } = run(2020, 30, gwei);
    const arb = agent(r, 'arb');
    expect(fills).toEqual([]);
    expect(arb.txs.sent).toBe(0);
    expect(arb.pnl.total).toBe(0);
    expect(Math.abs(arb.pnl.gas)).toBe(0); // the engine reports −0
    const pool = r.venues[0]!;
    expect(pool.kind === 'cpmm' && pool.reserves).toEqual([X, Y]);
  });

  it.each([50, 109])('at a %s gwei base fee it trades and nets the profit less the gas', (gwei) => {
    const { r, fills } = run(2020, 30, gwei);
    const arb = agent(r, 'arb');
    expect(fills.map((f) => f.status)).toEqual([TxStatus.Included]);
    expectRel(arb.pnl.gas, -gasUsd(gwei), REL, 'gas');
    expectRel(arb.pnl.total, buyProfit(2020, 0.997) - gasUsd(gwei), REL, 'net profit');
    // At a constant price nothing is gained by holding: the profit before gas is its trading less the pool fee it paid.
    expect(arb.pnl.hold).toBe(0);
    expect(arb.pnl.swapFees).toBeLessThan(0);
    expect(Math.abs(arb.pnl.trading + arb.pnl.swapFees + arb.pnl.gas - arb.pnl.total)).toBeLessThan(1e-9);
    expectRel(arb.pnl.trading + arb.pnl.swapFees, buyProfit(2020, 0.997), REL, 'trading profit before gas');
  });
});
