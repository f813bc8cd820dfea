import { describe, expect, it } from 'vitest';
import { activeComponents, COMPONENTS, decompose, stack } from '../../viz/data/decompose';
import type { PnlTable } from '../../viz/data/types';

const columns = ['block', 'time', 'agent', 'total', 'trading', 'fees', 'lvr', 'gas', 'cex', 'mev', 'options'];
const table: PnlTable = {
  columns,
  rows: [
    [10, 120, 'lp', 5, 2, 4, -1, 0, 0, 0, 0],
    [10, 120, 'hedger', -1, 1, 0, 0, -2, 0, 0, 0],
    [20, 240, 'lp', 9, 3, 8, -2, 0, 0, 0, 0],
    [20, 240, 'hedger', -3, 0.5, 0, 0, -3, 0, -0.5, 0],
  ],
};

describe('decompose', () => {
  it("picks one agent's rows in block order with each component", () => {
    const d = decompose(table, 'hedger');
    expect(d.blocks).toEqual([10, 20]);
    expect(d.total).toEqual([-1, -3]);
    expect(d.parts.gas).toEqual([-2, -3]);
    expect(d.parts.mev).toEqual([0, -0.5]);
  });

  it('the components add up to the total at every sample', () => {
    for (const agent of ['lp', 'hedger']) {
      const d = decompose(table, agent);
      d.blocks.forEach((_, i) => expect(COMPONENTS.reduce((s, c) => s + d.parts[c][i]!, 0)).toBeCloseTo(d.total[i]!, 12));
    }
  });

  it('leaves out the components that are zero throughout', () => {
    expect(activeComponents(decompose(table, 'lp'))).toEqual(['trading', 'fees', 'lvr']);
    expect(activeComponents(decompose(table, 'hedger'))).toEqual(['trading', 'gas', 'mev']);
    expect(decompose(table, 'nobody').blocks).toEqual([]);
  });
});

describe('stack (diverging)', () => {
  it('stacks positive parts up from zero and negative parts down from zero', () => {
    const d = decompose(table, 'lp');
    const [trading, fees, lvr] = stack(d, ['trading', 'fees', 'lvr']);
    expect(trading).toEqual({ component: 'trading', lo: [0, 0], hi: [2, 3] });
    expect(fees).toEqual({ component: 'fees', lo: [2, 3], hi: [6, 11] });
    expect(lvr).toEqual({ component: 'lvr', lo: [-1, -2], hi: [0, 0] });
  });

  it('a part that changes sign moves to the other side of zero', () => {
    const t: PnlTable = { columns, rows: [[1, 1, 'a', 0, 1, -1, 0, 0, 0, 0, 0], [2, 2, 'a', 0, -1, 1, 0, 0, 0, 0, 0]] };
    const [trading, fees] = stack(decompose(t, 'a'), ['trading', 'fees']);
    expect(trading!.lo).toEqual([0, -1]);
    expect(trading!.hi).toEqual([1, 0]);
    expect(fees!.lo).toEqual([-1, 0]);
    expect(fees!.hi).toEqual([0, 1]);
  });
});
