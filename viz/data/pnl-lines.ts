/**
 * Each agent's P&L lines over time from the tidy pnl table (pnl.csv): `edge` (what its activity
 * earned against holding — the headline), `hold` (what holding alone gained) and `total`, at the
 * sampled blocks. An older table without `edge` and `hold` gives none (the chart then shows the
 * block table's totals).
 */
import type { PnlTable } from './types';

export interface PnlLines {
  block: Float64Array;
  edge: Float64Array;
  hold: Float64Array;
  total: Float64Array;
}

export function pnlLines(t: PnlTable | null): Map<string, PnlLines> | null {
  if (t === null) return null;
  const j = (name: string): number => t.columns.indexOf(name);
  const [ia, ib, ie, ih, it] = [j('agent'), j('block'), j('edge'), j('hold'), j('total')];
  if (ia < 0 || ib < 0 || ie < 0 || ih < 0 || it < 0) return null;
  const rows = new Map<string, (string | number)[][]>();
  for (const r of t.rows) {
    const a = String(r[ia]);
    let list = rows.get(a);
    if (list === undefined) rows.set(a, (list = []));
    list.push(r);
  }
  const out = new Map<string, PnlLines>();
  for (const [a, list] of rows) {
    const col = (k: number): Float64Array => Float64Array.from(list, (r) => Number(r[k]));
    out.set(a, { block: col(ib), edge: col(ie), hold: col(ih), total: col(it) });
  }
  return out;
}

/**
 * The sampling step of sampled blocks: the most common gap between consecutive ones (the last
 * block, always kept, may come sooner). 1 when every block is there.
 */
export function samplingStep(blocks: ArrayLike<number>): number {
  const count = new Map<number, number>();
  // The gap to the last block is left out when there are others: that block is kept whatever the step.
  const end = blocks.length > 2 ? blocks.length - 1 : blocks.length;
  for (let i = 1; i < end; i++) {
    const g = blocks[i]! - blocks[i - 1]!;
    count.set(g, (count.get(g) ?? 0) + 1);
  }
  let best = 1;
  let n = 0;
  for (const [g, c] of count) if (c > n || (c === n && g < best)) [best, n] = [g, c];
  return best;
}

/** The index of the last sample at or before `block` (the first one if none), or -1 when empty. */
export function sampleAt(blocks: ArrayLike<number>, block: number): number {
  if (blocks.length === 0) return -1;
  let lo = 0;
  let hi = blocks.length - 1;
  if (block < blocks[0]!) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (blocks[mid]! <= block) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
