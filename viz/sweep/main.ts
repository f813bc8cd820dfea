/**
 * The sweep page: a heatmap of a metric's mean over two parameters (hover for the 95% CI) and a line
 * chart of a metric against one parameter with its CI band. Reads only the data inlined in the page.
 */
import * as d3 from 'd3';

interface Stat {
  n: number;
  mean: number;
  sd: number;
  ciLow: number;
  ciHigh: number;
}
interface Data {
  meta: { name: string; parameters: string[]; metrics: Record<string, string>; replicates: number; runs: number };
  points: Record<string, unknown>[];
  summary: { point: number; runs: number; failed: number; stats: Record<string, Stat> }[];
}

const fmt = d3.format('.4~g');

function load(): Data {
  const el = document.getElementById('hedgesim-sweep');
  if (!el?.textContent) throw new Error('this page has no sweep data');
  return JSON.parse(el.textContent) as Data;
}

function select(parent: d3.Selection<HTMLDivElement, unknown, null, undefined>, label: string, options: string[], onChange: () => void): d3.Selection<HTMLSelectElement, unknown, null, undefined> {
  const l = parent.append('label').text(label);
  const s = l.append('select').on('change', onChange);
  s.selectAll('option').data(options).join('option').attr('value', (d) => d).text((d) => d);
  return s;
}

function main(): void {
  const root = d3.select(document.getElementById('app')!);
  try {
    const data = load();
    const params = data.meta.parameters.filter((p) => data.points.some((v) => typeof v[p] === 'number'));
    const metrics = Object.keys(data.meta.metrics);
    root.append('h1').text(`hedgesim sweep — ${data.meta.name}`);
    root.append('p').text(`${data.points.length} points × ${data.meta.replicates} replicates = ${data.meta.runs} runs; means with 95% confidence intervals.`);
    if (params.length === 0) {
      root.append('p').text('No numeric parameter to chart; see summary.csv.');
      return;
    }
    const controls = root.append('div');
    const m = select(controls, 'metric', metrics, draw);
    const x = select(controls, 'x', params, draw);
    const y = select(controls, 'y', params, draw);
    if (params.length > 1) y.property('value', params[1]!);
    const tip = d3.select('body').append('div').attr('class', 'tooltip').style('opacity', 0);
    const charts = root.append('div');
    function draw(): void {
      charts.selectAll('*').remove();
      const metric = m.property('value') as string;
      const px = x.property('value') as string;
      const py = y.property('value') as string;
      const rows = data.summary.map((s) => ({ x: Number(data.points[s.point]![px]), y: Number(data.points[s.point]![py]), st: s.stats[metric]! }));
      line(charts, rows, px, metric, tip);
      if (px !== py) heat(charts, rows, px, py, metric, tip);
    }
    draw();
  } catch (e) {
    root.append('p').attr('class', 'error').text(`Cannot show this sweep: ${e instanceof Error ? e.message : String(e)}`);
  }
}

type Row = { x: number; y: number; st: Stat };
type Tip = d3.Selection<HTMLDivElement, unknown, HTMLElement, unknown>;

function show(tip: Tip, ev: MouseEvent, text: string): void {
  tip.style('opacity', 1).style('left', `${ev.pageX + 12}px`).style('top', `${ev.pageY + 12}px`).text(text);
}

