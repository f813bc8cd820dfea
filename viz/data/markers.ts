/**
 * Event markers for the timeline: which transactions are rebalances, sandwiches, arbitrage or
 * reverts, and their counts bucketed per pixel column of the visible range.
 */
import type { Tx } from './types';

export const MARKER_KINDS = ['rebalance', 'sandwich', 'arbitrage', 'revert'] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];

/** The marker a transaction gets, if any: a reverted transaction is a revert whatever its tag. */
export function markerKind(t: Pick<Tx, 'tag' | 'status' | 'block'>): MarkerKind | undefined {
  if (t.block < 1 || t.status === 'dropped') return undefined;
  if (t.status === 'reverted') return 'revert';
  if (t.tag === 'rebalance') return 'rebalance';
  if (t.tag === 'sandwich-front' || t.tag === 'sandwich-back') return 'sandwich';
  if (t.tag === 'arbitrage' || t.tag === 'backrun') return 'arbitrage';
  return undefined;
}

/** Per kind, the block of each marked transaction, ascending (a block repeats once per transaction). */
export type MarkerBlocks = Record<MarkerKind, Float64Array>;

export function markerBlocks(txs: readonly Tx[]): MarkerBlocks {
  const lists: Record<MarkerKind, number[]> = { rebalance: [], sandwich: [], arbitrage: [], revert: [] };
  for (const t of txs) {
    const k = markerKind(t);
    if (k !== undefined) lists[k].push(t.block);
  }
  return Object.fromEntries(MARKER_KINDS.map((k) => [k, Float64Array.from(lists[k]).sort()])) as MarkerBlocks;
}

/** Without transactions (`--record blocks`), reverts from the block table's `reverted` column. */
export function revertMarkersFromBlocks(block: ArrayLike<number>, reverted: ArrayLike<number>): MarkerBlocks {
  const out: number[] = [];
  for (let i = 0; i < block.length; i++) for (let k = 0; k < reverted[i]!; k++) out.push(block[i]!);
  const none = new Float64Array(0);
  return { rebalance: none, sandwich: none, arbitrage: none, revert: Float64Array.from(out) };
}

export interface Bucket {
  /** First and last block with a marker in the bucket. */
  first: number;
  last: number;
  count: number;
}

/**
 * Markers at blocks within [x0, x1], bucketed over `columns` pixel columns (one bucket per column
 * that has any), so the number of drawn marks is bounded by the width.
 */
export function bucket(blocks: Float64Array, x0: number, x1: number, columns: number): Bucket[] {
  const out: Bucket[] = [];
  const scale = columns / Math.max(1e-9, x1 - x0);
  let col = -1;
  for (const b of blocks) {
    if (b < x0 || b > x1) continue;
    const c = Math.min(columns - 1, Math.floor((b - x0) * scale));
    const last = out.at(-1);
    if (last !== undefined && c === col) {
      last.count++;
      last.last = b;
    } else {
      out.push({ first: b, last: b, count: 1 });
      col = c;
    }
  }
  return out;
}
