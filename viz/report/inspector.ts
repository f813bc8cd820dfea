/**
 * The block inspector: the selected block's facts, each venue's state before and after it, its
 * transactions in execution order (bundles grouped, tags, sender, fees, gas, the change each call
 * made), and the mempool as the builder saw it. Every name and tag is set as text.
 */
import { select, type Selection } from 'd3';
import { groupBlock, outcome, type Group } from '../data/blocks';
import { blockState, callEffect } from '../data/venue-state';
import { column } from '../data/types';
import { tableExport } from '../ui/export';
import { clockMs, exact, num, seconds, signed } from '../ui/format';
import { row, type Ctx } from './context';
import { assetChanges } from './asset-changes';
import { navigation } from './keys';
import type { Store } from './store';

type Div = Selection<HTMLDivElement, unknown, null, undefined>;
/** A table cell: its text, and for a number its exact value as the title. */
type Cell = { text: string; title?: string; num?: boolean };

const MAX_CANDIDATES = 500;

function table(parent: Div, className: string, headers: readonly string[]): Selection<HTMLTableElement, unknown, null, undefined> {
  const t = parent.append('table').attr('class', className);
  t.append('thead').append('tr').selectAll('th').data(headers).join('th').attr('scope', 'col').text((d) => d);
  tableExport(t, `${className}-block-${select('#inspector').attr('data-block')}`);
  return t;
}

/** A number to read, with its exact value as the element's title (tooltip). */
function value(parent: Selection<HTMLElement, unknown, null, undefined>, v: number | undefined): void {
  parent.append('span').attr('class', 'value').attr('title', exact(v)).text(num(v));
}

function facts(body: Div, ctx: Ctx, block: number): void {
  const i = row(ctx, block);
  const v = (name: string): number | undefined => (i < 0 ? undefined : column(ctx.blocks, name)?.[i]);
  const p = body.append('p').attr('class', 'block-facts') as unknown as Selection<HTMLElement, unknown, null, undefined>;
  const parts: [string, string | undefined, string][] = [
    [`Block ${num(block)}: time `, 'time', ' s, base fee '],
    ['', 'base_fee_gwei', ' gwei per gas, gas used '],
    ['', 'gas_used', ' (background '],
    ['', 'background_gas', '), '],
    ['', 'tx_count', ' transactions, '],
    ['', 'reverted', ' reverted'],
  ];
  // The counts by kind (blocks.csv), when the output has them.
  const kinds: [string, string][] = [
    ['rebalance_txs', 'rebalances'],
    ['sandwich_txs', 'sandwich legs'],
    ['arbitrage_txs', 'arbitrage'],
  ];
  const known = kinds.filter(([c]) => column(ctx.blocks, c) !== undefined);
  known.forEach(([c, label], k) => parts.push([k === 0 ? '; ' : '', c, ` ${label}${k < known.length - 1 ? ', ' : ''}`]));
  for (const [before, name, after] of parts) {
    p.append('span').text(before);
    if (name !== undefined) value(p, v(name));
    p.append('span').text(after);
  }
  p.append('span').text('.');
}

function venues(body: Div, ctx: Ctx, block: number): void {
  const states = blockState(ctx.blocks, ctx.data.summary, block);
  if (states.length === 0) return;
  body.append('h3').text('Venue state');
  const t = table(body, 'venue-state', ['venue', 'field', 'before the block', 'after the block', 'change']);
  const rows = states.flatMap((s) => s.fields.map((f) => ({ venue: s.id, ...f })));
  const change = (r: (typeof rows)[number]): number => r.after - r.before;
  t.append('tbody')
    .selectAll('tr')
    .data(rows)
    .join('tr')
    .selectAll('td')
    .data((r): Cell[] => [
      { text: r.venue },
      { text: r.name },
      { text: num(r.before), title: exact(r.before), num: true },
      { text: num(r.after), title: exact(r.after), num: true },
      Number.isFinite(r.before) ? { text: signed(change(r)), title: exact(change(r)), num: true } : { text: '—' },
    ])
    .join('td')
    .attr('class', (d) => (d.num === true ? 'num' : null))
    .attr('title', (d) => d.title ?? null)
    .text((d) => d.text);
}

function transactions(body: Div, ctx: Ctx, block: number): void {
  body.append('h3').text('Transactions, in execution order');
  if (ctx.ix === null) {
    body.append('p').attr('class', 'note not-recorded').text('This run was recorded without its transactions and the builder’s mempool (--record blocks): the counts above come from blocks.csv. Run it with --record full to see each transaction, its tags, fees, gas and state changes, and what the builder saw.');
    return;
  }
  const txs = ctx.ix.byBlock.get(block) ?? [];
  if (txs.length === 0) {
    body.append('p').attr('class', 'note empty-block').text('No transaction of the simulation in this block.');
    return;
  }
  const venueOf = new Map(ctx.data.summary.venues.map((v) => [v.id, v]));
  const t = table(body, 'txs', ['#', 'tags', 'sender', 'status', 'priority fee paid / offered (gwei)', 'gas used', 'gas cost (USD)', 'venue calls and state change']);
  for (const g of groupBlock(txs)) groupRows(t, g, venueOf);
}

