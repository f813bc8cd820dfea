/**
 * Derived metrics in sweeps: an expression's value in runs.csv is the same arithmetic on the paths'
 * own values in the same run; bad expressions and unknown paths are errors at their column in the
 * sweep file; quantiles across replicates are the type-7 quantiles of the runs' values.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quantile, quantileName } from '../../batch/aggregate';
import { loadSweepFile } from '../../batch/load';
import { runSweep } from '../../batch/sweep';
import { ScenarioError } from '../../scenarios/errors';
import { BASE } from '../batch/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'hedgesim-derived-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'base.yaml'), BASE);

function problems(metrics: string): string[] {
  writeFileSync(join(dir, 's.yaml'), `name: t\nscenario: base.yaml\nmetrics:\n${metrics}`);
  try {
    loadSweepFile(join(dir, 's.yaml'));
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.format().replaceAll(`${dir}/`, '').split('\n');
  }
  throw new Error('the sweep file loaded without problems');
}

describe('derived metrics in a sweep', () => {
  it('computes each expression from the same run', async () => {
    writeFileSync(join(dir, 'd.yaml'), `name: d
scenario: base.yaml
replicates: 5
quantiles: [0.1, 0.5]
parameters: { venues.pool.feeBps: { values: [5, 30] } }
metrics:
  lp: agents.lp.pnl.total
  arb: agents.arb.pnl.total
  gap: agents.lp.pnl.total - agents.arb.pnl.total
  ratio: "agents.lp.pnl.fees / venues.pool.volumeUsd"
  fees: venues.pool.volumeUsd
  lps: sum(kind:lp, pnl.total) + count(kind:noise)
`);
    const r = await runSweep(join(dir, 'd.yaml'), { out: join(dir, 'out-d'), pool: 'never' });
    expect(r.outcomes.size).toBe(10);
    for (const o of r.outcomes.values()) {
      const m = o.metrics as { lp: number; arb: number; gap: number; lps: number; ratio: number };
      expect(o.status).toBe('ok');
      expect(m.gap).toBe(m.lp - m.arb);
      expect(m.lps).toBe(m.lp + 1);
      expect(m.ratio).toBeGreaterThan(0);
    }
    // fee 30 bps: the LP earns 0.3 % of the volume it sees, within rounding of its share (it holds every share).
    const at30 = [...r.outcomes.values()].filter((o) => r.plan.runs[o.id]!.point === 1);
    for (const o of at30) expect(o.metrics.ratio).toBeCloseTo(0.003, 6);
    const cols = r.tables.summary.columns;
    expect(cols).toContain(`gap_${quantileName(0.1)}`);
    expect(quantileName(0.1)).toBe('q10');
    expect(quantileName(0.025)).toBe('q2_5');
    const row = r.tables.summary.rows[0]!;
    const xs = [...r.outcomes.values()].filter((o) => r.plan.runs[o.id]!.point === 0).map((o) => o.metrics.gap!).sort((a, b) => a - b);
    expect(row[cols.indexOf('gap_q50')]).toBe(xs[2]);
    expect(row[cols.indexOf('gap_q10')]).toBeCloseTo(xs[0]! + 0.4 * (xs[1]! - xs[0]!), 9);
  });

  it('reports bad expressions and unknown paths at their column', () => {
    expect(problems('  a: agents.lp.pnl.total - agents.arb.pnl.totl\n')).toEqual([expect.stringMatching(/^s\.yaml:4:28: metrics\.a: .agents\.arb\.pnl\.totl' names no field 'totl'.*did you mean 'total'/)]);
    expect(problems('  a: agents.lp.pnl.total-agents.arb.pnl.total\n')).toEqual([expect.stringMatching(/^s\.yaml:4:6: .*'agents\.lp\.pnl\.total-agents\.arb\.pnl\.total'.*put spaces around the -/)]);
    expect(problems('  a: (agents.lp.pnl.total + 1\n')).toEqual([expect.stringMatching(/^s\.yaml:4:30: metrics\.a: cannot read the expression/)]);
    expect(problems('  a: "sum(kind:lq, pnl.total)"\n')).toEqual([expect.stringMatching(/^s\.yaml:4:11: .*'kind:lq' names no kind of agent.*did you mean 'lp'/)]);
    expect(problems('  a: sum(kind:lp, pnl.totl)\n')).toEqual([expect.stringMatching(/^s\.yaml:4:19: .*'pnl\.totl'/)]);
    expect(problems('  a: count(template:h)\n')).toEqual([expect.stringMatching(/^s\.yaml:4:12: .*'template:h' names no agent template/)]);
  });

  it('quantile follows type 7 (numpy linear) on a hand-computed sample', () => {
    const xs = [1, 2, 4, 8];
    // h = 3q: q = 0.5 → 1.5 → 2 + 0.5·2 = 3; q = 0.9 → 2.7 → 4 + 0.7·4 = 6.8; q = 0 → 1; q = 1 → 8.
    expect(quantile(xs, 0.5)).toBe(3);
    expect(quantile(xs, 0.9)).toBeCloseTo(6.8, 12);
    expect(quantile(xs, 0)).toBe(1);
    expect(quantile(xs, 1)).toBe(8);
  });
});
