/**
 * Sandwiches through simulate(): the searcher sees a victim's public swap (or unprotected forge) in
 * the mempool and bundles [front, victim, back] into the next block. Expected amounts are replayed
 * here with the x·y and forge formulas from the pool's state at the top of the block.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import type { Agent } from '../../sim/agent';
import {
  agent,
  BASE_FEE,
  boundByBisection,
  ETH_USD,
  expectRel,
  expectZeroSum,
  FORGE_GAS,
  forgeOne,
  GWEI,
  lp,
  one,
  PHI,
  POOL_ETH,
  POOL_USD,
  priorityUsd,
  replaySandwich,
  run,
  searcher,
  SWAP_GAS,
  triadWorld,
  txsOf,
  victim,
  world,
  xyOut,
  type Run,
} from './helpers';

const DELTA = 100_000;
const UNTOUCHED = xyOut(DELTA, POOL_USD, POOL_ETH, PHI);
/** Base fee of the two sandwich swaps, USD. */
const SANDWICH_BASE_GAS_USD = 2 * SWAP_GAS * BASE_FEE * GWEI * ETH_USD;

const sandwichRun = (minOut: number, opts: { private?: boolean } = {}): Run =>
  run(world([lp(), victim({ block: 2, amount: DELTA, minOut, ...opts }), searcher({ strategies: { sandwich: {} } })]));

describe('a sandwich on the CPMM', () => {
  const r = sandwichRun(46);

  it('bundles [sandwich-front, victim, sandwich-back] in consecutive positions of one block', () => {
    const front = one(r, 'mev', 'sandwich-front');
    const v = one(r, 'victim');
    const back = one(r, 'mev', 'sandwich-back');
    expect([front.status, v.status, back.status]).toEqual(['included', 'included', 'included']);
    // The victim leaves at 24 s + 1 s of latency: too late for block 2, so block 3.
    expect([front.block, v.block, back.block]).toEqual([3, 3, 3]);
    expect([v.position - front.position, back.position - v.position]).toEqual([1, 1]);
    expect(front.bundle).not.toBeNull();
    expect(back.bundle).toBe(front.bundle);
    expect(v.bundle).toBeNull();
    expect(agent(r, 'mev').metrics.sandwiches).toBe(1);
  });

  it('links both legs to the victim: `victim` is the id of the transaction executed between them', () => {
    const v = one(r, 'victim');
    for (const leg of [one(r, 'mev', 'sandwich-front'), one(r, 'mev', 'sandwich-back')]) expect(leg.victim).toBe(v.id);
    expect(v.victim).toBeNull();
  });

  it('leaves the victim exactly its minimum, front-running by the largest amount its bound allows', () => {
    const v = one(r, 'victim');
    expect(v.calls[0]!.outA).toBeGreaterThanOrEqual(46);
    expectRel(v.calls[0]!.outA, 46, 1e-9, 'victim output');
    const f = one(r, 'mev', 'sandwich-front').calls[0]!.a;
    expectRel(f, boundByBisection(POOL_USD, POOL_ETH, PHI, DELTA, 46), 1e-8, 'front-run');
  });

  it('earns the replayed sandwich profit less the base fee and the priority fees it bid', () => {
    const front = one(r, 'mev', 'sandwich-front');
    const back = one(r, 'mev', 'sandwich-back');
    const s = replaySandwich(POOL_USD, POOL_ETH, PHI, front.calls[0]!.a, DELTA);
    // Everything is in USD (the input token) and ETH comes back in full: profit = USD back − USD in.
    expectRel(back.calls[0]!.outA - front.calls[0]!.a, s.profit, 1e-9, 'profit in the records');
    const mev = agent(r, 'mev');
    const prio = priorityUsd(front) + priorityUsd(back);
    expectRel(mev.gasPaid.baseUsd, SANDWICH_BASE_GAS_USD, 1e-12, 'base fee');
    expectRel(mev.gasPaid.priorityUsd, prio, 1e-12, 'priority fees');
    // The default bid is 90% of the value after the base fee.
    expectRel(prio, 0.9 * (s.profit - SANDWICH_BASE_GAS_USD), 1e-9, 'bid');
    expectRel(mev.pnl.total, s.profit - SANDWICH_BASE_GAS_USD - prio, 1e-9, 'searcher total');
    // Its mev is its capture at execution before the pool fees its legs paid (booked as swapFees).
    expectRel(mev.pnl.swapFees, -(1 - PHI) * (front.calls[0]!.a + back.calls[0]!.a * ETH_USD), 1e-9, 'searcher swapFees');
    expectRel(mev.pnl.mev + mev.pnl.swapFees, s.profit, 1e-9, 'searcher mev');
  });
});

