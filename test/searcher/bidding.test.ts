/**
 * Bidding for one opportunity through simulate(). The opportunity: the pool holds 1000 ETH against
 * 2,000,000 USD while ETH trades at $2100 off-chain, so buying ETH from the pool pays. Its value is
 * computed here (the optimal input by calculus, the x·y output, less the base fee of one swap) and
 * compared with what the winner pays the builder, read from the transaction records.
 */
import { describe, expect, it } from 'vitest';
import type { SearcherBid } from '../../agents/searcher/bidding';
import type { Agent } from '../../sim/agent';
import type { TxRecord } from '../../sim/record';
import { agent, BASE_FEE, expectRel, expectZeroSum, GWEI, lp, PHI, POOL_ETH, POOL_USD, priorityUsd, run, searcher, SWAP_GAS, txsOf, victim, world, type Run } from './helpers';

const P = 2100;
const market = { assets: [{ id: 'ETH', process: { kind: 'constant' as const, price: P } }] };
/** USD per gwei of priority fee on one swap. */
const USD_PER_GWEI = SWAP_GAS * GWEI * P;

/** Maximise out(a)·P − a with out(a) = x·φa/(y + φa): P·φ·x·y = (y + φa)², so a* = (√(Pφxy) − y)/φ (USD in). */
const A_STAR = (Math.sqrt(P * PHI * POOL_ETH * POOL_USD) - POOL_USD) / PHI;
const ETH_OUT = (POOL_ETH * PHI * A_STAR) / (POOL_USD + PHI * A_STAR);
/** The opportunity's value after the base fee of its swap: what a Bertrand winner pays away. */
const VALUE = ETH_OUT * P - A_STAR - SWAP_GAS * BASE_FEE * GWEI * P;
/** The same value as a priority fee, gwei per gas. */
const CEILING = VALUE / USD_PER_GWEI;

const arbitrageurs = (n: number, bid: SearcherBid, extra: { every?: number; mempool?: number } = {}): Agent[] =>
  Array.from({ length: n }, (_, i) =>
    searcher({
      id: `s${i}`,
      bid,
      ...(extra.every !== undefined ? { every: extra.every } : {}),
      latency: { mempool: extra.mempool ?? 0 },
      strategies: { arbitrage: { venue: 'pool' } },
    }),
  );

const arbRun = (agents: Agent[]): Run => run(world([lp(), ...agents], { blocks: 2, market }));

/** The included arbitrage (exactly one) and everything the searchers sent. */
function winner(r: Run): TxRecord {
  const won = r.txs.filter((t) => t.tag === 'arbitrage' && t.status === 'included');
  expect(won, 'included arbitrages').toHaveLength(1);
  return won[0]!;
}

describe('the opportunity', () => {
  it('is worth what one searcher bidding a share of it makes, the optimal input being a*', () => {
    const r = arbRun(arbitrageurs(1, { kind: 'share', share: 0.5 }));
    const w = winner(r);
    expectRel(w.calls[0]!.a, A_STAR, 1e-9, 'input');
    expectRel(w.calls[0]!.outA, ETH_OUT, 1e-9, 'output');
    expect(VALUE).toBeGreaterThan(1000);
  });
});

describe('fixed bids', () => {
  it('pay the fixed fee when the opportunity is worth more, and keep the rest', () => {
    const r = arbRun(arbitrageurs(1, { kind: 'fixed', gwei: 3 }));
    const w = winner(r);
    expect(w.effectivePriorityFee).toBe(3);
    expectRel(agent(r, 's0').pnl.total, VALUE - 3 * USD_PER_GWEI, 1e-9, 'searcher total');
  });

  it('never bid more than the opportunity is worth: a fixed fee above it is cut to the value', () => {
    const r = arbRun(arbitrageurs(1, { kind: 'fixed', gwei: 10 * CEILING }));
    expectRel(winner(r).effectivePriorityFee, CEILING, 1e-9, 'priority fee');
    expect(Math.abs(agent(r, 's0').pnl.total)).toBeLessThan(1e-6 * VALUE);
  });
});

describe('share bids', () => {
  it.each([0.5, 0.1, 0.9])('pay the builder the share (%s) of the value and keep the rest', (share) => {
    const r = arbRun(arbitrageurs(1, { kind: 'share', share }));
    const w = winner(r);
    expectRel(priorityUsd(w, P), share * VALUE, 1e-9, 'priority paid');
    expectRel(r.result.builder.priorityFeesUsd, share * VALUE, 1e-9, 'builder revenue');
    expectRel(agent(r, 's0').pnl.total, (1 - share) * VALUE, 1e-9, 'searcher total');
  });
});

