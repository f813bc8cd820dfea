/**
 * The tracker pays only what it is willing to (issue 13): `maxSpend` and `maxSpendPerBlock`, spend
 * measured from receipts as what its moves hand the other holders of U and 1/U plus gas, and the
 * tracking error it leaves — on the seed's static example (a $200 holder of 100 U + 100 1/U at parity,
 * "1" = $1, a forge $5) with expected values from the triad's algebra written out here.
 *
 * Algebra: a holder of a U and b 1/U at price p (1/U at 1/p, k = 2) gains a·p·(ρ − 1) + b/p·(1/ρ − 1)
 * when the price moves to ρ·p; from parity with a = b = 100 that is 100·(ρ + 1/ρ − 2).
 */
import { describe, expect, it } from 'vitest';
import type { AgentSpec } from '../../agents';
import type { PriceProcessConfig } from '../../sim/market/processes';
import { recordTransactions } from '../../sim/record';
import { Simulation } from '../../sim/simulation';
import { expectRel } from '../validation/helpers';
import { agent, FORGE_USD, run, steps, triadWorld } from './world';

const holder: AgentSpec = { kind: 'static-hedger', id: 'holder', hedge: { kind: 'triad-parity', venue: 'T', budget: 200 }, balances: { '1': 201 } };
// A tolerance of 1e-9: a zero-cost move lands within ~1e-12 of the target (it mints a hair less),
// which tolerance 0 would chase with a dust move, and its $5 of gas, in the next block.
const track = (extra: Record<string, unknown> = {}): AgentSpec =>
  ({ kind: 'tracker', id: 't', venue: 'T', target: { assets: { A: 0.5 } }, initial: [1e6, 1e6], tolerance: 1e-9, balances: { '1': 2e6 + 1000, ETH: 10 }, ...extra }) as AgentSpec;
/** What a holder of (a U, b 1/U) at price p gains when the price moves to p·ρ. */
const gain = (a: number, b: number, p: number, rho: number) => a * p * (rho - 1) + (b / p) * (1 / rho - 1);
const triadPrice = (r: ReturnType<typeof run>['r']) => {
  const v = r.venues[0]!;
  if (v.kind !== 'triad') throw new Error('not a triad');
  return v.prices[0];
};

describe('tracker spend on the seed static example: A 1 → 2 in block 5, the tracker takes U to √2', () => {
  const BLOCKS = 10;
  const { r, txs } = run(triadWorld({ agents: [track(), holder], a: steps([[5, 2]]), blocks: BLOCKS }));
  const t = agent(r, 't');
  const paid = gain(100, 100, 1, Math.SQRT2); // 12.132…, the seed's "+$12.13 on 200"

  it('spends what the holder gained plus one forge of gas, and that is minus its edge', () => {
    expect(txs.filter((x) => x.agent === 't' && x.block > 0).map((x) => [x.block, x.status])).toEqual([[5, 'included']]);
    expectRel(agent(r, 'holder').pnl.total, paid, 1e-9, 'holder gain');
    expectRel(t.metrics.spentUsd!, paid + FORGE_USD, 1e-9, 'spent');
    expectRel(t.metrics.spentGasUsd!, FORGE_USD, 1e-12, 'gas');
    // No one else forges after entry: the tracker's edge is exactly minus what it spent.
    expectRel(t.pnl.edge, -t.metrics.spentUsd!, 1e-9, 'edge = −spent');
    expect(t.metrics.exhaustedAtBlock).toBe(-1);
  });

  it('reports the tracking error it saw: ln √2 off in block 5 only, of 10 blocks looked at', () => {
    const x = Math.log(2) / 2;
    expectRel(t.metrics.trackingMaxAbsLog!, x, 1e-12, 'max |ln(price/target)|');
    expectRel(t.metrics.trackingRmsLog!, x / Math.sqrt(BLOCKS), 1e-12, 'rms');
    expect(t.metrics.offPegShare).toBe(1 / BLOCKS);
  });
});

describe('maxSpend binds: $10 for the run, a forge $5', () => {
  const BLOCKS = 12;
  const sim = new Simulation(triadWorld({ agents: [track({ maxSpend: { amount: 10 } }), holder], a: steps([[5, 2]]), blocks: BLOCKS }));
  const r = sim.run().result();
  const t = agent(r, 't');
  // $5 left after gas for the holder: 100·(ρ + 1/ρ − 2) = 5 ⇔ ρ² − 2.05ρ + 1 = 0 ⇔ ρ = 1.25 (or 0.8).
  it('shortens its move to what is left after gas: the price stops at 1.25, not √2', () => {
    expectRel(gain(100, 100, 1, 1.25), 5, 1e-15, 'the algebra');
    expectRel(triadPrice(r), 1.25, 1e-9, 'price');
    expectRel(agent(r, 'holder').pnl.total, 5, 1e-9, 'holder gain');
    expectRel(t.metrics.spentUsd!, 10, 1e-9, 'spent the budget');
    expect(t.metrics.spentUsd!).toBeLessThanOrEqual(10 * (1 + 1e-12));
    expect(t.metrics.budgetLeft!).toBeGreaterThanOrEqual(-1e-9);
    // Its move ran on the state it saw and paid the gas it expected: what it predicted is what it spent.
    expect(Math.abs(t.metrics.spentExcessMax!)).toBeLessThanOrEqual(1e-9);
    expect([t.metrics.moves, t.metrics.movesAttempted]).toEqual([1, 1]);
  });

  it('then stands still, exhausted from block 6, and the tracking error it leaves rises', () => {
    expect(t.metrics.exhaustedAtBlock).toBe(6);
    expect(t.metrics.blocksExhausted).toBe(BLOCKS - 5);
    expect(t.metrics.exhaustions).toBe(1);
    const off = Math.log(Math.SQRT2 / 1.25);
    expectRel(t.metrics.trackingRmsLogExhausted!, off, 1e-9, 'rms while exhausted');
    // Active: blocks 1–5, on target but for block 5 (ln √2 off, before its move).
    expectRel(t.metrics.trackingRmsLogActive!, Math.log(2) / 2 / Math.sqrt(5), 1e-9, 'rms while active');
    // With budget it would be on target in all of them (the unbudgeted tracker above: off in block 5 only).
    expect(t.metrics.offPegShare).toBe((1 + (BLOCKS - 5)) / BLOCKS);
  });
});