/** Sandwich profit (USD, before gas) at the largest front-run a bound of `slack` below the quote allows. */
const profitAtSlack = (slack: number): number => replaySandwich(POOL_USD, POOL_ETH, PHI, boundByBisection(POOL_USD, POOL_ETH, PHI, DELTA, UNTOUCHED * (1 - slack)), DELTA).profit;

/** The slack (by bisection) at which the sandwich is worth `usd` before gas. */
function slackWorth(usd: number): number {
  let lo = 0;
  let hi = 0.01;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (profitAtSlack(mid) < usd) lo = mid;
    else hi = mid;
  }
  return hi;
}

function expectUntouched(r: Run): void {
  expect(txsOf(r, 'mev')).toEqual([]);
  expect(agent(r, 'mev').metrics.sandwiches).toBe(0);
  const v = one(r, 'victim');
  expect(v.status).toBe('included');
  expectRel(v.calls[0]!.outA, UNTOUCHED, 1e-12, 'victim output');
}

describe('a victim the searcher leaves alone', () => {
  it('a bound of 1e-6 below its quote leaves nothing worth the gas', () => {
    expect(profitAtSlack(1e-6)).toBeLessThan(SANDWICH_BASE_GAS_USD);
    expectUntouched(sandwichRun(UNTOUCHED * (1 - 1e-6)));
  });

  it('a bound whose sandwich is worth less than the two swaps’ base fee is skipped, one worth more is taken', () => {
    const below = slackWorth(0.8 * SANDWICH_BASE_GAS_USD);
    const above = slackWorth(1.25 * SANDWICH_BASE_GAS_USD);
    expectUntouched(sandwichRun(UNTOUCHED * (1 - below)));
    const taken = sandwichRun(UNTOUCHED * (1 - above));
    expect(txsOf(taken, 'mev').map((t) => t.tag)).toEqual(['sandwich-front', 'sandwich-back']);
    expect(agent(taken, 'mev').pnl.total).toBeGreaterThan(0);
  });

  it('a front-run in the native token leaves the searcher enough of it to pay both transactions’ gas', () => {
    const quote = xyOut(50, POOL_ETH, POOL_USD, PHI);
    const r = run(world([lp(), victim({ block: 2, pay: 'ETH', amount: 50, minOut: 0.97 * quote }), searcher({ balances: { ETH: 5, USD: 0 }, strategies: { sandwich: {} } })]));
    const front = one(r, 'mev', 'sandwich-front');
    expect([front.status, one(r, 'mev', 'sandwich-back').status]).toEqual(['included', 'included']);
    // Its 5 ETH bind well below the bound: the front-run takes what gas leaves of them.
    expect(front.calls[0]!.a).toBeGreaterThan(4);
    expect(front.calls[0]!.a).toBeLessThan(5);
    expect(agent(r, 'mev').pnl.total).toBeGreaterThan(0);
  });

  it('a private victim is never seen', () => {
    const r = sandwichRun(46, { private: true });
    expectUntouched(r);
    expect(one(r, 'victim').private).toBe(true);
  });
});

// The triad: two holders forge 1000 U + 1000 1/U each at parity (u = v = 2000), a mover mints 1/U in
// block 1 to lift the price of U to 1.1 (v = 2000·1.1² = 2420), and the rebalance comes in block 3.
const TOP_U = 2000;
const TOP_V = 2000 * 1.1 * 1.1;
const trigger = { kind: 'price-move' as const, threshold: 0.05 };
const mover = (): Agent => createAgent({ kind: 'scripted', id: 'mover', balances: { '1': 1000, ETH: 1 }, actions: [{ do: 'movePrice', venue: 'T', price: 1.1, mode: 'mint', block: 1 }] });
const holder = (): Agent => createAgent({ kind: 'scripted', id: 'holder', balances: { '1': 2000 }, actions: [{ do: 'forge', venue: 'T', du: 1000, dv: 1000, genesis: true }] });
const triadSearcher = (): Agent => searcher({ balances: { '1': 100_000, ETH: 100 }, strategies: { sandwich: {} } });

/** The parity rebalance of 1000 U + 1000 1/U at price p (k = 2): equal value on both legs again. */
function parityRebalance(p: number): [number, number] {
  const value = 1000 * p + 1000 / p;
  return [value / (2 * p) - 1000, (value * p) / 2 - 1000];
}

