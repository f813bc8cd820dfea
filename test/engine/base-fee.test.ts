/**
 * EIP-1559 through the engine. Outside demand (`chain.background`, sd 0) fixes each block's gas;
 * gas limit 30M, target 15M, at most ±1/8 per block:
 *   next = base + base · (gasUsed − target) / target / 8.
 * Expected values are written out by hand; `blocks[i].baseFee` is the fee block i + 1 was built at.
 */
import { describe, expect, it } from 'vitest';
import type { ChainConfig } from '../../sim/config';
import { expectClose, PAY_USD, POOL, run, swapAt, world, type TestAgent } from './helpers';

function fees(chain: Partial<ChainConfig>, blocks = 4, agents: TestAgent[] = []): { built: number[]; final: number } {
  const r = run(world({ blocks, chain, agents }));
  return { built: r.blocks.map((b) => b.baseFee), final: r.result.finalBaseFee };
}

const eip1559 = (meanGas: number | null, extra: Partial<ChainConfig> = {}): Partial<ChainConfig> => ({
  baseFee: { initial: 10 },
  ...(meanGas === null ? {} : { background: { meanGas, sdGas: 0 } }),
  ...extra,
});

describe('EIP-1559 base fee', () => {
  it('rises by exactly 12.5% per full block: 10 → 11.25 → 12.65625 → 14.23828125', () => {
    const { built, final } = fees(eip1559(30_000_000));
    expect(built).toEqual([10, 11.25, 12.65625, 14.23828125]);
    expect(final).toBe(16.01806640625);
  });

  it('falls by exactly 12.5% per empty block: 10 → 8.75 → 7.65625 → 6.69921875', () => {
    const { built, final } = fees(eip1559(null));
    expect(built).toEqual([10, 8.75, 7.65625, 6.69921875]);
    expect(final).toBe(5.86181640625);
  });

  it('falls by 12.5% when outside demand is zero gas, as with no demand at all', () => {
    expect(fees(eip1559(0)).built).toEqual([10, 8.75, 7.65625, 6.69921875]);
  });

  it('stays put at exactly the 15M target', () => {
    expect(fees(eip1559(15_000_000)).built).toEqual([10, 10, 10, 10]);
  });

  it('moves by the formula in between: 20M gas gives ×(1 + 5/15/8) = ×25/24 per block', () => {
    const { built } = fees(eip1559(20_000_000));
    [10, 10.416666666666666, 10.850694444444443, 11.302806712962962].forEach((e, i) => expectClose(built[i]!, e));
    built.forEach((b, i) => expectClose(b, 10 * (25 / 24) ** i));
  });

  it('moves by the formula for 6M gas: ×(1 − 9/15/8) = ×0.925 per block', () => {
    const { built } = fees(eip1559(6_000_000));
    [10, 9.25, 8.55625, 7.91453125].forEach((e, i) => expectClose(built[i]!, e));
  });

  it('counts the simulation’s own transactions: one 110,000-gas swap in an otherwise empty block', () => {
    const trader = swapAt('trader', 5, (out) => void out.swap(POOL, PAY_USD, 1000, 0));
    const { built } = fees(eip1559(null), 2, [trader]);
    // 10 + 10 · (110,000 − 15,000,000) / 15,000,000 / 8 = 10 − 1.2408333… = 8.7591666…
    expectClose(built[1]!, 8.759166666666667);
  });

  it('caps outside demand at the room the agents left, so a full block still means +12.5%', () => {
    const trader = swapAt('trader', 5, (out) => void out.swap(POOL, PAY_USD, 1000, 0));
    const r = run(world({ blocks: 2, chain: eip1559(30_000_000), agents: [trader] }));
    expect(r.blocks[0]!.gasUsed).toBe(110_000);
    expect(r.blocks[0]!.backgroundGas).toBe(30_000_000 - 110_000);
    expect(r.blocks[1]!.baseFee).toBe(11.25);
  });

  it('follows a custom gas limit and change denominator: limit 10M (target 5M), ±1/4', () => {
    const { built } = fees(eip1559(10_000_000, { gasLimit: 10_000_000, baseFee: { initial: 10, maxChangeDenominator: 4 } }));
    expect(built).toEqual([10, 12.5, 15.625, 19.53125]);
  });

  it('charges each block’s transactions the base fee that block was built at', () => {
    const early = swapAt('early', 5, (out) => void out.swap(POOL, PAY_USD, 1000, 0));
    const late = swapAt('late', 29, (out) => void out.swap(POOL, PAY_USD, 1000, 0));
    const r = run(world({ blocks: 3, chain: eip1559(30_000_000), agents: [early, late] }));
    expect(r.txs.map((t) => [t.agent, t.block, t.baseFee])).toEqual([
      ['early', 1, 10],
      ['late', 3, 12.65625],
    ]);
  });
});

describe('fixed base fee and the floor', () => {
  it('stays constant in fixed mode, full blocks or not', () => {
    expect(fees({ baseFee: { initial: 10, mode: 'fixed' }, background: { meanGas: 30_000_000, sdGas: 0 } })).toEqual({ built: [10, 10, 10, 10], final: 10 });
    expect(fees({ baseFee: { initial: 10, mode: 'fixed' } })).toEqual({ built: [10, 10, 10, 10], final: 10 });
  });

  it('never falls below the floor: 10 → 8.75 → 8 (not 7.65625) → 8', () => {
    expect(fees({ baseFee: { initial: 10, min: 8 } }).built).toEqual([10, 8.75, 8, 8]);
  });

  it('holds at a floor above the first decrease: 10 → 9 → 9', () => {
    expect(fees({ baseFee: { initial: 10, min: 9 } }).built).toEqual([10, 9, 9, 9]);
  });

  it('rises from the floor once blocks are full again', () => {
    expect(fees({ baseFee: { initial: 8, min: 8 }, background: { meanGas: 30_000_000, sdGas: 0 } }).built).toEqual([8, 9, 10.125, 11.390625]);
  });
});

describe('the cap (chain.baseFee.max)', () => {
  it('never rises above the cap: 10 → 11.25 → 12 (not 12.65625) → 12', () => {
    expect(fees({ baseFee: { initial: 10, max: 12 }, background: { meanGas: 30_000_000, sdGas: 0 } })).toEqual({ built: [10, 11.25, 12, 12], final: 12 });
  });

  it('falls from the cap once blocks are under the target again', () => {
    expect(fees({ baseFee: { initial: 12, max: 12 } }).built).toEqual([12, 10.5, 9.1875, 8.0390625]);
  });

  it('holds sustained full blocks at the default cap of 10⁹ gwei instead of overflowing to Infinity', () => {
    // 12.5 % a block passes 1e308 from 10 gwei in about 6,000 blocks.
    const { built, final } = fees({ baseFee: { initial: 10 }, background: { meanGas: 30_000_000, sdGas: 0 } }, 7000);
    expect(built.every((b) => Number.isFinite(b) && b <= 1e9)).toBe(true);
    expect(final).toBe(1e9);
    expect(built.findIndex((b) => b === 1e9)).toBe(Math.ceil(Math.log(1e9 / 10) / Math.log(1.125)));
  });

  it('caps the fee in exact-integer mode too, at the cap in wei', () => {
    const r = run({ ...world({ blocks: 4, agents: [], chain: { baseFee: { initial: 10, max: 12 }, background: { meanGas: 30_000_000, sdGas: 0 } } }), numeric: 'exact' });
    expect(r.blocks.map((b) => b.baseFee)).toEqual([10, 11.25, 12, 12]);
    expect(r.result.finalBaseFee).toBe(12);
  });
});
