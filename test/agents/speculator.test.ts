/**
 * The speculator (issue 13) through the simulator, against the triad's algebra written out here:
 * forge(du, dv) pays the caller 2·(√(u·v) − √((u + du)·(v + dv))) "1" (k = 2, "1" = $1), a forge costs
 * $5 of gas (100,000 gas × 25 gwei × $2000), U's fair value is √A = 1 "1" (A = 1), so 1/U's is 1 too.
 *
 * A scripted mover holds the whole supply (10⁶ U + 10⁶ 1/U) and moves the price of U at zero cost
 * in block 1 to P = 1.1 (U dear, 1/U cheap at fair value), and in some tests to 0.9 later.
 */
import { describe, expect, it } from 'vitest';
import { createAgent, type AgentSpec, type Speculator } from '../../agents';
import type { SimConfig } from '../../sim/config';
import { recordTransactions, type TxRecord } from '../../sim/record';
import { Simulation } from '../../sim/simulation';
import { expectRel } from '../validation/helpers';
import { agent, FORGE_USD, triadWorld } from '../hedgers/world';

const S = 1e6;
/** "1" received by forge(du, dv) at supplies (u, v). */
const quote = (u: number, v: number, du: number, dv: number) => 2 * (Math.sqrt(u * v) - Math.sqrt((u + du) * (v + dv)));
/** Supplies after a zero-cost move from (S, S) to price p = √(v/u), u·v = S²: u = S/p, v = S·p. */
const at = (p: number): [number, number] => [S / p, S * p];

function mover(moves: [number, number][]): AgentSpec {
  return {
    kind: 'scripted',
    id: 'mover',
    balances: { '1': 2 * S + 1000, ETH: 10 },
    actions: [{ do: 'forge', venue: 'T', du: S, dv: S, genesis: true }, ...moves.map(([block, price]) => ({ do: 'movePrice' as const, venue: 'T', price, mode: 'zero-cost' as const, block }))],
  };
}
const spec = (extra: Record<string, unknown> = {}): AgentSpec =>
  ({ kind: 'speculator', id: 's', venue: 'T', fair: { assets: { A: 0.5 } }, maxPosition: { amount: 1000, unit: 'units' }, minReturn: 0.05, balances: { '1': 2000, ETH: 1 }, ...extra }) as AgentSpec;

function go(config: SimConfig) {
  const sim = new Simulation(config);
  const txs: TxRecord[] = [];
  recordTransactions(sim, (t) => txs.push(t));
  const r = sim.run().result();
  return { r, txs, mine: txs.filter((t) => t.agent === 's') };
}

// Block 2: P = 1.1. Buying 1000 1/U costs c = −quote(u, v, 0, 1000) "1"; they are worth 1000 at fair,
// so the trade returns 1000 / (c + 5) − 1 after gas.
const [u1, v1] = at(1.1);
const cost = -quote(u1, v1, 0, 1000);
const ret = 1000 / (cost + FORGE_USD) - 1;

describe('speculator: one buy of the side cheap at fair value, against the triad algebra', () => {
  it(`buys 1000 1/U in block 2 when minReturn is just below the trade's return (${ret.toFixed(6)})`, () => {
    const { r, mine } = go(triadWorld({ agents: [mover([[1, 1.1]]), spec({ minReturn: ret - 1e-6 })], blocks: 4 }));
    expect(mine.map((t) => [t.block, t.status, t.calls[0]!.a, t.calls[0]!.b])).toEqual([[2, 'included', 0, 1000]]);
    const s = agent(r, 's');
    expectRel(s.balances['1/U']!, 1000, 1e-12, '1/U held');
    expectRel(2000 - s.balances['1']!, cost, 1e-9, '"1" paid');
    expect(s.balances.U ?? 0).toBe(0);
    // Its position is at the limit (1000 units): it trades no more though the price stays off.
    expect([s.metrics.trades, s.metrics.buys, s.metrics.tradesAttempted]).toEqual([1, 1, 1]);
    expectRel(s.metrics.expectedGainUsd!, 1000 - cost - FORGE_USD, 1e-9, 'expected gain at fair after gas');
    // Minting 1/U raised U's price further from fair: to √((v + 1000)/u).
    const v = r.venues[0]!;
    expectRel(v.kind === 'triad' ? v.prices[0] : NaN, Math.sqrt((v1 + 1000) / u1), 1e-9, 'price moved away from fair');
  });

  it('does not trade when minReturn is just above it', () => {
    const { r, mine } = go(triadWorld({ agents: [mover([[1, 1.1]]), spec({ minReturn: ret + 1e-6 })], blocks: 4 }));
    expect(mine).toEqual([]);
    expect(agent(r, 's').metrics.tradesAttempted).toBe(0);
  });

  it('keeps within a USD position limit: $600 at fair is 600 1/U', () => {
    const { r, mine } = go(triadWorld({ agents: [mover([[1, 1.1]]), spec({ maxPosition: { amount: 600, unit: 'usd' } })], blocks: 5 }));
    expect(mine.map((t) => t.calls[0]!.b)).toEqual([600]);
    expectRel(agent(r, 's').balances['1/U']!, 600, 1e-12, '1/U held');
  });

  it('sells what became dear: P goes to 0.9 in block 4, it burns its 1000 1/U in block 5 for the "1" the algebra gives', () => {
    const { r, mine } = go(triadWorld({ agents: [mover([[1, 1.1], [4, 0.9]]), spec({ maxPosition: { amount: 1000, unit: 'units' } })], blocks: 5 }));
    expect(mine.map((t) => [t.block, t.status, t.calls[0]!.a, t.calls[0]!.b])).toEqual([
      [2, 'included', 0, 1000],
      [5, 'included', 0, -1000],
    ]);
    // The mover's second move started from (u1, v1 + 1000): along u·v = const to price 0.9.
    const uv = u1 * (v1 + 1000);
    const u4 = Math.sqrt(uv) / 0.9;
    const v4 = Math.sqrt(uv) * 0.9;
    const s = agent(r, 's');
    expectRel(s.balances['1']! - (2000 - cost), quote(u4, v4, 0, -1000), 1e-9, '"1" received');
    expect(s.balances['1/U'] ?? 0).toBe(0);
    expect([s.metrics.buys, s.metrics.sells]).toEqual([1, 1]);
  });
});

