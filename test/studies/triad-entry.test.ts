/**
 * Free entry of rebalancing triad hedgers (scenarios/studies/triad-entry.yaml, at --quick: 4
 * replicates of 1 day, a $250 tracker budget). What the hedgers gain is what the tracker's moves hand
 * them, and the tracker stops when its budget M is spent, so n hedgers share M − G (G its gas):
 * checked by the tracker's accounts (its spend = the hedgers' gain before their gas + its own gas, ≤
 * M), an equal split among identical copies, the marginal payoff falling in n, and
 * n* = (what the n* hedgers share)/(outside return + risk penalty) within one count.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hedgesim, readJson, ROOT, tempDirs } from '../cli/helpers';
import { CLEAN_ENV, csvObjects } from '../batch/fixtures';

const temp = tempDirs();
const M = 250; // the --quick tracker budget, USD
type Row = Record<string, string>;
const n = (r: Row, k: string): number => Number(r[k]);

describe('free entry of rebalancing triad hedgers on a budgeted tracker', () => {
  let rows: Row[];
  let incumbents: Row[];
  let json: { result: { nStar: number; capped: boolean } };
  beforeAll(() => {
    const files = Object.fromEntries(['triad-entry-base', 'triad-entry'].map((f) => [`${f}.yaml`, readFileSync(join(ROOT, 'scenarios/studies', `${f}.yaml`), 'utf8')]));
    const d = temp(files);
    const r = hedgesim(['study', 'triad-entry.yaml', '--quick', '-q', '--out', 'entry'], { cwd: d, env: CLEAN_ENV });
    expect(r.code, r.stderr).toBe(0);
    rows = csvObjects(readFileSync(join(d, 'entry', 'entry.csv'), 'utf8'));
    incumbents = csvObjects(readFileSync(join(d, 'entry', 'incumbents.csv'), 'utf8'));
    json = readJson(join(d, 'entry'), 'study.json');
  }, 120_000);

  it('the tracker spends its budget on the hedgers and its gas, and no more', () => {
    for (const row of rows) {
      // Its spend is what its moves handed the hedgers (their P&L before their own gas) plus its gas.
      const handed = n(row, 'hedgers_pnl_mean') - n(row, 'hedgers_gas_mean');
      expect(n(row, 'tracker_spent_mean')).toBeCloseTo(handed + n(row, 'tracker_gas_mean'), 0);
      expect(n(row, 'tracker_spent_mean')).toBeLessThanOrEqual(M + 1);
      expect(n(row, 'tracker_spent_mean')).toBeGreaterThan(0.95 * M);   // the budget binds at every n
    }
  });

  it('identical copies split the pie equally, and the marginal payoff falls with n', () => {
    for (const row of rows) expect(n(row, 'entrant_payoff')).toBeCloseTo(n(row, 'hedgers_pnl_mean') / n(row, 'n'), -1);
    const pay = incumbents.map((r) => n(r, 'payoff'));
    for (const p of pay) expect(Math.abs(p / pay[0]! - 1)).toBeLessThan(0.1);
    for (let i = 1; i < rows.length; i++) expect(n(rows[i]!, 'entrant_payoff')).toBeLessThan(n(rows[i - 1]!, 'entrant_payoff'));
    // From n = 2 on the CIs separate: each further entrant takes a visible share from the others.
    for (let i = 2; i < rows.length; i++) expect(n(rows[i]!, 'entrant_payoff_ci_high')).toBeLessThan(n(rows[i - 1]!, 'entrant_payoff_ci_low'));
  });

  it('n* = what the hedgers share / (outside return + risk penalty), within one count', () => {
    const { nStar, capped } = json.result;
    expect(capped).toBe(false);
    expect(nStar).toBeGreaterThanOrEqual(3);
    expect(rows.map((r) => n(r, 'n'))).toEqual(Array.from({ length: nStar + 1 }, (_, i) => i + 1));
    const star = rows[nStar - 1]!;
    // The risk penalty of copy n*: its payoff less the outside less its net objective (λ·variance).
    const risk = n(star, 'entrant_payoff') - n(star, 'outside') - n(star, 'net_objective');
    expect(risk).toBeGreaterThanOrEqual(0);
    expect(Math.abs(nStar - n(star, 'hedgers_pnl_mean') / (n(star, 'outside') + risk))).toBeLessThanOrEqual(1);
    // The externality: with more hedgers the budget is gone sooner and the triad strays further from the market.
    expect(n(star, 'blocks_exhausted_mean')).toBeGreaterThan(n(rows[0]!, 'blocks_exhausted_mean'));
  });
});
