import { describe, expect, it } from 'vitest';
import { groupBlock, indexTransactions, nextBusy, outcome } from '../../viz/data/blocks';
import type { Tx } from '../../viz/data/types';

let nextId = 1;
function tx(p: Partial<Tx> & Pick<Tx, 'block' | 'position'>): Tx {
  return { id: nextId++, agent: 'a', tag: 'noise', status: 'included', revert: null, private: false, bundle: null, victim: null, arrivalTime: 0, gasUsed: 1, priorityFee: 0, effectivePriorityFee: 0, baseFee: 1, gasCostUsd: 0, calls: [], target: null, assetChanges: null, ...p };
}

describe('groupBlock', () => {
  it('puts transactions in position order, whatever order they were logged in', () => {
    const txs = [tx({ block: 5, position: 2 }), tx({ block: 5, position: 0 }), tx({ block: 5, position: 1 })];
    const groups = groupBlock(txs);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.bundle).toBeNull();
    expect(groups[0]!.rows.map((r) => r.tx.position)).toEqual([0, 1, 2]);
  });

  it('groups a sandwich: front and back legs of the bundle with the victim between them, tagged victim', () => {
    const txs = [
      tx({ block: 11, position: 1, agent: 'retail', tag: 'noise' }),
      tx({ block: 11, position: 0, agent: 'sandwicher', tag: 'sandwich-front', bundle: 1 }),
      tx({ block: 11, position: 2, agent: 'sandwicher', tag: 'sandwich-back', bundle: 1 }),
      tx({ block: 11, position: 3, agent: 'arb', tag: 'arbitrage' }),
      tx({ block: 11, position: 4, agent: 'arb2', tag: 'arbitrage', status: 'reverted', revert: 'SLIPPAGE' }),
    ];
    const groups = groupBlock(txs);
    expect(groups.map((g) => g.bundle)).toEqual([1, null]);
    expect(groups[0]!.rows.map((r) => r.tags)).toEqual([['sandwich-front'], ['noise', 'victim'], ['sandwich-back']]);
    expect(groups[1]!.rows.map((r) => r.tags)).toEqual([['arbitrage'], ['arbitrage', 'revert']]);
  });

  it('a bundle that is not a sandwich does not make victims; two bundles make two groups', () => {
    const txs = [
      tx({ block: 1, position: 0, tag: 'backrun', bundle: 7 }),
      tx({ block: 1, position: 1, tag: 'noise' }),
      tx({ block: 1, position: 2, tag: 'backrun', bundle: 7 }),
      tx({ block: 1, position: 3, tag: 'sandwich-front', bundle: 8 }),
      tx({ block: 1, position: 4, tag: 'rebalance' }),
      tx({ block: 1, position: 5, tag: 'sandwich-back', bundle: 8 }),
    ];
    const groups = groupBlock(txs);
    expect(groups.map((g) => [g.bundle, g.rows.length])).toEqual([
      [7, 3],
      [8, 3],
    ]);
    expect(groups[0]!.rows[1]!.tags).toEqual(['noise']);
    expect(groups[1]!.rows[1]!.tags).toEqual(['rebalance', 'victim']);
  });

  it('a back-run or reversal bundle frames the target it follows, tagged target', () => {
    const target = tx({ block: 2, position: 1, tag: 'rebalance', agent: 'vault' });
    const txs = [tx({ block: 2, position: 0, tag: 'noise' }), target, tx({ block: 2, position: 2, tag: 'adversary-reversal', bundle: 9, victim: target.id, target: 'vault' }), tx({ block: 2, position: 3, tag: 'noise' })];
    const groups = groupBlock(txs);
    expect(groups.map((g) => [g.bundle, g.rows.map((r) => r.tx.position)])).toEqual([
      [null, [0]],
      [9, [1, 2]],
      [null, [3]],
    ]);
    expect(groups[1]!.rows.map((r) => r.tags)).toEqual([['rebalance', 'target'], ['adversary-reversal']]);
  });
});

describe('indexTransactions', () => {
  const txs = [tx({ block: 0, position: 0, tag: 'genesis' }), tx({ block: 3, position: 1 }), tx({ block: 3, position: 0 }), tx({ block: 9, position: 0 }), tx({ block: -1, position: -1, status: 'dropped', revert: 'BUNDLE_FAILED' })];
  const ix = indexTransactions(txs, [{ block: 3, txs: [] }]);

  it('indexes by block (positions in order) and lists the busy blocks after genesis', () => {
    expect(ix.byBlock.get(3)!.map((t) => t.position)).toEqual([0, 1]);
    expect(ix.busy).toEqual([3, 9]);
    expect(ix.byBlock.has(-1)).toBe(false);
  });

  it('steps to the previous or next busy block', () => {
    expect(nextBusy(ix.busy, 3, 1)).toBe(9);
    expect(nextBusy(ix.busy, 4, -1)).toBe(3);
    expect(nextBusy(ix.busy, 9, 1)).toBeUndefined();
    expect(nextBusy(ix.busy, 3, -1)).toBeUndefined();
    // From a block between busy ones, and from the block table's list (a typed array).
    const busy = Float64Array.from([2, 5, 8, 13]);
    expect([nextBusy(busy, 6, 1), nextBusy(busy, 6, -1), nextBusy(busy, 1, 1), nextBusy(busy, 20, -1), nextBusy(busy, 5, 1), nextBusy(busy, 8, -1)]).toEqual([8, 5, 2, 13, 8, 5]);
  });

  it("says what became of a builder's candidate", () => {
    const [, a, , b, dropped] = txs;
    expect(outcome(ix, a!.id, 3)).toBe('position 1');
    expect(outcome(ix, b!.id, 3)).toBe('block 9, position 0');
    expect(outcome(ix, dropped!.id, 3)).toBe('dropped (BUNDLE_FAILED)');
    expect(outcome(ix, 12345, 3)).toBe('still pending at the end');
  });
});
