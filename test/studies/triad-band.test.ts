/**
 * The optimal band of a rebalancing triad hedger after gas (scenarios/studies/triad-band*.yaml, at
 * --quick: 12 replicates, 7 days) against the small-cost closed form b* = (6K/(λB²))^(1/4)
 * (docs/studies.md). Three gas costs 16× apart: the closed form doubles b* from one to the next.
 * Checked: the two laws the closed form rests on — σ²T/b² rebalances (within 20 % for b ≤ 4 %) and
 * a P&L variance of B²σ²T·b²/6 (pooled over b ≤ 8 %, within 35 %: 12 replicates) — the optimum
 * moving up with the cost, and the log-log slope of the fitted optimum against K: 1/4 ± 0.1. The
 * fitted optimum is (c₁/c₂)^(1/4) from the least-squares fit of the objective curve to
 * a − c₁/b² − c₂·b² (b ≤ 16 %), steadier than the grid's arg max; common random numbers make the
 * three studies' noise largely common, so the slope is measured far better than each optimum.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hedgesim, readJson, ROOT, tempDirs } from '../cli/helpers';
import { CLEAN_ENV, csvObjects } from '../batch/fixtures';

const temp = tempDirs();
const SIGMA2 = 1.5 ** 2;
const T = 7 / 365;
const B = 200_000;
const LAMBDA = 1e-4;
const COSTS = [['triad-band-cheap', 0.3125], ['triad-band', 5], ['triad-band-costly', 80]] as const;

/** Least squares of J on (1, −1/b², −b²): the fitted optimum (c₁/c₂)^(1/4). */
function fittedOptimum(b: number[], J: number[]): number {
  const X = b.map((x) => [1, -1 / x ** 2, -(x ** 2)]);
  const XtX = [0, 1, 2].map((i) => [0, 1, 2].map((j) => X.reduce((s, r) => s + r[i]! * r[j]!, 0)));
  const XtJ = [0, 1, 2].map((i) => X.reduce((s, r, k) => s + r[i]! * J[k]!, 0));
  // Gaussian elimination, 3 × 3.
  const A = XtX.map((r, i) => [...r, XtJ[i]!]);
  for (let i = 0; i < 3; i++)
    for (let k = i + 1; k < 3; k++) {
      const f = A[k]![i]! / A[i]![i]!;
      for (let j = i; j < 4; j++) A[k]![j]! -= f * A[i]![j]!;
    }
  const c = [0, 0, 0];
  for (let i = 2; i >= 0; i--) c[i] = (A[i]![3]! - [0, 1, 2].slice(i + 1).reduce((s, j) => s + A[i]![j]! * c[j]!, 0)) / A[i]![i]!;
  return (c[1]! / c[2]!) ** 0.25;
}

describe('the optimal triad hedge band after gas against the closed form', () => {
  const res: Record<string, { rows: Record<string, string>[]; grid: Record<string, string>[]; json: { result: { optimum: { values: Record<string, number> }; closedForm: { optimum: number } } } }> = {};
  beforeAll(() => {
    const files = Object.fromEntries(['triad-band-base', ...COSTS.map(([n]) => n)].map((n) => [`${n}.yaml`, readFileSync(join(ROOT, 'scenarios/studies', `${n}.yaml`), 'utf8')]));
    const d = temp(files);
    for (const [name] of COSTS) {
      const r = hedgesim(['study', `${name}.yaml`, '--quick', '-q', '--out', name], { cwd: d, env: CLEAN_ENV });
      expect(r.code, r.stderr).toBe(0);
      res[name] = { rows: csvObjects(readFileSync(join(d, name, 'curve.csv'), 'utf8')), grid: csvObjects(readFileSync(join(d, name, 'stages', '00-grid', 'summary.csv'), 'utf8')), json: readJson(join(d, name), 'study.json') };
    }
  }, 400_000);
  const band = (r: Record<string, string>): number => Number(r['agents.hedger.trigger.threshold']);

  it('rebalances σ²T/b² times, and its P&L variance is B²σ²T·b²/6', () => {
    const grid = res['triad-band']!.grid;
    for (const r of grid.filter((x) => band(x) <= 0.04)) expect(Number(r.rebalances_mean) * band(r) ** 2 / (SIGMA2 * T)).toBeGreaterThan(0.8), expect(Number(r.rebalances_mean) * band(r) ** 2 / (SIGMA2 * T)).toBeLessThan(1.2);
    const small = res['triad-band']!.rows.filter((x) => band(x) <= 0.08);
    const ratio = small.reduce((s, r) => s + Number(r.pnl_sd) ** 2, 0) / small.reduce((s, r) => s + (B ** 2 * SIGMA2 * T * band(r) ** 2) / 6, 0);
    expect(ratio).toBeGreaterThan(0.65);
    expect(ratio).toBeLessThan(1.35);
  });

  it('reports the closed form (6K/(λB²))^(1/4) with K the gas of a forge', () => {
    for (const [name, K] of COSTS) expect(res[name]!.json.result.closedForm.optimum).toBeCloseTo((6 * K / (LAMBDA * B ** 2)) ** 0.25, 6);
  });

  it('the optimum band moves up with the gas cost, with a log-log slope of 1/4 ± 0.1', () => {
    const argmax = COSTS.map(([n]) => res[n]!.json.result.optimum.values['agents.hedger.trigger.threshold']!);
    expect(argmax[0]!).toBeLessThanOrEqual(argmax[1]!);
    expect(argmax[1]!).toBeLessThanOrEqual(argmax[2]!);
    expect(argmax[0]!).toBeLessThan(argmax[2]!);
    const fitted = COSTS.map(([n]) => {
      const rows = res[n]!.rows.filter((r) => band(r) <= 0.16);
      return fittedOptimum(rows.map(band), rows.map((r) => Number(r.objective)));
    });
    expect(fitted[0]!).toBeLessThan(fitted[1]!);
    expect(fitted[1]!).toBeLessThan(fitted[2]!);
    const slope = Math.log(fitted[2]! / fitted[0]!) / Math.log(COSTS[2][1] / COSTS[0][1]);
    expect(Math.abs(slope - 0.25)).toBeLessThan(0.1);
  });
});