describe('full-value (Bertrand) bids among identical searchers', () => {
  it.each([2, 3])('%s rivals for one public arbitrage: the winner pays the whole value, the others revert and pay gas', (n) => {
    const r = arbRun(arbitrageurs(n, { kind: 'full' }));
    const w = winner(r);
    expectRel(priorityUsd(w, P), VALUE, 1e-9, 'winner’s priority payment');
    expect(Math.abs(agent(r, w.agent).pnl.total)).toBeLessThan(1e-6 * VALUE);
    const losers = r.txs.filter((t) => t.tag === 'arbitrage' && t !== w);
    expect(losers.map((t) => [t.block, t.status, t.revert])).toEqual(Array.from({ length: n - 1 }, () => [1, 'reverted', 'SLIPPAGE']));
    const paid = r.txs.reduce((s, t) => s + priorityUsd(t, P), 0);
    expectRel(r.result.builder.priorityFeesUsd, paid, 1e-12, 'builder revenue');
    for (const t of losers) expect(agent(r, t.agent).pnl.total).toBeLessThan(0);
  });

  it('2 rivals for one victim: one bundle wins and pays the sandwich’s value, the other is dropped unpaid', () => {
    const rivals = ['a', 'b'].map((id) => searcher({ id, bid: { kind: 'full' }, strategies: { sandwich: {} } }));
    const r = run(world([lp(), victim({ block: 2, amount: 100_000, minOut: 46 }), ...rivals]));
    const sent = r.txs.filter((t) => t.agent === 'a' || t.agent === 'b');
    const won = sent.filter((t) => t.status === 'included');
    expect(won.map((t) => t.tag)).toEqual(['sandwich-front', 'sandwich-back']);
    const w = won[0]!.agent;
    expect(sent.filter((t) => t.agent !== w).map((t) => t.revert)).toEqual(['BUNDLE_FAILED', 'BUNDLE_FAILED']);
    // Value = profit − base fee of two swaps, all paid away.
    const profit = won[1]!.calls[0]!.outA - won[0]!.calls[0]!.a;
    const value = profit - 2 * SWAP_GAS * BASE_FEE * GWEI * 2000;
    expectRel(priorityUsd(won[0]!) + priorityUsd(won[1]!), value, 1e-9, 'winner’s priority payment');
    expect(Math.abs(agent(r, w).pnl.total)).toBeLessThan(1e-6 * value);
    expect(agent(r, w === 'a' ? 'b' : 'a').pnl.total).toBe(0);
  });
});

describe('priority gas auctions by replacement', () => {
  // Searchers look every second between 12 s blocks and see a rival's bid 10 ms after it arrives.
  const pga = (increment: number) => arbRun(arbitrageurs(2, { kind: 'pga', start: 1, increment }, { every: 1, mempool: 0.01 }));

  function expectAuction(r: Run): TxRecord {
    const w = winner(r);
    expect(w.block).toBe(1);
    for (const id of ['s0', 's1']) {
      expect(agent(r, id).metrics.raises).toBeGreaterThan(0);
      expect(txsOf(r, id).filter((t) => t.revert === 'REPLACED').length).toBeGreaterThan(0);
    }
    // Nothing but replacements, one winner and at most one losing attempt that reverts.
    const other = r.txs.filter((t) => t.tag === 'arbitrage' && t !== w && t.revert !== 'REPLACED');
    expect(other.map((t) => t.revert)).toEqual(other.length === 0 ? [] : ['SLIPPAGE']);
    expect(priorityUsd(w, P)).toBeLessThanOrEqual(VALUE * (1 + 1e-12));
    // Zero-sum: the LP's loss to the arbitrage is the winner's profit, the loser's gas, and what the
    // builder and the burn took.
    expectZeroSum(r, POOL_USD);
    const b = r.result.builder;
    const searchers = agent(r, 's0').pnl.total + agent(r, 's1').pnl.total;
    expectRel(-agent(r, 'lp').pnl.total, searchers + b.priorityFeesUsd + b.burnedUsd, 1e-9, 'LP loss');
    return w;
  }

  it('the outbid searcher’s last bid lands behind the winner, reverts, and pays gas at that bid', () => {
    const r = pga(1);
    const w = winner(r);
    const lost = r.txs.filter((t) => t.tag === 'arbitrage' && t.revert !== 'REPLACED' && t !== w);
    expect(lost).toHaveLength(1);
    const l = lost[0]!;
    expect([l.block, l.position, l.status, l.revert]).toEqual([w.block, w.position + 1, 'reverted', 'SLIPPAGE']);
    expect(l.agent).not.toBe(w.agent);
    // Intrinsic 21,000 + 30,000 for the failed swap, at the base fee plus its last (highest) bid.
    expect(l.gasUsed).toBe(51_000);
    expect(l.effectivePriorityFee).toBeGreaterThan(0.5 * CEILING);
    const paid = l.gasUsed * (BASE_FEE + l.effectivePriorityFee) * GWEI * P;
    expectRel(l.gasCostUsd, paid, 1e-12, 'gas cost');
    const loser = agent(r, l.agent);
    expectRel(loser.pnl.total, -paid, 1e-9, 'loser total: its gas and nothing else');
    expectRel(loser.gasPaid.priorityUsd, l.effectivePriorityFee * l.gasUsed * GWEI * P, 1e-12, 'its priority fee, paid to the builder');
  });

  it('escalate, and the winner pays within one raise of the value (the 10% replacement bump, over 1 gwei)', () => {
    const w = expectAuction(pga(1));
    // A raise is the larger of the increment and the mempool's 10% bump: here the bump.
    const step = Math.max(1, 0.1 * CEILING);
    expect(CEILING - w.effectivePriorityFee).toBeLessThanOrEqual(step);
  });

  it('escalate in increments larger than the bump, and the winner pays within one increment of the value', () => {
    const increment = CEILING / 6.5;
    const w = expectAuction(pga(increment));
    expect(CEILING - w.effectivePriorityFee).toBeLessThanOrEqual(increment);
    expect(CEILING - w.effectivePriorityFee).toBeGreaterThanOrEqual(0);
  });
});
