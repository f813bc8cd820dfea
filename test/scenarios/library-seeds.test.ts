/**
 * The seed scenarios of the library, run as shipped (loaded through the scenarios module, run with
 * simulate): the figures their comments, the README and DESIGN §9 quote must be what they produce.
 * Expected values are the closed forms of seed 000 (test/hedgers/seed-examples.test.ts derives them);
 * each quoted literal is also checked to its last printed digit.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import type { SimResult } from '../../sim/result';
import { simulate } from '../../sim/simulation';
import { agent, expectLiteral, expectRel } from '../validation/helpers';

const LIBRARY = fileURLToPath(new URL('../../scenarios/library', import.meta.url));

function runLibrary(name: string, overrides: string[] = []): SimResult {
  const loaded = loadScenarioFile(join(LIBRARY, name), overrides);
  return simulate({ ...buildConfig(loaded.scenario, loaded.baseDir), checkInvariants: true });
}

/** The holder's mark-to-market on $200 when U goes to √r: 100·(√r + 1/√r − 2). */
const pnl100 = (r: number) => 100 * (Math.sqrt(r) + 1 / Math.sqrt(r) - 2);

describe('seed-static.yaml', () => {
  it('A doubles: the holder gains +12.13 on $200 (+6.066 %), paid by the mover', () => {
    const r = runLibrary('seed-static.yaml');
    const h = agent(r, 'holder');
    expectRel(h.pnl.total, pnl100(2), 1e-9, 'holder P&L');
    expectLiteral(h.pnl.total, '12.13', 'holder P&L');
    expectLiteral((100 * h.pnl.total) / 200, '6.066', 'holder P&L, % of 200');
    expectRel(agent(r, 'mover').pnl.total, -h.pnl.total, 1e-9, 'mover P&L');
  });

  it.each<[string, number, string]>([
    ['halving (the comment’s override) gives the same +12.13', 0.5, '12.13'],
    ['a 50 % move gives +4.12, not the seed’s 5.62', 1.5, '4.12'],
  ])('%s', (_what, a, literal) => {
    const h = agent(runLibrary('seed-static.yaml', [`market.assets.A.points[1][1]=${a}`]), 'holder');
    expectRel(h.pnl.total, pnl100(a), 1e-9, 'holder P&L');
    expectLiteral(h.pnl.total, literal, 'holder P&L');
  });
});

describe('seed-rebalancing.yaml', () => {
  // Four equal-value re-forges at ρ = √1.5^±1 each multiply the value by (ρ + 1/ρ)/2 per leg, (25/24)
  // per two legs: 200·(25/24)² − 200. The tracker's supply (1e8) leaves ≈ 1.8e-5 of re-forging
  // residual (seed-examples.test.ts), so 1e-5 relative is the tolerance.
  const GROSS = 200 * (25 / 24) ** 2 - 200;
  const r = runLibrary('seed-rebalancing.yaml');

  it('the rebalancer: $17.01 gross, −$7.99 after five $5 forges', () => {
    const h = agent(r, 'rebalancer');
    expect(h.txs.included).toBe(5);
    expect(h.metrics.rebalances).toBe(4);
    expect(h.pnl.gas).toBeCloseTo(-25, 9);
    expectRel(h.pnl.total - h.pnl.gas, GROSS, 1e-5, 'gross');
    expectLiteral(h.pnl.total - h.pnl.gas, '17.01', 'gross');
    expectRel(h.pnl.total, GROSS - 25, 1e-5, 'net');
    expectLiteral(h.pnl.total, '-7.99', 'net');
  });

  it('the static holder: $0 gross, −$5 for its one forge', () => {
    const s = agent(r, 'holder');
    expect(Math.abs(s.pnl.total - s.pnl.gas)).toBeLessThan(1e-6);
    expect(s.pnl.gas).toBeCloseTo(-5, 9);
  });

  it('with chain.baseFee.initial=0 the rebalancer’s total is the gross gain, 17.01', () => {
    const h = agent(runLibrary('seed-rebalancing.yaml', ['chain.baseFee.initial=0']), 'rebalancer');
    expect(h.pnl.gas).toBe(0);
    expectLiteral(h.pnl.total, '17.01', 'total without gas');
  });
});
