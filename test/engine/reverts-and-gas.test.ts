/**
 * Reverts and gas through the whole engine, with exact numbers: a swap of 2,000 USD for ETH against
 * the 100 ETH / 200,000 USD pool (30 bp) at a base fee of 10 gwei, ETH at $2000. Gas: a swap uses
 * 110,000; a revert 21,000 intrinsic + 30,000; gas costs gas × (base fee + effective tip) gwei.
 */
import { describe, expect, it } from 'vitest';
import {
  agentResult,
  amountOut,
  blockOrder,
  expectClose,
  lazy,
  only,
  PAY_USD,
  POOL,
  POOL_ETH,
  POOL_USD,
  reserves,
  run,
  swapAt,
  world,
  type WorldOptions,
} from './helpers';

/** Δx for 2,000 USD in: x·φΔy / (y + φΔy) = 100 · 1994 / 201994 ≈ 0.98716 ETH. */
const OUT = amountOut(2000, POOL_USD, POOL_ETH);

interface Order {
  minOut?: number;
  priorityFee?: number;
  maxFee?: number;
  /** Blocks of validity from the next block. */
  deadline?: number;
  t?: number;
  latency?: number;
  balances?: Record<string, number>;
}

/** One trader sending one 2,000-USD swap. */
function trade(o: Order, chain: WorldOptions['chain'] = {}, blocks = 2) {
  const trader = swapAt(
    'trader',
    o.t ?? 5,
    (out) => {
      out.setPriorityFee(o.priorityFee ?? 2);
      if (o.deadline !== undefined) out.setDeadline(o.deadline);
      const tx = out.swap(POOL, PAY_USD, 2000, o.minOut ?? 0);
      if (o.maxFee !== undefined) tx.maxFee = o.maxFee;
    },
    { balances: o.balances ?? { ETH: 1, USD: 10_000 }, latency: { network: o.latency ?? 0 } },
  );
  return run(world({ blocks, chain, agents: [trader] }));
}

describe('a swap whose minimum output is not met', () => {
  const r = lazy(() => trade({ minOut: 1 }));

  it('reverts with SLIPPAGE, leaving the pool reserves and the trader’s tokens unchanged', () => {
    expect(OUT).toBeLessThan(1);
    const tx = only(r(), 'trader');
    expect([tx.status, tx.revert, tx.block]).toEqual(['reverted', 'SLIPPAGE', 1]);
    expect(reserves(r())).toEqual([POOL_ETH, POOL_USD]);
    expect(agentResult(r(), 'trader').balances.USD).toBe(10_000);
  });

  it('still pays (21,000 + 30,000) gas × (10 + 2) gwei in ETH: base fee burned, tip to the proposer', () => {
    expect(only(r(), 'trader').gasUsed).toBe(51_000);
    expectClose(agentResult(r(), 'trader').balances.ETH!, 1 - 51_000 * 12e-9);
    expectClose(r().result.builder.burnedNative, 51_000 * 10e-9);
    expectClose(r().result.builder.priorityFeesNative, 51_000 * 2e-9);
    expectClose(agentResult(r(), 'trader').gasPaid.baseUsd, 51_000 * 10e-9 * 2000);
    expectClose(agentResult(r(), 'trader').gasPaid.priorityUsd, 51_000 * 2e-9 * 2000);
  });

  it('is met exactly at the quoted output and missed just above it', () => {
    expect(only(trade({ minOut: OUT }), 'trader').status).toBe('included');
    expect(only(trade({ minOut: OUT * (1 + 1e-12) }), 'trader').revert).toBe('SLIPPAGE');
  });
});

describe('a successful swap', () => {
  const r = lazy(() => trade({}));

  it('moves the reserves by the x·y formula and pays 110,000 gas', () => {
    const tx = only(r(), 'trader');
    expect([tx.status, tx.gasUsed, tx.outA, tx.outB]).toEqual(['included', 110_000, OUT, 2000]);
    expect(reserves(r())).toEqual([POOL_ETH - OUT, POOL_USD + 2000]);
    expectClose(agentResult(r(), 'trader').balances.ETH!, 1 + OUT - 110_000 * 12e-9);
    expect(agentResult(r(), 'trader').balances.USD).toBe(8000);
  });

  it('burns the base fee part and pays the tip part to the proposer (builder revenue)', () => {
    expectClose(r().result.builder.burnedNative, 110_000 * 10e-9);
    expectClose(r().result.builder.priorityFeesNative, 110_000 * 2e-9);
    expectClose(r().result.builder.burnedUsd, 110_000 * 10e-9 * 2000);
    expectClose(r().result.builder.priorityFeesUsd, 110_000 * 2e-9 * 2000);
    expectClose(agentResult(r(), 'trader').pnl.gas, -110_000 * 12e-9 * 2000);
  });

  it('conserves ETH: the trader’s gas is exactly what burn and proposer received', () => {
    const ethHeld = agentResult(r(), 'trader').balances.ETH! + reserves(r())[0] + r().result.builder.burnedNative + r().result.builder.priorityFeesNative;
    expectClose(ethHeld, 1 + POOL_ETH);
  });
});

