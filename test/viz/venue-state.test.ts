import { describe, expect, it } from 'vitest';
import { blockState, callEffect, rowOf } from '../../viz/data/venue-state';
import type { BlockTable, Call, Summary } from '../../viz/data/types';

const table: BlockTable = {
  columns: ['block', 'pool_price', 'pool_reserve0', 'pool_reserve1', 'tri_price', 'tri_supply_unit', 'tri_supply_reciprocal'],
  length: 3,
  data: [[1, 2, 3], [2500, 2400, 2450], [1000, 1020, 1010], [2.5e6, 2.448e6, 2.4745e6], [1, 1.01, NaN], [10, 11, 0], [10, 10, 10]].map((c) => Float64Array.from(c)),
};
const summary = { scenario: 's', seed: 1, blocks: 3, agents: [], venues: [{ id: 'pool', kind: 'cpmm', tokens: ['ETH', 'USD'] }, { id: 'tri', kind: 'triad', tokens: ['U', '1/U'] }] } as Summary;
const call = (p: Partial<Call>): Call => ({ venue: 'pool', op: 'swap', side: 0, a: 0, b: 0, boundA: 0, boundB: 0, outA: 0, outB: 0, outC: 0, ...p });

describe('venue state around a block', () => {
  it('finds rows by block number', () => {
    expect([rowOf(table, 1), rowOf(table, 3), rowOf(table, 4)]).toEqual([0, 2, -1]);
  });

  it('gives each venue its price and reserves or supplies before and after the block', () => {
    const [pool, tri] = blockState(table, summary, 2);
    expect(pool).toEqual({
      id: 'pool',
      kind: 'cpmm',
      fields: [
        { name: 'price', before: 2500, after: 2400 },
        { name: 'reserve ETH', before: 1000, after: 1020 },
        { name: 'reserve USD', before: 2.5e6, after: 2.448e6 },
      ],
    });
    expect(tri!.fields.map((f) => f.name)).toEqual(['price', 'supply U', 'supply 1/U']);
    expect(blockState(table, summary, 1)[0]!.fields[0]).toEqual({ name: 'price', before: NaN, after: 2500 });
  });
});

describe('callEffect', () => {
  const pool = summary.venues[0];
  const tri = summary.venues[1];
  it.each([
    ['swap paying token0', call({ side: 0, outA: 3000, outB: 1.2 }), pool, [{ name: 'reserve ETH', delta: 1.2 }, { name: 'reserve USD', delta: -3000 }]],
    ['swap paying token1', call({ side: 1, outA: 1.2, outB: 3000 }), pool, [{ name: 'reserve USD', delta: 3000 }, { name: 'reserve ETH', delta: -1.2 }]],
    ['deposit', call({ op: 'addLiquidity', outA: 50, outB: 1, outC: 2500 }), pool, [{ name: 'reserve ETH', delta: 1 }, { name: 'reserve USD', delta: 2500 }, { name: 'LP shares', delta: 50 }]],
    ['withdrawal', call({ op: 'removeLiquidity', outA: 50, outB: 1, outC: 2500 }), pool, [{ name: 'reserve ETH', delta: -1 }, { name: 'reserve USD', delta: -2500 }, { name: 'LP shares', delta: -50 }]],
    ['forge', call({ venue: 'tri', op: 'forge', outA: 5, outB: -2, outC: -3 }), tri, [{ name: 'supply U', delta: 5 }, { name: 'supply 1/U', delta: -2 }, { name: '"1" to the sender', delta: -3 }]],
    ['a call that did not execute', call({}), pool, []],
  ])('%s', (_name, c, v, expected) => {
    expect(callEffect(c, v)).toEqual(expected);
  });
});
