/**
 * The one P&L decomposition (docs/outputs.md): total = hold + trading + fees + lvr + swapFees + gas +
 * cex + mev + options, edge = total − hold, from one measurement point. Regression tests for the
 * defects of issue 10 §4, each checked against figures worked out here from the transaction records
 * and the pool formulas, not against the code's own output.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import type { Agent } from '../../sim/agent';
import type { MarketConfig } from '../../sim/market/market';
import { recordPnl, type Row } from '../../sim/record';
import { worldIdentity, PNL_LINES, type PnlBreakdown } from '../../sim/result';
import { Simulation } from '../../sim/simulation';
import { agent, ETH_USD, exactOutVictim, expectRel, lp, one, PHI, POOL_ETH, POOL_USD, run, searcher, triadWorld, txsOf, victim, world, xyIn, xyOut, type Run } from '../searcher/helpers';

/** The decomposition adds up: the lines but total, edge and hold sum to edge, and hold + edge = total. */
function expectAddsUp(p: PnlBreakdown, what: string): void {
  const parts = p.trading + p.fees + p.lvr + p.swapFees + p.gas + p.cex + p.mev + p.options;
  const scale = 1e-9 * Math.max(1, Math.abs(p.total), Math.abs(p.hold));
  expect(Math.abs(parts - p.edge), `${what}: parts ${parts} vs edge ${p.edge}`).toBeLessThan(scale);
  expect(Math.abs(p.hold + p.edge - p.total), `${what}: hold + edge vs total`).toBeLessThan(scale);
}

/** Replay the pool through swap records (execution order) from the seeded reserves: [ETH, USD]. */
function replay(records: Run['txs'], eth = POOL_ETH, usd = POOL_USD): [number, number] {
  for (const t of records) {
    const c = t.calls[0]!;
    // outA is what the pool paid out, outB what it took in.
    if (c.side === 0) [eth, usd] = [eth + c.outB, usd - c.outA];
    else [eth, usd] = [eth - c.outA, usd + c.outB];
  }
  return [eth, usd];
}

describe('an anchored triad unit is marked as its anchor token plus its price in "1"', () => {
  // WBTC at $60,000; a WBTC-anchored triad (k = 1). A seeder forges 100 U + 100 1/U at genesis; the
  // tester forges 1 U + 1 1/U in block 1 and burns them back in block 2.
  const market: MarketConfig = { assets: [{ id: 'ETH', process: { kind: 'constant', price: ETH_USD } }, { id: 'WBTC', process: { kind: 'constant', price: 60_000 } }] };
  const cfg = (actions: { du: number; dv: number; block: number }[]) =>
    world(
      [
        createAgent({ kind: 'scripted', id: 'seeder', balances: { WBTC: 100, '1': 1000 }, actions: [{ do: 'forge', venue: 'T', du: 100, dv: 100, genesis: true }] }),
        createAgent({ kind: 'scripted', id: 'tester', balances: { WBTC: 1, '1': 100, ETH: 1 }, actions: actions.map((a) => ({ do: 'forge' as const, venue: 'T', ...a })) }),
      ],
      { blocks: 3, market, tokens: [{ id: 'ETH' }, { id: 'WBTC' }], venues: [{ kind: 'triad', id: 'T', unit: 'U', anchor: 'WBTC' }] },
    );

  it('a round trip (forge 1 U + 1 1/U, burn them back) costs its gas and nothing else', () => {
    const r = run(cfg([{ du: 1, dv: 1, block: 1 }, { du: -1, dv: -1, block: 2 }]));
    const [paid, back] = txsOf(r, 'tester').map((t) => t.calls[0]!.outC);
    // At u = v the forge pays k(√((u+1)(v+1)) − √(uv)) = 1 "1" and returns it: the "1" nets to 0.
    expectRel(-paid!, 1, 1e-12, '"1" paid');
    expectRel(back!, 1, 1e-12, '"1" returned');
    const p = agent(r, 'tester').pnl;
    expectRel(p.total, p.gas, 1e-9, 'total = gas');
    expect(p.gas).toBeLessThan(0);
    expectAddsUp(p, 'tester');
  });

  it('holding the forged pair is worth what it cost: one WBTC plus its price in "1" for U', () => {
    const r = run(cfg([{ du: 1, dv: 1, block: 1 }]));
    const t = agent(r, 'tester');
    expect(t.balances.U).toBe(1);
    // Marked at the marginal prices (u = v = 101: U at 1/2 "1" + 1 WBTC, 1/U at 1/2 "1"), against 1 "1"
    // and 1 WBTC paid: the position is worth what it cost (today's defect: −$60,000).
    expect(Math.abs(t.pnl.total - t.pnl.gas)).toBeLessThan(1e-9);
    const w = worldIdentityOf(cfg([{ du: 1, dv: 1, block: 1 }]));
    expect(Math.abs(w.lhs - w.rhs)).toBeLessThan(1e-9 * w.scale);
  });
});