describe('a sandwich on an unprotected triad', () => {
  const hedger = (): Agent =>
    createAgent({ kind: 'rebalancing-hedger', id: 'hedger', balances: { '1': 2500, ETH: 10 }, latency: { network: 1 }, hedge: { kind: 'triad-parity', venue: 'T', budget: 2000 }, trigger });
  const r = run(triadWorld([holder(), hedger(), mover(), triadSearcher()], { blocks: 4 }));

  it('wraps the rebalancing hedger’s forge, and takes exactly what the hedger loses', () => {
    const reb = txsOf(r, 'hedger', 'rebalance');
    expect(reb).toHaveLength(1);
    const h = reb[0]!;
    const front = one(r, 'mev', 'sandwich-front');
    const back = one(r, 'mev', 'sandwich-back');
    expect([front.block, h.block, back.block]).toEqual([3, 3, 3]);
    expect([h.position - front.position, back.position - h.position]).toEqual([1, 1]);
    const [du, dv] = [h.calls[0]!.a, h.calls[0]!.b];
    const expected = parityRebalance(1.1);
    expectRel(du, expected[0], 1e-9, 'du');
    expectRel(dv, expected[1], 1e-9, 'dv');
    const alone = forgeOne(TOP_U, TOP_V, du, dv, 2);
    const inside = h.calls[0]!.outC;
    const taken = front.calls[0]!.outC + back.calls[0]!.outC;
    expect(Math.abs(taken - (alone - inside))).toBeLessThan(1e-9 * Math.abs(taken));
    const hp = agent(r, 'hedger').pnl;
    const mp = agent(r, 'mev').pnl;
    expect(hp.mev).toBeLessThan(0);
    expect(mp.mev).toBeGreaterThan(0);
    expectRel(hp.mev, inside - alone, 1e-9, 'hedger mev ("1" at $1)');
    expectRel(mp.mev, taken, 1e-9, 'searcher mev');
    expect(mp.total).toBeGreaterThan(0);
    // Bounded only by the hedger's spare "1": inside the sandwich it pays all 500 it had beyond its budget.
    expectRel(inside, -500, 1e-9, 'hedger "1" inside the sandwich');
    expectRel(taken, 500 + alone, 1e-9, 'taken');
  });

  it('is zero-sum: the searcher’s take before gas is the hedger’s loss, and all gas went to the builder or the burn', () => {
    // "1" at $1 and ETH at $2000 stay put; U and 1/U are marked at the triad's price, and Σ"1" + k√(uv)
    // is conserved, so the agents' P&L, priority fees and burned fees add to 0.
    expectZeroSum(r, 1e5);
    const mp = agent(r, 'mev').pnl;
    expectRel(mp.total - mp.gas, -agent(r, 'hedger').pnl.mev, 1e-9, 'searcher before gas vs hedger loss');
    const legs = txsOf(r, 'mev');
    expectRel(-mp.gas, legs.reduce((s, t) => s + t.gasCostUsd, 0), 1e-12, 'searcher gas');
    expectRel(r.result.builder.priorityFeesUsd, r.result.agents.reduce((s, a) => s + a.gasPaid.priorityUsd, 0), 1e-12, 'builder revenue');
    expect(agent(r, 'mev').gasPaid.priorityUsd).toBeGreaterThan(0);
  });

  it('in exact-integer mode, books the same MEV on both sides (to 1e-9)', () => {
    const x = run({ ...triadWorld([holder(), hedger(), mover(), triadSearcher()], { blocks: 4 }), numeric: 'exact' });
    expect(txsOf(x, 'mev').map((t) => t.tag)).toEqual(['sandwich-front', 'sandwich-back']);
    expect(agent(x, 'hedger').pnl.mev).toBeLessThan(0);
    expectRel(agent(x, 'hedger').pnl.mev, agent(r, 'hedger').pnl.mev, 1e-9, 'hedger mev, exact vs float');
    expectRel(agent(x, 'mev').pnl.mev, agent(r, 'mev').pnl.mev, 1e-9, 'searcher mev, exact vs float');
  });

  it('links both legs to the hedger’s forge: `victim` is the transaction executed between them', () => {
    const h = one(r, 'hedger', 'rebalance');
    expect(txsOf(r, 'mev').map((t) => [t.tag, t.victim])).toEqual([
      ['sandwich-front', h.id],
      ['sandwich-back', h.id],
    ]);
    expect(h.victim).toBeNull();
  });
});

