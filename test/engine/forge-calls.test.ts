/**
 * Forge calls through the engine, in float and exact-integer mode: the triad's reverts
 * (TRIAD_NEGATIVE_SUPPLY, INSUFFICIENT_BALANCE for U, 1/U and "1", TRIAD_SLIPPAGE on the protected
 * variant) each paying 51,000 gas and changing nothing else; and the compound pool
 * (`shares: invariant`, Uniteum forge(V, du, dv)) paying W = 2·(√(x1·y1) − √(x0·y0)), with
 * deposits and withdrawals of its share token. Expected values are the forge formulas written out.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import type { ScriptedAction } from '../../agents/scripted';
import type { SimConfig, VenueConfig } from '../../sim/config';
import { simulate } from '../../sim/simulation';
import type { SimResult } from '../../sim/result';
import { isqrt } from '../../sim/venues/exact-math';
import { expectClose, record } from './helpers';
import { Simulation } from '../../sim/simulation';

const E18 = 10n ** 18n;
type Numeric = 'float' | 'exact';

/** A triad world: `maker` forges 3 U and 12 1/U in block 1 (cost 2·√36 = 12 "1"), then `actor` acts. */
function triadWorld(numeric: Numeric, actor: ScriptedAction[], opts: { protected?: boolean; actorOne?: string } = {}): SimConfig {
  const venue: VenueConfig = { kind: 'triad', id: 'tri', unit: 'U', protected: opts.protected === true };
  return {
    seed: 1,
    blocks: 3,
    numeric,
    chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: 10, mode: 'fixed' } },
    market: { assets: [{ id: 'ETH', process: { kind: 'constant', price: 2000 } }] },
    tokens: [{ id: 'ETH' }],
    venues: [venue],
    agents: [
      createAgent({ kind: 'scripted', id: 'maker', balances: { '1': '1000', ETH: '1' }, actions: [{ block: 1, do: 'forge', venue: 'tri', du: '3', dv: '12' }] }),
      createAgent({ kind: 'scripted', id: 'actor', balances: { '1': opts.actorOne ?? '1000', ETH: '1' }, actions: actor }),
    ],
    checkInvariants: true,
  };
}

interface Receipt {
  agent: string;
  status: string;
  revert: string;
  gasUsed: number;
}

function runWithReceipts(cfg: SimConfig): { result: SimResult; receipts: Receipt[] } {
  const sim = new Simulation(cfg);
  const rec = record(sim);
  const result = sim.run().result();
  return { result, receipts: rec.txs.filter((t) => t.block > 0).map((t) => ({ agent: t.agent, status: t.status, revert: t.revert, gasUsed: t.gasUsed })) };
}

const supplies = (r: SimResult): [number, number] => {
  const v = r.venues[0]!;
  if (v.kind !== 'triad') throw new Error('venue 0 is not a triad');
  return v.supplies;
};

