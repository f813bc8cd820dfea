/**
 * Transactions and their calls through the engine: exact-output swaps and their max-in bound, gas
 * limits below what the calls need (OUT_OF_GAS), multi-call transactions that revert as a whole, and
 * a custom gas table. Expected values are the v2 formulas and gas arithmetic written out here.
 */
import { describe, expect, it } from 'vitest';
import type { Outbox } from '../../sim/agent';
import { Op } from '../../sim/tx';
import {
  agentResult,
  amountOut,
  ETH_USD,
  expectClose,
  GWEI,
  lazy,
  only,
  PAY_ETH,
  PAY_USD,
  PHI,
  POOL,
  POOL_ETH,
  POOL_USD,
  REVERT_GAS,
  reserves,
  run,
  swapAt,
  TestAgent,
  at,
  world,
} from './helpers';

/** v2 input for an exact output, written out: Δin = x·Δout / (φ·(y − Δout)). */
const amountIn = (out: number, reserveIn: number, reserveOut: number): number => (reserveIn * out) / (PHI * (reserveOut - out));

describe('an exact-output swap', () => {
  // Buy exactly 1 ETH with USD.
  const need = amountIn(1, POOL_USD, POOL_ETH);

  it('pays the v2 input for exactly 1 ETH out and moves the reserves by it', () => {
    const r = run(world({ agents: [swapAt('buyer', 13, (out) => void out.swapExactOut(POOL, PAY_USD, 1, need * 1.001))] }));
    const tx = only(r, 'buyer');
    expect([tx.status, tx.revert, tx.gasUsed]).toEqual(['included', 'NONE', 115_000]);
    expect(tx.outA).toBe(1);
    expectClose(tx.outB, need);
    const [x, y] = reserves(r);
    expectClose(x, POOL_ETH - 1);
    expectClose(y, POOL_USD + need);
  });

  it('reverts with EXCESSIVE_INPUT when the input needed exceeds max-in, paying 51,000 gas and moving nothing', () => {
    const r = run(world({ agents: [swapAt('buyer', 13, (out) => void out.swapExactOut(POOL, PAY_USD, 1, need * 0.999))] }));
    const tx = only(r, 'buyer');
    expect([tx.status, tx.revert, tx.gasUsed]).toEqual(['reverted', 'EXCESSIVE_INPUT', REVERT_GAS]);
    expect(reserves(r)).toEqual([POOL_ETH, POOL_USD]);
    expect(agentResult(r, 'buyer').balances.USD).toBe(100_000);
  });

  it('reverts with INSUFFICIENT_LIQUIDITY when asked for the whole reserve or more', () => {
    const r = run(world({ agents: [swapAt('buyer', 13, (out) => void out.swapExactOut(POOL, PAY_USD, POOL_ETH, Infinity))] }));
    expect(only(r, 'buyer').revert).toBe('INSUFFICIENT_LIQUIDITY');
  });
});

describe('a gas limit below what the calls need', () => {
  const send = (limit: number) => (out: Outbox) => {
    const tx = out.swap(POOL, PAY_ETH, 1, 0);
    tx.gasLimit = limit;
  };

  it('reverts with OUT_OF_GAS, uses (and pays for) the whole limit, and leaves the pool alone', () => {
    const r = run(world({ agents: [swapAt('trader', 13, send(60_000), { priorityFee: 2 })] }));
    const tx = only(r, 'trader');
    expect([tx.status, tx.revert, tx.gasUsed]).toEqual(['reverted', 'OUT_OF_GAS', 60_000]);
    expect(reserves(r)).toEqual([POOL_ETH, POOL_USD]);
    // Gas only: 60,000 × (10 + 2) gwei in ETH.
    expectClose(agentResult(r, 'trader').balances.ETH!, 10 - 60_000 * 12 * GWEI);
  });

  it('goes through with exactly the gas the swap needs, and refunds nothing because nothing is left', () => {
    const r = run(world({ agents: [swapAt('trader', 13, send(110_000))] }));
    const tx = only(r, 'trader');
    expect([tx.status, tx.gasUsed]).toEqual(['included', 110_000]);
    expectClose(reserves(r)[0], POOL_ETH + 1);
  });

  it('refunds the unused part of a generous limit: gas used stays 110,000', () => {
    const r = run(world({ agents: [swapAt('trader', 13, send(500_000))] }));
    const tx = only(r, 'trader');
    expect([tx.gasLimit, tx.gasUsed]).toEqual([500_000, 110_000]);
    expectClose(agentResult(r, 'trader').balances.ETH!, 10 - 1 - 110_000 * 10 * GWEI);
  });
});