function worldIdentityOf(config: ReturnType<typeof world>): { lhs: number; rhs: number; scale: number } {
  const sim = new Simulation(config);
  sim.run();
  return worldIdentity(sim.kernel, sim.baseline);
}

describe('mev is zero for anyone who is not a victim of a bundle', () => {
  it('noise traders with no searcher book no mev, whatever the order of their swaps in a block', () => {
    const noise = (id: string, buy: number): Agent =>
      createAgent({ kind: 'noise', id, venue: 'pool', meanInterval: 12, medianUsd: 50_000, logSd: 0.8, buyProbability: buy, slippage: 0.05, balances: { ETH: 300, USD: 600_000 }, latency: { network: 1 } });
    const r = run(world([lp(), noise('n1', 0.5), noise('n2', 0.8), noise('n3', 0.2)], { blocks: 120, seed: 3 }));
    // Several swaps share blocks (the old top-of-block comparison booked them "MEV").
    const perBlock = new Map<number, number>();
    for (const t of r.txs) if (t.status === 'included') perBlock.set(t.block, (perBlock.get(t.block) ?? 0) + 1);
    expect([...perBlock.values()].some((n) => n > 1)).toBe(true);
    for (const a of r.result.agents) {
      expect(a.pnl.mev, a.id).toBe(0);
      expectAddsUp(a.pnl, a.id);
    }
    expect(r.result.mev.bundles).toBe(0);
  });
});

describe('a sandwich (exact input): the victim loses against its swap alone, and the bundle identity holds', () => {
  const r = run(world([lp(), victim({ block: 2, amount: 100_000, minOut: 46 }), searcher({ strategies: { sandwich: {} } })]));
  const front = one(r, 'mev', 'sandwich-front');
  const v = one(r, 'victim');
  const back = one(r, 'mev', 'sandwich-back');

  it("books the victim's loss: its swap alone from the state before the bundle, less what it got, at $2000", () => {
    expect([front.status, v.status, back.status]).toEqual(['included', 'included', 'included']);
    const alone = xyOut(100_000, POOL_USD, POOL_ETH, PHI);
    expectRel(agent(r, 'victim').pnl.mev, -(alone - v.calls[0]!.outA) * ETH_USD, 1e-9, 'victim mev');
    expectRel(r.result.mev.victimLossUsd, (alone - v.calls[0]!.outA) * ETH_USD, 1e-9, 'tally');
  });

  it("W2: victim's loss = searcher's net + its legs' tips and base fees + the LP's gain over the counterfactual", () => {
    const loss = -agent(r, 'victim').pnl.mev;
    const net = agent(r, 'mev').pnl.total;
    const gas = front.gasCostUsd + back.gasCostUsd;
    const [ea, ua] = replay([front, v, back]);
    // Counterfactual: the victim's swap alone on the seeded pool.
    const cfOut = xyOut(100_000, POOL_USD, POOL_ETH, PHI);
    const lpGain = (ea - (POOL_ETH - cfOut)) * ETH_USD + (ua - (POOL_USD + 100_000));
    expectRel(net + gas + lpGain, loss, 1e-9, 'W2');
    expect(r.result.mev.worstGapUsd).toBeLessThan(1e-9 * loss);
  });

  it("books the searcher's capture at execution, before gas and swap fees: its trading is 0 at constant prices", () => {
    const m = agent(r, 'mev').pnl;
    const taken = (back.calls[0]!.outA - front.calls[0]!.outB) * 1; // USD out of the back-run less USD into the front-run
    const ethLeft = front.calls[0]!.outA - back.calls[0]!.outB;
    const fees = 0.003 * (front.calls[0]!.outB + back.calls[0]!.outB * ETH_USD);
    expectRel(m.mev, taken + ethLeft * ETH_USD + fees, 1e-9, 'searcher mev');
    expectRel(m.swapFees, -fees, 1e-9, 'searcher swapFees');
    expect(Math.abs(m.trading)).toBeLessThan(1e-6);
    expectAddsUp(m, 'searcher');
  });
});

