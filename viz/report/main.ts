/**
 * The run report: a small self-contained page (d3) with the reference and venue prices, each
 * agent's cumulative P&L and the summary table. It reads only the data inlined in the page.
 */
import * as d3 from 'd3';

interface ReportData {
  summary: {
    scenario: string;
    seed: number | string;
    blocks: number;
    agents: { id: string; kind: string; pnl: Record<string, number>; txs: { included: number; reverted: number } }[];
  };
  blocks: { columns: string[]; data: (number | string)[][] } | null;
}

function load(): ReportData {
  const el = document.getElementById('hedgesim-data');
  if (!el?.textContent) throw new Error('this report has no data');
  return JSON.parse(el.textContent) as ReportData;
}

const palette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

function lineChart(parent: HTMLElement, title: string, x: number[], series: { name: string; values: number[] }[], yLabel: string): void {
  const width = 900;
  const height = 280;
  const m = { top: 28, right: 160, bottom: 36, left: 80 };
  const svg = d3.select(parent).append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('role', 'img').attr('aria-label', title);
  svg.append('text').attr('x', m.left).attr('y', 18).attr('class', 'title').text(title);
  const xs = d3.scaleLinear().domain(d3.extent(x) as [number, number]).range([m.left, width - m.right]);
  const all = series.flatMap((s) => s.values.filter(Number.isFinite));
  const ys = d3.scaleLinear().domain(d3.extent(all) as [number, number]).nice().range([height - m.bottom, m.top]);
  svg.append('g').attr('transform', `translate(0,${height - m.bottom})`).call(d3.axisBottom(xs).ticks(8));
  svg.append('g').attr('transform', `translate(${m.left},0)`).call(d3.axisLeft(ys).ticks(6));
  svg.append('text').attr('x', width - m.right).attr('y', height - 4).attr('text-anchor', 'end').attr('class', 'axis-label').text('block');
  svg.append('text').attr('transform', `translate(14,${(height - m.bottom + m.top) / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('class', 'axis-label').text(yLabel);
  series.forEach((s, i) => {
    const line = d3
      .line<number>()
      .defined((v) => Number.isFinite(v))
      .x((_, j) => xs(x[j]!))
      .y((v) => ys(v));
    svg.append('path').attr('class', 'series').attr('fill', 'none').attr('stroke', palette[i % palette.length]!).attr('stroke-width', 1.5).attr('d', line(s.values));
    svg.append('text').attr('x', width - m.right + 8).attr('y', m.top + 16 * i).attr('fill', palette[i % palette.length]!).text(s.name);
  });
}

function table(parent: HTMLElement, data: ReportData): void {
  const cols = ['total', 'trading', 'fees', 'lvr', 'gas', 'cex'];
  const t = d3.select(parent).append('table');
  t.append('thead').append('tr').selectAll('th').data(['agent', 'kind', ...cols, 'txs', 'reverted']).join('th').text((d) => d);
  t.append('tbody')
    .selectAll('tr')
    .data(data.summary.agents)
    .join('tr')
    .selectAll('td')
    .data((a) => [a.id, a.kind, ...cols.map((c) => (a.pnl[c] ?? 0).toFixed(2)), String(a.txs.included), String(a.txs.reverted)])
    .join('td')
    .text((d) => d);
}

function main(): void {
  const root = document.getElementById('app')!;
  try {
    const data = load();
    d3.select(root).append('h1').text(`hedgesim — ${data.summary.scenario}`);
    d3.select(root).append('p').text(`seed ${data.summary.seed}, ${data.summary.blocks} blocks`);
    const blocks = data.blocks;
    if (blocks !== null) {
      const col = (name: string): number[] => (blocks.data[blocks.columns.indexOf(name)] ?? []).map(Number);
      const x = col('block');
      const refs = blocks.columns.filter((c) => c.startsWith('ref_'));
      const prices = blocks.columns.filter((c) => c.endsWith('_price'));
      lineChart(root, 'Reference and venue prices', x, [...refs, ...prices].map((c) => ({ name: c, values: col(c) })), 'price');
      const pnl = blocks.columns.filter((c) => c.startsWith('pnl_'));
      lineChart(root, 'Cumulative P&L per agent', x, pnl.map((c) => ({ name: c.slice(4), values: col(c) })), 'USD');
    }
    table(root, data);
  } catch (e) {
    d3.select(root).append('p').attr('class', 'error').text(`Cannot show this report: ${e instanceof Error ? e.message : String(e)}`);
  }
}

main();
