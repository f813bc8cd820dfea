/**
 * Event markers for the timeline: how many rebalances, sandwich legs, arbitrage, adversary pushes and
 * reversals, CEX orders, LP entries and exits, forges, reverts and dropped transactions each block
 * has — from the block table's counts (every record level but `summary`) or, for an output folder
 * written before those columns existed, from the transactions where they tell it — and their counts
 * bucketed per pixel column of the visible range.
 */
import { visibleRange } from './decimate';
import { column, type BlockTable, type Tx } from './types';

export const MARKER_KINDS = ['rebalance', 'sandwich', 'arbitrage', 'push', 'reversal', 'cex', 'lp-entry', 'lp-exit', 'forge', 'revert', 'dropped'] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];

/** The block table's count of each kind (blocks.csv; docs/outputs.md). */
export const MARKER_COLUMNS: Record<MarkerKind, string> = {
  rebalance: 'rebalance_txs',
  sandwich: 'sandwich_txs',
  arbitrage: 'arbitrage_txs',
  push: 'push_txs',
  reversal: 'reversal_txs',
  cex: 'cex_fills',
  'lp-entry': 'lp_entry_txs',
  'lp-exit': 'lp_exit_txs',
  forge: 'forge_txs',
  revert: 'reverted',
  dropped: 'dropped',
};

/** What a lane's mark counts, for its label and tooltip. */
export const MARKER_LABELS: Record<MarkerKind, [label: string, one: string, many: string]> = {
  rebalance: ['rebalance', 'transaction', 'transactions'],
  sandwich: ['sandwich', 'transaction', 'transactions'],
  arbitrage: ['arbitrage', 'transaction', 'transactions'],
  push: ['push', 'adversary push', 'adversary pushes'],
  reversal: ['reversal', 'adversary reversal', 'adversary reversals'],
  cex: ['CEX', 'order filled', 'orders filled'],
  'lp-entry': ['LP entry', 'deposit', 'deposits'],
  'lp-exit': ['LP exit', 'withdrawal', 'withdrawals'],
  forge: ['forge', 'transaction', 'transactions'],
  revert: ['revert', 'transaction', 'transactions'],
  dropped: ['dropped', 'transaction', 'transactions'],
};

type Marked = Pick<Tx, 'tag' | 'status' | 'block'> & { calls?: readonly Pick<Tx['calls'][number], 'op'>[] };

const hasOp = (t: Marked, op: string): boolean => t.calls?.some((c) => c.op === op) ?? false;

/**
 * Whether a transaction counts in a lane, by the rule of blocks.csv's counts: an included one by its
 * tag or by what its calls do; a reverted one in `revert` only; a dropped one in `dropped` only (at
 * block −1 in the log: no block to mark). `cex` is not a transaction: only blocks.csv has it.
 */
const FROM_TX: Record<MarkerKind, ((t: Marked) => boolean) | null> = {
  rebalance: (t) => t.tag === 'rebalance',
  sandwich: (t) => t.tag === 'sandwich-front' || t.tag === 'sandwich-back',
  arbitrage: (t) => t.tag === 'arbitrage' || t.tag === 'backrun',
  push: (t) => t.tag === 'adversary-push',
  reversal: (t) => t.tag === 'adversary-reversal',
  cex: null,
  'lp-entry': (t) => hasOp(t, 'addLiquidity'),
  'lp-exit': (t) => hasOp(t, 'removeLiquidity'),
  forge: (t) => hasOp(t, 'forge'),
  revert: () => true,
  dropped: null,
};

/** The lanes a transaction counts in. */
export function markerKinds(t: Marked): MarkerKind[] {
  if (t.block < 1 || t.status === 'dropped') return [];
  if (t.status === 'reverted') return ['revert'];
  return MARKER_KINDS.filter((k) => k !== 'revert' && FROM_TX[k]?.(t) === true);
}

/** The first lane a transaction counts in (its main kind), if any. */
export function markerKind(t: Marked): MarkerKind | undefined {
  return markerKinds(t)[0];
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

/** Counts per block and kind from the transactions (kinds the log cannot tell stay empty). */
export function markersFromTransactions(txs: readonly Marked[]): Record<MarkerKind, MarkerSeries> {
  const maps = Object.fromEntries(MARKER_KINDS.map((k) => [k, new Map<number, number>()])) as Record<MarkerKind, Map<number, number>>;
  for (const t of txs) for (const k of markerKinds(t)) maps[k].set(t.block, (maps[k].get(t.block) ?? 0) + 1);
  return Object.fromEntries(
    MARKER_KINDS.map((k) => {
      const blocks = Float64Array.from(maps[k].keys()).sort();
      return [k, { block: blocks, count: Float64Array.from(blocks, (b) => maps[k].get(b)!) }];
    }),
  ) as Record<MarkerKind, MarkerSeries>;
}

/**
 * The markers of a run: each kind from the block table's count where it has it (cheaper than going
 * through every transaction), else from the transactions where they tell it, else unknown.
 */
export function markers(t: BlockTable, block: ArrayLike<number>, txs: readonly Marked[] | null): Markers {
  const cols = MARKER_KINDS.map((k) => column(t, MARKER_COLUMNS[k]));
  const fromTxs = txs !== null && cols.some((c, i) => c === undefined && FROM_TX[MARKER_KINDS[i]!] !== null) ? markersFromTransactions(txs) : null;
  const series = {} as Record<MarkerKind, MarkerSeries>;
  const unknown: MarkerKind[] = [];
  MARKER_KINDS.forEach((k, i) => {
    const c = cols[i];
    if (c !== undefined) series[k] = sparse(block, c);
    else if (fromTxs !== null && FROM_TX[k] !== null) series[k] = fromTxs[k];
    else {
      series[k] = EMPTY;
      unknown.push(k);
    }
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