/** Metric against one parameter: means over the other parameters' points, CI band. */
function line(parent: d3.Selection<HTMLDivElement, unknown, null, undefined>, rows: Row[], px: string, metric: string, tip: Tip): void {
  const groups = d3.groups(rows, (r) => r.x).map(([x, rs]) => ({ x, mean: d3.mean(rs, (r) => r.st.mean)!, lo: d3.mean(rs, (r) => r.st.ciLow)!, hi: d3.mean(rs, (r) => r.st.ciHigh)! }));
  groups.sort((a, b) => a.x - b.x);
  const W = 640;
  const H = 300;
  const mg = { t: 24, r: 20, b: 40, l: 80 };
  const svg = parent.append('svg').attr('width', W).attr('height', H).attr('class', 'line-chart');
  const xs = d3.scaleLinear().domain(d3.extent(groups, (g) => g.x) as [number, number]).nice().range([mg.l, W - mg.r]);
  const ext = d3.extent(groups.flatMap((g) => [g.lo, g.hi, g.mean]).filter(Number.isFinite)) as [number, number];
  const ys = d3.scaleLinear().domain(ext[0] === undefined ? [0, 1] : ext).nice().range([H - mg.b, mg.t]);
  svg.append('g').attr('transform', `translate(0,${H - mg.b})`).call(d3.axisBottom(xs).ticks(6));
  svg.append('g').attr('transform', `translate(${mg.l},0)`).call(d3.axisLeft(ys).ticks(6));
  svg.append('text').attr('x', W - mg.r).attr('y', H - 6).attr('text-anchor', 'end').text(px);
  svg.append('text').attr('x', mg.l).attr('y', 14).text(`${metric} (mean, 95% CI)`);
  const ok = groups.filter((g) => Number.isFinite(g.lo) && Number.isFinite(g.hi));
  svg.append('path').attr('class', 'ci-band').attr('fill', '#56B4E9').attr('opacity', 0.3).attr('d', d3.area<(typeof ok)[number]>().x((g) => xs(g.x)).y0((g) => ys(g.lo)).y1((g) => ys(g.hi))(ok));
  svg.append('path').attr('fill', 'none').attr('stroke', '#0072B2').attr('stroke-width', 2).attr('d', d3.line<(typeof groups)[number]>().x((g) => xs(g.x)).y((g) => ys(g.mean))(groups));
  svg.selectAll('circle').data(groups).join('circle').attr('cx', (g) => xs(g.x)).attr('cy', (g) => ys(g.mean)).attr('r', 4).attr('fill', '#0072B2')
    .on('mousemove', (ev: MouseEvent, g) => show(tip, ev, `${px} = ${fmt(g.x)}: ${fmt(g.mean)} [${fmt(g.lo)}, ${fmt(g.hi)}]`))
    .on('mouseout', () => tip.style('opacity', 0));
}

/** Metric over two parameters: one cell per (x, y), coloured by the mean. */
function heat(parent: d3.Selection<HTMLDivElement, unknown, null, undefined>, rows: Row[], px: string, py: string, metric: string, tip: Tip): void {
  const xv = [...new Set(rows.map((r) => r.x))].sort((a, b) => a - b);
  const yv = [...new Set(rows.map((r) => r.y))].sort((a, b) => a - b);
  const W = 640;
  const H = 360;
  const mg = { t: 24, r: 20, b: 40, l: 80 };
  const svg = parent.append('svg').attr('width', W).attr('height', H).attr('class', 'heatmap');
  const xs = d3.scaleBand<number>().domain(xv).range([mg.l, W - mg.r]).padding(0.05);
  const ys = d3.scaleBand<number>().domain(yv).range([H - mg.b, mg.t]).padding(0.05);
  const color = d3.scaleSequential(d3.interpolateViridis).domain(d3.extent(rows, (r) => r.st.mean) as [number, number]);
  svg.append('g').attr('transform', `translate(0,${H - mg.b})`).call(d3.axisBottom(xs).tickFormat((d) => fmt(d)));
  svg.append('g').attr('transform', `translate(${mg.l},0)`).call(d3.axisLeft(ys).tickFormat((d) => fmt(d)));
  svg.append('text').attr('x', W - mg.r).attr('y', H - 6).attr('text-anchor', 'end').text(px);
  svg.append('text').attr('x', mg.l).attr('y', 14).text(`${metric} by ${px} × ${py}`);
  svg.selectAll('rect.cell').data(rows).join('rect').attr('class', 'cell')
    .attr('x', (r) => xs(r.x)!).attr('y', (r) => ys(r.y)!).attr('width', xs.bandwidth()).attr('height', ys.bandwidth())
    .attr('fill', (r) => (Number.isFinite(r.st.mean) ? color(r.st.mean) : '#ccc'))
    .on('mousemove', (ev: MouseEvent, r) => show(tip, ev, `${px} = ${fmt(r.x)}, ${py} = ${fmt(r.y)}: ${fmt(r.st.mean)} [${fmt(r.st.ciLow)}, ${fmt(r.st.ciHigh)}], n = ${r.st.n}`))
    .on('mouseout', () => tip.style('opacity', 0));
}

main();
