/**
 * Accounting with searchers (DESIGN §5): at constant reference prices every trade is a transfer, so
 * the agents' P&L, the builder's priority fees and the burned base fees sum to zero; each agent's
 * total and `trading` agree with its swaps' markouts in the records; a victim's `mev` is its loss
 * against its swap alone from the state just before the bundle, replayed here from the transaction
 * records; nobody else books any.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import type { Agent } from '../../sim/agent';
import type { TxRecord } from '../../sim/record';
import { agent, ETH_USD, expectRel, expectZeroSum, GWEI, lp, one, PHI, POOL_ETH, POOL_USD, run, searcher, victim, world, xyOut, type Run } from './helpers';

/**
 * `trading` is the remainder of the decomposition, so it is checked against the records instead. At
 * constant prices nothing is gained by holding (hold 0): a trader's value changes only by its swaps'
 * markouts (what it got at the reference price less what it paid) and its gas, so total = Σ markouts +
 * gas and trading + swapFees + mev = Σ markouts (mev is checked on its own below); the LP's change is
 * all fees and LVR (trading 0), and a searcher's capture at execution is all its markouts (trading 0).
 */
function expectTradingFromRecords(r: Run): void {
  const usd = (token: number) => (token === 0 ? ETH_USD : 1);
  for (const a of r.result.agents) {
    const scale = 1e-9 * Math.max(1, Math.abs(a.pnl.total));
    expect(a.pnl.hold, `${a.id} hold`).toBe(0);
    if (a.id === 'lp' || a.kind === 'searcher') {
      expect(Math.abs(a.pnl.trading), `${a.id} trading`).toBeLessThan(1e-9 * POOL_USD);
      continue;
    }
    let markout = 0;
    for (const t of r.txs) {
      if (t.agent !== a.id || t.status !== 'included') continue;
      const c = t.calls[0]!;
      markout += c.outA * usd(1 - c.side) - c.outB * usd(c.side);
    }
    expect(Math.abs(a.pnl.total - (markout + a.pnl.gas)), `${a.id}: total ${a.pnl.total} vs markouts ${markout} + gas ${a.pnl.gas}`).toBeLessThan(scale);
    expect(Math.abs(a.pnl.trading + a.pnl.swapFees + a.pnl.mev - markout), `${a.id}: trading + swapFees + mev vs markouts ${markout}`).toBeLessThan(scale);
  }
}

/** Builder revenue from the records: Σ effective priority fee × gas used, in ETH and at the ETH price. */
function expectBuilderRevenue(r: Run): void {
  const native = r.txs.reduce((s, t) => s + t.effectivePriorityFee * t.gasUsed * GWEI, 0);
  expect(native).toBeGreaterThan(0);
  expectRel(r.result.builder.priorityFeesNative, native, 1e-12, 'priority fees, ETH');
  expectRel(r.result.builder.priorityFeesUsd, native * ETH_USD, 1e-12, 'priority fees, USD');
  const burned = r.txs.reduce((s, t) => s + t.baseFee * t.gasUsed * GWEI, 0);
  expectRel(r.result.builder.burnedNative, burned, 1e-12, 'burned base fee, ETH');
}

describe('a sandwich', () => {
  const r = run(world([lp(), victim({ block: 2, amount: 100_000, minOut: 46 }), searcher({ strategies: { sandwich: {} } })]));

  it('is zero-sum: victim, LP and searcher P&L plus builder revenue and burned fees add to 0', () => {
    expect(one(r, 'mev', 'sandwich-front').status).toBe('included');
    expectZeroSum(r, POOL_USD);
  });

  it('books trading as the records say: markouts at the reference price, less swap fees and mev', () => expectTradingFromRecords(r));

  it('charges the victim its output alone (from the state before the bundle) less what it got, at the ETH price', () => {
    const got = one(r, 'victim').calls[0]!.outA;
    // Nothing runs before the bundle in its block: the state before it is the seeded pool.
    const top = xyOut(100_000, POOL_USD, POOL_ETH, PHI);
    expectRel(agent(r, 'victim').pnl.mev, -(top - got) * ETH_USD, 1e-9, 'victim mev');
    expect(agent(r, 'victim').pnl.mev).toBeLessThan(-2900);
  });

  it('pays the builder Σ effective priority fee × gas used at the native price', () => expectBuilderRevenue(r));
});

