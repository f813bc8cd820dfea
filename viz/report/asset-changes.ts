/**
 * The inspector's per-sender asset changes (transactions.jsonl format 3, `assetChanges`): what each
 * transaction's sender gave and got, by token, gas included, in tokens and in USD at the marks right
 * after it (the block's reference prices), and for each swap its execution price against the
 * reference (the ratio of the two tokens' marks). Every name is set as text.
 */
import type { Selection } from 'd3';
import type { AssetChange, Call, Tx, VenueSummary } from '../data/types';
import { exact, num, usd } from '../ui/format';
import type { Ctx } from './context';

type Div = Selection<HTMLDivElement, unknown, null, undefined>;
type Cell = Selection<HTMLTableCellElement, unknown, null, undefined>;

/** USD per unit of each token the transaction moved (its change's value over its amount). */
function unitPrices(changes: readonly AssetChange[]): Map<string, number> {
  return new Map(changes.filter((c) => c.amount !== 0).map((c) => [c.token, c.usd / c.amount]));
}

export interface Execution {
  venue: string;
  /** Price of token0 in token1 the swap got, and the reference's (marks' ratio), if both are known. */
  price: number;
  reference: number | undefined;
  /** token1 per token0. */
  unit: string;
  /** Relative to the reference in basis points, and whether that is better for the sender. */
  bps: number | undefined;
  better: boolean | undefined;
}

/** The execution of a transaction's swaps against the reference. */
export function executions(tx: Tx, venues: ReadonlyMap<string, VenueSummary>): Execution[] {
  if (tx.status !== 'included' || tx.assetChanges === null) return [];
  const prices = unitPrices(tx.assetChanges);
  const out: Execution[] = [];
  for (const c of tx.calls as Call[]) {
    const v = venues.get(c.venue);
    if (v === undefined || v.kind !== 'cpmm' || (c.op !== 'swap' && c.op !== 'swapExactOut') || !(c.outA > 0 && c.outB > 0)) continue;
    const [t0, t1] = v.tokens as [string, string];
    // outA is the amount out, outB the amount in; side 0 pays token0.
    const price = c.side === 0 ? c.outA / c.outB : c.outB / c.outA;
    const p0 = prices.get(t0);
    const p1 = prices.get(t1);
    const reference = p0 !== undefined && p1 !== undefined && p1 !== 0 ? p0 / p1 : undefined;
    const bps = reference === undefined ? undefined : (price / reference - 1) * 1e4;
    out.push({ venue: c.venue, price, reference, unit: `${t1} per ${t0}`, bps, better: bps === undefined ? undefined : c.side === 0 ? bps > 0 : bps < 0 });
  }
  return out;
}

function change(td: Cell, c: AssetChange): void {
  td.append('span')
    .attr('class', 'change')
    .attr('data-token', c.token)
    .attr('data-amount', c.amount)
    .attr('data-usd', c.usd)
    .attr('title', `${exact(c.amount)} ${c.token}, ${exact(c.usd)} USD`)
    .text(`${c.amount > 0 ? '+' : ''}${num(c.amount)} ${c.token} (${usd(c.usd)} USD)`);
}

export function assetChanges(body: Div, ctx: Ctx, block: number): void {
  if (ctx.ix === null) return; // said in the transactions' note
  const txs = (ctx.ix.byBlock.get(block) ?? []).filter((t) => t.status !== 'dropped');
  if (txs.length === 0) return;
  body.append('h3').text('What each sender gave and got');
  if (txs.every((t) => t.assetChanges === null)) {
    body.append('p').attr('class', 'note no-asset-changes').text('This transaction log predates asset changes (log format 3): run the scenario again with --record full to see them.');
    return;
  }
  body.append('p').attr('class', 'note').text('Each sender’s wallet change by token, gas included, in tokens and in USD at the block’s reference prices (marks right after the transaction); a swap’s execution price against the reference, the ratio of its tokens’ marks.');
  const venues = new Map(ctx.data.summary.venues.map((v) => [v.id, v]));
  const t = body.append('table').attr('class', 'asset-changes');
  t.append('thead').append('tr').selectAll('th').data(['#', 'sender', 'gave', 'got', 'net (USD)', 'execution vs reference']).join('th').attr('scope', 'col').text((d) => d);
  const tb = t.append('tbody');
  for (const tx of [...txs].sort((a, b) => a.position - b.position)) {
    const changes = tx.assetChanges ?? [];
    const tr = tb.append('tr').attr('data-id', tx.id).attr('data-position', tx.position);
    tr.append('td').text(String(tx.position));
    tr.append('td').attr('class', 'sender').text(tx.agent);
    const gave = tr.append('td').attr('class', 'gave');
    const got = tr.append('td').attr('class', 'got');
    for (const c of changes) change(c.amount < 0 ? gave : got, c);
    const net = changes.reduce((s, c) => s + c.usd, 0);
    tr.append('td').attr('class', 'num net').attr('data-usd', net).attr('title', exact(net)).text(usd(net));
    const ex = tr.append('td').attr('class', 'execution');
    for (const e of executions(tx, venues)) {
      const ref = e.reference === undefined ? 'no reference' : `reference ${num(e.reference)}`;
      const diff = e.bps === undefined ? '' : ` (${e.bps > 0 ? '+' : ''}${num(Math.round(e.bps * 100) / 100)} bps, ${e.better === true ? 'better' : e.better === false ? 'worse' : 'even'})`;
      ex.append('div').attr('data-venue', e.venue).attr('title', `${exact(e.price)} vs ${exact(e.reference)} ${e.unit}`).text(`${e.venue}: ${num(e.price)} ${e.unit}, ${ref}${diff}`);
    }
  }
}
