/**
 * Event markers for the timeline: how many rebalances, sandwich legs, arbitrage and reverts each
 * block has — from the block table's counts (every record level but `summary`) or, for an output
 * folder written before those columns existed, from the transactions — and their counts bucketed
 * per pixel column of the visible range.
 */
import { visibleRange } from './decimate';
import { column, type BlockTable, type Tx } from './types';

export const MARKER_KINDS = ['rebalance', 'sandwich', 'arbitrage', 'revert'] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];

/** The block table's count of each kind (blocks.csv; docs/outputs.md). */
export const MARKER_COLUMNS: Record<MarkerKind, string> = {
  rebalance: 'rebalance_txs',
  sandwich: 'sandwich_txs',
  arbitrage: 'arbitrage_txs',
  revert: 'reverted',
};

/** The marker a transaction gets, if any: a reverted transaction is a revert whatever its tag. */
export function markerKind(t: Pick<Tx, 'tag' | 'status' | 'block'>): MarkerKind | undefined {
  if (t.block < 1 || t.status === 'dropped') return undefined;
  if (t.status === 'reverted') return 'revert';
  if (t.tag === 'rebalance') return 'rebalance';
  if (t.tag === 'sandwich-front' || t.tag === 'sandwich-back') return 'sandwich';
  if (t.tag === 'arbitrage' || t.tag === 'backrun') return 'arbitrage';
  return undefined;
}

/** The blocks that have markers of one kind, ascending, each with its count (never 0). */
export interface MarkerSeries {
  block: Float64Array;
  count: Float64Array;
}

export interface Markers {
  series: Record<MarkerKind, MarkerSeries>;
  /** Kinds the data cannot tell (an old folder without the count columns, and no transactions). */
  unknown: MarkerKind[];
}

const EMPTY: MarkerSeries = { block: new Float64Array(0), count: new Float64Array(0) };

/** The non-zero counts of a per-block column, kept sparse: most blocks have none. */
export function sparse(block: ArrayLike<number>, count: ArrayLike<number>): MarkerSeries {
  let n = 0;
  for (let i = 0; i < count.length; i++) if (count[i]! > 0) n++;
  const out = { block: new Float64Array(n), count: new Float64Array(n) };
  for (let i = 0, j = 0; i < count.length; i++) {
    if (!(count[i]! > 0)) continue;
    out.block[j] = block[i]!;
    out.count[j++] = count[i]!;
  }
  return out;
}

/** Counts per block and kind from the transactions. */
export function markersFromTransactions(txs: readonly Pick<Tx, 'tag' | 'status' | 'block'>[]): Record<MarkerKind, MarkerSeries> {
  const maps = Object.fromEntries(MARKER_KINDS.map((k) => [k, new Map<number, number>()])) as Record<MarkerKind, Map<number, number>>;
  for (const t of txs) {
    const k = markerKind(t);
    if (k !== undefined) maps[k].set(t.block, (maps[k].get(t.block) ?? 0) + 1);
  }
  return Object.fromEntries(
    MARKER_KINDS.map((k) => {
      const blocks = Float64Array.from(maps[k].keys()).sort();
      return [k, { block: blocks, count: Float64Array.from(blocks, (b) => maps[k].get(b)!) }];
    }),
  ) as Record<MarkerKind, MarkerSeries>;
}

/**
 * The markers of a run: the block table's counts where it has them (cheaper than going through
 * every transaction), else the transactions', else unknown.
 */
export function markers(t: BlockTable, block: ArrayLike<number>, txs: readonly Tx[] | null): Markers {
  const cols = MARKER_KINDS.map((k) => column(t, MARKER_COLUMNS[k]));
  if (txs !== null && cols.some((c) => c === undefined)) return { series: markersFromTransactions(txs), unknown: [] };
  const series = {} as Record<MarkerKind, MarkerSeries>;
  const unknown: MarkerKind[] = [];
  MARKER_KINDS.forEach((k, i) => {
    const c = cols[i];
    series[k] = c === undefined ? EMPTY : sparse(block, c);
    if (c === undefined) unknown.push(k);
  });
  return { series, unknown };
}

export interface Bucket {
  /** First and last block with a marker in the bucket. */
  first: number;
  last: number;
  /** Transactions in the bucket. */
  count: number;
}

/**
 * Markers at blocks within [x0, x1], bucketed over `columns` pixel columns (one bucket per column
 * that has any), so the number of drawn marks is bounded by the width.
 */
export function bucket(s: MarkerSeries, x0: number, x1: number, columns: number): Bucket[] {
  const out: Bucket[] = [];
  const scale = columns / Math.max(1e-9, x1 - x0);
  const [i0, i1] = visibleRange(s.block, x0, x1);
  let col = -1;
  for (let i = i0; i < i1; i++) {
    const b = s.block[i]!;
    if (b < x0 || b > x1) continue;
    const c = Math.min(columns - 1, Math.floor((b - x0) * scale));
    const last = out.at(-1);
    if (last !== undefined && c === col) {
      last.count += s.count[i]!;
      last.last = b;
    } else {
      out.push({ first: b, last: b, count: s.count[i]! });
      col = c;
    }
  }
  return out;
}
