/**
 * The transfer ledger against exact algebra, through the simulator: one swap on a pool of two LPs
 * (fee = 30 bp × amount in at the reference price, split 2:1 by shares; price = φ·a·p − Uniswap v2's
 * output, the impact against the reference) and its gas (tip to the builder, base fee to the burn);
 * one forge on a triad (the other holder's U·Δp(U) + V·Δp(1/U), paid by the forger).
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import type { SimConfig } from '../../sim/config';
import type { SimResult } from '../../sim/result';
import { simulate } from '../../sim/simulation';
import { amountOut, ETH_USD, expectClose, PHI, POOL_ETH, POOL_USD, world } from '../engine/helpers';

/** USD `from` paid `to` as `kind` over the run (net). */
function paid(r: SimResult, kind: string, from: string, to: string): number {
  const p = r.transfers.parties;
  const m = r.transfers.byKind[kind]!;
  return m[p.indexOf(from)]![p.indexOf(to)]! - m[p.indexOf(to)]![p.indexOf(from)]!;
}

describe('one swap', () => {
  const A = 2;
  const cfg: SimConfig = world({
    agents: [
      createAgent({ kind: 'scripted', id: 'lp2', balances: { ETH: POOL_ETH / 2, USD: POOL_USD / 2 }, actions: [{ do: 'addLiquidity', venue: 'pool', amounts: [POOL_ETH / 2, POOL_USD / 2], genesis: true }] }),
      createAgent({ kind: 'scripted', id: 'trader', balances: { ETH: 10 }, priorityFee: 2, actions: [{ do: 'swap', venue: 'pool', pay: 'ETH', amount: A, block: 1 }] }),
    ],
  });
  const r = simulate(cfg);
  const x = POOL_ETH * 1.5;
  const y = POOL_USD * 1.5;
  const out = amountOut(A, x, y);
  const fee = (1 - PHI) * A * ETH_USD;
  const impact = PHI * A * ETH_USD - out;

  it('the fee goes to the LPs pro rata to shares (2:1)', () => {
    expectClose(paid(r, 'fee', 'trader', 'lp'), (fee * 2) / 3);
    expectClose(paid(r, 'fee', 'trader', 'lp2'), fee / 3);
  });

  it('the price impact against the reference too: φ·a·p − y·φa/(x + φa)', () => {
    expect(impact).toBeGreaterThan(0);
    expectClose(paid(r, 'price', 'trader', 'lp'), (impact * 2) / 3, 1e-9);
    expectClose(paid(r, 'price', 'trader', 'lp2'), impact / 3, 1e-9);
    // … and it is the LPs' LVR (positive: uninformed flow traded worse than the reference).
    const lvr = r.agents.filter((a) => a.id !== 'trader').reduce((s, a) => s + a.pnl.lvr, 0);
    expectClose(lvr, impact, 1e-9);
  });

  it('gas: the tip to the builder, the base fee to the burn', () => {
    const t = r.agents.find((a) => a.id === 'trader')!;
    expect(t.gasPaid.priorityUsd).toBeGreaterThan(0);
    expectClose(paid(r, 'gas', 'trader', 'builder'), t.gasPaid.priorityUsd);
    expectClose(paid(r, 'gas', 'trader', 'burn'), t.gasPaid.baseUsd);
    expect(t.transfers.byCounterparty.builder).toEqual({ paid: t.gasPaid.priorityUsd, received: 0 });
  });

  it('the trader paid exactly that; the LPs received nothing else', () => {
    const t = r.agents.find((a) => a.id === 'trader')!.transfers;
    expectClose(t.paid, fee + impact + t.byCounterparty.builder!.paid + t.byCounterparty.burn!.paid, 1e-12);
    expect(t.received).toBe(0);
    // Between the LPs only the float rounding of lp2's deposit at the pool's ratio (~1e-16 of it).
    const lp = r.agents.find((a) => a.id === 'lp')!.transfers;
    const real = Object.entries(lp.byCounterparty).filter(([, f]) => f.paid + f.received > 1e-9 * POOL_USD);
    expect(Object.keys(lp.byCounterparty)).toEqual(['lp2', 'trader', 'builder', 'burn', 'cex']);
    expect(real.map(([id]) => id)).toEqual(['trader']);
    expect(r.transfers.paid[r.transfers.parties.indexOf('lp')]!.every((v) => v === 0)).toBe(true);
  });
});

describe('one forge', () => {
  // `maker` forges 3 U and 12 1/U in block 1, then `actor` mints 1 U in block 2 (price of U in "1":
  // √(v/u) from 2 to √3; of 1/U: √(u/v) from 1/2 to 1/√3).
  const cfg: SimConfig = {
    seed: 1,
    blocks: 3,
    chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: 10, mode: 'fixed' } },
    market: { assets: [{ id: 'ETH', process: { kind: 'constant', price: 2000 } }] },
    tokens: [{ id: 'ETH' }],
    venues: [{ kind: 'triad', id: 'tri', unit: 'U' }],
    agents: [
      createAgent({ kind: 'scripted', id: 'maker', balances: { '1': '1000', ETH: '1' }, actions: [{ block: 1, do: 'forge', venue: 'tri', du: '3', dv: '12' }] }),
      createAgent({ kind: 'scripted', id: 'actor', balances: { '1': '1000', ETH: '1' }, actions: [{ block: 2, do: 'forge', venue: 'tri', du: '1', dv: '0' }] }),
    ],
    checkInvariants: true,
  };
  const r = simulate(cfg);

  it('the forger pays every other holder U·Δp(U) + V·Δp(1/U)', () => {
    const expected = 3 * (Math.sqrt(12 / 4) - Math.sqrt(12 / 3)) + 12 * (Math.sqrt(4 / 12) - Math.sqrt(3 / 12));
    // Minting U lowers its price and raises 1/U's: the maker, long more 1/U in value, gains.
    expect(expected).toBeGreaterThan(0.1);
    expectClose(paid(r, 'price', 'actor', 'maker'), expected, 1e-12);
    // The maker's forge in block 1 met no other holder: it paid nobody but gas.
    const maker = r.agents.find((a) => a.id === 'maker')!.transfers;
    const dealt = Object.entries(maker.byCounterparty).filter(([, f]) => f.paid + f.received > 0).map(([id]) => id);
    expect(dealt.filter((p) => p !== 'builder' && p !== 'burn')).toEqual(['actor']);
    expectClose(maker.byCounterparty.actor!.received, expected, 1e-12);
  });

  it('reversed, the forge is paid back: burning the U again returns the maker to 0', () => {
    const back = simulate({
      ...cfg,
      agents: [
        cfg.agents[0]!,
        createAgent({ kind: 'scripted', id: 'actor', balances: { '1': '1000', ETH: '1' }, actions: [{ block: 2, do: 'forge', venue: 'tri', du: '1', dv: '0' }, { block: 3, do: 'forge', venue: 'tri', du: '-1', dv: '0' }] }),
      ],
    });
    expect(Math.abs(paid(back, 'price', 'actor', 'maker'))).toBeLessThan(1e-12);
  });
});
