/**
 * A hedger acts on what landed: its trigger's anchor moves only when a rebalance is included. Here a
 * rival moves a protected triad between the hedger's decision and its forge, so that forge reverts on
 * its "1" bound; the hedger, still anchored at its entry price 1, looks again and rebalances at the
 * next block. (Before receipts were read, the anchor moved on sending, to 1.1: the move back to 1.07
 * is under the 5 % threshold from there, and the hedger stayed off target, its revert counted.)
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import type { SimConfig } from '../../sim/config';
import { agent, run, triadWorld } from './world';

function world(): SimConfig {
  const c = triadWorld({
    blocks: 8,
    agents: [
      // Holds inventory at parity and moves the price along u·v = const: to 1.1 before block 3, then,
      // paying a priority fee so it goes first, back to 1.07 in block 4 — the block the hedger's rebalance targets.
      createAgent({
        kind: 'scripted',
        id: 'mover',
        balances: { '1': 2e6 + 1000, ETH: 10 },
        actions: [
          { do: 'forge', venue: 'T', du: 1e6, dv: 1e6, genesis: true },
          { do: 'movePrice', venue: 'T', price: 1.1, block: 3 },
          { do: 'movePrice', venue: 'T', price: 1.07, block: 4, priorityFee: 5 },
        ],
      }),
      createAgent({ kind: 'rebalancing-hedger', id: 'hedger', hedge: { kind: 'triad-parity', venue: 'T', budget: 2000 }, trigger: { kind: 'price-move', threshold: 0.05 }, balances: { '1': 2100, ETH: 1 } }),
    ],
  });
  return { ...c, venues: [{ kind: 'triad', id: 'T', unit: 'U', protected: true }] };
}

describe('a hedger whose rebalance reverts', () => {
  const { r, txs } = run(world());
  const mine = txs.filter((t) => t.agent === 'hedger' && t.block > 0);

  it('keeps its anchor and rebalances again at the next look; only the included rebalance counts', () => {
    expect(mine.map((t) => [t.block, t.status, t.revert])).toEqual([
      [4, 'reverted', 'TRIAD_SLIPPAGE'],
      [5, 'included', null],
    ]);
    const m = agent(r, 'hedger').metrics;
    expect([m.rebalances, m.rebalancesAttempted]).toEqual([1, 2]);
  });

  it('ends at parity at the price it rebalanced at: equal value of U and 1/U at 1.07', () => {
    const b = agent(r, 'hedger').balances;
    const p = 1.07;
    // Floating triad, k = 2: the price of 1/U is k²/4 / p = 1/p.
    expect((b.U! * p) / (b['1/U']! / p)).toBeCloseTo(1, 9);
  });
});
