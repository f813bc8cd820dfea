/**
 * The adversarial trigger on a constant-product pool, where it pays. An options vault is short 200
 * ATM calls (7 days, 60 % implied) and hedges delta on the pool, reading the spot from that pool
 * (`priceFrom: pool`), whenever the pool's price has moved 1 % since its last hedge; its hedges wait
 * 0.5 s in the public mempool. The adversary knows the trigger: it pushes the pool 1.1 % away, the
 * vault trades its extra delta at the pushed price (moving the pool further), and the adversary
 * reverses in a bundle right behind it. The reference price is constant, so every trade is a
 * transfer: the vault's loss against the same seed without the adversary is what the adversary,
 * the LP and the builder gain. The pool is replayed here with the x·y formulas and the hedge sizes
 * with the test's own Black–Scholes delta (test/hedgers/world.ts).
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import type { Agent } from '../../sim/agent';
import type { TxRecord } from '../../sim/record';
import { call, SECONDS_PER_YEAR } from '../hedgers/world';
import { agent, ETH_USD, executed, expectRel, expectZeroSum, run, searcher, world, xyIn, xyOut, type Run } from './helpers';

const PHI = 0.9999; // a 1 bp pool
const ETH0 = 10_000;
const USD0 = 20_000_000;
const Q = 200;
const VOL = 0.6;
const EXPIRY = 7 * 86_400;
const BLOCK = 12;
const THRESHOLD = 0.01;
const trigger = { kind: 'price-move' as const, threshold: THRESHOLD };

function scenario(withAdversary: boolean): Run {
  const agents: Agent[] = [
    createAgent({ kind: 'scripted', id: 'lp', balances: { ETH: ETH0, USD: USD0 }, actions: [{ do: 'addLiquidity', venue: 'pool', amounts: [ETH0, USD0], genesis: true }] }),
    createAgent({
      kind: 'delta-hedger',
      id: 'vault',
      latency: { network: 0.5 },
      balances: { ETH: 10, USD: 2_000_000 },
      // The initial hedge trades with the desk at the reference price: the pool starts undisturbed.
      deltaExchange: true,
      options: { kind: 'option', option: 'call', strike: 'atm', expiry: EXPIRY, quantity: Q, position: 'short', asset: 'ETH', impliedVol: VOL, hedgeOn: 'pool', priceFrom: 'pool', slippage: 0.02 },
      trigger,
    }),
  ];
  if (withAdversary) {
    agents.push(searcher({ id: 'adv', balances: { ETH: 100, USD: 1_000_000 }, latency: { mempool: 0.05 }, bid: { kind: 'fixed', gwei: 1 }, strategies: { adversary: { target: 'vault', venue: 'pool', trigger } } }));
  }
  return run(world(agents, { blocks: 20, chain: { baseFee: { initial: 1, mode: 'fixed' } }, venues: [{ kind: 'cpmm', id: 'pool', tokens: ['ETH', 'USD'], feeBps: 1 }] }));
}

interface Step {
  tx: TxRecord;
  /** Pool price (USD per ETH) after the transaction. */
  price: number;
  /** ETH the vault has bought on the pool so far. */
  vaultEth: number;
  /** Reserves before the transaction. */
  before: [number, number];
}

/** Replay the pool through every included swap, checking each output with the x·y formulas. */
function replay(r: Run): Step[] {
  let [eth, usd] = [ETH0, USD0];
  let vaultEth = 0;
  const steps: Step[] = [];
  for (const tx of executed(r).filter((t) => t.status === 'included')) {
    const c = tx.calls[0]!;
    const payEth = c.side === 0;
    const [rin, rout] = payEth ? [eth, usd] : [usd, eth];
    const before: [number, number] = [eth, usd];
    if (c.op === 'swap') expectRel(c.outA, xyOut(c.a, rin, rout, PHI), 1e-12, `output of tx ${tx.id}`);
    else expectRel(c.outB, xyIn(c.a, rin, rout, PHI), 1e-12, `input of tx ${tx.id}`);
    // outA = amount received, outB = amount paid, for both kinds of swap.
    if (payEth) [eth, usd] = [eth + c.outB, usd - c.outA];
    else [eth, usd] = [eth - c.outA, usd + c.outB];
    if (tx.agent === 'vault') vaultEth += payEth ? -c.outB : c.outA;
    steps.push({ tx, price: usd / eth, vaultEth, before });
  }
  return steps;
}

interface Cycle {
  push: Step;
  hedge: Step;
  reversal: Step;
}

function cycles(steps: Step[]): Cycle[] {
  const out: Cycle[] = [];
  let push: Step | null = null;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (s.tx.agent === 'adv' && s.tx.bundle === null) push = s;
    if (s.tx.agent === 'vault' && push !== null) {
      out.push({ push, hedge: s, reversal: steps[i + 1]! });
      push = null;
    }
  }
  return out;
}

