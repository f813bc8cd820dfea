/**
 * A sweep folder belongs to one sweep: its result files do not depend on where it ran, resuming it
 * with an edited sweep file is refused, and a baseline must name exactly one point.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSweep, SweepStateError } from '../../batch';
import { ScenarioError } from '../../scenarios';
import { BASE, edit, SWEEP } from './fixtures';

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hedgesim-identity-'));
  writeFileSync(join(dir, 'base.yaml'), BASE);
  writeFileSync(join(dir, 'sweep.yaml'), edit(SWEEP, 'replicates: 3', 'replicates: 1'));
  return dir;
}

describe('a sweep folder', () => {
  it('gives the same result files when the same sweep runs from two different folders', async () => {
    const a = folder();
    const b = folder();
    await runSweep(join(a, 'sweep.yaml'), { out: join(a, 'out'), workers: 1 });
    await runSweep(join(b, 'sweep.yaml'), { out: join(b, 'out'), workers: 1 });
    for (const f of ['sweep.json', 'sweep.html', 'runs.csv', 'summary.csv']) expect(readFileSync(join(a, 'out', f), 'utf8'), f).toBe(readFileSync(join(b, 'out', f), 'utf8'));
    expect(JSON.parse(readFileSync(join(a, 'out', 'sweep.json'), 'utf8')).scenario).toBe('base.yaml');
  });

  it('refuses to resume with an edited sweep file, which would mix two sweeps', async () => {
    const dir = folder();
    await runSweep(join(dir, 'sweep.yaml'), { out: join(dir, 'out'), workers: 1, limit: 3 });
    writeFileSync(join(dir, 'sweep.yaml'), edit(edit(SWEEP, 'replicates: 3', 'replicates: 1'), 'seed: 7', 'seed: 8'));
    await expect(runSweep(join(dir, 'sweep.yaml'), { out: join(dir, 'out'), workers: 1, resume: true })).rejects.toThrow(SweepStateError);
  });

  it.each([
    ['an explicit point', 'agents.noise.medianUsd: 3000', 'agents.noise.medianUsd: 3001'],
    ['a grid value', '[5, 30, 100]', '[5, 30, 101]'],
    ['an override of the base scenario', 'chain.baseFee.initial=3', 'chain.baseFee.initial=4'],
    ['the baseline', 'agents.arb.bid.share: 0.2, agents.noise.medianUsd', 'agents.arb.bid.share: 0.8, agents.noise.medianUsd'],
    ['a metric path', 'price: prices.ETH', 'price: venues.pool.volumeUsd'],
  ])('refuses to resume when %s changed, naming the way out', async (_what, from, to) => {
    const dir = folder();
    await runSweep(join(dir, 'sweep.yaml'), { out: join(dir, 'out'), workers: 1, limit: 2 });
    writeFileSync(join(dir, 'sweep.yaml'), edit(edit(SWEEP, 'replicates: 3', 'replicates: 1'), from, to));
    await expect(runSweep(join(dir, 'sweep.yaml'), { out: join(dir, 'out'), workers: 1, resume: true })).rejects.toThrow(/holds runs of a different sweep .*: resume it with the original sweep file, or start over with --force/);
  });

  it('rejects a baseline that matches several points', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'x'));
    writeFileSync(join(dir, 'sweep.yaml'), edit(edit(SWEEP, 'replicates: 3', 'replicates: 1'), 'baseline: { venues.pool.feeBps: 30, agents.arb.bid.share: 0.2, agents.noise.medianUsd: 1000 }', 'baseline: { venues.pool.feeBps: 30 }'));
    const error = await runSweep(join(dir, 'sweep.yaml'), { out: join(dir, 'x', 'o') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).format()).toMatch(/sweep\.yaml:\d+:\d+: baseline: the baseline \{"venues\.pool\.feeBps":30\} matches several points: give a value for every grid parameter and every parameter of the explicit points/);
  });
});
