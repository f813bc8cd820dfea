/**
 * Who paid whom: summary.json's transfer matrix (docs/outputs.md, `transfers`) as a heat-map table —
 * a row per payer, a column per party paid, the cell's shade its share of the largest flow — with a
 * choice of kind (all, fee, price, gas, mev, options) and each party's totals paid and received.
 * Reads only the summary; a summary before format 3 has no matrix and the panel is left out.
 */
import { select } from 'd3';
import type { Summary, TransferSummary } from '../data/types';
import { exact, usd } from '../ui/format';

/** The matrix of one kind, or of all (net per pair). */
function matrixOf(t: TransferSummary, kind: string): number[][] {
  return kind === 'all' ? t.paid : (t.byKind[kind] ?? t.paid.map((row) => row.map(() => 0)));
}

export function transfersPanel(parent: HTMLElement, s: Summary): void {
  const t = s.transfers;
  if (t === undefined || t.parties.length === 0) return;
  const section = select(parent).append('section').attr('id', 'transfers').attr('aria-labelledby', 'transfers-h');
  section.append('h2').attr('id', 'transfers-h').text('Who paid whom');
  section
    .append('p')
    .attr('class', 'note')
    .text('Value each party (row) paid another (column) over the run, net of what it got back, in USD at the reference prices when it moved: swap fees and price impact to the LPs, forges to the other holders of U and 1/U, gas to the builder and the burn, CEX and OTC trades to the desk.');
  const kinds = ['all', ...t.kinds.filter((k) => (t.byKind[k] ?? []).some((row) => row.some((x) => x !== 0)))];
  let kind = 'all';
  const picker = section.append('div').attr('class', 'transfer-kinds').attr('role', 'group').attr('aria-label', 'kind of transfer');
  const buttons = picker
    .selectAll('button')
    .data(kinds)
    .join('button')
    .attr('type', 'button')
    .attr('data-kind', (k) => k)
    .text((k) => k)
    .on('click', (_ev, k) => {
      kind = k;
      draw();
    });
  const table = section.append('table').attr('class', 'transfers');
  const all = t.paid;
  // Parties that paid or received anything at all (of any kind) keep their row and column.
  const shown = t.parties.map((_, i) => i).filter((i) => all[i]!.some((x) => x !== 0) || all.some((row) => row[i] !== 0));

  function draw(): void {
    buttons.attr('aria-pressed', (k) => String(k === kind));
    const m = matrixOf(t!, kind);
    let max = 0;
    for (const i of shown) for (const j of shown) max = Math.max(max, m[i]![j]!);
    table.selectAll('*').remove();
    const head = table.append('thead').append('tr');
    head.append('th').attr('scope', 'col').text('paid by ↓ / to →');
    for (const j of shown) head.append('th').attr('scope', 'col').text(t!.parties[j]!);
    head.append('th').attr('scope', 'col').text('paid');
    const body = table.append('tbody');
    for (const i of shown) {
      const tr = body.append('tr').attr('data-party', t!.parties[i]!);
      tr.append('th').attr('scope', 'row').text(t!.parties[i]!);
      let paid = 0;
      for (const j of shown) {
        const v = m[i]![j]!;
        paid += v;
        const td = tr.append('td').attr('class', 'num').attr('title', `${t!.parties[i]} paid ${t!.parties[j]} ${exact(v)} USD`);
        if (v !== 0 && max > 0) td.style('background-color', `rgba(213, 94, 0, ${(0.08 + 0.6 * (v / max)).toFixed(3)})`);
        td.text(v === 0 ? '' : usd(v));
      }
      tr.append('td').attr('class', 'num').text(usd(paid));
    }
    const foot = table.append('tfoot').append('tr');
    foot.append('th').attr('scope', 'row').text('received');
    for (const j of shown) foot.append('td').attr('class', 'num').text(usd(shown.reduce((sum, i) => sum + m[i]![j]!, 0)));
    foot.append('td');
  }
  draw();
}
