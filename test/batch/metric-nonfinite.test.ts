/**
 * Issue 11: a sweep metric that comes out NaN or infinite leaves its cell empty, and the run's
 * `error` cell says why — here the price of a triad nobody has forged into (its supplies are 0, so
 * it has no price).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executeRun } from '../../batch/execute';
import { BASE, edit } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'hedgesim-metric-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a metric without a finite value', () => {
  it('empties its own cell and names itself in the error cell; the other metrics stand', () => {
    const file = join(dir, 'base.yaml');
    writeFileSync(file, edit(BASE, 'venues:\n', 'venues:\n  t: { kind: triad, unit: sqrtETH }\n'));
    const o = executeRun({ id: 0, scenarioFile: file, baseDir: dir, set: [], values: {}, seed: 1, metrics: { tp: 'venues.t.prices.0', volume: 'venues.pool.volumeUsd' } });
    expect(o.status).toBe('ok');
    expect(o.metrics.tp).toBeNull();
    expect(o.metrics.volume).toBeGreaterThan(0);
    expect(o.error).toMatch(/^metric tp \(venues\.t\.prices\.0\)(:| is NaN, not a finite number)/);
  });
});
