/**
 * The terminal summary: per-agent P&L, in USD, led by `edge` (what the agent's activity earned
 * against holding) with `hold` beside it, then the parts; agents by edge, best first.
 */
import type { PnlBreakdown, SimResult } from '../sim/result';

const ALWAYS = ['edge', 'hold', 'total', 'trading', 'fees', 'lvr', 'swapFees', 'gas'] as const;
const WHEN_USED = ['mev', 'cex', 'options'] as const;

function money(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  const digits = abs >= 1e5 ? 0 : abs >= 100 ? 1 : 2;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function pnlTable(r: SimResult): string {
  // Components nobody has are left out, so the table stays narrow.
  const cols: (keyof PnlBreakdown)[] = [...ALWAYS, ...WHEN_USED.filter((c) => r.agents.some((a) => a.pnl[c] !== 0))];
  const header = ['agent', 'kind', ...cols, 'txs', 'reverted'];
  // Sorted by edge, best first; ties (and NaN) keep the file order.
  const agents = r.agents.map((a, i) => ({ a, i })).sort((x, y) => (y.a.pnl.edge > x.a.pnl.edge ? 1 : y.a.pnl.edge < x.a.pnl.edge ? -1 : x.i - y.i));
  const rows = agents.map(({ a }) => [a.id, a.kind, ...cols.map((c) => money(a.pnl[c])), String(a.txs.included), String(a.txs.reverted)]);
  // The builder holds nothing at the start: its priority fees are its edge and its total.
  const builder = money(r.builder.priorityFeesUsd);
  rows.push(['builder', '(proposer)', ...cols.map((c) => (c === 'edge' || c === 'total' ? builder : c === 'hold' ? money(0) : '')), '', '']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
