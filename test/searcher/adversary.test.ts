/**
 * The adversarial trigger on a floating triad (k = 2). A holder and a rebalancing hedger each forge
 * 1000 U + 1000 1/U at parity; the hedger restores equal values whenever the price of U moves 5%
 * from its last rebalance (its forges take 1 s to reach the mempool). A searcher that knows the
 * trigger pushes the price across it, waits for the rebalance and reverses right behind it. The
 * triad is replayed here from the records: supplies, prices, and each forge's "1".
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import type { Agent } from '../../sim/agent';
import type { TxRecord } from '../../sim/record';
import { agent, executed, expectRel, expectZeroSum, forgeOne, run, searcher, triadWorld, type Run } from './helpers';

const THRESHOLD = 0.05;
const trigger = { kind: 'price-move' as const, threshold: THRESHOLD };
const BLOCKS = 60;

function scenario(withAdversary: boolean, hedgerPriorityFee = 0, mover = false): Run {
  const agents: Agent[] = [
    createAgent({ kind: 'scripted', id: 'holder', balances: { '1': 2000 }, actions: [{ do: 'forge', venue: 'T', du: 1000, dv: 1000, genesis: true }] }),
    createAgent({
      kind: 'rebalancing-hedger',
      id: 'hedger',
      balances: { '1': 2100, ETH: 10 },
      latency: { network: 1 },
      priorityFee: hedgerPriorityFee,
      hedge: { kind: 'triad-parity', venue: 'T', budget: 2000 },
      trigger,
    }),
  ];
  // Another trader moves the price at blocks 10 and 25 (minting; it holds no inventory).
  const moves = [{ do: 'movePrice' as const, venue: 'T', price: 1.08, mode: 'mint' as const, block: 10 }, { do: 'movePrice' as const, venue: 'T', price: 1, mode: 'mint' as const, block: 25 }];
  if (mover) agents.push(createAgent({ kind: 'scripted', id: 'mover', balances: { '1': 10_000, ETH: 10 }, actions: moves }));
  if (withAdversary) agents.push(searcher({ id: 'adv', balances: { '1': 100_000, ETH: 100 }, strategies: { adversary: { target: 'hedger', venue: 'T', trigger } } }));
  return run(triadWorld(agents, { blocks: BLOCKS, seed: 11 }));
}

interface Step {
  tx: TxRecord;
  /** Price of U (in "1") after the transaction. */
  price: number;
  /** The adversary's and the hedger's holdings of [U, 1/U] after it. */
  adv: [number, number];
  hedger: [number, number];
}

/** Replay the triad through genesis and every included forge, checking each forge's "1" on the way. */
function replay(r: Run): Step[] {
  let [u, v] = [0, 0];
  const held: Record<string, [number, number]> = { adv: [0, 0], hedger: [0, 0] };
  const steps: Step[] = [];
  for (const tx of [...r.genesis, ...executed(r).filter((t) => t.status === 'included')]) {
    const c = tx.calls[0]!;
    expect(c.op).toBe('forge');
    if (u > 0 && v > 0) expectRel(c.outC, forgeOne(u, v, c.a, c.b, 2), 1e-9, `"1" of tx ${tx.id}`);
    [u, v] = [u + c.a, v + c.b];
    const h = held[tx.agent];
    if (h) [h[0], h[1]] = [h[0] + c.a, h[1] + c.b];
    steps.push({ tx, price: Math.sqrt(v / u), adv: [...held.adv!], hedger: [...held.hedger!] });
  }
  return steps;
}

const isPush = (t: TxRecord) => t.agent === 'adv' && t.bundle === null && t.calls[0]!.a >= 0 && t.calls[0]!.b >= 0;

interface Cycle {
  push: Step;
  rebalance: Step;
  reversal: Step;
  /** Holdings of the hedger before its rebalance. */
  before: [number, number];
  /** The rebalance's price before it (the anchor of the next trigger). */
  anchor: number;
}

/** Push … rebalance, reversal: the reversal executed right behind the hedger's rebalance. */
function cycles(steps: Step[]): Cycle[] {
  const out: Cycle[] = [];
  let push: Step | null = null;
  let anchor = 1;
  for (let i = 1; i < steps.length; i++) {
    const s = steps[i]!;
    if (isPush(s.tx)) push = s;
    if (s.tx.agent !== 'hedger' || s.tx.tag !== 'rebalance') continue;
    const next = steps[i + 1];
    const before = steps[i - 1]!.hedger;
    if (push !== null && next !== undefined && next.tx.agent === 'adv' && next.tx.bundle !== null) out.push({ push, rebalance: s, reversal: next, before, anchor });
    // Parity after the forge: (a + du)·P = (b + dv)/P, so the price the hedger rebalanced at is √((b + dv)/(a + du)).
    anchor = Math.sqrt(s.hedger[1] / s.hedger[0]);
    push = null;
  }
  return out;
}

