/**
 * Exact-integer mode through the engine: the same scenario machinery, amounts in wei with the
 * contracts' rounding, so results match the chain to the wei. Expected values come from the
 * Uniswap v2 test vectors, known square-root digits and exact integer arithmetic written out here.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import type { ScriptedAction } from '../../agents/scripted';
import type { SimConfig } from '../../sim/config';
import { simulate } from '../../sim/simulation';
import type { SimResult } from '../../sim/result';

const E18 = 10n ** 18n;

function pool(actions: ScriptedAction[], extra: Partial<SimConfig> = {}): SimConfig {
  return {
    seed: 1,
    blocks: 3,
    numeric: 'exact',
    chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: 0, mode: 'fixed' } },
    market: { assets: [{ id: 'ETH', process: { kind: 'constant', price: 2000 } }] },
    tokens: [{ id: 'ETH' }, { id: 'TKA', price: { usd: 1 } }, { id: 'TKB', price: { usd: 1 } }],
    venues: [{ kind: 'cpmm', id: 'pair', tokens: ['TKA', 'TKB'], feeBps: 30 }],
    agents: [
      createAgent({ kind: 'scripted', id: 'lp', balances: { TKA: '5', TKB: '10', ETH: '1' }, actions: [{ genesis: true, do: 'addLiquidity', venue: 'pair', amounts: ['5', '10'] }] }),
      createAgent({ kind: 'scripted', id: 'trader', balances: { TKA: '100', TKB: '100', ETH: '1' }, actions }),
    ],
    checkInvariants: true,
    ...extra,
  };
}

const wei = (r: SimResult, agent: string, token: string): bigint => BigInt(r.agents.find((a) => a.id === agent)!.balancesWei?.[token] ?? '0');

describe('exact-integer mode', () => {
  it('reproduces the Uniswap v2 swap vector to the wei: 1 into (5, 10) pays out 1662497915624478906', () => {
    const r = simulate(pool([{ block: 1, do: 'swap', venue: 'pair', pay: 'TKA', amount: '1' }]));
    expect(wei(r, 'trader', 'TKB') - 100n * E18).toBe(1662497915624478906n);
    expect(wei(r, 'trader', 'TKA')).toBe(99n * E18);
    expect(r.venues[0]!.kind === 'cpmm' && r.venues[0]!.reservesWei).toEqual([(6n * E18).toString(), (10n * E18 - 1662497915624478906n).toString()]);
  });

  it('mints √(a0·a1) − 1000 shares on the first deposit and locks the 1000 forever', () => {
    const r = simulate(pool([]));
    // √50 = 7.0710678118654752440084436…, so isqrt(5e18 · 10e18) = 7071067811865475244.
    expect(wei(r, 'lp', 'LP-pair')).toBe(7071067811865475244n - 1000n);
    expect(BigInt(r.agents.find((a) => a.id === 'lp')!.balancesWei!['LP-pair']!) + 1000n).toBe(7071067811865475244n);
  });

  it('pays exactly one wei more than needed on an exact-output swap with an exact division, as v2 does', () => {
    // getAmountIn(out, reserveIn, reserveOut) = reserveIn·out·1000 / ((reserveOut − out)·997) + 1, floor.
    const out = 1n * E18;
    const expectedIn = (5n * E18 * out * 1000n) / ((10n * E18 - out) * 997n) + 1n;
    const r = simulate(pool([{ block: 1, do: 'swapExactOut', venue: 'pair', receive: 'TKB', amount: '1' }]));
    expect(100n * E18 - wei(r, 'trader', 'TKA')).toBe(expectedIn);
    expect(wei(r, 'trader', 'TKB') - 100n * E18).toBe(out);
  });

  it('charges gas in wei: 110,000 gas at a 10 gwei base fee and 2 gwei tip costs 1.32e15 wei', () => {
    const r = simulate(pool([{ block: 1, do: 'swap', venue: 'pair', pay: 'TKA', amount: '1', priorityFee: 2 }], { chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: 10, mode: 'fixed' } } }));
    expect(E18 - wei(r, 'trader', 'ETH')).toBe(110_000n * 12n * 10n ** 9n);
    expect(r.builder.burnedNative).toBeCloseTo(110_000 * 10e-9, 15);
    expect(r.builder.priorityFeesNative).toBeCloseTo(110_000 * 2e-9, 15);
  });

  it('moves the base fee by EIP-1559 integer arithmetic: 10 → 11.25 → 12.65625 gwei on full blocks', () => {
    const cfg = pool([], { chain: { blockTime: 12, nativeToken: 'ETH', gasLimit: 30_000_000, baseFee: { initial: 10 }, background: { meanGas: 30_000_000 } } });
    const r = simulate({ ...cfg, blocks: 2 });
    // 10e9 + 10e9·15e6/15e6/8 = 11.25e9; 11.25e9 + 11.25e9/8 = 12.65625e9 (exact in wei).
    expect(r.finalBaseFee).toBe(12.65625);
  });

  it('forges from an empty floating triad at a cost of exactly 2·isqrt(a·b) and liquidates back to the same "1"', () => {
    const cfg: SimConfig = {
      seed: 1,
      blocks: 4,
      numeric: 'exact',
      chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: 0, mode: 'fixed' } },
      market: { assets: [{ id: 'ETH', process: { kind: 'constant', price: 2000 } }] },
      tokens: [{ id: 'ETH' }],
      venues: [{ kind: 'triad', id: 'tri', unit: 'U' }],
      agents: [
        createAgent({
          kind: 'scripted',
          id: 'solo',
          balances: { '1': '1000', ETH: '1' },
          actions: [
            { block: 1, do: 'forge', venue: 'tri', du: '3', dv: '12' },
            { block: 3, do: 'liquidate', venue: 'tri' },
          ],
        }),
      ],
      checkInvariants: true,
    };
    const after1 = simulate({ ...cfg, blocks: 1 });
    // isqrt(3e18 · 12e18) = 6e18 exactly: the forge costs 12e18 wei of "1".
    expect(1000n * E18 - wei(after1, 'solo', '1')).toBe(12n * E18);
    const r = simulate(cfg);
    expect(wei(r, 'solo', '1')).toBe(1000n * E18);
    expect(wei(r, 'solo', 'U')).toBe(0n);
  });

  it('keeps Σ "1" + 2·isqrt(u·v) constant to the wei through irrational forges by several agents', () => {
    const actions = (shift: number): ScriptedAction[] =>
      Array.from({ length: 8 }, (_, i) => ({ block: 1 + i, do: 'forge' as const, venue: 'tri', du: `${(i + shift) % 3}.${137 * (i + 1)}`, dv: `${(i * shift) % 5}.${71 * (i + 2)}` }));
    const cfg: SimConfig = {
      seed: 1,
      blocks: 10,
      numeric: 'exact',
      chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: 0, mode: 'fixed' } },
      market: { assets: [{ id: 'ETH', process: { kind: 'constant', price: 2000 } }] },
      tokens: [{ id: 'ETH' }],
      venues: [{ kind: 'triad', id: 'tri', unit: 'U' }],
      agents: [1, 2, 3].map((k) => createAgent({ kind: 'scripted', id: `a${k}`, balances: { '1': '1000' }, actions: actions(k) })),
      // The engine checks the invariant in wei after every block and stops with TRIAD_INVARIANT if it moves.
      checkInvariants: true,
    };
    const r = simulate(cfg);
    expect(r.agents.every((a) => a.txs.reverted === 0)).toBe(true);
    const t = r.venues[0]!;
    if (t.kind !== 'triad') throw new Error('expected a triad');
    const [u, v] = t.suppliesWei!.map(BigInt) as [bigint, bigint];
    const spent = r.agents.reduce((s, a) => s + (1000n * E18 - BigInt(a.balancesWei!['1'] ?? '0')), 0n);
    // Σ "1" paid = 2·isqrt(u·v): check by squaring, without calling the code's isqrt.
    const w = spent / 2n;
    expect(spent % 2n).toBe(0n);
    expect(w * w <= u * v && (w + 1n) * (w + 1n) > u * v).toBe(true);
  });
});