describe.each<Numeric>(['float', 'exact'])('triad reverts (%s)', (numeric) => {
  const expectRevert = (cfg: SimConfig, revert: string): SimResult => {
    const { result, receipts } = runWithReceipts(cfg);
    expect(receipts.filter((t) => t.agent === 'actor')).toEqual([{ agent: 'actor', status: 'reverted', revert, gasUsed: 51_000 }]);
    // Nothing moved but the maker's forge: supplies 3 and 12, the actor's "1" untouched.
    expect(supplies(result)).toEqual([3, 12]);
    const actor = result.agents.find((a) => a.id === 'actor')!;
    expect(actor.balances['1']).toBe(cfg.agents[1]!.balances!['1'] === '1' ? 1 : 1000);
    expect(actor.balances.U ?? 0).toBe(0);
    return result;
  };

  it('TRIAD_NEGATIVE_SUPPLY: burning more U than exists', () => {
    expectRevert(triadWorld(numeric, [{ block: 2, do: 'forge', venue: 'tri', du: '-4', dv: '0' }]), 'TRIAD_NEGATIVE_SUPPLY');
  });

  it('INSUFFICIENT_BALANCE: burning U the caller does not hold (it exists, held by another)', () => {
    expectRevert(triadWorld(numeric, [{ block: 2, do: 'forge', venue: 'tri', du: '-1', dv: '0' }]), 'INSUFFICIENT_BALANCE');
  });

  it('INSUFFICIENT_BALANCE: burning 1/U the caller does not hold', () => {
    expectRevert(triadWorld(numeric, [{ block: 2, do: 'forge', venue: 'tri', du: '0', dv: '-1' }]), 'INSUFFICIENT_BALANCE');
  });

  it('INSUFFICIENT_BALANCE: a forge costing more "1" than the caller holds', () => {
    // From (3, 12) to (6, 24): the caller pays 2·(√144 − √36) = 12 "1" but holds 1.
    expectRevert(triadWorld(numeric, [{ block: 2, do: 'forge', venue: 'tri', du: '3', dv: '12' }], { actorOne: '1' }), 'INSUFFICIENT_BALANCE');
  });

  it('TRIAD_SLIPPAGE on the protected variant: a min "1" just above the quote reverts (one wei in exact mode), at the quote it passes', () => {
    // The same forge costs exactly 12 "1": dw = −12.
    const above = numeric === 'exact' ? '-11.999999999999999999' : '-11.9999999999';
    expectRevert(triadWorld(numeric, [{ block: 2, do: 'forge', venue: 'tri', du: '3', dv: '12', minOne: above }], { protected: true }), 'TRIAD_SLIPPAGE');
    const { result, receipts } = runWithReceipts(triadWorld(numeric, [{ block: 2, do: 'forge', venue: 'tri', du: '3', dv: '12', minOne: '-12' }], { protected: true }));
    expect(receipts.find((t) => t.agent === 'actor')!.status).toBe('included');
    expect(result.agents.find((a) => a.id === 'actor')!.balances['1']).toBe(988);
  });

  it('ignores the bound on the unprotected triad (the contract has none)', () => {
    const { receipts } = runWithReceipts(triadWorld(numeric, [{ block: 2, do: 'forge', venue: 'tri', du: '3', dv: '12', minOne: '0' }]));
    expect(receipts.find((t) => t.agent === 'actor')!.status).toBe('included');
  });
});

/** A compound pool of ETH/USD seeded by `lp` at genesis with 16 ETH and 25,600 USD: W = 2·√(16·25600) = 1280. */
function compoundWorld(numeric: Numeric, actions: ScriptedAction[]): SimConfig {
  return {
    seed: 1,
    blocks: 4,
    numeric,
    chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: 0, mode: 'fixed' } },
    market: { assets: [{ id: 'ETH', process: { kind: 'constant', price: 1600 } }] },
    tokens: [{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }],
    venues: [{ kind: 'cpmm', id: 'cp', tokens: ['ETH', 'USD'], feeBps: 0, shares: 'invariant', lpToken: 'W' }],
    agents: [
      createAgent({ kind: 'scripted', id: 'lp', balances: { ETH: '16', USD: '25600' }, actions: [{ genesis: true, do: 'addLiquidity', venue: 'cp', amounts: ['16', '25600'] }] }),
      createAgent({ kind: 'scripted', id: 'user', balances: { ETH: '10', USD: '100000' }, actions }),
    ],
    checkInvariants: true,
  };
}

const balance = (r: SimResult, agent: string, token: string): number => r.agents.find((a) => a.id === agent)!.balances[token] ?? 0;
const weiOf = (r: SimResult, agent: string, token: string): bigint => BigInt(r.agents.find((a) => a.id === agent)!.balancesWei?.[token] ?? '0');

