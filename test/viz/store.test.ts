import { describe, expect, it } from 'vitest';
import { sortRows } from '../../viz/data/sort';
import { clampDomain, createStore } from '../../viz/report/store';

describe('clampDomain', () => {
  it.each([
    [[10, 20], [10, 20]],
    [[-5, 5], [1, 11]],
    [[95, 105], [90, 100]],
    [[0, 1000], [1, 100]],
    [[50, 50.2], [50, 51]],
  ] as const)('%o within [1, 100] is %o', (d, expected) => {
    expect(clampDomain([d[0], d[1]], [1, 100])).toEqual(expected);
  });
});

describe('the shared view', () => {
  it('tells listeners what changed and who changed it, and ignores no-op changes', () => {
    const s = createStore({ domain: [1, 100], block: 1 }, [1, 100]);
    const seen: string[] = [];
    s.on((v, changed, source) => seen.push(`${[...changed].join('+')} by ${source}: ${v.domain.join('-')} @${v.block}`));
    s.set({ domain: [10, 20] }, 'zoom');
    s.set({ block: 15.4 }, 'click');
    s.set({ block: 15 }, 'click');
    s.set({ block: 500 }, 'keys');
    expect(seen).toEqual(['domain by zoom: 10-20 @1', 'block by click: 10-20 @15', 'block by keys: 10-20 @100']);
  });
});

describe('sortRows', () => {
  const rows = [{ id: 'b', v: 2 }, { id: 'a', v: NaN }, { id: 'c', v: -1 }, { id: 'd', v: 2 }];
  it('sorts numbers numerically, keeps ties in order, puts missing values last', () => {
    expect(sortRows(rows, (r) => r.v, 'descending').map((r) => r.id)).toEqual(['b', 'd', 'c', 'a']);
    expect(sortRows(rows, (r) => r.v, 'ascending').map((r) => r.id)).toEqual(['c', 'b', 'd', 'a']);
    expect(sortRows(rows, (r) => r.id, 'ascending').map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});
