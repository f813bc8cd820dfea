/**
 * The world identity W1 on every scenario the project ships, and the bundle identity W2 on those
 * with searchers (docs/outputs.md, VALIDATION.md): valuation is consistent when what the agents made
 * against holding is exactly what the world outside them (burn, proposer, CEX desk) and the open
 * off-ledger options account for. Long scenarios are shortened to keep the suite quick.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import { worldIdentity, type SimResult } from '../../sim/result';
import { Simulation } from '../../sim/simulation';

const SCENARIOS = fileURLToPath(new URL('../../scenarios', import.meta.url));
const FILES = ['default.yaml', ...readdirSync(join(SCENARIOS, 'library')).filter((f) => f.endsWith('.yaml')).map((f) => `library/${f}`)];
/** At most this many blocks per scenario. */
const MAX_BLOCKS = 20_000;

function runScenario(file: string, overrides: string[] = [], maxBlocks = MAX_BLOCKS): { sim: Simulation; r: SimResult } {
  const loaded = loadScenarioFile(join(SCENARIOS, file), overrides);
  const config = buildConfig(loaded.scenario, loaded.baseDir);
  const sim = new Simulation(config.blocks > maxBlocks ? { ...config, blocks: maxBlocks } : config);
  return { sim, r: sim.run().result() };
}

function expectW1(sim: Simulation, tol: number): void {
  const w = worldIdentity(sim.kernel, sim.baseline);
  expect(w.scale).toBeGreaterThan(0);
  expect(Math.abs(w.lhs - w.rhs), `Σ total + outside − options ${w.lhs} vs Σ hold ${w.rhs} (scale ${w.scale})`).toBeLessThanOrEqual(tol * w.scale);
}

describe('W1, the world identity, on every shipped scenario', () => {
  it('covers the library', () => expect(FILES.length).toBeGreaterThanOrEqual(11));

  for (const file of FILES) {
    it(`${file}: Σ total + outside accounts − off-ledger options = Σ hold, within 1e-9`, () => {
      const { sim, r } = runScenario(file);
      expectW1(sim, 1e-9);
      for (const a of r.agents) expect(Math.abs(a.pnl.hold + a.pnl.edge - a.pnl.total), a.id).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a.pnl.total)));
      // W2 wherever bundles with victims landed: Σ victims' loss = captured + others' gain.
      const t = r.mev;
      if (t.bundles > 0) {
        const scale = Math.max(1, t.victimLossUsd, Math.abs(t.capturedUsd));
        expect(Math.abs(t.victimLossUsd - t.capturedUsd - t.othersGainUsd), `W2 ${JSON.stringify(t)}`).toBeLessThanOrEqual(1e-9 * scale);
        expect(t.worstGapUsd).toBeLessThanOrEqual(1e-9 * scale);
        // Victims book −loss as mev, and nobody else but the searchers books any.
        const victims = r.agents.filter((a) => a.kind !== 'searcher').reduce((s, a) => s + a.pnl.mev, 0);
        expect(Math.abs(victims + t.victimLossUsd)).toBeLessThanOrEqual(1e-9 * scale);
      }
    }, 60_000);
  }

  it('exact mode (minimal.yaml): every token conserved to the wei, and W1 to 1e-12', () => {
    const { sim, r } = runScenario('library/minimal.yaml', ['numeric=exact'], 2000);
    expect(r.conservation.withinTolerance).toBe(true);
    const L = sim.kernel.world.ledger;
    for (let t = 0; t < L.tokenCount; t++) {
      let sum = 0n;
      for (let a = 0; a < L.accounts.length; a++) sum += L.exact!.bal[a * L.tokenCount + t]!;
      expect(sum, L.tokens[t]).toBe(L.exact!.supply[t]!);
    }
    expectW1(sim, 1e-12);
  });
});

describe('W2 on the library scenarios with searchers', () => {
  it('default.yaml: the sandwicher’s victims lose what it captured plus the LP’s fees on its legs', () => {
    const { r } = runScenario('default.yaml', [], 10_000);
    const t = r.mev;
    expect(t.bundles).toBeGreaterThan(100);
    expect(t.victimLossUsd).toBeGreaterThan(0);
    expect(t.capturedUsd).toBeGreaterThan(0);
    const s = r.agents.find((a) => a.kind === 'searcher')!;
    // Its mev is its capture plus the swap fees its legs paid (booked apart as swapFees ≤ 0).
    expect(s.pnl.mev).toBeGreaterThan(t.capturedUsd);
  });

  it('adversarial-trigger.yaml: the adversary’s reversal bundles [target, reversal] have no victim (the target ran first): none in the tally, its capture still its mev', () => {
    const { r } = runScenario('library/adversarial-trigger.yaml', [], 2000);
    const adversary = r.agents.find((a) => a.id === 'adversary')!;
    expect(adversary.metrics.adversaryCaught).toBeGreaterThan(0);
    expect(adversary.pnl.mev).not.toBe(0);
    expect(r.agents.find((a) => a.id === 'vault')!.pnl.mev).toBe(0);
    expect(r.mev).toEqual({ bundles: 0, victimLossUsd: 0, capturedUsd: 0, othersGainUsd: 0, worstGapUsd: 0 });
  });

  it('front-running.yaml: the public rebalancer’s loss is the searcher’s capture (no LPs on a triad, no other holder moves)', () => {
    const { r } = runScenario('library/front-running.yaml');
    const t = r.mev;
    expect(t.bundles).toBeGreaterThan(0);
    const pub = r.agents.find((a) => a.id === 'public')!;
    expect(Math.abs(-pub.pnl.mev - t.victimLossUsd)).toBeLessThan(1e-9 * t.victimLossUsd);
  });
});
