/** Sorting the summary table's rows by a column: numbers numerically, text by locale, missing last. */

export type Direction = 'ascending' | 'descending';

export function sortRows<T>(rows: readonly T[], value: (r: T) => string | number | undefined, dir: Direction): T[] {
  const sign = dir === 'ascending' ? 1 : -1;
  return rows
    .map((r, i) => ({ r, i, v: value(r) }))
    .sort((a, b) => {
      const am = a.v === undefined || (typeof a.v === 'number' && Number.isNaN(a.v));
      const bm = b.v === undefined || (typeof b.v === 'number' && Number.isNaN(b.v));
      if (am || bm) return am === bm ? a.i - b.i : am ? 1 : -1;
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
      return c === 0 ? a.i - b.i : sign * c;
    })
    .map((x) => x.r);
}
