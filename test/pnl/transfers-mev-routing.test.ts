/**
 * Who paid the sandwicher (docs/outputs.md, `transfers`, the routing of a bundle's victims): in an
 * included bundle each victim pays the bundler, as `mev`, exactly its loss against running alone
 * (the MEV meter's), routed through the pool's LP it paid; the LP keeps only the remainders. Through
 * the simulator on the default scenario (a sandwicher on the pool, retail its only pool victim;
 * retail holds no LP shares or triad units, so every flow between it and the sandwicher is a
 * bundle's routing): retail → sandwicher `mev` = Σ of retail's losses in the mev events to 1e-9
 * relative; it is the largest `mev` payer of the sandwicher; what the LP and the sandwicher exchange
 * as `mev` is small beside it (before the routing the LP appeared to pay the sandwicher $290 k and
 * retail paid it nothing). The nets and the identity are checked on every scenario in transfers.test.ts.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import type { MevRecord } from '../../sim/mev';
import type { SimResult } from '../../sim/result';
import { Simulation } from '../../sim/simulation';

const SCENARIOS = fileURLToPath(new URL('../../scenarios', import.meta.url));

/** Run a scenario, summing the mev events' victim losses per (victim, bundler). */
function run(file: string): { r: SimResult; loss: Map<string, number> } {
  const loaded = loadScenarioFile(join(SCENARIOS, file), []);
  const sim = new Simulation(buildConfig(loaded.scenario, loaded.baseDir));
  const ids = sim.config.agents.map((a) => a.id);
  const loss = new Map<string, number>();
  sim.events.on('mev', (m: MevRecord) => {
    if (m.victims === 0) return;
    const key = `${ids[m.target]}→${ids[m.agent]}`;
    loss.set(key, (loss.get(key) ?? 0) + m.victimLossUsd);
  });
  return { r: sim.run().result(), loss };
}

describe('a bundle victim pays the bundler its loss', () => {
  it('default.yaml: retail pays the sandwicher its loss; the LP keeps only small remainders', () => {
    const { r, loss } = run('default.yaml');
    const P = r.transfers.parties;
    const mev = r.transfers.byKind.mev!;
    const s = P.indexOf('sandwicher');
    const retail = P.indexOf('retail');
    const lp = P.indexOf('lp');
    const retailLoss = loss.get('retail→sandwicher') ?? 0;
    // The sandwich is material, and retail's loss is almost all of the meter's victim loss.
    expect(retailLoss).toBeGreaterThan(1e5);
    expect(retailLoss).toBeGreaterThan(0.99 * r.mev.victimLossUsd);
    const paid = mev[retail]![s]!;
    expect(Math.abs(paid - retailLoss)).toBeLessThanOrEqual(1e-9 * retailLoss);
    // The largest `mev` payer of the sandwicher is retail.
    let top = -1;
    for (let i = 0; i < P.length; i++) if (top < 0 || mev[i]![s]! > mev[top]![s]!) top = i;
    expect(P[top]).toBe('retail');
    // The LP's `mev` with the sandwicher is its net from the legs beyond the fees: a few % of the routed loss.
    const lpSandwicher = mev[lp]![s]! + mev[s]![lp]!;
    expect(lpSandwicher).toBeLessThan(0.05 * paid);
    // Retail still pays the LP the rest of its impact in the bundles (less than before the routing).
    expect(mev[retail]![lp]!).toBeGreaterThan(0);
  }, 60_000);

  it('adversarial-trigger.yaml: a reversal bundle has no victims (its target ran first): nothing routed to the adversary', () => {
    const { r, loss } = run('library/adversarial-trigger.yaml');
    const P = r.transfers.parties;
    const mev = r.transfers.byKind.mev!;
    const adversary = P.indexOf('adversary');
    expect(r.mev.victimLossUsd).toBe(0);
    expect([...loss.values()].every((x) => x === 0)).toBe(true);
    for (let i = 0; i < P.length; i++) if (P[i] !== 'lp') expect(mev[i]![adversary], P[i]).toBe(0);
    expect(mev[P.indexOf('lp')]![adversary]!).toBeGreaterThan(0);
  }, 60_000);
});