describe('maxSpendPerBlock: at most $8 a move, a forge $5', () => {
  const { r, txs } = run(triadWorld({ agents: [track({ maxSpendPerBlock: 8 }), holder], a: steps([[5, 2]]), blocks: 20 }));
  const t = agent(r, 't');
  // The test's own walk: each move hands the holder exactly $3, from where the last one left it.
  const expected: number[] = [];
  let p = 1;
  while (p < Math.SQRT2 * (1 - 1e-12)) {
    const full = gain(100, 100, p, Math.SQRT2 / p);
    const step = full <= 3 ? Math.SQRT2 / p : solveUp(100 * p, 100 / p, 3);
    p *= step;
    expected.push(p);
  }
  it(`reaches √2 in several moves of at most $8 each, the last one shorter`, () => {
    expect(expected.length).toBeGreaterThan(2);
    const mine = txs.filter((x) => x.agent === 't' && x.block > 0);
    expect(mine.map((x) => x.block)).toEqual(expected.map((_, i) => 5 + i));
    expect(t.metrics.spentMaxMove!).toBeLessThanOrEqual(8 * (1 + 1e-12));
    expectRel(t.metrics.spentMaxMove!, 8, 1e-9, 'a full move');
    expectRel(triadPrice(r), Math.SQRT2, 1e-9, 'price at the end');
    expectRel(t.metrics.spentUsd!, agent(r, 'holder').pnl.total + FORGE_USD * expected.length, 1e-9, 'spent = holder gain + gas');
    expectRel(agent(r, 'holder').pnl.total, gain(100, 100, 1, Math.SQRT2), 1e-9, 'the holder ends with the full move');
  });
});

/** ρ > 1 with a·(ρ − 1) + b·(1/ρ − 1) = c: the larger root of a·ρ² − (a + b + c)·ρ + b = 0. */
function solveUp(a: number, b: number, c: number): number {
  const s = a + b + c;
  return (s + Math.sqrt(s * s - 4 * a * b)) / (2 * a);
}

describe('a daily budget resets each day', () => {
  // Hour-long blocks (24 a day); A alternates 1.21, 1, 1.21, … so the target alternates 1.1, 1.
  // A move up hands the holder 100·(1.1 + 1/1.1 − 2) = $0.909 and the move back takes it back, so
  // two moves spend $5.909 and then $10 in all: with $12 a day, $2 is left, less than a forge's gas.
  const HOUR = 3600;
  const points: [number, number][] = [[0, 1]];
  for (let b = 1; b <= 72; b++) points.push([b * HOUR, b % 2 === 1 ? 1.21 : 1]);
  const a: PriceProcessConfig = { kind: 'path', points };
  const sim = new Simulation(triadWorld({ agents: [track({ maxSpend: { amount: 12, per: 'day' } }), holder], a, blocks: 72, chain: { blockTime: HOUR } }));
  const moves: number[] = [];
  recordTransactions(sim, (x) => {
    if (x.agent === 't' && x.block > 0 && x.status === 'included') moves.push(x.block);
  });
  const dayEnd: number[] = [];
  while (!sim.done) {
    const res = sim.step(1).result();
    if (sim.kernel.blockNumber % 24 === 23) dayEnd.push(agent(res, 't').metrics.spentUsd!);
  }
  const t = agent(sim.result(), 't');

  it('moves twice a day, stands exhausted the rest of it, and resumes the next day', () => {
    expectRel(gain(100, 100, 1, 1.1), 0.909090909090909, 1e-12, 'the algebra');
    // Spent by the end of each day (blocks 23, 47, 71): $10 a day, never more than $12.
    expect(dayEnd.length).toBe(3);
    expectRel(dayEnd[0]!, 10, 1e-9, 'day 0');
    expectRel(dayEnd[1]! - dayEnd[0]!, 10, 1e-9, 'day 1');
    expectRel(dayEnd[2]! - dayEnd[1]!, 10, 1e-9, 'day 2');
    expect(t.metrics.spentMaxDay!).toBeLessThanOrEqual(12);
    // Day d is blocks 24d … 24d + 23 (block b is built at t = b hours); block 24d is on target.
    expect(moves).toEqual([1, 2, 25, 26, 49, 50]);
    expect([t.metrics.moves, t.metrics.exhaustions]).toEqual([6, 3]);
    expect(t.metrics.exhaustedAtBlock).toBe(3);
  });
});