describe('a sandwich of an exact-output swap', () => {
  const OUT = 40;
  const QUOTE = xyIn(OUT, POOL_USD, POOL_ETH, PHI);
  const r = run(world([lp(), exactOutVictim({ block: 2, amount: OUT, maxIn: QUOTE * 1.01 }), searcher({ strategies: { sandwich: {} } })]));

  it('the victim loses what it paid beyond its swap alone, and W2 holds', () => {
    const v = one(r, 'victim');
    expect(one(r, 'mev', 'sandwich-front').status).toBe('included');
    const loss = (v.calls[0]!.outB - QUOTE) * 1;
    expect(loss).toBeGreaterThan(0);
    expectRel(-agent(r, 'victim').pnl.mev, loss, 1e-9, 'victim loss');
    const t = r.result.mev;
    expectRel(t.capturedUsd + t.othersGainUsd, t.victimLossUsd, 1e-9, 'W2');
  });
});

describe('a back-run: no victim loss, the capture valued at execution whatever the price does after', () => {
  // ETH is $2000 up to the back-run's block (3, at 36 s) and $4000 or $1000 after it.
  const market = (end: number): MarketConfig => ({ assets: [{ id: 'ETH', process: { kind: 'path', points: [[0, ETH_USD], [40, ETH_USD], [41, end]] } }] });
  const runTo = (end: number): Run => run(world([lp(), victim({ block: 2, amount: 200_000, minOut: 0 }), searcher({ strategies: { backrun: {} } })], { blocks: 5, market: market(end) }));
  const up = runTo(4000);
  const down = runTo(1000);

  it('the searcher books the same mev under both endings: its legs at the block’s $2000', () => {
    const b = one(up, 'mev', 'backrun');
    expect(b.block).toBe(one(up, 'victim').block);
    expect(b.block * 12).toBeLessThan(40);
    // The back-run pays ETH for USD: USD out − ETH in at $2000, plus the fee it paid.
    const c = b.calls[0]!;
    const pay = c.side === 0 ? c.outB * ETH_USD : c.outB;
    const got = c.side === 0 ? c.outA : c.outA * ETH_USD;
    const captured = got - pay + 0.003 * pay;
    expect(captured).toBeGreaterThan(0);
    expectRel(agent(up, 'mev').pnl.mev, captured, 1e-9, 'mev (ETH to $4000)');
    expectRel(agent(down, 'mev').pnl.mev, captured, 1e-9, 'mev (ETH to $1000)');
    // Where ETH ends moves its hold (and its trading, the inventory's markout), not its mev.
    expect(agent(up, 'mev').pnl.hold).toBeGreaterThan(agent(down, 'mev').pnl.hold);
    for (const r of [up, down]) for (const a of r.result.agents) expectAddsUp(a.pnl, a.id);
  });

  it('the target of a back-run loses nothing to it (it ran first, as alone) and is no victim: the bundle is not in the tally', () => {
    expect(one(up, 'mev', 'backrun').status).toBe('included');
    expect(agent(up, 'victim').pnl.mev).toBe(0);
    expect(agent(up, 'mev').pnl.mev).toBeGreaterThan(0);
    expect(up.result.mev).toEqual({ bundles: 0, victimLossUsd: 0, capturedUsd: 0, othersGainUsd: 0, worstGapUsd: 0 });
  });
});

