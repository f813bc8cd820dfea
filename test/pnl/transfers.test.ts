/**
 * The value-transfer ledger (docs/outputs.md, `transfers`) reconciles with P&L on every scenario the
 * project ships, through the simulator: for every agent
 *   edge = Σ transfers received (net) + revaluation + Δ off-ledger options,
 * where revaluation = Σ_t (Σ Δh_t · end price_t − Σ Δh_t·price_t) from the two accumulators, and the
 * off-ledger change is `options` less the OTC cash the ledger counts as `options` transfers. The
 * matrix nets to zero over all parties. Tolerance: 1e-9 of the gross flows (Σ |Δh·price| over the
 * agent's events and tokens, plus |edge|). Long scenarios are shortened.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import type { SimResult } from '../../sim/result';
import { Simulation } from '../../sim/simulation';

const SCENARIOS = fileURLToPath(new URL('../../scenarios', import.meta.url));
const FILES = ['default.yaml', ...readdirSync(join(SCENARIOS, 'library')).filter((f) => f.endsWith('.yaml')).map((f) => `library/${f}`)];
const MAX_BLOCKS = 5_000;
const TOL = 1e-9;

export function runScenario(file: string, overrides: string[] = [], maxBlocks = MAX_BLOCKS): { sim: Simulation; r: SimResult } {
  const loaded = loadScenarioFile(join(SCENARIOS, file), overrides);
  const config = buildConfig(loaded.scenario, loaded.baseDir);
  const sim = new Simulation(config.blocks > maxBlocks ? { ...config, blocks: maxBlocks } : config);
  return { sim, r: sim.run().result() };
}

/** The identity's gap for each agent, and its scale. */
export function identityGaps(r: SimResult): { id: string; gap: number; scale: number; edge: number; received: number }[] {
  return r.agents.map((a) => {
    const t = a.transfers;
    const offLedger = a.pnl.options - t.byKind.options!;
    const rhs = t.net + t.revaluation + offLedger;
    return { id: a.id, gap: Math.abs(a.pnl.edge - rhs), scale: t.gross + Math.abs(a.pnl.edge) + Math.abs(a.pnl.options), edge: a.pnl.edge, received: t.net };
  });
}

/** Σ over all parties of what the matrix says they received: zero when what one loses another gains. */
function matrixNet(r: SimResult): { net: number[]; sum: number; gross: number } {
  const m = r.transfers.paid;
  const net = m.map((row, i) => m.reduce((s, r2) => s + r2[i]!, 0) - row.reduce((s, x) => s + x, 0));
  return { net, sum: net.reduce((s, x) => s + x, 0), gross: r.transfers.gross };
}

describe('the transfer identity on every shipped scenario', () => {
  it('covers the library', () => expect(FILES.length).toBeGreaterThanOrEqual(11));

  for (const file of FILES) {
    it(`${file}: edge = Σ received + revaluation + Δ off-ledger options, within ${TOL} of the gross flows; the matrix nets to zero`, () => {
      const { r } = runScenario(file);
      let moved = 0;
      for (const g of identityGaps(r)) {
        expect(g.gap, `${g.id}: edge ${g.edge}, received ${g.received}`).toBeLessThanOrEqual(TOL * Math.max(1, g.scale));
        moved += Math.abs(g.received);
      }
      // Something moved in every shipped scenario: the identity is not 0 = 0.
      expect(moved).toBeGreaterThan(0);
      const { net, sum, gross } = matrixNet(r);
      expect(Math.abs(sum)).toBeLessThanOrEqual(TOL * gross);
      // At fixed prices nothing is created: Σ of all parties' value changes at the events' marks is 0.
      expect(Math.abs(r.transfers.residual), 'Σ Δh·price over all parties').toBeLessThanOrEqual(TOL * gross);
      // Each party's net in the matrix is its own change in value at the events' marks.
      r.agents.forEach((a, i) => expect(Math.abs(net[i]! - a.transfers.net)).toBeLessThanOrEqual(TOL * Math.max(1, a.transfers.gross)));
      // The builder received the tips and the burn the base fees (at the prices when paid).
      const P = r.transfers.parties;
      expect(net[P.indexOf('builder')]!).toBeCloseTo(r.builder.priorityFeesUsd, 6);
      const gasToBurn = r.transfers.byKind.gas!.reduce((s, row) => s + row[P.indexOf('burn')]!, 0);
      expect(Math.abs(gasToBurn - r.builder.burnedUsd)).toBeLessThanOrEqual(TOL * Math.max(1, r.builder.burnedUsd));
      // `mev` flows exactly where the MEV meter works: a searcher's transactions, or bundles with victims.
      const mevFlows = r.transfers.byKind.mev!.flat().reduce((s, x) => s + x, 0);
      const extracts = r.agents.some((a) => a.kind === 'searcher');
      if (r.mev.bundles > 0) expect(mevFlows).toBeGreaterThan(0);
      if (!extracts) expect(mevFlows).toBe(0);
      // OTC premia and payoffs are `options`, paid to or by the desk.
      const options = r.transfers.byKind.options!.flat().reduce((s, x) => s + x, 0);
      const otc = r.agents.some((a) => a.metrics.premiumUsd !== undefined && a.metrics.premiumUsd !== 0);
      if (otc) expect(options).toBeGreaterThan(0);
      else expect(options).toBe(0);
    }, 60_000);
  }

  it('exact mode (minimal.yaml): the identity holds with wei balances too', () => {
    const { r } = runScenario('library/minimal.yaml', ['numeric=exact'], 2000);
    for (const g of identityGaps(r)) expect(g.gap, g.id).toBeLessThanOrEqual(TOL * Math.max(1, g.scale));
  });

  it('measureFrom: transfers count from the measurement point, like P&L', () => {
    const whole = runScenario('library/minimal.yaml', [], 2000).r;
    const late = runScenario('library/minimal.yaml', ['measureFrom.block=1000'], 2000).r;
    for (const g of identityGaps(late)) expect(g.gap, g.id).toBeLessThanOrEqual(TOL * Math.max(1, g.scale));
    const gasPaid = (r: SimResult): number => r.transfers.byKind.gas!.reduce((s, row) => s + row.reduce((a, x) => a + x, 0), 0);
    expect(gasPaid(late)).toBeGreaterThan(0);
    expect(gasPaid(late)).toBeLessThan(gasPaid(whole));
  });
});