describe('fees the sender cannot or will not pay', () => {
  it('keeps a transaction whose max fee is below the base fee waiting until the base fee falls under it', () => {
    // EIP-1559 from 10 gwei, empty blocks: 10 → 8.75. Max fee 9: skipped in block 1, included in block 2.
    const r = trade({ maxFee: 9 }, { baseFee: { initial: 10 } }, 3);
    const tx = only(r, 'trader');
    expect([tx.status, tx.block, tx.baseFee]).toEqual(['included', 2, 8.75]);
    expect(r.blocks[0]!.txCount).toBe(0);
    // Tip: min(2, 9 − 8.75) = 0.25 gwei; the sender pays its max fee in all.
    expect(tx.effectivePriority).toBe(0.25);
    expectClose(agentResult(r, 'trader').balances.ETH!, 1 + OUT - 110_000 * 9e-9);
  });

  it('drops a sender who cannot cover gas limit × max fee as INSUFFICIENT_FUNDS_FOR_GAS, charging nothing', () => {
    // Needs 110,000 × (2 × 10 + 0) gwei = 0.0022 ETH; holds 0.0021.
    const r = trade({ priorityFee: 0, balances: { ETH: 0.0021, USD: 10_000 } }, {}, 3);
    const tx = only(r, 'trader');
    expect([tx.status, tx.revert, tx.gasUsed, tx.position]).toEqual(['dropped', 'INSUFFICIENT_FUNDS_FOR_GAS', 0, -1]);
    expect(agentResult(r, 'trader').balances).toEqual({ ETH: 0.0021, USD: 10_000 });
    expect(reserves(r)).toEqual([POOL_ETH, POOL_USD]);
    expect([r.result.builder.burnedNative, r.result.builder.priorityFeesNative]).toEqual([0, 0]);
  });

  it('includes a sender holding exactly gas limit × max fee', () => {
    const r = trade({ priorityFee: 0, balances: { ETH: 110_000 * 20 * 1e-9, USD: 10_000 } });
    expect(only(r, 'trader').status).toBe('included');
  });
});

describe('the block gas limit', () => {
  const three = (gasLimit: number) => {
    const swapper = (id: string, t: number, fee: number) =>
      swapAt(id, t, (out) => {
        out.setPriorityFee(fee);
        out.swap(POOL, PAY_USD, 1000, 0);
      });
    return run(world({ blocks: 2, chain: { gasLimit }, agents: [swapper('a', 1, 3), swapper('b', 2, 2), swapper('c', 3, 1)] }));
  };

  it('leaves transactions beyond it pending for the next block', () => {
    const r = three(329_999);
    expect(blockOrder(r, 1)).toEqual(['a', 'b']);
    expect(blockOrder(r, 2)).toEqual(['c']);
    expect(r.blocks.map((b) => b.gasUsed)).toEqual([220_000, 110_000]);
  });

  it('fits transactions whose gas adds up to exactly the limit', () => {
    expect(blockOrder(three(330_000), 1)).toEqual(['a', 'b', 'c']);
  });
});

describe('the deadline', () => {
  it('reverts an expired transaction with DEADLINE, paying 51,000 gas and leaving the pool alone', () => {
    // Valid for block 1 only, but 10 s on the wire from t = 5: it reaches the mempool at 15, block 2 takes it.
    const r = trade({ deadline: 1, latency: 10 }, {}, 3);
    const tx = only(r, 'trader');
    expect([tx.status, tx.revert, tx.block, tx.gasUsed]).toEqual(['reverted', 'DEADLINE', 2, 51_000]);
    expect(reserves(r)).toEqual([POOL_ETH, POOL_USD]);
    expectClose(agentResult(r, 'trader').balances.ETH!, 1 - 51_000 * 12e-9);
  });

  it('lets the same transaction through when its deadline is one block later', () => {
    const tx = only(trade({ deadline: 2, latency: 10 }, {}, 3), 'trader');
    expect([tx.status, tx.block]).toEqual(['included', 2]);
  });
});