describe('the adversary against an options vault that reads its spot from the pool', () => {
  const r = scenario(true);
  const control = scenario(false);
  const steps = replay(r);
  const found = cycles(steps);

  it('pushes across the trigger, the vault hedges at the pushed price, and the reversal lands right behind it in one bundle', () => {
    expect(found.length).toBeGreaterThanOrEqual(4);
    let anchor = ETH_USD;
    let held = 0;
    for (const { push, hedge, reversal } of found) {
      expect(Math.abs(push.price / anchor - 1)).toBeGreaterThanOrEqual(THRESHOLD);
      expect(hedge.tx.block).toBeGreaterThan(push.tx.block);
      expect(reversal.tx.agent).toBe('adv');
      expect([reversal.tx.block, reversal.tx.position]).toEqual([hedge.tx.block, hedge.tx.position + 1]);
      expect(reversal.tx.bundle).not.toBeNull();
      expect(reversal.tx.victim).toBe(hedge.tx.id);
      // The reversal sells back exactly what the push bought.
      expect(reversal.tx.calls[0]!.a).toBeCloseTo(push.tx.calls[0]!.outA, 9);
      // The vault decides before the block after the push (t = 12·(block − 1)), on the pushed price:
      // it holds Q·Δ(S, τ) after the trade, at the desk's initial hedge Q·Δ(2000, 7 d) plus its pool trades.
      const years = (EXPIRY - BLOCK * (hedge.tx.block - 1)) / SECONDS_PER_YEAR;
      const total = Q * call(ETH_USD, ETH_USD, EXPIRY / SECONDS_PER_YEAR, VOL).delta + hedge.vaultEth;
      expectRel(total, Q * call(push.price, ETH_USD, years, VOL).delta, 1e-9, `vault hedge in block ${hedge.tx.block}`);
      // Buying pushes the price further up (selling, further down): the reversal trades at a better price than the push.
      expect(Math.sign(hedge.price - push.price)).toBe(Math.sign(push.price - anchor));
      anchor = push.price;
      held = hedge.vaultEth;
    }
    expect(held).not.toBe(0);
    expect(agent(control, 'vault').metrics.rebalances).toBe(0);
  });

  it('reports what the vault lost to its pushes: each caught hedge on the pushed pool against the pool before the push', () => {
    let lost = 0;
    for (const { push, hedge } of found) {
      const c = hedge.tx.calls[0]!;
      const payEth = c.side === 0;
      const at = (eth: number, usd: number): number => {
        const [rin, rout] = payEth ? [eth, usd] : [usd, eth];
        return c.op === 'swap' ? xyOut(c.a, rin, rout, PHI) : xyIn(c.a, rin, rout, PHI);
      };
      const pushed = at(...hedge.before);
      const unpushed = at(...push.before);
      // Exact input: it received less; exact output: it paid more. In USD at the constant $2000.
      const usdOf = (amount: number, eth: boolean): number => amount * (eth ? ETH_USD : 1);
      lost += c.op === 'swap' ? usdOf(unpushed - pushed, !payEth) : usdOf(pushed - unpushed, payEth);
    }
    expect(lost).toBeGreaterThan(100);
    expectRel(agent(r, 'adv').metrics.adversaryTargetLossUsd!, lost, 1e-9, 'adversaryTargetLossUsd');
    // Its hedges ran first in the bundles, as they would have alone: no mev.
    expect(agent(r, 'vault').pnl.mev).toBe(0);
  });

  it('profits: its P&L is the markout of its swaps at the reference price, less gas; its mev, that markout before pool fees', () => {
    let markout = 0;
    for (const s of steps) {
      if (s.tx.agent !== 'adv') continue;
      const c = s.tx.calls[0]!;
      markout += c.side === 0 ? c.outA - c.outB * ETH_USD : c.outA * ETH_USD - c.outB;
    }
    const adv = agent(r, 'adv');
    expect(markout).toBeGreaterThan(100);
    // Push and reversal are both booked at execution, as mev; the pool fees they paid are swapFees.
    expect(adv.pnl.swapFees).toBeLessThan(0);
    expectRel(adv.pnl.mev + adv.pnl.swapFees, markout, 1e-9, 'adversary mev');
    expect(adv.pnl.total).toBeGreaterThan(0);
    expectRel(adv.pnl.total, markout + adv.pnl.gas, 1e-9, 'adversary total');
  });

  it('costs the vault, against the same seed without the adversary, what the adversary, the LP and the builder gain', () => {
    const lost = agent(control, 'vault').pnl.total - agent(r, 'vault').pnl.total;
    const adv = agent(r, 'adv').pnl.total;
    expect(lost).toBeGreaterThan(adv);
    // The option's mark and premium are the same in both runs; the difference is all on-chain.
    expect(agent(r, 'vault').pnl.options).toBe(agent(control, 'vault').pnl.options);
    const b = r.result.builder;
    const gained = adv + agent(r, 'lp').pnl.total - agent(control, 'lp').pnl.total + b.priorityFeesUsd + b.burnedUsd;
    expectRel(lost, gained, 1e-9, 'vault loss = adversary + LP + builder + burned');
    // And within the run: zero-sum once the vault's business with the options desk is set aside.
    expectZeroSum(r, USD0, (a) => a.pnl.options);
  });
});
