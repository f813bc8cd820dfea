/**
 * The MEV table (mev.csv, docs/outputs.md): totals per searcher and per victim over every row of the
 * run, beside each agent's `mev` from the agents table (they reconcile: a searcher's gross is its
 * `mev`, a victim's loss minus its `mev`), then the events themselves — the largest first, up to the
 * report's cap — sortable by any column, filtered by kind or by a text (searcher, victim), each row
 * opening its block in the inspector. Every name is set as text.
 */
import { tableExport } from '../ui/export';
import { select, type Selection } from 'd3';
import { MEV_USD, mevSize, type MevRow, type MevSum } from '../data/mev';
import { sortRows } from '../data/sort';
import { markSorted, sortableHead, type SortState } from '../ui/sortable';
import type { MevData, Summary } from '../data/types';
import { exact, num, usd } from '../ui/format';
import type { Store } from './store';

type Sel<E extends Element> = Selection<E, unknown, null, undefined>;

interface Col {
  key: keyof MevRow | 'size';
  label: string;
  value: (r: MevRow) => string | number | undefined;
  money?: boolean;
}

const COLS: Col[] = [
  { key: 'block', label: 'block', value: (r) => r.block },
  { key: 'kind', label: 'kind', value: (r) => r.kind },
  { key: 'searcher', label: 'searcher', value: (r) => r.searcher },
  { key: 'victim', label: 'victim / target', value: (r) => (r.victim === '' ? undefined : r.victim) },
  { key: 'victim_loss_usd', label: 'victim’s loss (USD)', value: (r) => r.victim_loss_usd, money: true },
  { key: 'gross_usd', label: 'gross (USD)', value: (r) => r.gross_usd, money: true },
  { key: 'swap_fees_usd', label: 'AMM fees (USD)', value: (r) => r.swap_fees_usd, money: true },
  { key: 'base_fee_usd', label: 'base fee (USD)', value: (r) => r.base_fee_usd, money: true },
  { key: 'builder_usd', label: 'builder’s take (USD)', value: (r) => r.builder_usd, money: true },
  { key: 'net_usd', label: 'net (USD)', value: (r) => r.net_usd, money: true },
  { key: 'bundle', label: 'bundle', value: (r) => r.bundle ?? undefined },
];

const SUM_LABELS: Record<(typeof MEV_USD)[number], string> = {
  victim_loss_usd: 'victims’ loss',
  gross_usd: 'gross',
  swap_fees_usd: 'AMM fees',
  base_fee_usd: 'base fee',
  builder_usd: 'builder’s take',
  net_usd: 'net',
};

function money(td: Sel<HTMLTableCellElement>, v: number | undefined): void {
  td.attr('class', 'num').attr('title', exact(v)).text(usd(v));
}

/** The totals of one group (searchers or victims) against the agents table's `mev`. */
function totalsTable(parent: Sel<HTMLElement>, what: 'searcher' | 'victim', sums: Record<string, MevSum>, summary: Summary): void {
  const ids = Object.keys(sums);
  if (ids.length === 0) return;
  const mev = (id: string): number | undefined => summary.agents.find((a) => a.id === id)?.pnl['mev'];
  const cols = what === 'searcher' ? (['gross_usd', 'swap_fees_usd', 'base_fee_usd', 'builder_usd', 'net_usd', 'victim_loss_usd'] as const) : (['victim_loss_usd'] as const);
  const t = parent.append('table').attr('class', `mev-totals mev-by-${what}`);
  tableExport(t, `${summary.scenario}-mev-by-${what}`);
  const head = [what === 'searcher' ? 'searcher' : 'victim / target', 'events', ...cols.map((c) => `${SUM_LABELS[c]} (USD)`), what === 'searcher' ? 'mev in the agents table (USD)' : '− mev in the agents table (USD)'];
  t.append('thead').append('tr').selectAll('th').data(head).join('th').attr('scope', 'col').text((d) => d);
  const body = t.append('tbody');
  for (const id of ids) {
    const s = sums[id]!;
    const tr = body.append('tr').attr('data-agent', id);
    tr.append('th').attr('scope', 'row').text(id);
    tr.append('td').attr('class', 'num').text(num(s.events));
    for (const c of cols) money(tr.append('td').attr('data-col', c), s[c]);
    const m = mev(id);
    money(tr.append('td').attr('data-col', 'agents-mev'), m === undefined ? undefined : what === 'searcher' ? m : -m);
  }
}

