/**
 * The run summary: scenario, seed, blocks and simulated time, builder revenue, and the per-agent
 * table (P&L and its parts in USD, transaction counts), sortable by any column.
 */
import { select } from 'd3';
import { sortRows } from '../data/sort';
import { markSorted, sortableHead, type SortState } from '../ui/sortable';
import type { AgentSummary, Summary } from '../data/types';
import { tableExport } from '../ui/export';
import { duration, exact, num, usd } from '../ui/format';

interface Col {
  key: string;
  label: string;
  value: (a: AgentSummary) => string | number | undefined;
  money?: boolean;
}

// Summary format 2's lines (docs/outputs.md); a line an older summary lacks reads as absent.
const PARTS = ['edge', 'hold', 'total', 'trading', 'fees', 'lvr', 'swapFees', 'gas', 'cex', 'mev', 'options'];

const COLS: Col[] = [
  { key: 'agent', label: 'agent', value: (a) => a.id },
  { key: 'kind', label: 'kind', value: (a) => a.kind },
  ...PARTS.map((p) => ({ key: p, label: `${p} (USD)`, value: (a: AgentSummary) => a.pnl[p], money: true })),
  { key: 'included', label: 'txs included', value: (a) => a.txs.included },
  { key: 'reverted', label: 'reverted', value: (a) => a.txs.reverted },
  { key: 'dropped', label: 'dropped', value: (a) => a.txs.dropped },
];

export function header(parent: HTMLElement, s: Summary): void {
  const root = select(parent);
  root.append('h1').text(`hedgesim — ${s.scenario}`);
  const facts = [
    `seed ${s.seed}`,
    // d3's format, not toLocaleString: its first call loads the locale data, ~35 ms of the first render.
    `${num(s.blocks)} blocks`,
    s.simulatedSeconds === undefined ? '' : `${duration(s.simulatedSeconds)} simulated`,
    s.builder?.priorityFeesUsd === undefined ? '' : `builder received ${usd(s.builder.priorityFeesUsd)} USD in priority fees`,
    s.invariantsChecked === true ? 'invariants checked after every block' : '',
  ].filter((x) => x !== '');
  root.append('p').attr('class', 'run-facts').text(facts.join(' · '));
  const fork = s.forkedFrom;
  if (fork !== undefined) root.append('p').attr('class', 'fork').text(`fork of ${fork.run} at block ${num(fork.block)}: blocks up to ${num(fork.block)} are the original's, the changes act from block ${num(fork.block + 1)} (dashed line on the charts)`);
  if (s.scenarioHash !== undefined) root.append('p').attr('class', 'hash').text(`scenario hash ${s.scenarioHash}`);
}

export function summaryTable(parent: HTMLElement, s: Summary): void {
  const section = select(parent).append('section').attr('id', 'summary').attr('aria-labelledby', 'summary-h');
  section.append('h2').attr('id', 'summary-h').text('Agents');
  section.append('p').attr('class', 'note').text('P&L in USD at reference prices, from the measurement point (by default before genesis): edge = total − hold, what activity earned against holding; the parts add up to the total. Sorted by edge, best first; click a column to sort.');
  const cols = COLS.filter((c) => !c.money || c.key === 'total' || s.agents.some((a) => (a.pnl[c.key] ?? 0) !== 0));
  const t = section.append('table').attr('class', 'agents');
  // Sorted by edge, best first, as the terminal's table (a summary without edge keeps its order).
  const sort: SortState = { key: cols.some((c) => c.key === 'edge') && s.agents.some((a) => a.pnl.edge !== undefined) ? 'edge' : '', dir: 'descending' };
  const ths = sortableHead(t, cols, sort, (c) => c.key === 'agent' || c.key === 'kind', () => draw());
  const body = t.append('tbody');
  function draw(): void {
    const col = cols.find((c) => c.key === sort.key);
    const rows = col === undefined ? s.agents : sortRows(s.agents, col.value, sort.dir);
    markSorted(ths, sort);
    body
      .selectAll('tr')
      .data(rows)
      .join('tr')
      .attr('data-agent', (a) => a.id)
      .selectAll('td')
      .data((a) => cols.map((c) => ({ c, v: c.value(a) })))
      .join('td')
      .attr('class', (d) => (typeof d.v === 'number' ? 'num' : null))
      .attr('title', (d) => (d.c.money === true && typeof d.v === 'number' ? exact(d.v) : null))
      .text((d) => (d.v === undefined ? '—' : d.c.money === true && typeof d.v === 'number' ? usd(d.v) : String(d.v)));
  }
  draw();
  tableExport(t, `${s.scenario}-agents`);
}
