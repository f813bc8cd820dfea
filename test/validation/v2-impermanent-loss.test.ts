/**
 * V2 — impermanent loss of a fee-free CPMM (VALIDATION.md). The reference price steps from P0 to
 * r·P0 at block 1 (a scripted `path` process); the arbitrageur agent closes the gap with zero gas.
 * The LP's result is compared with buying and holding its deposit:
 *   LP value / HODL value − 1 = 2√r/(1 + r) − 1,  HODL − LP = (V0/2)(√r − 1)².
 * Published literals are checked to the digits printed; the closed forms, written out here, to 1e-12.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import type { SimConfig } from '../../sim/config';
import { simulate } from '../../sim/simulation';
import { agent, expectLiteral, expectRel } from './helpers';

const P0 = 2000;
const X = 1000;
const Y = 2_000_000;
const V0 = X * P0 + Y;
const REL = 1e-12;

function scenario(r: number, blocks: number): SimConfig {
  return {
    seed: 1,
    blocks,
    chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: 0, mode: 'fixed' } },
    market: { assets: [{ id: 'ETH', process: { kind: 'path', points: [[0, P0], [12, r * P0]] } }] },
    tokens: [{ id: 'ETH' }, { id: 'USDC', price: { usd: 1 } }],
    venues: [{ kind: 'cpmm', id: 'pool', tokens: ['ETH', 'USDC'], feeBps: 0 }],
    agents: [
      createAgent({ kind: 'lp', id: 'lp', venue: 'pool', balances: { ETH: X, USDC: Y } }),
      createAgent({ kind: 'arbitrageur', id: 'arb', venue: 'pool', balances: { ETH: 10_000, USDC: 10_000_000 } }),
    ],
    checkInvariants: true,
  };
}

/** Exact closed forms. */
const ilRatio = (r: number) => (2 * Math.sqrt(r)) / (1 + r);
const ilDollars = (r: number) => (V0 / 2) * (Math.sqrt(r) - 1) ** 2;

// r, published LP/HODL − 1 in percent.
const TABLE: [number, string][] = [
  [2, '-5.719'],
  [0.5, '-5.719'],
  [1.5, '-2.0204'],
  [4, '-20.000'],
];

describe('V2: an LP in a fee-free pool arbitraged from P0 to r·P0 ends 2√r/(1+r) of HODL', () => {
  it.each(TABLE)('r = %s: LP / HODL − 1 = %s%%', (r, literal) => {
    const res = simulate(scenario(r, 1));
    const lp = agent(res, 'lp');
    expect(res.prices.ETH).toBe(r * P0);
    expect(agent(res, 'arb').txs.included).toBe(1);
    // The arbitrageur closed the gap: the pool sits at the new reference price.
    const pool = res.venues[0]!;
    if (pool.kind !== 'cpmm') throw new Error('pool expected');
    expectRel(pool.price, r * P0, REL, 'pool price');

    expectRel(lp.initialValue, V0, REL, 'V0');
    expectRel(lp.hodlValue, X * r * P0 + Y, REL, 'HODL value');
    const ratio = lp.finalValue / lp.hodlValue;
    expectRel(ratio, ilRatio(r), REL, 'LP / HODL');
    expectLiteral(100 * (ratio - 1), literal, 'LP / HODL − 1 (%)');
    expectRel(lp.hodlValue - lp.finalValue, ilDollars(r), REL, 'dollar loss');
  });

  it('r = 4 gives exactly −20%', () => {
    const lp = agent(simulate(scenario(4, 1)), 'lp');
    expectRel(lp.finalValue / lp.hodlValue - 1, -0.2, REL, 'LP / HODL − 1');
    expectRel(lp.hodlValue - lp.finalValue, V0 / 2, REL, 'dollar loss (V0/2)(√4 − 1)² = V0/2');
  });

  it.each([2, 0.5, 1.5, 4])('r = %s: for one jump the loss equals the arbitrageur’s profit and the LP’s LVR', (r) => {
    const res = simulate(scenario(r, 1));
    const lp = agent(res, 'lp');
    const arb = agent(res, 'arb');
    // The arbitrageur's gain from trading, net of the revaluation of what it held: final vs HODL.
    expectRel(arb.finalValue - arb.hodlValue, ilDollars(r), 1e-9, 'arbitrage profit');
    expectRel(-lp.pnl.lvr, ilDollars(r), 1e-9, 'LP loss-versus-rebalancing');
    expect(lp.pnl.fees).toBe(0);
  });

  it('the pool stays put once closed: more blocks change nothing', () => {
    const one = agent(simulate(scenario(2, 1)), 'lp');
    const many = simulate(scenario(2, 10));
    expect(agent(many, 'arb').txs.sent).toBe(1);
    expect(agent(many, 'lp').finalValue).toBe(one.finalValue);
  });
});
