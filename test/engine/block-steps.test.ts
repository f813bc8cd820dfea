/**
 * The kernel's block production, one step at a time (sim/kernel.ts: collect → openBlock → build →
 * settle, then the receipts of sim/delivery.ts). Each step is driven alone on a small world and
 * checked against what it must do: who acted and what they saw, the block's number everywhere, the
 * EIP-1559 rule's next fee for the gas the block used, and receipts reaching their sender.
 */
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../sim/kernel';
import { TxStatus } from '../../sim/tx';
import { amountOut, ETH_USD, PAY_USD, POOL, POOL_ETH, POOL_USD, SWAP_GAS, TestAgent, world } from './helpers';

/** A block agent that swaps `usd` for ETH each time it acts, and notes what it saw and got back. */
function trader(usd: number) {
  const seen = { acted: [] as number[], receipts: [] as { status: number; block: number; out: number }[] };
  const agent = new TestAgent('trader', {
    schedule: { kind: 'block' },
    balances: { ETH: 10, USD: 100_000 },
    act: (view, out) => {
      seen.acted.push(view.block);
      out.swap(POOL, PAY_USD, usd, 0);
    },
    onReceipt: (_view, _out, tx) => {
      seen.receipts.push({ status: tx.status, block: tx.block, out: tx.calls[0]!.outA });
    },
  });
  return { agent, seen };
}

/** The trader's index: the pool seeder comes first. */
const TRADER = 1;

function kernel(agent: TestAgent): Kernel {
  // EIP-1559 from 10 gwei, no outside demand: the next fee follows this block's gas alone.
  const k = new Kernel(world({ blocks: 3, agents: [agent], chain: { baseFee: { initial: 10 } } }));
  k.start();
  return k;
}

describe('block production in steps', () => {
  it('collect: every-block agents act once, seeing the block about to be built; their transactions reach the mempool', () => {
    const { agent, seen } = trader(1000);
    const k = kernel(agent);
    k.collect();
    expect(seen.acted).toEqual([1]);
    expect(k.mempool.pending.size).toBe(1);
    expect(k.mempool.pending.get(0).status).toBe(TxStatus.Pending);
    expect(k.blockNumber).toBe(0);
  });

  it('openBlock: numbers the block and sets the world and the executor to it', () => {
    const { agent } = trader(1000);
    const k = kernel(agent);
    expect(k.openBlock()).toBe(1);
    expect(k.blockNumber).toBe(1);
    expect(k.world.block).toBe(1);
    expect(k.executor.block).toBe(1);
    expect(k.executor.position).toBe(0);
    expect(k.executor.baseFee).toBe(10);
    expect(k.executor.nativeUsd).toBe(ETH_USD);
  });

  it('settle: an empty block lowers the fee by 1/8; one swap of 110,000 gas by 1/8 of (1 − 110,000 / 15M)', () => {
    const empty = kernel(trader(1000).agent);
    empty.openBlock();
    empty.builder.build(empty.mempool, empty.executor, 1);
    expect(empty.settle(1)).toBe(0);
    expect(empty.baseFee).toBe(10 * (1 - 1 / 8));

    const { agent } = trader(1000);
    const k = kernel(agent);
    k.collect();
    const b = k.openBlock();
    k.builder.build(k.mempool, k.executor, b);
    expect(k.builder.gasUsed).toBe(SWAP_GAS);
    k.settle(b);
    const target = 15_000_000;
    expect(k.baseFee).toBeCloseTo(10 + (10 * (SWAP_GAS - target)) / target / 8, 12);
  });

  it('receipts: the sender gets its receipt at once (no latency), with the constant-product output', () => {
    const { agent, seen } = trader(1000);
    const k = kernel(agent);
    k.collect();
    const b = k.openBlock();
    k.builder.build(k.mempool, k.executor, b);
    k.mempool.compact(b);
    k.settle(b);
    expect(seen.receipts).toEqual([]);
    k.delivery.receipts();
    expect(seen.receipts).toHaveLength(1);
    expect(seen.receipts[0]!.status).toBe(TxStatus.Included);
    expect(seen.receipts[0]!.block).toBe(1);
    expect(seen.receipts[0]!.out).toBeCloseTo(amountOut(1000, POOL_USD, POOL_ETH), 12);
    expect(k.included[TRADER]).toBe(1);
    expect(k.table.live[TRADER]).toHaveLength(0);
  });
});
