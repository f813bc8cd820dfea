/**
 * The MEV scenarios of the library, run as shipped (loaded through the scenarios module, run with the
 * engine): the figures and contrasts their comments state. Seeded runs are deterministic, so each
 * quoted figure is checked to the precision it is quoted with.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import { recordTransactions, type TxRecord } from '../../sim/record';
import type { SimResult } from '../../sim/result';
import { Simulation } from '../../sim/simulation';
import { agent, expectLiteral } from '../validation/helpers';

const LIBRARY = fileURLToPath(new URL('../../scenarios/library', import.meta.url));

function runLibrary(name: string, overrides: string[] = []): { r: SimResult; txs: TxRecord[] } {
  const loaded = loadScenarioFile(join(LIBRARY, name), overrides);
  const sim = new Simulation({ ...buildConfig(loaded.scenario, loaded.baseDir), checkInvariants: true });
  const txs: TxRecord[] = [];
  recordTransactions(sim, (t) => {
    if (t.agent === 'searcher' || t.tag === 'rebalance') txs.push(t);
  });
  return { r: sim.run().result(), txs };
}

describe('front-running.yaml: public and private rebalancers with spare "1", and a sandwiching searcher', () => {
  const open = runLibrary('front-running.yaml');
  const bounded = runLibrary('front-running.yaml', ['venues.triad.protected=true']);

  it('unprotected: the public hedger loses about $2,145 to sandwiches, the private one is never sandwiched', () => {
    const pub = agent(open.r, 'public');
    expectLiteral(pub.pnl.mev, '-2145', 'public hedger mev');
    // Every leg names its victim: always one of the public hedger's forges.
    const legs = open.txs.filter((t) => t.agent === 'searcher' && t.status === 'included');
    expect(legs.length).toBeGreaterThan(0);
    const publicForges = new Set(open.txs.filter((t) => t.agent === 'public').map((t) => t.id));
    for (const t of legs) expect(publicForges.has(t.victim!), `leg ${t.id} wraps ${t.victim}`).toBe(true);
    expect(agent(open.r, 'private').pnl.mev).toBeGreaterThanOrEqual(0);
    expect(agent(open.r, 'searcher').pnl.mev).toBeGreaterThan(2000);
  });

  it('protected (venues.triad.protected=true): the same sandwiches take about $7.76', () => {
    const pub = agent(bounded.r, 'public');
    expectLiteral(pub.pnl.mev, '-7.76', 'public hedger mev');
    // Each forge carries a finite minimum, and lands at or above it.
    const forges = bounded.txs.filter((t) => t.agent === 'public' && t.status === 'included');
    for (const t of forges) {
      expect(t.calls[0]!.boundA).toBeGreaterThan(-Infinity);
      expect(t.calls[0]!.outC).toBeGreaterThanOrEqual(t.calls[0]!.boundA!);
    }
    // The rest of the world hardly notices the flag (the triad ends a hair apart).
    expect(agent(bounded.r, 'private').pnl.total).toBeCloseTo(agent(open.r, 'private').pnl.total, 6);
    expect(agent(bounded.r, 'tracker').pnl.total).toBeCloseTo(agent(open.r, 'tracker').pnl.total, 6);
  });
});

describe('adversarial-trigger.yaml: an adversary pushes the pool across an on-chain vault’s trigger', () => {
  it('with seed 1 over one day: the adversary’s edge is about $1.6M, the vault’s about −$10.0M (−$8.6M lost to pushes), against about −$2,000 without it', () => {
    const { r } = runLibrary('adversarial-trigger.yaml');
    const adv = agent(r, 'adversary');
    expectLiteral(adv.pnl.edge / 1e6, '1.6', 'adversary edge, $M');
    expectLiteral(adv.pnl.mev / 1e6, '2.4', 'adversary mev at execution, $M');
    expectLiteral(adv.pnl.swapFees / 1e6, '-0.86', 'pool fees its pushes and reversals paid, $M');
    expect(adv.metrics.adversaryCaught).toBeGreaterThan(1000);
    expectLiteral(agent(r, 'vault').pnl.edge / 1e6, '-10.0', 'vault edge, $M');
    expectLiteral(adv.metrics.adversaryTargetLossUsd! / 1e6, '8.6', 'what the vault lost to the pushes, $M');
    const { r: base } = runLibrary('adversarial-trigger.yaml', ['agents.adversary.strategies={}']);
    expectLiteral(agent(base, 'vault').pnl.edge / 1e3, '-2', 'vault edge without the adversary, $k');
    expect(agent(base, 'adversary').txs.sent).toBe(0);
  });

  it('on a 5 bp pool the vault is still ruined but the adversary loses too', () => {
    const { r } = runLibrary('adversarial-trigger.yaml', ['venues.pool.feeBps=5']);
    expect(agent(r, 'vault').pnl.total).toBeLessThan(-10e6);
    expect(agent(r, 'adversary').pnl.total).toBeLessThan(0);
  });

  it('with an arbitrageur every block the adversary loses heavily', () => {
    const { r } = runLibrary('adversarial-trigger.yaml', ['agents.arb.every=1']);
    expect(agent(r, 'adversary').pnl.total).toBeLessThan(-10e6);
  });
});
