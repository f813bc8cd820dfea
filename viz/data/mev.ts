/**
 * mev.csv (docs/outputs.md): one row per MEV event — a sandwich, back-run, adversary's push or
 * reversal, public arbitrage — with its totals per searcher and per victim, and the largest rows
 * first. The writer (cli/report-data.ts) keeps the totals of the whole stream and a bounded heap of
 * the largest rows as the run goes; the viewer computes the same from the file when it has it all.
 */
import { csvParseRows } from 'd3';
import { fail } from './errors';

/** Columns of mev.csv, in order (the engine's sim/record.ts MEV_COLUMNS; a test checks they agree). */
export const MEV_COLUMNS = ['block', 'bundle', 'tx', 'kind', 'searcher', 'victim', 'victim_tx', 'victim_loss_usd', 'gross_usd', 'swap_fees_usd', 'base_fee_usd', 'builder_usd', 'net_usd'] as const;
export type MevColumn = (typeof MEV_COLUMNS)[number];

/** The USD columns, summed in the totals. */
export const MEV_USD = ['victim_loss_usd', 'gross_usd', 'swap_fees_usd', 'base_fee_usd', 'builder_usd', 'net_usd'] as const;
export type MevUsd = (typeof MEV_USD)[number];

export interface MevRow {
  block: number;
  /** Bundle id, null for a lone transaction. */
  bundle: number | null;
  tx: number;
  kind: string;
  searcher: string;
  /** The agent aimed at (a sandwich's victim, a back-run's or an adversary's target), '' for none. */
  victim: string;
  victim_tx: number | null;
  victim_loss_usd: number;
  gross_usd: number;
  swap_fees_usd: number;
  base_fee_usd: number;
  builder_usd: number;
  net_usd: number;
}

/** A sum of the USD columns over rows, and how many. */
export type MevSum = { events: number } & Record<MevUsd, number>;

export interface MevTotals {
  /** Over every row. */
  all: MevSum;
  /** Per searcher (the bundler or sender), in order of first appearance. */
  bySearcher: Record<string, MevSum>;
  /** Per agent aimed at (column `victim`), in order of first appearance: its loss is `victim_loss_usd`. */
  byVictim: Record<string, MevSum>;
}

/** The report's MEV data: totals over the whole stream, `count` rows in all, `rows` the largest of them (MEV_COLUMNS order) largest first. */
export interface MevReport {
  columns: string[];
  count: number;
  totals: MevTotals;
  rows: (string | number | null)[][];
}

export const emptySum = (): MevSum => ({ events: 0, victim_loss_usd: 0, gross_usd: 0, swap_fees_usd: 0, base_fee_usd: 0, builder_usd: 0, net_usd: 0 });
export const emptyTotals = (): MevTotals => ({ all: emptySum(), bySearcher: {}, byVictim: {} });

function addTo(s: MevSum, r: MevRow): void {
  s.events++;
  for (const c of MEV_USD) s[c] += r[c];
}

/** Add one row to the totals (in stream order: the sums are the same in every reader). */
export function addTotals(t: MevTotals, r: MevRow): void {
  addTo(t.all, r);
  addTo((t.bySearcher[r.searcher] ??= emptySum()), r);
  if (r.victim !== '') addTo((t.byVictim[r.victim] ??= emptySum()), r);
}

export function totalsOf(rows: readonly MevRow[]): MevTotals {
  const t = emptyTotals();
  for (const r of rows) addTotals(t, r);
  return t;
}

/** How large an event is, for "largest first": the larger of the searcher's gross and the victim's loss, in absolute value. */
export const mevSize = (r: MevRow): number => Math.max(Math.abs(r.gross_usd), Math.abs(r.victim_loss_usd));