describe('a transaction of two calls', () => {
  // Sell 1 ETH, then sell the USD received back, with a bound on the second call.
  const first = amountOut(1, POOL_ETH, POOL_USD);
  const second = amountOut(first, POOL_USD - first, POOL_ETH + 1);
  const roundTrip = (minBack: number) =>
    new TestAgent('trader', {
      balances: { ETH: 10, USD: 100_000 },
      schedule: at(13),
      act: (_view, out) => {
        out.swap(POOL, PAY_ETH, 1, 0);
        out.andSwap(POOL, PAY_USD, first, minBack);
      },
    });
  const ok = lazy(() => run(world({ agents: [roundTrip(second * 0.999)] })));
  const failed = lazy(() => run(world({ agents: [roundTrip(second * 1.001)] })));

  it('runs both calls in order and pays the intrinsic gas once: 110,000 + 89,000', () => {
    const tx = only(ok(), 'trader');
    expect([tx.status, tx.gasUsed]).toEqual(['included', 110_000 + 110_000 - 21_000]);
    const [x, y] = reserves(ok());
    expectClose(x, POOL_ETH + 1 - second);
    expectClose(y, POOL_USD, 1e-12);
  });

  it('undoes the first call when the second reverts: reserves and balances as before, the revert named', () => {
    const r = failed();
    const tx = only(r, 'trader');
    expect([tx.status, tx.revert]).toEqual(['reverted', 'SLIPPAGE']);
    expect(reserves(r)).toEqual([POOL_ETH, POOL_USD]);
    const trader = agentResult(r, 'trader');
    expect(trader.balances.USD).toBe(100_000);
    // The first call's gas (89,000 after the intrinsic) plus the revert's 30,000 is paid, nothing else.
    expect(tx.gasUsed).toBe(21_000 + 89_000 + 30_000);
    expectClose(trader.balances.ETH!, 10 - tx.gasUsed * 10 * GWEI);
  });

  it('keeps pool accounting (fees, volume, swaps) as if the reverted transaction never ran', () => {
    const v = failed().result.venues[0]!;
    expect(v.kind === 'cpmm' && [v.swaps, v.feesUsd, v.volumeUsd]).toEqual([0, 0, 0]);
  });
});

describe('a custom gas table (chain.gas)', () => {
  it('charges the configured gas per call and per revert', () => {
    const gas = { swap: 80_000, intrinsic: 21_000, revert: 5_000 };
    const r = run(
      world({
        chain: { gas },
        agents: [swapAt('good', 13, (out) => void out.swap(POOL, PAY_ETH, 1, 0)), swapAt('bad', 13, (out) => void out.swap(POOL, PAY_ETH, 1, 1e9))],
      }),
    );
    expect(only(r, 'good').gasUsed).toBe(80_000);
    expect(only(r, 'bad').gasUsed).toBe(21_000 + 5_000);
    // What the agent is told matches what it is charged.
    let told = 0;
    run(world({ chain: { gas }, agents: [new TestAgent('asker', { schedule: at(1), act: (view) => void (told = view.gasFor(Op.Swap)) })] }));
    expect(told).toBe(80_000);
  });

  it('prices the reverted call at the configured revert gas in USD', () => {
    const r = run(world({ chain: { gas: { revert: 5_000 } }, agents: [swapAt('bad', 13, (out) => void out.swap(POOL, PAY_ETH, 1, 1e9))] }));
    expectClose(-agentResult(r, 'bad').pnl.gas, 26_000 * 10 * GWEI * ETH_USD);
  });
});
