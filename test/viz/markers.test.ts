import { describe, expect, it } from 'vitest';
import { bucket, markerBlocks, markerKind, revertMarkersFromBlocks } from '../../viz/data/markers';

describe('markerKind', () => {
  it.each([
    [{ tag: 'rebalance', status: 'included', block: 4 }, 'rebalance'],
    [{ tag: 'sandwich-front', status: 'included', block: 4 }, 'sandwich'],
    [{ tag: 'sandwich-back', status: 'included', block: 4 }, 'sandwich'],
    [{ tag: 'arbitrage', status: 'included', block: 4 }, 'arbitrage'],
    [{ tag: 'backrun', status: 'included', block: 4 }, 'arbitrage'],
    [{ tag: 'arbitrage', status: 'reverted', block: 4 }, 'revert'],
    [{ tag: 'noise', status: 'included', block: 4 }, undefined],
    [{ tag: 'sandwich-front', status: 'dropped', block: -1 }, undefined],
    [{ tag: 'rebalance', status: 'included', block: 0 }, undefined],
  ] as const)('%o is %s', (t, kind) => {
    expect(markerKind(t)).toBe(kind);
  });
});

describe('markerBlocks', () => {
  it('lists the block of each marked transaction, ascending, per kind', () => {
    const m = markerBlocks([
      { tag: 'arbitrage', status: 'included', block: 9 },
      { tag: 'arbitrage', status: 'included', block: 2 },
      { tag: 'arbitrage', status: 'reverted', block: 2 },
      { tag: 'rebalance', status: 'included', block: 5 },
    ] as never);
    expect([...m.arbitrage]).toEqual([2, 9]);
    expect([...m.revert]).toEqual([2]);
    expect([...m.rebalance]).toEqual([5]);
    expect([...m.sandwich]).toEqual([]);
  });

  it('without transactions, takes reverts from the block table', () => {
    expect([...revertMarkersFromBlocks([1, 2, 3], [0, 2, 1]).revert]).toEqual([2, 2, 3]);
  });
});

describe('bucket', () => {
  const blocks = Float64Array.from([1, 2, 2, 3, 50, 99, 100]);

  it('one bucket per pixel column that has markers, with exact counts', () => {
    expect(bucket(blocks, 0, 100, 10)).toEqual([
      { first: 1, last: 3, count: 4 },
      { first: 50, last: 50, count: 1 },
      { first: 99, last: 100, count: 2 },
    ]);
  });

  it('only the visible range, one block per bucket when zoomed in', () => {
    expect(bucket(blocks, 2, 3, 100)).toEqual([
      { first: 2, last: 2, count: 2 },
      { first: 3, last: 3, count: 1 },
    ]);
  });
});