function groupRows(t: Selection<HTMLTableElement, unknown, null, undefined>, g: Group, venueOf: Map<string, Parameters<typeof callEffect>[1]>): void {
  const tb = t.append('tbody').attr('class', g.bundle === null ? 'loose' : 'bundle').attr('data-bundle', g.bundle);
  if (g.bundle !== null) {
    const legs = g.rows.filter((r) => r.tx.bundle === g.bundle).length;
    tb.append('tr').attr('class', 'bundle-head').append('th').attr('colspan', 8).attr('scope', 'rowgroup').text(`bundle ${g.bundle}: ${legs} transaction${legs === 1 ? '' : 's'} of one sender${g.rows.length > legs ? `, around ${g.rows.length - legs} other` : ''}`);
  }
  for (const r of g.rows) {
    const tx = r.tx;
    const tr = tb.append('tr').attr('class', 'tx').attr('data-id', tx.id).attr('data-position', tx.position).attr('data-tags', r.tags.join(' '));
    tr.append('td').text(String(tx.position));
    const tags = tr.append('td').attr('class', 'tags');
    for (const tag of r.tags) tags.append('span').attr('class', 'tag').attr('data-tag', tag).text(tag);
    if (tx.target !== null) tags.append('span').attr('class', 'aims').attr('data-target', tx.target).text(`→ ${tx.target}`);
    tr.append('td').attr('class', 'sender').text(tx.agent);
    tr.append('td').text(tx.status === 'included' ? 'included' : `${tx.status}${tx.revert === null ? '' : ` (${tx.revert})`}`);
    tr.append('td').attr('class', 'num').text(`${num(tx.effectivePriorityFee)} / ${num(tx.priorityFee)}`).attr('title', `paid ${exact(tx.effectivePriorityFee)}, offered ${exact(tx.priorityFee)} gwei per gas`);
    tr.append('td').attr('class', 'num gas').text(num(tx.gasUsed)).attr('title', exact(tx.gasUsed));
    // Not cents: an L2 transaction's gas often costs a fraction of one.
    tr.append('td').attr('class', 'num gas-cost').text(num(tx.gasCostUsd)).attr('title', exact(tx.gasCostUsd));
    const calls = tr.append('td').attr('class', 'calls');
    for (const c of tx.calls) {
      const eff = tx.status === 'included' ? callEffect(c, venueOf.get(c.venue)) : [];
      const text = eff.length === 0 ? 'no change' : eff.map((e) => `${e.name} ${signed(e.delta)}`).join(', ');
      calls.append('div').attr('title', eff.map((e) => `${e.name} ${exact(e.delta)}`).join('\n')).text(`${c.venue} ${c.op}: ${text}`);
    }
  }
}

function mempool(body: Div, ctx: Ctx, block: number): void {
  if (ctx.ix === null) return; // said in the transactions' note
  body.append('h3').text('Mempool as the builder saw it, in arrival order');
  const cands = ctx.ix.candidates.get(block) ?? [];
  if (cands.length === 0) {
    body.append('p').attr('class', 'note empty-mempool').text('The builder had no pending transaction of the simulation before this block.');
    return;
  }
  const t = table(body, 'mempool', ['arrival (s)', 'arrival (clock)', 'sender', 'tag', 'priority fee (gwei)', 'max fee (gwei)', 'route', 'bundle', 'outcome']);
  const n = (v: number): Cell => ({ text: num(v), title: exact(v), num: true });
  // Arrival order, as the caption says (the log lists a bundle's own legs after the public ones);
  // to the millisecond, so that a searcher's reaction of a few ms shows.
  const ordered = [...cands].sort((a, b) => a.arrivalTime - b.arrivalTime || a.id - b.id);
  t.append('tbody')
    .selectAll('tr')
    .data(ordered.slice(0, MAX_CANDIDATES))
    .join('tr')
    .attr('data-id', (c) => c.id)
    .selectAll('td')
    .data((c): Cell[] => [{ text: seconds(c.arrivalTime), title: exact(c.arrivalTime), num: true }, { text: clockMs(c.arrivalTime), num: true }, { text: c.agent }, { text: c.tag }, n(c.priorityFee), n(c.maxFee), { text: c.private ? 'private' : 'public' }, { text: c.bundle === null ? '' : String(c.bundle) }, { text: outcome(ctx.ix!, c.id, block) }])
    .join('td')
    .attr('class', (d) => (d.num === true ? 'num' : null))
    .attr('title', (d) => d.title ?? null)
    .text((d) => d.text);
  if (cands.length > MAX_CANDIDATES) body.append('p').attr('class', 'note').text(`… and ${cands.length - MAX_CANDIDATES} more (see mempool.jsonl).`);
}

export function inspector(parent: HTMLElement, ctx: Ctx, store: Store): void {
  const section = select(parent).append('section').attr('id', 'inspector').attr('aria-labelledby', 'inspector-h');
  section.append('h2').attr('id', 'inspector-h').text('Block inspector');
  navigation(section, ctx, store);
  const body: Div = section.append('div').attr('class', 'inspector-body').attr('aria-live', 'polite');
  const show = (): void => {
    const block = store.get().block;
    section.attr('data-block', block);
    body.selectAll('*').remove();
    facts(body, ctx, block);
    venues(body, ctx, block);
    transactions(body, ctx, block);
    assetChanges(body, ctx, block);
    mempool(body, ctx, block);
  };
  store.on((_v, changed) => {
    if (changed.has('block')) show();
  });
  show();
}