describe('speculator state follows receipts', () => {
  it('a reverted buy changes nothing but gas: on a protected triad a front-runner moves the price first', () => {
    // The front-runner bids 1 gwei and mints 50,000 U in block 2 before the speculator's buy: more U
    // makes 1/U dearer (√(u/v)), so the buy would pay more "1" than its bound (where the return falls
    // to minReturn) allows.
    const front: AgentSpec = { kind: 'scripted', id: 'front', balances: { '1': 100_000, ETH: 1 }, actions: [{ do: 'forge', venue: 'T', du: 50_000, dv: 0, block: 2, priorityFee: 1 }] };
    const config = triadWorld({ agents: [mover([[1, 1.1]]), front, spec({ minReturn: ret - 0.002 })], blocks: 2 });
    const venue = config.venues[0]!;
    if (venue.kind === 'triad') venue.protected = true;
    const { r, mine } = go(config);
    expect(mine.map((t) => [t.block, t.status, t.revert])).toEqual([[2, 'reverted', 'TRIAD_SLIPPAGE']]);
    const s = agent(r, 's');
    expect(s.balances['1']).toBe(2000);
    expect(s.balances['1/U'] ?? 0).toBe(0);
    // It paid the gas its reverted transaction used (at 25 gwei), and nothing else moved.
    expect(mine[0]!.gasUsed).toBeGreaterThan(0);
    expectRel(1 - s.balances.ETH!, mine[0]!.gasUsed * 25e-9, 1e-9, 'gas paid in ETH');
    expect([s.metrics.trades, s.metrics.reverted, s.metrics.tradesAttempted, s.metrics.expectedGainUsd]).toEqual([0, 1, 1, 0]);
  });

  it('out of the market (setActive(false)) it sells everything whatever the return, then idles; back in, it buys again', () => {
    const s = createAgent(spec()) as Speculator;
    const sim = new Simulation(triadWorld({ agents: [mover([[1, 1.1]]), s], blocks: 8 }));
    const txs: TxRecord[] = [];
    recordTransactions(sim, (t) => txs.push(t));
    sim.step(3); // bought 1000 1/U in block 2
    s.setActive(false);
    sim.step(3); // unwinds in block 4, idles in 5 and 6
    const out = agent(sim.result(), 's');
    expect(out.balances['1/U'] ?? 0).toBe(0);
    expect([out.metrics.unwinds, out.metrics.active]).toEqual([1, 0]);
    s.setActive(true);
    sim.step(2); // buys again in block 7
    expect(txs.filter((t) => t.agent === 's').map((t) => [t.block, t.calls[0]!.b])).toEqual([
      [2, 1000],
      [4, -1000],
      [7, 1000],
    ]);
  });
});

describe('speculator preflight', () => {
  it('warns NO_CAPITAL when it holds no "1" to buy with', () => {
    const r = new Simulation(triadWorld({ agents: [mover([[1, 1.1]]), spec({ balances: { ETH: 1 } })], blocks: 1 })).run().result();
    expect(r.warnings.map((w) => [w.code, w.agent, w.path])).toEqual([['NO_CAPITAL', 's', 'agents.s.balances.1']]);
  });
});