/** The rows largest first (ties in stream order), at most `cap`. */
export function largest(rows: readonly MevRow[], cap: number): MevRow[] {
  return rows
    .map((r, i) => ({ r, i, s: mevSize(r) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, cap)
    .map((x) => x.r);
}

/**
 * The `cap` largest rows of a stream in bounded memory: a min-heap on (size, later first), so the
 * row dropped when full is the smallest, and of equal ones the latest.
 */
export class LargestRows {
  private readonly heap: { r: MevRow; i: number; s: number }[] = [];
  private seen = 0;

  constructor(private readonly cap: number) {}

  /** Is heap entry a smaller (dropped first) than b? */
  private static less(a: { i: number; s: number }, b: { i: number; s: number }): boolean {
    return a.s < b.s || (a.s === b.s && a.i > b.i);
  }

  add(r: MevRow): void {
    const e = { r, i: this.seen++, s: mevSize(r) };
    const h = this.heap;
    if (this.cap <= 0) return;
    if (h.length < this.cap) {
      h.push(e);
      let k = h.length - 1;
      while (k > 0) {
        const p = (k - 1) >> 1;
        if (!LargestRows.less(h[k]!, h[p]!)) break;
        [h[k], h[p]] = [h[p]!, h[k]!];
        k = p;
      }
      return;
    }
    if (!LargestRows.less(h[0]!, e)) return;
    h[0] = e;
    let k = 0;
    for (;;) {
      const l = 2 * k + 1;
      const rr = l + 1;
      let m = k;
      if (l < h.length && LargestRows.less(h[l]!, h[m]!)) m = l;
      if (rr < h.length && LargestRows.less(h[rr]!, h[m]!)) m = rr;
      if (m === k) break;
      [h[k], h[m]] = [h[m]!, h[k]!];
      k = m;
    }
  }

  /** Largest first, ties in stream order. */
  rows(): MevRow[] {
    return [...this.heap].sort((a, b) => b.s - a.s || a.i - b.i).map((e) => e.r);
  }
}

const num = (c: string): number | null => (c === '' ? null : Number(c));

/** A row of mev.csv's cells (strings, or the values as the writer holds them) as an object. */
export function mevRow(cells: readonly (string | number | null)[]): MevRow {
  const v = (j: number): string => String(cells[j] ?? '');
  const n = (j: number): number => {
    const x = Number(cells[j]);
    return x;
  };
  return {
    block: n(0),
    bundle: num(v(1)),
    tx: n(2),
    kind: v(3),
    searcher: v(4),
    victim: v(5),
    victim_tx: num(v(6)),
    victim_loss_usd: n(7),
    gross_usd: n(8),
    swap_fees_usd: n(9),
    base_fee_usd: n(10),
    builder_usd: n(11),
    net_usd: n(12),
  };
}

/** A row object back as cells in MEV_COLUMNS order (null for an empty cell). */
export const mevCells = (r: MevRow): (string | number | null)[] => MEV_COLUMNS.map((c) => r[c]);

export function parseMevCsv(text: string): MevRow[] {
  const rows = csvParseRows(text.trimEnd());
  const header = rows.shift() ?? fail('mev.csv is empty');
  if (header.join() !== MEV_COLUMNS.join()) fail(`mev.csv: unexpected columns (${header.join(', ')})`);
  return rows.map((r, i) => {
    if (r.length !== MEV_COLUMNS.length) fail(`mev.csv: line ${i + 2} has ${r.length} values instead of ${MEV_COLUMNS.length} (is the file truncated?)`);
    const row = mevRow(r);
    for (const c of ['block', 'tx', ...MEV_USD] as const) if (Number.isNaN(row[c])) fail(`mev.csv: line ${i + 2}, column '${c}': '${r[MEV_COLUMNS.indexOf(c)]}' is not a number`);
    return row;
  });
}

/** The report's MEV data from every row (the served folder's mev.csv). */
export function mevReport(rows: readonly MevRow[], cap: number): MevReport {
  return { columns: [...MEV_COLUMNS], count: rows.length, totals: totalsOf(rows), rows: largest(rows, cap).map(mevCells) };
}

/** Check the report's MEV data (decode.ts), turning its rows into objects. */
export function checkMevReport(v: unknown): { count: number; totals: MevTotals; rows: MevRow[] } | null {
  if (v === null || v === undefined) return null;
  const o = v as Partial<MevReport>;
  if (typeof o !== 'object' || !Array.isArray(o.columns) || o.columns.join() !== MEV_COLUMNS.join() || !Array.isArray(o.rows) || typeof o.count !== 'number' || typeof o.totals !== 'object' || o.totals === null) fail('the MEV table is malformed');
  return {
    count: o.count,
    totals: o.totals,
    rows: o.rows.map((r, i) => {
      if (!Array.isArray(r) || r.length !== MEV_COLUMNS.length) fail(`MEV row ${i + 1} does not have ${MEV_COLUMNS.length} values`);
      return mevRow(r);
    }),
  };
}
