/**
 * The sweep file shown in docs/sweeps.md is scenarios/sweeps/tour.yaml, word for word; it loads,
 * plans as the docs describe (points, draws, the baseline of each draw), and a tiny version of it
 * runs with every run succeeding — so the example stays true when the scenarios or the format change;
 * and its field table names every field of the sweep schema with its default, so it cannot drift.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSweepFile } from '../../batch/load';
import { mergeSweeps } from '../../batch/merge';
import { baselineOf } from '../../batch/plan';
import { runSweep } from '../../batch/sweep';
import { sweepSchema } from '../../batch/sweep-schema';
import { ROOT } from '../cli/helpers';
import { differing, edit } from './fixtures';

const TOUR = join(ROOT, 'scenarios', 'sweeps', 'tour.yaml');
const DOC = readFileSync(join(ROOT, 'docs', 'sweeps.md'), 'utf8');
const BLOCK = /## The sweep file[\s\S]*?```yaml\n([\s\S]*?)```/.exec(DOC)?.[1];

const dir = mkdtempSync(join(tmpdir(), 'hedgesim-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the sweep file of docs/sweeps.md', () => {
  it('is scenarios/sweeps/tour.yaml, word for word', () => {
    expect(BLOCK).toBeDefined();
    expect(BLOCK).toBe(readFileSync(TOUR, 'utf8'));
  });

  it('loads and plans as the docs say: 2 × (3 × 2) × 3 points, 4 replicates of 6 hours, each point paired with the baseline of its own draw', () => {
    expect(DOC).toContain('here 2 × (3 × 2) × 3 = 36');
    expect(DOC).toContain('(36 points, 144 runs of\n6 simulated hours');
    const { plan, blocks } = loadSweepFile(TOUR);
    expect([plan.points.length, plan.runs.length, plan.draws]).toEqual([36, 144, 3]);
    expect(new Set(blocks)).toEqual(new Set([6 * 3600 / 2]));
    // The baseline: band 0.05, base fee 0.05, the first LP size — at each of the three draws.
    expect(plan.baseline).toBe(6);
    // The docs' example pair: (band 0.1, base fee 5, draw 2) — here with the second LP size.
    const point = plan.points.find((p) => p.values['agents.band-5pct.trigger.band'] === 0.1 && p.values['chain.baseFee.initial'] === 5 && p.values['agents.lp.balances.ETH'] === 2000 && p.id % 3 === 2)!;
    const base = plan.points[baselineOf(plan, point.id)]!;
    expect(base.values).toMatchObject({ 'agents.band-5pct.trigger.band': 0.05, 'chain.baseFee.initial': 0.05, 'agents.lp.balances.ETH': 500, 'agents.lp.balances.USD': 1250000 });
    for (const drawn of ['market.assets.ETH.sigma', 'agents.arb-1.bid.share']) expect(base.values[drawn]).toBe(point.values[drawn]);
    const sigmas = plan.points.slice(0, 3).map((p) => p.values['market.assets.ETH.sigma'] as number);
    // Latin hypercube: one draw in each third of [0.4, 1.2].
    expect(sigmas.map((x) => Math.floor((x - 0.4) / (0.8 / 3))).sort()).toEqual([0, 1, 2]);
  });

  it('runs, made tiny (10 minutes, 2 replicates): every run succeeds, the baseline points differ from themselves by exactly 0, shards merge to the same bytes', async () => {
    const tiny = edit(edit(edit(BLOCK!, 'scenario: ../default.yaml', `scenario: ${JSON.stringify(join(ROOT, 'scenarios', 'default.yaml'))}`), 'duration=6h', 'duration=10m'), 'replicates: 4', 'replicates: 2');
    writeFileSync(join(dir, 'tiny.yaml'), tiny);
    const r = await runSweep(join(dir, 'tiny.yaml'), { out: join(dir, 'out'), workers: 1 });
    expect(r.missing).toBe(0);
    expect([...r.outcomes.values()].filter((o) => o.status !== 'ok').map((o) => o.error)).toEqual([]);
    expect(r.outcomes.size).toBe(72);
    for (const s of r.summary) for (const m of ['hedge_total', 'lp_fees']) expect(s.diffs![m]!.n).toBe(2);
    for (const s of r.summary.slice(6, 9)) for (const m of ['hedge_total', 'hedge_gas', 'lp_fees', 'builder']) expect(s.diffs![m]).toMatchObject({ mean: 0, sd: 0 });
    // The LP's size matters: the two explicit points earn different fees.
    expect(r.summary[0]!.stats.lp_fees!.mean).not.toBe(r.summary[18]!.stats.lp_fees!.mean);
    // Two shards merged give the same bytes, the pairing by draw included.
    for (const index of [0, 1]) await runSweep(join(dir, 'tiny.yaml'), { out: join(dir, `s${index}`), workers: 1, shard: { index, count: 2, source: '--shard' } });
    mergeSweeps([join(dir, 's0'), join(dir, 's1')], join(dir, 'merged'));
    expect(differing(join(dir, 'out'), join(dir, 'merged'))).toEqual([]);
  });

  it('has a field table naming every field of the sweep schema, with the schema’s defaults', () => {
    const table = /### Fields of a sweep file\n\n([\s\S]*?)\n\n/.exec(DOC)?.[1];
    expect(table).toBeDefined();
    const rows = table!.split('\n').slice(2).map((r) => r.split(' | ').map((c) => c.replace(/^\| |\|$/g, '').trim()));
    const fields = rows.map((r) => /^`([^`]+)`$/.exec(r[0]!)?.[1]);
    expect([...fields].sort()).toEqual(Object.keys(sweepSchema.shape).sort());
    // What a minimal file resolves to: a default in backticks, or none / required for the others.
    const minimal = sweepSchema.parse({ name: 'x', scenario: 'y.yaml', metrics: { a: 'b' } }) as Record<string, unknown>;
    for (const [i, field] of fields.entries()) {
      const cell = rows[i]![2]!;
      if (['name', 'scenario', 'metrics'].includes(field!)) expect(cell, field).toMatch(/^required/);
      else if (minimal[field!] !== undefined) expect(cell, field).toBe(`\`${JSON.stringify(minimal[field!])}\``);
      else expect(cell, field).toMatch(/^(none|`[a-z]+`$)/);
    }
  });
});
