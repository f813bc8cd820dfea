/**
 * A metric over two parameters: one cell per point coloured by its mean (or its paired difference
 * against the baseline) with the value written in it; hovering gives the CI, sd and run count. A
 * point without a value (its runs failed, or none has the metric) is a grey hatched cell labelled
 * 'no data', whose tooltip says why; it takes no part in the colour scale.
 */
import { axisBottom, axisLeft, color as d3color, interpolatePuOr, interpolateViridis, scaleBand, scaleDiverging, scaleSequential, type Selection } from 'd3';
import { hasData, noDataReason, type Cell, type Which } from '../data/sweep';
import { compact, exact, num, withUnit } from '../ui/format';
import { hideTip, showTip } from '../ui/tooltip';

const label = (v: unknown): string => (typeof v === 'number' ? num(v) : JSON.stringify(v));

/** The parameters on the x and y axes, each with its unit ('' if none). */
export interface HeatAxes {
  x: string;
  xUnit: string;
  y: string;
  yUnit: string;
}

export function heatmap(parent: Selection<HTMLDivElement, unknown, null, undefined>, cells: Cell[], a: HeatAxes, metric: string, unit: string, which: Which = 'mean', baseline?: number): void {
  const { x: px, y: py } = a;
  const xv = [...new Map(cells.map((c) => [JSON.stringify(c.x), c.x])).values()];
  const yv = [...new Map(cells.map((c) => [JSON.stringify(c.y), c.y])).values()];
  const sortVals = (vs: unknown[]): unknown[] => (vs.every((v) => typeof v === 'number') ? (vs as number[]).sort((a, b) => a - b) : vs);
  const W = Math.min(760, 140 + 90 * xv.length);
  // The y axis is named above the plot, not along it: a few rows are shorter than a parameter's name and unit.
  const H = Math.min(540, 110 + 46 * yv.length);
  const m = { top: 28, right: 110, bottom: 48, left: 110 };
  parent.append('h3').text(`${metric}${unit === '' ? '' : ` (${unit})`} by ${px} × ${py}`);
  const svg = parent.append('svg').attr('class', 'heatmap').attr('width', W).attr('height', H).attr('role', 'img').attr('aria-label', `${metric} by ${px} and ${py}`);
  const xs = scaleBand<string>().domain(sortVals(xv).map((v) => JSON.stringify(v))).range([m.left, W - m.right]).padding(0.04);
  const ys = scaleBand<string>().domain(sortVals(yv).map((v) => JSON.stringify(v))).range([H - m.bottom, m.top]).padding(0.04);
  const vals = cells.filter((c) => hasData(c.stat)).map((c) => c.stat.mean);
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  const color =
    lo < 0 && hi > 0
      ? scaleDiverging(interpolatePuOr).domain([-Math.max(-lo, hi), 0, Math.max(-lo, hi)])
      : scaleSequential(interpolateViridis).domain(vals.length === 0 ? [0, 1] : [lo, hi === lo ? lo + 1 : hi]);
  svg.append('g').attr('transform', `translate(0,${H - m.bottom})`).call(axisBottom(xs).tickFormat((d) => label(JSON.parse(d))));
  svg.append('g').attr('transform', `translate(${m.left},0)`).call(axisLeft(ys).tickFormat((d) => label(JSON.parse(d))));
  svg.append('text').attr('class', 'axis-label').attr('x', (m.left + W - m.right) / 2).attr('y', H - 8).attr('text-anchor', 'middle').text(withUnit(px, a.xUnit));
  svg.append('text').attr('class', 'axis-label').attr('x', 4).attr('y', 14).text(`↑ ${withUnit(py, a.yUnit)}`);
  // The 'no data' hatching: grey diagonal lines.
  const hatch = svg.append('defs').append('pattern').attr('id', 'no-data-hatch').attr('patternUnits', 'userSpaceOnUse').attr('width', 8).attr('height', 8).attr('patternTransform', 'rotate(45)');
  hatch.append('rect').attr('width', 8).attr('height', 8).attr('fill', '#eee');
  hatch.append('line').attr('x1', 0).attr('y1', 0).attr('x2', 0).attr('y2', 8).attr('stroke', '#bbb').attr('stroke-width', 3);
  const g = svg.selectAll('g.cell').data(cells).join('g').attr('class', 'cell-g');
  g.filter((c) => !hasData(c.stat))
    .append('rect')
    .attr('class', 'no-data')
    .attr('data-point', (c) => c.point)
    .attr('x', (c) => xs(JSON.stringify(c.x))!)
    .attr('y', (c) => ys(JSON.stringify(c.y))!)
    .attr('width', xs.bandwidth())
    .attr('height', ys.bandwidth())
    .attr('fill', 'url(#no-data-hatch)')
    .on('mousemove', (ev: MouseEvent, c) => showTip(ev, [`${withUnit(px, a.xUnit)} = ${label(c.x)}, ${withUnit(py, a.yUnit)} = ${label(c.y)}`, `${metric}: ${noDataReason(c, which)}`]))
    .on('mouseleave', hideTip);
  g.filter((c) => hasData(c.stat))
    .append('rect')
    .attr('class', 'cell')
    .attr('data-point', (c) => c.point)
    .attr('data-mean', (c) => exact(c.stat.mean))
    .attr('x', (c) => xs(JSON.stringify(c.x))!)
    .attr('y', (c) => ys(JSON.stringify(c.y))!)
    .attr('width', xs.bandwidth())
    .attr('height', ys.bandwidth())
    .attr('fill', (c) => color(c.stat.mean))
    .on('mousemove', (ev: MouseEvent, c) =>
      showTip(ev, [
        `${withUnit(px, a.xUnit)} = ${label(c.x)}, ${withUnit(py, a.yUnit)} = ${label(c.y)}`,
        `${metric}: mean ${exact(c.stat.mean)}${unit === '' ? '' : ` ${unit}`}`,
        `95% CI [${exact(c.stat.ciLow)}, ${exact(c.stat.ciHigh)}]`,
        `sd ${exact(c.stat.sd)}, n = ${c.stat.n}`,
      ]),
    )
    .on('mouseleave', hideTip);
  g.append('text')
    .attr('class', 'cell-value')
    .attr('x', (c) => xs(JSON.stringify(c.x))! + xs.bandwidth() / 2)
    .attr('y', (c) => ys(JSON.stringify(c.y))! + ys.bandwidth() / 2 + 4)
    .attr('text-anchor', 'middle')
    .attr('pointer-events', 'none')
    .attr('font-size', 11)
    .attr('fill', (c) => {
      const rgb = hasData(c.stat) ? d3color(String(color(c.stat.mean)))?.rgb() : undefined;
      return rgb === undefined || 0.299 * rgb.r + 0.587 * rgb.g + 0.114 * rgb.b > 140 ? '#000' : '#fff';
    })
    .text((c) => (hasData(c.stat) ? compact(c.stat.mean) : 'no data'));
  // The baseline's cell: outlined, and named in its corner.
  const base = cells.find((c) => c.point === baseline);
  if (base !== undefined) {
    const bx = xs(JSON.stringify(base.x))!;
    const by = ys(JSON.stringify(base.y))!;
    const mark = svg.append('g').attr('class', 'baseline-mark').attr('data-point', base.point).attr('pointer-events', 'none');
    mark.append('rect').attr('x', bx + 1.5).attr('y', by + 1.5).attr('width', xs.bandwidth() - 3).attr('height', ys.bandwidth() - 3).attr('fill', 'none').attr('stroke', '#000').attr('stroke-width', 3);
    mark.append('text').attr('x', bx + 5).attr('y', by + 13).attr('font-size', 10).text('baseline');
  }
  // No value anywhere: no colour scale to show.
  if (vals.length === 0) return;
  // Colour scale: a vertical bar with the metric's range.
  const bar = svg.append('g').attr('transform', `translate(${W - m.right + 24},${m.top})`);
  const steps = 40;
  const h = H - m.top - m.bottom;
  const [c0, c1] = [color.domain()[0]!, color.domain().at(-1)!];
  for (let i = 0; i < steps; i++) {
    const v = c0 + ((c1 - c0) * i) / (steps - 1);
    bar.append('rect').attr('x', 0).attr('y', h - ((i + 1) * h) / steps).attr('width', 12).attr('height', h / steps + 0.5).attr('fill', color(v));
  }
  bar.append('text').attr('class', 'axis-label').attr('x', 16).attr('y', 10).text(compact(c1));
  bar.append('text').attr('class', 'axis-label').attr('x', 16).attr('y', h).text(compact(c0));
  if (unit !== '') bar.append('text').attr('class', 'axis-label').attr('x', 16).attr('y', h / 2).text(unit);
}
