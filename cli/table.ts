/** The terminal summary: per-agent P&L and its main components, aligned, in USD. */
import type { PnlBreakdown, SimResult } from '../sim/result';

const ALWAYS = ['total', 'trading', 'fees', 'lvr', 'gas'] as const;
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
  const rows = r.agents.map((a) => [a.id, a.kind, ...cols.map((c) => money(a.pnl[c])), String(a.txs.included), String(a.txs.reverted)]);
  rows.push(['builder', '(proposer)', money(r.builder.priorityFeesUsd), ...cols.slice(1).map(() => ''), '', '']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
