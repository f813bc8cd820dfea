import { describe, expect, it } from 'vitest';
import { baselinePoint, checkSweep, logSpaced, fromSweepFiles, heatCells, lines, noDataReason, runCounts, valuesOf, variedParameters, type SweepData } from '../../viz/data/sweep';

const stat = (mean: number) => ({ n: 4, mean, sd: 1, ciLow: mean - 1, ciHigh: mean + 1 });
const data: SweepData = {
  meta: { name: 's', parameters: ['band', 'fee', 'fixed'], metrics: { m: 'agents.h.pnl.total' }, replicates: 4, runs: 24 },
  points: [0.1, 0.05].flatMap((band) => [1, 30].flatMap((fee) => [0, 1].map((k) => ({ band, fee, fixed: 'x', k })))),
  summary: [],
};
data.meta.parameters.push('k');
data.summary = data.points.map((p, i) => ({ point: i, runs: 4, failed: 0, stats: { m: stat(Number(p.band) * 100 + Number(p.fee) + Number(p.k) * 1000) }, diffs: { m: stat(i) } }));

describe('sweep transforms', () => {
  it('keeps the parameters that vary, with their values sorted', () => {
    expect(variedParameters(data)).toEqual(['band', 'fee', 'k']);
    expect(valuesOf(data, 'band')).toEqual([0.05, 0.1]);
  });

  it('heatmap: one cell per point at the held values of the other parameters', () => {
    const cells = heatCells(data, 'm', 'band', 'fee', { k: 1 });
    expect(cells.map((c) => [c.x, c.y, c.stat.mean])).toEqual([
      [0.1, 1, 1011],
      [0.1, 30, 1040],
      [0.05, 1, 1006],
      [0.05, 30, 1035],
    ]);
    expect(heatCells(data, 'm', 'band', 'fee', { k: 0 }, 'diff').map((c) => c.stat.mean)).toEqual([0, 2, 4, 6]);
  });

  it('lines: one per value of the grouping parameter, points sorted by x', () => {
    const ls = lines(data, 'm', 'band', 'fee', { k: 0 });
    expect(ls.map((l) => l.key)).toEqual([1, 30]);
    expect(ls[0]!.points.map((p) => [p.x, p.stat.mean])).toEqual([
      [0.05, 6],
      [0.1, 11],
    ]);
    expect(lines(data, 'm', 'band', null, { fee: 30, k: 1 }).map((l) => l.points.length)).toEqual([2]);
  });

  it('reads sweep.json + summary.csv into the same shape', () => {
    const sweepJson = { name: 's', parameters: ['band'], metrics: { m: 'x' }, replicates: 2, runs: 4, pointValues: [{ band: 0.1 }, { band: 0.2 }] };
    const csv = 'point_id,band,runs,failed,m_mean,m_sd,m_ci_low,m_ci_high\n0,0.1,2,0,5,1,3,7\n1,0.2,2,1,6,,,\n';
    const d = fromSweepFiles(sweepJson, csv);
    expect(d.summary[0]!.stats.m).toEqual({ n: 2, mean: 5, sd: 1, ciLow: 3, ciHigh: 7 });
    expect(d.summary[1]!.stats.m!.n).toBe(1);
    expect(d.summary[1]!.stats.m!.ciLow).toBeNaN();
    expect(d.summary[0]!.diffs).toBeNull();
    expect(() => fromSweepFiles(sweepJson, csv.slice(0, -5))).toThrow(/line 3 has \d+ values instead of 8/);
  });

  it('reads each metric’s own count of values (`_n`) when summary.csv has it, and counts the runs finished, failed and missing', () => {
    const sweepJson = { name: 's', parameters: ['band'], metrics: { m: 'x', k: 'y' }, replicates: 3, runs: 9, pointValues: [{ band: 0.1 }, { band: 0.2 }, { band: 0.3 }] };
    const csv = 'point_id,band,runs,failed,m_n,m_mean,m_sd,m_ci_low,m_ci_high,k_n,k_mean,k_sd,k_ci_low,k_ci_high\n0,0.1,3,1,2,5,1,3,7,0,,,,\n1,0.2,3,3,0,,,,,0,,,,\n';
    const d = fromSweepFiles(sweepJson, csv);
    expect([d.summary[0]!.stats.m!.n, d.summary[0]!.stats.k!.n]).toEqual([2, 0]);
    expect(runCounts(d)).toEqual({ finished: 6, failed: 4, missing: 3 });
    expect(noDataReason(d.summary[1]!, 'mean')).toBe('no data: all 3 runs failed (errors in runs.csv)');
    expect(noDataReason(d.summary[0]!, 'mean')).toBe('no data: none of its 2 successful runs has a value for this metric (see runs.csv)');
    expect(noDataReason({ runs: 0, failed: 0 }, 'mean')).toBe('no data: none of its runs has finished (a partial result)');
  });

  it('reads the paired differences with their own n and sd (pairs need both points to succeed)', () => {
    const sweepJson = { name: 's', parameters: ['band'], metrics: { m: 'x' }, replicates: 3, runs: 6, pointValues: [{ band: 0.1 }, { band: 0.2 }] };
    const csv = 'point_id,band,runs,failed,m_mean,m_sd,m_ci_low,m_ci_high,m_diff_n,m_diff_mean,m_diff_sd,m_diff_ci_low,m_diff_ci_high\n0,0.1,3,1,5,1,3,7,2,0,0,0,0\n1,0.2,3,0,6,1,4,8,2,1.5,0.5,-3,6\n';
    const d = fromSweepFiles(sweepJson, csv);
    expect(d.summary[1]!.stats.m!.n).toBe(3);
    expect(d.summary[1]!.diffs!.m).toEqual({ n: 2, mean: 1.5, sd: 0.5, ciLow: -3, ciHigh: 6 });
  });

  it('rejects what is not a sweep', () => {
    expect(() => checkSweep({ meta: {} })).toThrow(/not a hedgesim sweep/);
    expect(() => checkSweep({ ...data, summary: [{ point: 99, stats: {} }] })).toThrow(/point 99 has no parameter values/);
  });

  it('log axes for log-spaced values only, chosen from the values', () => {
    expect(logSpaced([0.01, 0.02, 0.05, 0.1, 0.2])).toBe(true);
    expect(logSpaced([0.05, 5, 30])).toBe(true);
    expect(logSpaced([100, 1000, 10_000])).toBe(true);
    expect(logSpaced([1000, 2000, 3000])).toBe(false); // even steps
    expect(logSpaced([0.02, 0.05, 0.1])).toBe(false); // a factor of 5: too narrow to need it
    expect(logSpaced([0, 1, 10, 100])).toBe(false); // zero has no logarithm
    expect(logSpaced([1, 100])).toBe(false); // two values: nothing to read from the spacing
  });

  it('the baseline is a point index, none when absent or -1', () => {
    expect(baselinePoint({ ...data, meta: { ...data.meta, baseline: 3 } })).toBe(3);
    expect(baselinePoint({ ...data, meta: { ...data.meta, baseline: -1 } })).toBeUndefined();
    expect(baselinePoint(data)).toBeUndefined();
  });
});
