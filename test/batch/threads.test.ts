/**
 * Whether a sweep runs on a pool of worker threads or in the main thread (batch/sweep.ts,
 * worthAPool): a pool only when the work it saves beats its start-up, and the same outputs either way.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSweepFile } from '../../batch/load';
import { POOL_START_SECONDS, runSweep, SECONDS_PER_BLOCK, worthAPool } from '../../batch/sweep';
import { ROOT } from '../cli/helpers';
import { BASE, differing, SWEEP, SWEEP_RUNS } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'hedgesim-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** Blocks simulated by all of a sweep's runs. */
const runsWork = (file: string) => {
  const { blocks, plan } = loadSweepFile(join(ROOT, file));
  return plan.runs.reduce((sum, r) => sum + blocks[r.point]!, 0);
};

describe('a pool of worker threads', () => {
  it('is never started for one worker', () => {
    expect(worthAPool(1e12, 1)).toBe(false);
  });

  it('is started when the time it saves, blocks × 1 µs × (1 − 1/workers), exceeds its start-up', () => {
    // The break-even work: start-up / (1 µs × (1 − 1/workers)) blocks, 1 M for two workers.
    const breakEven = (workers: number) => POOL_START_SECONDS / (SECONDS_PER_BLOCK * (1 - 1 / workers));
    expect(breakEven(2)).toBeCloseTo(1e6, 6);
    for (const workers of [2, 4, 16]) {
      expect(worthAPool(breakEven(workers) * 0.99, workers)).toBe(false);
      expect(worthAPool(breakEven(workers) * 1.01, workers)).toBe(true);
    }
  });

  it('is not worth it for scenarios/sweeps/band-vs-gas.yaml (60 runs of 7,200 blocks) but is for the benchmark sweep (240 runs of 43,200)', () => {
    expect(runsWork('scenarios/sweeps/band-vs-gas.yaml')).toBe(60 * 7200);
    expect(worthAPool(runsWork('scenarios/sweeps/band-vs-gas.yaml'), 2)).toBe(false);
    expect(worthAPool(runsWork('scenarios/sweeps/band-vs-gas.yaml'), 64)).toBe(false);
    expect(runsWork('bench/sweep-bench.yaml')).toBe(240 * 43200);
    expect(worthAPool(runsWork('bench/sweep-bench.yaml'), 2)).toBe(true);
  });

  it('is skipped for a short sweep by default and used when forced, with byte-identical outputs', async () => {
    writeFileSync(join(dir, 'base.yaml'), BASE);
    writeFileSync(join(dir, 'small.yaml'), SWEEP);
    const auto = await runSweep(join(dir, 'small.yaml'), { out: join(dir, 'auto'), workers: 2 });
    const pooled = await runSweep(join(dir, 'small.yaml'), { out: join(dir, 'pool'), workers: 2, pool: 'always' });
    const main = await runSweep(join(dir, 'small.yaml'), { out: join(dir, 'main'), workers: 2, pool: 'never' });
    expect([auto.threads, pooled.threads, main.threads]).toEqual([0, 2, 0]);
    expect([auto.outcomes.size, pooled.outcomes.size]).toEqual([SWEEP_RUNS, SWEEP_RUNS]);
    expect(differing(join(dir, 'auto'), join(dir, 'pool'))).toEqual([]);
    expect(differing(join(dir, 'main'), join(dir, 'pool'))).toEqual([]);
  });
});