describe('a rebalancing hedger with spare "1": unprotected against protected triad', () => {
  // 3000 "1" beyond its budget and gas at 0.1 gwei, so that even the protected forge's small slack
  // is worth taking. The protected hedger bounds its forge by its quote less 0.5 % of the value traded.
  const spareHedger = (): Agent =>
    createAgent({ kind: 'rebalancing-hedger', id: 'hedger', balances: { '1': 5000, ETH: 10 }, latency: { network: 1 }, hedge: { kind: 'triad-parity', venue: 'T', budget: 2000 }, trigger });
  const cheapGas = { baseFee: { initial: 0.1, mode: 'fixed' as const } };
  const runOn = (isProtected: boolean): Run => run(triadWorld([holder(), spareHedger(), mover(), triadSearcher()], { blocks: 4, protected: isProtected, chain: cheapGas }));
  const open = runOn(false);
  const bounded = runOn(true);
  const [du, dv] = parityRebalance(1.1);
  const alone = forgeOne(TOP_U, TOP_V, du, dv, 2);

  it('unprotected, the sandwich takes thousands of "1": all the searcher’s capital can move the price', () => {
    const h = one(open, 'hedger', 'rebalance');
    // An unprotected triad enforces no bound: the log leaves it out.
    expect(h.calls[0]!.boundA).toBeUndefined();
    expect(agent(open, 'hedger').pnl.mev).toBeLessThan(-2000);
    expectRel(agent(open, 'mev').pnl.mev, -agent(open, 'hedger').pnl.mev, 1e-9, 'searcher takes what the hedger loses');
  });

  it('protected, it takes at most the slack between the hedger’s quote and its bound (0.5 % of the value traded)', () => {
    const h = one(bounded, 'hedger', 'rebalance');
    const traded = Math.abs(du) * 1.1 + Math.abs(dv) / 1.1;
    const slack = alone - h.calls[0]!.boundA!;
    expectRel(slack, 0.005 * traded, 1e-9, 'slack');
    expect(h.status).toBe('included');
    expect(h.calls[0]!.outC).toBeGreaterThanOrEqual(h.calls[0]!.boundA!);
    const lost = -agent(bounded, 'hedger').pnl.mev;
    expect(txsOf(bounded, 'mev').map((t) => t.tag)).toEqual(['sandwich-front', 'sandwich-back']);
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThanOrEqual(slack * (1 + 1e-9));
    expectRel(lost, alone - h.calls[0]!.outC, 1e-9, 'loss against the forge alone');
    expect(-agent(open, 'hedger').pnl.mev).toBeGreaterThan(1000 * lost);
  });
});

describe('the same forge by a scripted victim', () => {
  const [du, dv] = parityRebalance(1.1);
  const alone = forgeOne(TOP_U, TOP_V, du, dv, 2);
  const forger = (minOne?: number): Agent =>
    createAgent({
      kind: 'scripted',
      id: 'victim',
      balances: { '1': 2500, ETH: 10 },
      latency: { network: 1 },
      actions: [
        { do: 'forge', venue: 'T', du: 1000, dv: 1000, genesis: true },
        { do: 'forge', venue: 'T', du, dv, block: 2, ...(minOne !== undefined ? { minOne } : {}) },
      ],
    });
  const runWith = (isProtected: boolean, minOne?: number): Run => run(triadWorld([holder(), forger(minOne), mover(), triadSearcher()], { blocks: 4, protected: isProtected }));

  it('is sandwiched on the unprotected triad', () => {
    const r = runWith(false, alone);
    expect(txsOf(r, 'mev').map((t) => t.tag)).toEqual(['sandwich-front', 'sandwich-back']);
    expect(agent(r, 'victim').pnl.mev).toBeLessThan(-1);
  });

  it('yields nothing on a protected triad when its minOne is a hair (1e-9 "1") below its own quote', () => {
    const r = runWith(true, alone - 1e-9);
    expect(txsOf(r, 'mev')).toEqual([]);
    const v = one(r, 'victim', 'forge');
    expect(v.status).toBe('included');
    expectRel(v.calls[0]!.outC, alone, 1e-12, 'victim "1"');
    expect(agent(r, 'mev').pnl.total).toBe(0);
  });

  it('on a protected triad with a looser minOne, yields at most the slack left, less gas', () => {
    const slack = 5;
    const r = runWith(true, alone - slack);
    const taken = txsOf(r, 'mev').reduce((s, t) => s + t.calls[0]!.outC, 0);
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThanOrEqual(slack * (1 + 1e-9));
    expect(one(r, 'victim', 'forge').calls[0]!.outC).toBeGreaterThanOrEqual(alone - slack);
    expect(agent(r, 'mev').gasPaid.baseUsd).toBeCloseTo(2 * FORGE_GAS * BASE_FEE * GWEI * ETH_USD, 9);
  });
});
