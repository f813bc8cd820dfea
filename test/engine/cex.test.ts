/**
 * The off-chain venue: a CEX order fills after the agent's CEX latency at the reference price of
 * that moment, moved by the half spread and the linear impact, plus a proportional fee; the cost
 * of spread, impact and fee is the agent's `cex` P&L line. Expected values are written out here.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import type { SimConfig, CexConfig } from '../../sim/config';
import type { AgentLatencies } from '../../sim/agent';
import { simulate } from '../../sim/simulation';
import { expectClose, TestAgent } from './helpers';

/**
 * ETH at $2000 until t = 13 s, then $2100 (a step path ticked every second); `trader` orders `qty`
 * ETH on the CEX just before block 1 (t = 12 s).
 */
function cexWorld(qty: number, cex: CexConfig, latency: AgentLatencies = {}): SimConfig {
  return {
    seed: 1,
    blocks: 3,
    chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: 0, mode: 'fixed' } },
    market: { tick: 1, assets: [{ id: 'ETH', process: { kind: 'path', points: [[0, 2000], [13, 2000], [14, 2100]], interpolate: 'step' } }], cex },
    tokens: [{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }],
    venues: [],
    agents: [createAgent({ kind: 'scripted', id: 'trader', balances: { ETH: 1, USD: 100_000 }, latency, actions: [{ block: 1, do: 'cex', token: 'ETH', qty }] })],
    checkInvariants: true,
  };
}

const CEX: CexConfig = { quote: 'USD', halfSpreadBps: 5, feeBps: 10, impact: 0.001 };

describe('a CEX order', () => {
  it('buys at mid × (1 + half spread + impact × qty) and pays the fee on top, in the CEX account', () => {
    const r = simulate(cexWorld(2, CEX));
    const t = r.agents[0]!;
    // 2000 × (1 + 0.0005 + 0.002) = 2005 per ETH; fee 10 bp of 4010 = 4.01.
    expect(t.cexBalances.ETH).toBe(2);
    expectClose(t.cexBalances.USD!, -(2 * 2005 + 4.01));
    // Spread and impact (2 × 2000 × 0.0025 = 10) plus the fee.
    expectClose(t.pnl.cex, -14.01);
  });

  it('sells at mid × (1 − half spread − impact × |qty|)', () => {
    const t = simulate(cexWorld(-2, CEX)).agents[0]!;
    // 2000 × (1 − 0.0025) = 1995; receives 3990 less the 3.99 fee.
    expect(t.cexBalances.ETH).toBe(-2);
    expectClose(t.cexBalances.USD!, 2 * 1995 - 3.99);
    expectClose(t.pnl.cex, -(10 + 3.99));
  });

  it('fills at the price of the moment it arrives: after a 3 s CEX latency, at $2100', () => {
    const t = simulate(cexWorld(2, CEX, { cex: 3 })).agents[0]!;
    const price = 2100 * 1.0025;
    expectClose(t.cexBalances.USD!, -(2 * price + 2 * price * 0.001));
    expectClose(t.pnl.cex, -(2 * 2100 * 0.0025 + 2 * price * 0.001));
  });

  it('with no spread, impact or fee costs nothing: the cex line is zero and only the price move counts', () => {
    const t = simulate(cexWorld(2, { quote: 'USD' })).agents[0]!;
    expectClose(t.cexBalances.USD!, -4000);
    expect(t.pnl.cex).toBe(0);
    // Bought 2 ETH at 2000, marked at 2100: +200 of trading P&L.
    expectClose(t.pnl.total, 200 + 100, 1e-9);
  });

  it('is refused with a clear error when the market has no CEX', () => {
    expect(() => simulate({ ...cexWorld(2, CEX), market: { assets: [{ id: 'ETH', process: { kind: 'constant', price: 2000 } }] } })).toThrow(/sent a CEX order but the market has no CEX/);
  });
});

describe('an OTC settlement', () => {
  it('is settled by the kernel after the agent returns (agents never change the world), into the CEX account, as options P&L', () => {
    const seen: number[] = [];
    let usd = -1;
    let wakes = 0;
    const desk = new TestAgent('desk', {
      balances: { ETH: 1 },
      schedule: { kind: 'interval', seconds: 1, offset: 5 },
      setup: (ctx) => void (usd = ctx.token('USD')),
      act: (view, out) => {
        if (++wakes > 2) return;
        seen.push(view.cexBalance(usd));
        if (wakes === 1) out.otc(usd, 250);
        // Unchanged inside the call: the settlement is the kernel's to make.
        seen.push(view.cexBalance(usd));
      },
    });
    const r = simulate({ ...cexWorld(0, CEX), agents: [desk] });
    expect(seen).toEqual([0, 0, 250, 250]);
    const a = r.agents.find((x) => x.id === 'desk')!;
    expect(a.cexBalances).toEqual({ USD: 250 });
    // The contract is options P&L; the 1 ETH it holds gains the path's $100 step by holding.
    expect([a.pnl.options, a.pnl.hold, a.pnl.trading, a.pnl.total]).toEqual([250, 100, 0, 350]);
  });
});