describe('the compound pool (shares: invariant)', () => {
  it('mints W = 2·√(x·y) to the first depositor', () => {
    const r = simulate(compoundWorld('float', []));
    expect(balance(r, 'lp', 'W')).toBe(1280);
    const v = r.venues[0]!;
    expect(v.kind === 'cpmm' && [v.reserves, v.totalShares]).toEqual([[16, 25600], 1280]);
  });

  it('forge(−du, −dv) deposits both tokens for W = 2·(√(x1·y1) − √(x0·y0)), and the reverse forge returns them for the same W', () => {
    // Deposit 9 ETH and 14,400 USD: (25, 40000) → W = 2·(√1,000,000 − √409,600) = 2·(1000 − 640) = 720.
    const r1 = simulate({ ...compoundWorld('float', [{ block: 1, do: 'forge', venue: 'cp', du: -9, dv: -14_400 }]), blocks: 1 });
    expect(balance(r1, 'user', 'W')).toBe(720);
    expect([balance(r1, 'user', 'ETH'), balance(r1, 'user', 'USD')]).toEqual([1, 85_600]);
    const r2 = simulate(
      compoundWorld('float', [
        { block: 1, do: 'forge', venue: 'cp', du: -9, dv: -14_400 },
        { block: 2, do: 'forge', venue: 'cp', du: 9, dv: 14_400 },
      ]),
    );
    expect([balance(r2, 'user', 'W'), balance(r2, 'user', 'ETH'), balance(r2, 'user', 'USD')]).toEqual([0, 10, 100_000]);
  });

  it('a one-sided forge pays W at the irrational square root, and removing liquidity pays the share of reserves', () => {
    const r = simulate(
      compoundWorld('float', [
        { block: 1, do: 'forge', venue: 'cp', du: -2, dv: 0 },
        { block: 2, do: 'removeLiquidity', venue: 'cp', shares: 'all' },
      ]),
    );
    const w = 2 * (Math.sqrt(18 * 25_600) - Math.sqrt(16 * 25_600));
    // Burning w of the 1280 + w outstanding returns w / (1280 + w) of each reserve.
    const share = w / (1280 + w);
    expectClose(balance(r, 'user', 'ETH'), 8 + 18 * share);
    expectClose(balance(r, 'user', 'USD'), 100_000 + 25_600 * share);
    expect(balance(r, 'user', 'W')).toBe(0);
  });

  it('reverts a withdrawal of more than the pool holds (INSUFFICIENT_LIQUIDITY) and a burn of W not held (INSUFFICIENT_BALANCE)', () => {
    const { receipts } = runWithReceipts(
      compoundWorld('float', [
        { block: 1, do: 'forge', venue: 'cp', du: 17, dv: 0 },
        { block: 2, do: 'forge', venue: 'cp', du: 1, dv: 1600 },
      ]),
    );
    expect(receipts.filter((t) => t.agent === 'user').map((t) => t.revert)).toEqual(['INSUFFICIENT_LIQUIDITY', 'INSUFFICIENT_BALANCE']);
  });

  it('in exact mode pays W = 2·(isqrt(x1·y1) − isqrt(x0·y0)) to the wei, and the round trip returns every wei', () => {
    const x0 = 16n * E18;
    const y0 = 25_600n * E18;
    const r1 = simulate({ ...compoundWorld('exact', [{ block: 1, do: 'forge', venue: 'cp', du: '-2', dv: '-3' }]), blocks: 1 });
    const expected = 2n * (isqrt((x0 + 2n * E18) * (y0 + 3n * E18)) - isqrt(x0 * y0));
    expect(weiOf(r1, 'user', 'W')).toBe(expected);
    expect(weiOf(r1, 'lp', 'W')).toBe(2n * isqrt(x0 * y0));
    const r2 = simulate(
      compoundWorld('exact', [
        { block: 1, do: 'forge', venue: 'cp', du: '-2', dv: '-3' },
        { block: 2, do: 'forge', venue: 'cp', du: '2', dv: '3' },
      ]),
    );
    // Floor square roots: withdrawing the same amounts burns exactly the W minted.
    expect([weiOf(r2, 'user', 'W'), weiOf(r2, 'user', 'ETH'), weiOf(r2, 'user', 'USD')]).toEqual([0n, 10n * E18, 100_000n * E18]);
  });
});
