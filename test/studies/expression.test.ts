/** Derived metrics: parsing, evaluation and located errors of metric expressions (batch/expression.ts). */
import { describe, expect, it } from 'vitest';
import { ExpressionError, parseMetric } from '../../batch/expression';

const summary = {
  agents: [
    { id: 'band-5pct', kind: 'rebalancing-hedger', pnl: { edge: 3 }, balances: { USD: 10 } },
    { id: 'h-1', kind: 'lp', pnl: { edge: 2 }, balances: {} },
    { id: 'h-2', kind: 'lp', pnl: { edge: 5 }, balances: {} },
    { id: 'hh', kind: 'noise', pnl: { edge: 7 }, balances: {} },
  ],
  venues: [{ id: 'pool', reserves: [4, 9] }],
  blocks: 10,
};
const value = (text: string): number => parseMetric(text).evaluate(summary);
const error = (text: string): { offset: number; message: string } => {
  try {
    parseMetric(text).evaluate(summary);
  } catch (e) {
    if (e instanceof ExpressionError) return { offset: e.offset, message: e.message };
    throw e;
  }
  throw new Error(`no error for ${text}`);
};

describe('metric expressions', () => {
  it('reads a plain path as the path (ids with - are one path)', () => {
    expect(value('agents.band-5pct.pnl.edge')).toBe(3);
    expect(value('venues.pool.reserves.1')).toBe(9);
    expect(parseMetric('agents.band-5pct.pnl.edge').paths).toEqual([{ path: 'agents.band-5pct.pnl.edge', offset: 0, relative: false }]);
  });
  it('evaluates arithmetic with the usual precedence', () => {
    expect(value('agents.band-5pct.pnl.edge - agents.h-1.pnl.edge')).toBe(1);
    expect(value('venues.pool.reserves.1 / venues.pool.reserves.0')).toBe(2.25);
    expect(value('1 + 2 * blocks ^ 2')).toBe(201);
    expect(value('-(agents.h-2.pnl.edge - 1e1) / 2.5')).toBe(2);
    expect(value('max(agents.h-1.pnl.edge, 4, 1) + abs(-3) + sqrt(16)')).toBe(11);
  });
  it('aggregates over agents by kind or template', () => {
    expect(value('sum(kind:lp, pnl.edge)')).toBe(7);
    expect(value('mean(kind:lp, pnl.edge)')).toBe(3.5);
    expect(value('min(kind:lp, pnl.edge) + max(template:h, pnl.edge)')).toBe(7);
    // template:h is h-<n> only: not hh, not band-5pct.
    expect(value('count(template:h)')).toBe(2);
    expect(value('sum(kind:searcher, pnl.edge)')).toBe(0);
    expect(value('mean(kind:searcher, pnl.edge)')).toBeNaN();
  });
  it('reports what is wrong at its offset in the text', () => {
    expect(error('sqrt(agents.h-2.pnl.edge')).toMatchObject({ offset: 24 });
    expect(error('blocks + foo(1)')).toMatchObject({ offset: 9, message: expect.stringContaining("unknown function 'foo'") });
    expect(error('blocks + kind:lp')).toMatchObject({ offset: 9, message: expect.stringContaining('selects agents') });
    expect(error('sum(kind:lp, pnl.edge * 2)')).toMatchObject({ offset: 13, message: expect.stringContaining('a path under each agent') });
    expect(error('blocks > agents.h-1.pnl.edge')).toMatchObject({ offset: 9, message: expect.stringContaining("'>' is not arithmetic") });
    expect(error("blocks + 'a'")).toMatchObject({ message: expect.stringContaining('only numbers') });
    expect(error('')).toMatchObject({ offset: 0 });
  });
});
