/**
 * The block inspector: the selected block's facts, each venue's state before and after it, its
 * transactions in execution order (bundles grouped, tags, sender, fees, gas, the change each call
 * made), and the mempool as the builder saw it. Every name and tag is set as text.
 */
import { select, type Selection } from 'd3';
import { groupBlock, outcome, type Group } from '../data/blocks';
import { blockState, callEffect } from '../data/venue-state';
import { column } from '../data/types';
import { exact, num, signed, usd } from '../ui/format';
import { row, type Ctx } from './context';
import { navigation } from './keys';
import type { Store } from './store';

type Div = Selection<HTMLDivElement, unknown, null, undefined>;

const MAX_CANDIDATES = 500;

function table(parent: Div, className: string, headers: readonly string[]): Selection<HTMLTableElement, unknown, null, undefined> {
  const t = parent.append('table').attr('class', className);
  t.append('thead').append('tr').selectAll('th').data(headers).join('th').attr('scope', 'col').text((d) => d);
  return t;
}

function facts(body: Div, ctx: Ctx, block: number): void {
  const i = row(ctx, block);
  const v = (name: string): string => exact(i < 0 ? undefined : column(ctx.blocks, name)?.[i]);
  body.append('p').attr('class', 'block-facts').text(`Block ${block}: time ${v('time')} s, base fee ${v('base_fee_gwei')} gwei per gas, gas used ${v('gas_used')} (background ${v('background_gas')}), ${v('tx_count')} transactions, ${v('reverted')} reverted.`);
}

function venues(body: Div, ctx: Ctx, block: number): void {
  const states = blockState(ctx.blocks, ctx.data.summary, block);
  if (states.length === 0) return;
  body.append('h3').text('Venue state');
  const t = table(body, 'venue-state', ['venue', 'field', 'before the block', 'after the block', 'change']);
  const rows = states.flatMap((s) => s.fields.map((f) => ({ venue: s.id, ...f })));
  t.append('tbody')
    .selectAll('tr')
    .data(rows)
    .join('tr')
    .selectAll('td')
    .data((r) => [r.venue, r.name, exact(r.before), exact(r.after), Number.isFinite(r.before) ? signed(r.after - r.before) : '—'])
    .join('td')
    .text((d) => d);
}

function transactions(body: Div, ctx: Ctx, block: number): void {
  body.append('h3').text('Transactions, in execution order');
  if (ctx.ix === null) {
    body.append('p').attr('class', 'note').text('Transactions were not recorded for this run: run it with --record full to inspect them.');
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
    tr.append('td').attr('class', 'sender').text(tx.agent);
    tr.append('td').text(tx.status === 'included' ? 'included' : `${tx.status}${tx.revert === null ? '' : ` (${tx.revert})`}`);
    tr.append('td').text(`${num(tx.effectivePriorityFee)} / ${num(tx.priorityFee)}`).attr('title', `paid ${exact(tx.effectivePriorityFee)}, offered ${exact(tx.priorityFee)} gwei per gas`);
    tr.append('td').text(num(tx.gasUsed)).attr('title', exact(tx.gasUsed));
    tr.append('td').text(usd(tx.gasCostUsd)).attr('title', exact(tx.gasCostUsd));
    const calls = tr.append('td').attr('class', 'calls');
    for (const c of tx.calls) {
      const eff = tx.status === 'included' ? callEffect(c, venueOf.get(c.venue)) : [];
      const text = eff.length === 0 ? 'no change' : eff.map((e) => `${e.name} ${signed(e.delta)}`).join(', ');
      calls.append('div').attr('title', eff.map((e) => `${e.name} ${exact(e.delta)}`).join('\n')).text(`${c.venue} ${c.op}: ${text}`);
    }
  }
}

function mempool(body: Div, ctx: Ctx, block: number): void {
  if (ctx.ix === null) return;
  body.append('h3').text('Mempool as the builder saw it, in arrival order');
  const cands = ctx.ix.candidates.get(block) ?? [];
  if (cands.length === 0) {
    body.append('p').attr('class', 'note').text('The builder had no pending transaction of the simulation before this block.');
    return;
  }
  const t = table(body, 'mempool', ['arrival (s)', 'sender', 'tag', 'priority fee (gwei)', 'max fee (gwei)', 'route', 'bundle', 'outcome']);
  t.append('tbody')
    .selectAll('tr')
    .data(cands.slice(0, MAX_CANDIDATES))
    .join('tr')
    .attr('data-id', (c) => c.id)
    .selectAll('td')
    .data((c) => [exact(c.arrivalTime), c.agent, c.tag, exact(c.priorityFee), exact(c.maxFee), c.private ? 'private' : 'public', c.bundle === null ? '' : String(c.bundle), outcome(ctx.ix!, c.id, block)])
    .join('td')
    .text((d) => d);
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
    mempool(body, ctx, block);
  };
  store.on((_v, changed) => {
    if (changed.has('block')) show();
  });
  show();
}