export function mevTable(parent: HTMLElement, mev: MevData | null, summary: Summary, store: Store | null): void {
  const section = select(parent).append('section').attr('id', 'mev').attr('aria-labelledby', 'mev-h');
  section.append('h2').attr('id', 'mev-h').text('MEV');
  if (mev === null) {
    section.append('p').attr('class', 'note').text('This output has no mev.csv (written by an older hedgesim): run it again for the MEV table.');
    return;
  }
  if (mev.count === 0) {
    section.append('p').attr('class', 'note empty-mev').text('No MEV event in this run: no sandwich, back-run, adversary push or reversal, or searcher’s arbitrage landed.');
    return;
  }
  const shown = mev.rows.length;
  section
    .append('p')
    .attr('class', 'note')
    .text(
      `${num(mev.count)} events (sandwiches, back-runs, adversary pushes and reversals, searchers’ arbitrage), USD at each block’s reference prices. ` +
        'Totals are over every event; a searcher’s gross is its mev in the agents table, and a victim’s loss is minus its mev (a target’s loss to an adversary is not booked as mev: see its adversaryTargetLossUsd). ' +
        (shown < mev.count ? `Below, the ${num(shown)} largest (by the larger of gross and victim’s loss); mev.csv has them all. ` : '') +
        'Click a row to inspect its block; click a column to sort.',
    );
  totalsTable(section, 'searcher', mev.totals.bySearcher, summary);
  totalsTable(section, 'victim', mev.totals.byVictim, summary);

  const kinds = [...new Set(mev.rows.map((r) => r.kind))].sort();
  const controls = section.append('div').attr('class', 'mev-controls');
  const kindSel = controls.append('label').text('kind ').append('select').attr('class', 'mev-kind');
  kindSel.selectAll('option').data(['all', ...kinds]).join('option').attr('value', (d) => d).text((d) => d);
  const text = controls.append('label').text(' agent ').append('input').attr('type', 'search').attr('class', 'mev-filter').attr('placeholder', 'searcher or victim');
  const count = controls.append('span').attr('class', 'mev-count');

  const t = section.append('table').attr('class', 'mev-rows');
  tableExport(t, 'mev-events');
  const sort: SortState = { key: '', dir: 'descending' };
  const ths = sortableHead(t, COLS, sort, (c) => typeof c.value(mev.rows[0]!) === 'string', () => {
    limit = PAGE;
    draw();
  });
  const body = t.append('tbody');
  // A page of rows at a time: thousands of table rows would make the page long and slow to lay out.
  const PAGE = 100;
  let limit = PAGE;
  const more = section.append('button').attr('type', 'button').attr('class', 'mev-more');
  const draw = (): void => {
    const kind = kindSel.property('value') as string;
    const q = (text.property('value') as string).trim().toLowerCase();
    let rows = mev.rows.filter((r) => (kind === 'all' || r.kind === kind) && (q === '' || r.searcher.toLowerCase().includes(q) || r.victim.toLowerCase().includes(q)));
    const col = COLS.find((c) => c.key === sort.key);
    // Unsorted: largest first, as the report keeps them.
    rows = col === undefined ? [...rows].sort((a, b) => mevSize(b) - mevSize(a)) : sortRows(rows, col.value, sort.dir);
    count.text(` ${num(rows.length)} of ${num(shown)} match`);
    const all = rows.length;
    rows = rows.slice(0, limit);
    more.style('display', all > limit ? 'inline-block' : 'none').text(`show ${num(Math.min(PAGE, all - limit))} more (${num(limit)} of ${num(all)} listed)`);
    markSorted(ths, sort);
    body
      .selectAll('tr')
      .data(rows)
      .join('tr')
      .attr('data-block', (r) => r.block)
      .attr('data-tx', (r) => r.tx)
      .attr('tabindex', store === null ? null : 0)
      .attr('class', store === null ? null : 'clickable')
      .on('click', (_ev, r) => open(r))
      .on('keydown', (ev: KeyboardEvent, r) => {
        if (ev.key === 'Enter') open(r);
      })
      .selectAll('td')
      .data((r) => COLS.map((c) => ({ c, v: c.value(r) })))
      .join('td')
      .attr('data-col', (d) => d.c.key)
      .attr('class', (d) => (typeof d.v === 'number' ? 'num' : null))
      .attr('title', (d) => (typeof d.v === 'number' ? exact(d.v) : null))
      .text((d) => (d.v === undefined ? '—' : d.c.money === true && typeof d.v === 'number' ? usd(d.v) : typeof d.v === 'number' ? num(d.v) : d.v));
  };
  const open = (r: MevRow): void => {
    if (store === null) return;
    store.set({ block: r.block }, 'mev');
    document.getElementById('inspector')?.scrollIntoView({ block: 'start' });
  };
  const reset = (): void => {
    limit = PAGE;
    draw();
  };
  kindSel.on('change', reset);
  text.on('input', reset);
  more.on('click', () => {
    limit += PAGE;
    draw();
  });
  draw();
}