const noise = (id: string, buy: number): Agent =>
  createAgent({ kind: 'noise', id, venue: 'pool', meanInterval: 20, medianUsd: 20_000, logSd: 0.8, buyProbability: buy, slippage: 0.02, balances: { ETH: 300, USD: 600_000 }, latency: { network: 1 } });

describe('noise traders and a sandwiching, back-running searcher over 150 blocks', () => {
  const r = run(
    world([lp(), noise('n1', 0.5), noise('n2', 0.7), noise('n3', 0.3), searcher({ balances: { ETH: 500, USD: 1_000_000 }, strategies: { sandwich: {}, backrun: {} } })], { blocks: 150, seed: 7 }),
  );

  it('both sandwiches and back-runs, and every noise trader trades', () => {
    const m = agent(r, 'mev').metrics;
    expect(m.sandwiches).toBeGreaterThan(5);
    expect(m.backruns).toBeGreaterThan(5);
    for (const id of ['n1', 'n2', 'n3']) expect(r.txs.filter((t) => t.agent === id && t.status === 'included').length).toBeGreaterThan(10);
  });

  it('is zero-sum', () => expectZeroSum(r, POOL_USD));

  it('books trading as the records say: markouts at the reference price, less swap fees and mev', () => expectTradingFromRecords(r));

  it('pays the builder Σ effective priority fee × gas used at the native price', () => expectBuilderRevenue(r));

  it('charges each noise trader, in mev, what its sandwiched swaps lost against the same swaps alone', () => {
    // Replay the pool through every included swap, in block and position order.
    const swaps = r.txs.filter((t) => t.status === 'included').sort((a, b) => a.block - b.block || a.position - b.position);
    let [eth, usd] = [POOL_ETH, POOL_USD];
    /** The pool just before the current sandwich's front-run. */
    let before = { eth, usd };
    const mev: Record<string, number> = { n1: 0, n2: 0, n3: 0 };
    for (const t of swaps) {
      const c = t.calls[0]! satisfies TxRecord['calls'][number];
      expect(c.op).toBe('swap');
      if (t.tag === 'sandwich-front') before = { eth, usd };
      const payEth = c.side === 0;
      const out = payEth ? xyOut(c.a, eth, usd, PHI) : xyOut(c.a, usd, eth, PHI);
      expectRel(c.outA, out, 1e-9, `replayed output of tx ${t.id}`);
      // Only a sandwich's victim loses: against its swap alone from the pool before the front-run.
      // Ordering among lone swaps, and a back-run behind its victim, cost nobody mev.
      const sandwiched = t.agent in mev && swaps.some((s) => s.tag === 'sandwich-front' && s.victim === t.id);
      if (sandwiched) {
        const alone = payEth ? xyOut(c.a, before.eth, before.usd, PHI) : xyOut(c.a, before.usd, before.eth, PHI);
        mev[t.agent]! += (c.outA - alone) * (payEth ? 1 : ETH_USD);
      }
      if (payEth) [eth, usd] = [eth + c.a, usd - c.outA];
      else [eth, usd] = [eth - c.outA, usd + c.a];
    }
    expect(Object.values(mev).some((x) => x < -1000)).toBe(true);
    for (const id of ['n1', 'n2', 'n3']) {
      expect(Math.abs(agent(r, id).pnl.mev - mev[id]!), `${id}: ${agent(r, id).pnl.mev} vs ${mev[id]}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(mev[id]!)));
    }
  });
});
