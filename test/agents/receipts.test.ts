/**
 * Agents act on what landed (issue 10 §2), checked through the engine against the pool algebra
 * written out in the test helpers:
 * - an LP entering after genesis with all it holds, one of its tokens the native one, keeps back gas
 *   for a few transactions, so its deposit lands instead of failing for want of gas;
 * - an LP whose withdrawal is dropped stays in the pool (no exit counted) and tries again;
 * - an arbitrageur holding half the optimal input trades all it has and earns the concave profit of
 *   that clipped size, and sends no second trade while its first is on its way.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import { agent, BASE_FEE, ETH_USD, expectRel, GWEI, lp, PHI, POOL_ETH, POOL_USD, run, world, xyOut } from '../searcher/helpers';

describe('an LP entering after genesis with everything it holds', () => {
  const late = createAgent({ kind: 'lp', id: 'late', venue: 'pool', atBlock: 3, balances: { ETH: 10, USD: 20_000 } });
  const r = run(world([lp(), late], { blocks: 5 }));
  const mine = r.txs.filter((t) => t.agent === 'late');
  // Gas for 3 transactions of the larger of addLiquidity (150,000) and removeLiquidity, at 2 × base fee.
  const reserve = 3 * 150_000 * 2 * BASE_FEE * GWEI;

  it('deposits all but the gas reserve of ETH, with USD at the pool ratio, and the deposit lands in block 3', () => {
    expect(mine.map((t) => [t.block, t.status])).toEqual([[3, 'included']]);
    const c = mine[0]!.calls[0]!;
    expectRel(c.outB, 10 - reserve, 1e-12, 'ETH deposited');
    expectRel(c.outC, (10 - reserve) * (POOL_USD / POOL_ETH), 1e-12, 'USD deposited at the pool ratio');
    const a = agent(r, 'late');
    expect(a.metrics.inPool).toBe(1);
    // Left: the reserve less the deposit's gas (150,000 at 10 gwei), and the USD beyond the ratio.
    expectRel(a.balances.ETH!, reserve - 150_000 * BASE_FEE * GWEI, 1e-9, 'ETH left for gas');
    expectRel(a.balances.USD!, 20_000 - (10 - reserve) * 2000, 1e-9, 'USD left');
  });
});

describe('an arbitrageur holding half the optimal input', () => {
  // A scripted buyer pushes the pool to about 2200 USD/ETH in block 1; the reference stays at 2000.
  const push = createAgent({ kind: 'scripted', id: 'pusher', balances: { ETH: 1, USD: 1e6 }, actions: [{ do: 'swap', venue: 'pool', pay: 'USD', amount: 97_000, block: 1 }] });
  const x1 = POOL_ETH - xyOut(97_000, POOL_USD, POOL_ETH, PHI);
  const y1 = POOL_USD + 97_000;
  // Selling Δ ETH yields y·φΔ/(x + φΔ), whose slope y·φ·x/(x + φΔ)² falls to the reference price
  // at x + φΔ = √(φ·x·y / p): the optimal input.
  const optimal = (Math.sqrt((PHI * x1 * y1) / ETH_USD) - x1) / PHI;
  const held = optimal / 2;
  // No gas (base fee 0): nothing to keep back for it.
  const r = run(world([lp(), push, createAgent({ kind: 'arbitrageur', id: 'arb', venue: 'pool', balances: { ETH: held } })], { blocks: 3, chain: { baseFee: { initial: 0, mode: 'fixed' } } }));

  it('sells all of it in the next block, and earns the profit of that size on the x·y curve', () => {
    const mine = r.txs.filter((t) => t.agent === 'arb');
    expect(mine.map((t) => [t.block, t.status, t.calls[0]!.side])).toEqual([[2, 'included', 0]]);
    expectRel(mine[0]!.calls[0]!.a, held, 1e-12, 'ETH sold');
    const profit = (size: number) => xyOut(size, x1, y1, PHI) - size * ETH_USD;
    const a = agent(r, 'arb');
    expect(a.balances.ETH ?? 0).toBe(0);
    // What it holds now (USD) less the ETH it sold at the reference price.
    expectRel(a.balances.USD! - held * ETH_USD, profit(held), 1e-9, 'profit of the clipped trade');
    // Concave in size: more than half the optimum's profit, less than all of it.
    expect(profit(held)).toBeGreaterThan(profit(optimal) / 2);
    expect(profit(held)).toBeLessThan(profit(optimal));
    expect([a.metrics.trades, a.metrics.tradesAttempted]).toEqual([1, 1]);
  });
});

describe('an arbitrageur whose trade takes longer than a block to arrive', () => {
  // Sent before block 2 (t = 24 s) with 20 s of network latency, it arrives at 44 s and lands in
  // block 4 (48 s); before blocks 3 and 4 the gap is still open, but its trade is on its way.
  const push = createAgent({ kind: 'scripted', id: 'pusher', balances: { ETH: 1, USD: 1e6 }, actions: [{ do: 'swap', venue: 'pool', pay: 'USD', amount: 97_000, block: 1 }] });
  const arb = createAgent({ kind: 'arbitrageur', id: 'arb', venue: 'pool', balances: { ETH: 100, USD: 0 }, latency: { network: 20 } });
  const r = run(world([lp(), push, arb], { blocks: 6 }));

  it('sends no second attempt until the receipt of the first, and then finds no gap left', () => {
    expect(r.txs.filter((t) => t.agent === 'arb').map((t) => [t.block, t.status])).toEqual([[4, 'included']]);
    expect(agent(r, 'arb').metrics.tradesAttempted).toBe(1);
  });
});

describe('an LP whose withdrawal cannot land', () => {
  // It deposits exactly what it holds at genesis (an explicit deposit keeps nothing back), so it has no
  // ETH left to pay gas: every withdrawal its exit rule sends is dropped (INSUFFICIENT_FUNDS_FOR_GAS).
  // Prices are constant, so the pool earns nothing over holding and the rule (5 %/yr outside) says leave.
  const stuck = createAgent({ kind: 'lp', id: 'stuck', venue: 'pool', deposit: [10, 20_000], balances: { ETH: 10, USD: 20_000 }, exit: { outsideRate: 0.05, window: 60, checkEvery: 5 } });
  const r = run(world([lp(), stuck], { blocks: 20 }));

  it('is still in the pool: no exit counted, each attempt retried at the next check', () => {
    const sent = r.txs.filter((t) => t.agent === 'stuck');
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.every((t) => t.status === 'dropped' && t.revert === 'INSUFFICIENT_FUNDS_FOR_GAS')).toBe(true);
    const m = agent(r, 'stuck').metrics;
    expect([m.exits, m.inPool, m.exitsAttempted]).toEqual([0, 1, sent.length]);
    expect(agent(r, 'stuck').balances['LP-pool']).toBeGreaterThan(0);
  });
});
