/**
 * A metric against one numeric parameter: one line per value of another parameter, each with its
 * 95% confidence band; points give the exact mean and CI on hover, the legend toggles lines. Bands
 * are faint with an outline: several overlapping ones must not stack into an opaque block. A point
 * without a value (its runs failed, or none has the metric) breaks its line and band, and is marked
 * 'no data' on the x axis — a grey cross whose tooltip says why — rather than drawn as a value.
 */
import { area, axisBottom, axisLeft, line, scaleLinear, scaleLog, type Selection } from 'd3';
import { hasData, logSpaced, noDataReason, type Line, type Which } from '../data/sweep';
import { exact, num, valueTicks, withUnit } from '../ui/format';
import { legend } from '../ui/legend';
import { seriesStyle } from '../ui/palette';
import { hideTip, showTip } from '../ui/tooltip';

type P = Line['points'][number];

/** The parameter on the x axis and the one that groups the lines, each with its unit ('' if none). */
export interface Axes {
  x: string;
  xUnit: string;
  group: string | null;
  groupUnit: string;
}

export function lineChart(parent: Selection<HTMLDivElement, unknown, null, undefined>, ls: Line[], a: Axes, metric: string, unit: string, which: Which = 'mean', baseline?: number): void {
  const box = parent.append('div').attr('class', 'line-box');
  box.append('h3').text(`${metric}: mean and 95% confidence interval against ${withUnit(a.x, a.xUnit)}`);
  const hidden = new Set<string>();
  const keyOf = (l: Line): string => JSON.stringify(l.key) ?? '';
  const name = (l: Line): string => (a.group === null ? metric : `${withUnit(a.group, a.groupUnit)} = ${typeof l.key === 'number' ? num(l.key) : JSON.stringify(l.key)}`);
  if (a.group !== null) legend(box.node()!, 'sweep-legend', ls.map((l, i) => ({ key: keyOf(l), label: name(l), style: seriesStyle(i) })), hidden, () => draw());
  const W = 760;
  const H = 340;
  const m = { top: 12, right: 24, bottom: 48, left: 90 };
  const svg = box.append('svg').attr('class', 'line-chart').attr('width', W).attr('height', H).attr('role', 'img').attr('aria-label', `${metric} against ${a.x}`);
  const all = ls.flatMap((l) => l.points);
  // Log-spaced values (0.01, 0.02, 0.05, 0.1, 0.2) on a log axis, ticked at the values themselves.
  const xValues = [...new Set(all.map((p) => p.x))].sort((p, q) => p - q);
  const log = logSpaced(xValues);
  const xDomain = [Math.min(...xValues), Math.max(...xValues)];
  const xs = log ? scaleLog().domain(xDomain).range([m.left + 12, W - m.right - 12]) : scaleLinear().domain(xDomain).nice().range([m.left, W - m.right]);
  svg.attr('data-x-scale', log ? 'log' : 'linear');
  const gx = svg.append('g').attr('transform', `translate(0,${H - m.bottom})`);
  const gy = svg.append('g').attr('transform', `translate(${m.left},0)`);
  svg.append('text').attr('class', 'axis-label').attr('x', (m.left + W - m.right) / 2).attr('y', H - 8).attr('text-anchor', 'middle').text(`${withUnit(a.x, a.xUnit)}${log ? ', log scale' : ''}`);
  svg.append('text').attr('class', 'axis-label').attr('transform', `translate(14,${(m.top + H - m.bottom) / 2}) rotate(-90)`).attr('text-anchor', 'middle').text(withUnit(metric, unit));
  const plot = svg.append('g');
  const key = box.append('p').attr('class', 'note no-data-key');
  function draw(): void {
    const shown = ls.map((l, i) => ({ l, i })).filter(({ l }) => !hidden.has(keyOf(l)));
    const ys0 = shown.flatMap(({ l }) => l.points.flatMap((p) => [p.stat.mean, p.stat.ciLow, p.stat.ciHigh])).filter(Number.isFinite);
    const ys = scaleLinear().domain(ys0.length === 0 ? [0, 1] : [Math.min(...ys0), Math.max(...ys0)]).nice().range([H - m.bottom, m.top]);
    const xt = log ? xValues : xs.ticks(6);
    const yt = ys.ticks(6);
    const xf = valueTicks(xt);
    const yf = valueTicks(yt);
    gx.call(axisBottom(xs).tickValues(xt).tickFormat((v) => xf(+v)));
    gy.call(axisLeft(ys).tickValues(yt).tickFormat((v) => yf(+v)));
    plot.selectAll('*').remove();
    for (const { l, i } of shown) {
      const st = seriesStyle(i);
      const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
      const band = (p: P): boolean => finite(p.stat.ciLow) && finite(p.stat.ciHigh);
      plot
        .append('path')
        .attr('class', 'ci-band')
        .attr('fill', st.color)
        .attr('fill-opacity', 0.07)
        .attr('stroke', st.color)
        .attr('stroke-opacity', 0.45)
        .attr('stroke-width', 1)
        .attr('stroke-dasharray', '3 2')
        .attr('d', area<P>().defined(band).x((p) => xs(p.x)).y0((p) => ys(p.stat.ciLow)).y1((p) => ys(p.stat.ciHigh))(l.points));
      plot.append('path').attr('class', 'mean-line').attr('fill', 'none').attr('stroke', st.color).attr('stroke-width', 2).attr('stroke-dasharray', st.dash.join(' ') || null).attr('d', line<P>().defined((p) => hasData(p.stat)).x((p) => xs(p.x)).y((p) => ys(p.stat.mean))(l.points));
      plot
        .selectAll(null)
        .data(l.points.filter((p) => hasData(p.stat)))
        .join('circle')
        .attr('class', 'mean-point')
        .attr('cx', (p) => xs(p.x))
        .attr('cy', (p) => ys(p.stat.mean))
        .attr('r', 4)
        .attr('fill', st.color)
        .on('mousemove', (ev: MouseEvent, p) => showTip(ev, [`${name(l)}, ${withUnit(a.x, a.xUnit)} = ${exact(p.x)}`, `mean ${exact(p.stat.mean)}${unit === '' ? '' : ` ${unit}`}`, `95% CI [${exact(p.stat.ciLow)}, ${exact(p.stat.ciHigh)}], n = ${p.stat.n}`]))
        .on('mouseleave', hideTip);
      // No value: a grey cross just above the x axis, in the line's place, with the reason.
      const y0 = H - m.bottom - 6;
      plot
        .selectAll(null)
        .data(l.points.filter((p) => !hasData(p.stat)))
        .join('path')
        .attr('class', 'no-data')
        .attr('data-point', (p) => p.point)
        .attr('d', (p) => `M${xs(p.x) - 4},${y0 - 4}L${xs(p.x) + 4},${y0 + 4}M${xs(p.x) - 4},${y0 + 4}L${xs(p.x) + 4},${y0 - 4}`)
        .attr('stroke', '#888')
        .attr('stroke-width', 2)
        .attr('pointer-events', 'stroke')
        .on('mousemove', (ev: MouseEvent, p) => showTip(ev, [`${name(l)}, ${withUnit(a.x, a.xUnit)} = ${exact(p.x)}`, noDataReason(p, which)]))
        .on('mouseleave', hideTip);
    }
    // The baseline: a ring around its point, labelled.
    const base = baseline === undefined ? undefined : shown.flatMap(({ l }) => l.points).find((p) => p.point === baseline && hasData(p.stat));
    plot
      .selectAll('g.baseline-mark')
      .data(base === undefined ? [] : [base])
      .join((e) => {
        const g = e.append('g').attr('class', 'baseline-mark').attr('pointer-events', 'none');
        g.append('circle').attr('r', 8).attr('fill', 'none').attr('stroke', '#000').attr('stroke-width', 1.5);
        g.append('text').attr('x', 11).attr('y', -9).attr('font-size', 11).text('baseline');
        return g;
      })
      .attr('data-point', (p) => p.point)
      .attr('transform', (p) => `translate(${xs(p.x)},${ys(p.stat.mean)})`);
    svg.attr('data-lines', shown.length);
    const gaps = shown.reduce((n, { l }) => n + l.points.filter((p) => !hasData(p.stat)).length, 0);
    key.text(gaps === 0 ? '' : `× on the x axis: ${gaps === 1 ? 'a point' : `${gaps} points`} without a value (every run failed, or none has this metric); hover for why.`);
  }
  draw();
}