describe('a sandwich on an unprotected triad: W2 with the other holders of U and 1/U', () => {
  const mover = (): Agent => createAgent({ kind: 'scripted', id: 'mover', balances: { '1': 1000, ETH: 1 }, actions: [{ do: 'movePrice', venue: 'T', price: 1.1, mode: 'mint', block: 1 }] });
  const holder = (): Agent => createAgent({ kind: 'scripted', id: 'holder', balances: { '1': 2000 }, actions: [{ do: 'forge', venue: 'T', du: 1000, dv: 1000, genesis: true }] });
  const hedger = (): Agent =>
    createAgent({ kind: 'rebalancing-hedger', id: 'hedger', balances: { '1': 2500, ETH: 10 }, latency: { network: 1 }, hedge: { kind: 'triad-parity', venue: 'T', budget: 2000 }, trigger: { kind: 'price-move', threshold: 0.05 } });
  const r = run(triadWorld([holder(), hedger(), mover(), searcher({ balances: { '1': 100_000, ETH: 100 }, strategies: { sandwich: {} } })], { blocks: 4 }));

  it('the hedger loses the "1" its forge alone would have got; the searcher and the other holders share it', () => {
    const h = one(r, 'hedger', 'rebalance');
    const front = one(r, 'mev', 'sandwich-front');
    expect(h.block).toBe(front.block);
    const loss = -agent(r, 'hedger').pnl.mev;
    expect(loss).toBeGreaterThan(0);
    const t = r.result.mev;
    expect(t.bundles).toBe(1);
    expectRel(t.victimLossUsd, loss, 1e-12, 'tally');
    expectRel(t.capturedUsd + t.othersGainUsd, loss, 1e-9, 'W2');
    // The searcher's capture is its "1" net (its U and 1/U are back to zero).
    const back = one(r, 'mev', 'sandwich-back');
    expectRel(agent(r, 'mev').pnl.mev, front.calls[0]!.outC + back.calls[0]!.outC, 1e-9, 'searcher mev');
  });
});

describe('measureFrom', () => {
  const cfg = (measureFrom?: { block: number } | { time: number }) => ({ ...world([lp(), victim({ block: 2, amount: 100_000, minOut: 0 })], { blocks: 6 }), ...(measureFrom ? { measureFrom } : {}) });

  it('by default P&L counts from before genesis: what genesis cost is activity', () => {
    const sim = new Simulation(cfg());
    const r = sim.run().result();
    expect(r.measureFrom).toEqual({ block: -1, time: 0 });
    // The LP's genesis deposit changes nothing at the reference price: its initial value is its balances.
    expectRel(agent({ result: r, txs: [], genesis: [] }, 'lp').initialValue, POOL_ETH * ETH_USD + POOL_USD, 1e-12, 'LP initial value');
  });

  it('from a block: lines count from the end of that block, pnl.csv rows from there, and W1 holds', () => {
    const sim = new Simulation(cfg({ block: 3 }));
    const rows: Row[] = [];
    recordPnl(sim, 1, (row) => rows.push(row));
    const r = sim.run().result();
    expect(r.measureFrom.block).toBe(3);
    expect(Math.min(...rows.map((x) => Number(x[0])))).toBe(3);
    // The victim swapped in block 2, before the point: no gas, no swap fees count.
    const v = r.agents.find((a) => a.id === 'victim')!.pnl;
    expect([v.gas, v.swapFees, v.total]).toEqual([0, 0, 0]);
    const w = worldIdentity(sim.kernel, sim.baseline);
    expect(Math.abs(w.lhs - w.rhs)).toBeLessThan(1e-9 * w.scale);
    expect(Object.keys(r.agents[0]!.pnl)).toEqual([...PNL_LINES]);
  });

  it('refuses a block outside the run, located', () => {
    expect(() => new Simulation(cfg({ block: 7 }))).toThrow(/measureFrom\.block/);
  });

});
