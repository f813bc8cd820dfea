import { describe, expect, it } from 'vitest';
import { bucket, markerKind, markerKinds, markers, markersFromTransactions, sparse } from '../../viz/data/markers';
import type { BlockTable } from '../../viz/data/types';

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

describe('markerKinds', () => {
  it('counts a transaction in every lane its tag and calls put it in; a reverted one in revert only', () => {
    const forge = [{ op: 'forge' }];
    expect(markerKinds({ tag: 'rebalance', status: 'included', block: 3, calls: forge })).toEqual(['rebalance', 'forge']);
    expect(markerKinds({ tag: 'adversary-push', status: 'included', block: 3, calls: [{ op: 'swap' }] })).toEqual(['push']);
    expect(markerKinds({ tag: 'adversary-reversal', status: 'included', block: 3, calls: forge })).toEqual(['reversal', 'forge']);
    expect(markerKinds({ tag: 'liquidity', status: 'included', block: 3, calls: [{ op: 'removeLiquidity' }] })).toEqual(['lp-exit']);
    expect(markerKinds({ tag: 'liquidity', status: 'reverted', block: 3, calls: [{ op: 'addLiquidity' }] })).toEqual(['revert']);
    expect(markerKinds({ tag: 'liquidity', status: 'dropped', block: -1, calls: [{ op: 'addLiquidity' }] })).toEqual([]);
  });
});

describe('markersFromTransactions', () => {
  it('counts the marked transactions of each block, blocks ascending, per kind', () => {
    const m = markersFromTransactions([
      { tag: 'arbitrage', status: 'included', block: 9 },
      { tag: 'arbitrage', status: 'included', block: 2 },
      { tag: 'backrun', status: 'included', block: 2 },
      { tag: 'arbitrage', status: 'reverted', block: 2 },
      { tag: 'rebalance', status: 'included', block: 5 },
    ]);
    expect([...m.arbitrage.block, ...m.arbitrage.count]).toEqual([2, 9, 2, 1]);
    expect([...m.revert.block, ...m.revert.count]).toEqual([2, 1]);
    expect([...m.rebalance.block]).toEqual([5]);
    expect([...m.sandwich.block]).toEqual([]);
  });
});

describe('markers', () => {
  const block = [1, 2, 3, 4];
  const table = (cols: Record<string, number[]>): BlockTable => ({ columns: ['block', ...Object.keys(cols)], length: 4, data: [Float64Array.from(block), ...Object.values(cols).map((c) => Float64Array.from(c))] });
  const zero = [0, 0, 0, 0];
  const counts = { reverted: [0, 2, 1, 0], rebalance_txs: [1, 0, 0, 0], sandwich_txs: [0, 0, 2, 0], arbitrage_txs: [0, 3, 0, 1], push_txs: [0, 1, 0, 0], reversal_txs: [0, 0, 1, 0], lp_entry_txs: zero, lp_exit_txs: zero, forge_txs: zero, dropped: [0, 0, 0, 4], cex_fills: [2, 0, 0, 0] };
  const txs = [
    { tag: 'noise', status: 'reverted', block: 1 },
    { tag: 'adversary-push', status: 'included', block: 2, calls: [{ op: 'swap' }] },
  ] as never[];

  it('takes every kind from the block table’s counts, even when the transactions are there', () => {
    const m = markers(table(counts), block, txs);
    expect(m.unknown).toEqual([]);
    expect([...m.series.arbitrage.block, ...m.series.arbitrage.count]).toEqual([2, 4, 3, 1]);
    expect([...m.series.revert.block, ...m.series.revert.count]).toEqual([2, 3, 2, 1]);
    expect([...m.series.sandwich.block]).toEqual([3]);
    expect([...m.series.push.block, ...m.series.reversal.block, ...m.series.cex.block, ...m.series.dropped.block]).toEqual([2, 3, 1, 4]);
  });

  it('a table without the counts (an older output): from the transactions where they tell it, else only reverts are known', () => {
    const old = table({ reverted: counts.reverted });
    const fromTxs = markers(old, block, txs);
    expect([...fromTxs.series.push.block]).toEqual([2]);
    expect([...fromTxs.series.revert.block]).toEqual([2, 3]);
    // Not transactions: CEX orders; and a dropped transaction has no block in the log.
    expect(fromTxs.unknown).toEqual(['cex', 'dropped']);
    const m = markers(old, block, null);
    expect(m.unknown).toEqual(['rebalance', 'sandwich', 'arbitrage', 'push', 'reversal', 'cex', 'lp-entry', 'lp-exit', 'forge', 'dropped']);
    expect([...m.series.revert.block]).toEqual([2, 3]);
  });

  it('sparse keeps the blocks with a count, ignoring missing values', () => {
    const s = sparse([1, 2, 3, 4], [0, NaN, 5, 1]);
    expect([...s.block, ...s.count]).toEqual([3, 4, 5, 1]);
  });
});

describe('bucket', () => {
  // Blocks 1, 2, 3, 50, 99 and 100 with 1, 2, 1, 1, 1, 1 markers.
  const series = { block: Float64Array.from([1, 2, 3, 50, 99, 100]), count: Float64Array.from([1, 2, 1, 1, 1, 1]) };

  it('one bucket per pixel column that has markers, with exact counts', () => {
    expect(bucket(series, 0, 100, 10)).toEqual([
      { first: 1, last: 3, count: 4 },
      { first: 50, last: 50, count: 1 },
      { first: 99, last: 100, count: 2 },
    ]);
  });

  it('only the visible range, one block per bucket when zoomed in', () => {
    expect(bucket(series, 2, 3, 100)).toEqual([
      { first: 2, last: 2, count: 2 },
      { first: 3, last: 3, count: 1 },
    ]);
  });
});