describe('the adversary against a rebalancing hedger on an unprotected triad', () => {
  const r = scenario(true);
  const steps = replay(r);
  const found = cycles(steps);

  it('pushes the price across the trigger, the hedger rebalances at the pushed price, and the reversal follows it in one bundle', () => {
    expect(found.length).toBeGreaterThanOrEqual(5);
    for (const c of found) {
      expect(c.push.tx.block).toBeLessThan(c.rebalance.tx.block);
      expect([c.reversal.tx.block, c.reversal.tx.position]).toEqual([c.rebalance.tx.block, c.rebalance.tx.position + 1]);
      // The rebalance's price, from the hedger's own forge: equal values after it.
      const used = Math.sqrt(c.rebalance.hedger[1] / c.rebalance.hedger[0]);
      expectRel(used, c.push.price, 1e-9, 'price the hedger rebalanced at');
      expect(Math.abs(used / c.anchor - 1)).toBeGreaterThanOrEqual(THRESHOLD);
      // The reversal burns exactly what the push minted.
      expect(c.reversal.tx.calls[0]!.a).toBeCloseTo(-c.push.tx.calls[0]!.a, 9);
      expect(c.reversal.tx.calls[0]!.b).toBeCloseTo(-c.push.tx.calls[0]!.b, 9);
    }
  });

  it('loses "1" on every round trip: the rebalance between push and reversal makes the reversal pay back less', () => {
    // Push d, rebalance h, reverse −d: net k[√s0 − √(s0+d) + √(s0+d+h) − √(s0+h)] (√s = √(u·v)), whose
    // mixed second difference dᵀ∇²√(uv)·h is negative when the rebalance trades with the push (minting
    // lowers a unit's own price, so the hedger's forge moves the price further the way it was pushed).
    for (const c of found) expect(c.push.tx.calls[0]!.outC + c.reversal.tx.calls[0]!.outC).toBeLessThan(0);
    const adv = agent(r, 'adv').pnl;
    expect(adv.mev).toBeLessThan(0);
    expect(adv.total).toBeLessThan(0);
  });

  it('is zero-sum: what the adversary loses, the holder and hedger gain, less the gas the builder and the burn take', () => {
    expectZeroSum(r, 1e5);
    const adv = agent(r, 'adv').pnl;
    const longs = agent(r, 'holder').pnl.total + agent(r, 'hedger').pnl.total;
    const b = r.result.builder;
    expectRel(-adv.total, longs + b.priorityFeesUsd + b.burnedUsd, 1e-9, 'adversary loss');
  });

  it('never holds more than one push’s worth of U or 1/U', () => {
    const biggest = Math.max(...steps.filter((s) => isPush(s.tx)).map((s) => Math.max(s.tx.calls[0]!.a, s.tx.calls[0]!.b)));
    for (const s of steps) expect(Math.max(...s.adv)).toBeLessThanOrEqual(biggest * (1 + 1e-9));
  });

  it('makes the hedger rebalance more, pay more gas, and be paid for the moves, against the same seed without it', () => {
    const control = scenario(false);
    const [withAdv, without] = [agent(r, 'hedger'), agent(control, 'hedger')];
    expect(withAdv.metrics.rebalances).toBeGreaterThan(without.metrics.rebalances!);
    expect(withAdv.metrics.rebalances).toBeGreaterThanOrEqual(found.length);
    expect(withAdv.pnl.gas).toBeLessThan(without.pnl.gas);
    // Long volatility: every push and reversal moves the price it marks at, in its favour.
    expect(withAdv.pnl.total - withAdv.pnl.gas).toBeGreaterThan(without.pnl.total - without.pnl.gas);
  });
});

describe('an adversary whose reversal bundle is outbid by the hedger’s own transaction', () => {
  // The hedger tips 5 gwei: its forge alone outranks a bundle of it and a reversal tipping less.
  const r = scenario(true, 5);
  const steps = replay(r);

  it('still reverses each push before pushing again', () => {
    const pushes = steps.filter((s) => isPush(s.tx));
    expect(pushes.length).toBeGreaterThanOrEqual(3);
    const biggest = Math.max(...pushes.map((s) => Math.max(s.tx.calls[0]!.a, s.tx.calls[0]!.b)));
    for (const s of steps) expect(Math.max(...s.adv), `adversary holdings after tx ${s.tx.id} (block ${s.tx.block})`).toBeLessThanOrEqual(biggest * (1 + 1e-9));
  });
});

describe('an adversary while another trader also moves the price', () => {
  const r = scenario(true, 0, true);
  const steps = replay(r);

  it('aims every push at the trigger the hedger actually has: 5% from the price of its last rebalance', () => {
    let anchor = 1;
    let checked = 0;
    for (let i = 1; i < steps.length; i++) {
      const s = steps[i]!;
      if (s.tx.agent === 'hedger') anchor = Math.sqrt(s.hedger[1] / s.hedger[0]);
      // A push alone in its block leaves the price exactly where it aimed.
      if (!isPush(s.tx) || steps.some((o) => o !== s && o.tx.block === s.tx.block)) continue;
      checked++;
      expect(Math.abs(s.price / anchor - 1), `push in block ${s.tx.block}: price ${s.price}, hedger's anchor ${anchor}`).toBeGreaterThanOrEqual(THRESHOLD);
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });
});
