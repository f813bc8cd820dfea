import { describe, expect, it } from 'vitest';
import { decompose } from '../../viz/data/decompose';
import { pnlLines, sampleAt, samplingStep } from '../../viz/data/pnl-lines';
import type { PnlTable } from '../../viz/data/types';

// pnl.csv of format 2: total = hold + the activity's parts, edge = total − hold.
const columns = ['block', 'time', 'agent', 'total', 'edge', 'hold', 'trading', 'fees', 'lvr', 'swapFees', 'gas', 'cex', 'mev', 'options'];
const row = (block: number, agent: string, hold: number, fees: number, gas: number): (string | number)[] => [block, block * 2, agent, hold + fees + gas, fees + gas, hold, 0, fees, 0, 0, gas, 0, 0, 0];
const table: PnlTable = { columns, rows: [row(21, 'lp', 100, 5, 0), row(21, 'retail', 1000, 0, -3), row(42, 'lp', 150, 9, 0), row(42, 'retail', 1500, 0, -7), row(50, 'lp', 160, 10, 0), row(50, 'retail', 1600, 0, -9)] };

describe('pnl lines (edge, hold, total per agent over the samples)', () => {
  it("reads each agent's edge, hold and total at its sampled blocks", () => {
    const l = pnlLines(table)!;
    expect([...l.keys()]).toEqual(['lp', 'retail']);
    const r = l.get('retail')!;
    expect([...r.block]).toEqual([21, 42, 50]);
    expect([...r.edge]).toEqual([-3, -7, -9]);
    expect([...r.hold]).toEqual([1000, 1500, 1600]);
    // A large holding gain, a loss against it: total up, edge down.
    expect([...r.total]).toEqual([997, 1493, 1591]);
  });

  it('gives nothing for an older table without edge and hold (the chart then shows the totals)', () => {
    expect(pnlLines({ columns: ['block', 'time', 'agent', 'total', 'trading'], rows: [[1, 2, 'a', 3, 3]] })).toBeNull();
    expect(pnlLines(null)).toBeNull();
  });

  it('the sampling step is the common gap (the last block, always kept, may come sooner)', () => {
    expect(samplingStep([21, 42, 50])).toBe(21);
    expect(samplingStep([21, 42, 63, 84, 100])).toBe(21);
    expect(samplingStep([1, 2, 3, 4])).toBe(1);
    expect(samplingStep([7])).toBe(1);
  });

  it('a block reads the last sample at or before it', () => {
    const b = [21, 42, 50];
    expect([1, 21, 41, 42, 49, 50, 99].map((x) => sampleAt(b, x))).toEqual([0, 0, 0, 1, 1, 2, 2]);
    expect(sampleAt([], 5)).toBe(-1);
  });

  it("the decomposition's edge is pnl.csv's, and total − hold without it", () => {
    expect(decompose(table, 'retail').edge).toEqual([-3, -7, -9]);
    const old: PnlTable = { columns: columns.filter((c) => c !== 'edge'), rows: table.rows.map((r) => r.filter((_, j) => j !== 4)) };
    expect(decompose(old, 'lp').edge).toEqual([5, 9, 10]);
  });
});
