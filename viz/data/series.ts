/**
 * Which columns of the block table the charts draw, with their units: reference prices, venue
 * prices (grouped by unit so that each group shares a y axis), and each agent's cumulative P&L.
 */
import type { BlockTable, Summary } from './types';

export interface SeriesSpec {
  /** Column name in the block table. */
  column: string;
  /** Label in legends and tooltips. */
  label: string;
  /** Unit of its values, e.g. `USD per ETH`. */
  unit: string;
}

/** Reference prices then venue prices, in table order. */
export function priceSeries(t: BlockTable, s: Summary): SeriesSpec[] {
  const out: SeriesSpec[] = [];
  for (const c of t.columns) {
    if (c.startsWith('ref_')) out.push({ column: c, label: `reference ${c.slice(4)}`, unit: `USD per ${c.slice(4)}` });
  }
  for (const v of s.venues) {
    const column = `${v.id}_price`;
    if (!t.columns.includes(column)) continue;
    const [t0 = 'token0', t1 = 'token1'] = v.tokens;
    const unit = v.kind === 'triad' ? `"1" per ${t0}` : `${t1} per ${t0}`;
    out.push({ column, label: `${v.id} (${v.kind === 'triad' ? 'triad marginal price' : v.kind})`, unit });
  }
  // Price columns of venues the summary does not name (an edited file): still drawn.
  for (const c of t.columns) {
    if (c.endsWith('_price') && !out.some((o) => o.column === c)) out.push({ column: c, label: c.slice(0, -6), unit: 'price' });
  }
  return out;
}

/** Units in order of first appearance: the first gets the left axis, the others the right one. */
export function unitGroups(series: readonly SeriesSpec[]): string[] {
  return [...new Set(series.map((s) => s.unit))];
}

/** Each agent's P&L column `pnl_<id>`, in the summary's order. */
export function pnlSeries(t: BlockTable, s: Summary): (SeriesSpec & { agent: string; kind: string })[] {
  return s.agents.filter((a) => t.columns.includes(`pnl_${a.id}`)).map((a) => ({ column: `pnl_${a.id}`, label: a.id, unit: 'USD', agent: a.id, kind: a.kind }));
}
