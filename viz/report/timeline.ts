/**
 * The timeline: reference and venue prices per block (canvas, min/max-decimated per pixel column),
 * one y axis per unit, event lanes with rebalance / sandwich / arbitrage / revert markers above
 * them, and the selected block. It follows the shared block range, which its zoom also moves.
 */
import { scaleLinear, select } from 'd3';
import { m4, paddedDomain, visibleRange } from '../data/decimate';
import { priceSeries, unitGroups } from '../data/series';
import { axis, clear, drawLine, frame, rule } from '../ui/frame';
import { exact } from '../ui/format';
import { legend } from '../ui/legend';
import { seriesStyle } from '../ui/palette';
import { row, type Ctx } from './context';
import { interact, xScale } from './interact';
import { drawMarkers, LANES_HEIGHT } from './marks';
import { schedule } from './schedule';
import type { Store } from './store';

export function timeline(parent: HTMLElement, ctx: Ctx, store: Store): void {
  const section = select(parent).append('section').attr('id', 'timeline').attr('aria-labelledby', 'timeline-h');
  section.append('h2').attr('id', 'timeline-h').text('Prices and events');
  const series = priceSeries(ctx.blocks, ctx.data.summary).map((s, i) => ({ ...s, style: seriesStyle(i), reference: s.column.startsWith('ref_'), y: ctx.blocks.data[ctx.blocks.columns.indexOf(s.column)]! }));
  const units = unitGroups(series);
  const hidden = new Set<string>();
  legend(section.node()!, 'price-legend', series.map((s) => ({ key: s.column, label: s.label, style: s.style, title: `${s.label}, ${s.unit}` })), hidden, () => draw());
  const f = frame(section.node()!, 'main', ctx.width, 340, { top: LANES_HEIGHT + 10, right: units.length > 1 ? 78 : 20, bottom: 34, left: 78 }, 'reference and venue prices per block');
  const leftUnit = units[0] ?? 'price';
  const rightUnits = units.slice(1);

  function draw(): void {
    const { domain, block } = store.get();
    const xs = xScale(f, domain);
    const [i0, i1] = visibleRange(ctx.x, domain[0], domain[1]);
    const shown = series.filter((s) => !hidden.has(s.column));
    const left = shown.filter((s) => s.unit === leftUnit);
    const right = shown.filter((s) => s.unit !== leftUnit);
    const yl = scaleLinear().domain(paddedDomain(left.map((s) => s.y), i0, i1)).nice().range([f.height - f.m.bottom, f.m.top]);
    const yr = scaleLinear().domain(paddedDomain(right.map((s) => s.y), i0, i1)).nice().range([f.height - f.m.bottom, f.m.top]);
    clear(f);
    let points = 0;
    const columns = f.width - f.m.left - f.m.right;
    // Venue prices are noisy and hug the reference: drawn first and see-through, with the
    // reference last and thicker, so that it stays visible over the whole run.
    for (const s of [...shown.filter((s) => !s.reference), ...shown.filter((s) => s.reference)]) {
      const p = m4(ctx.x, s.y, i0, i1, domain[0], domain[1], columns);
      points += p.x.length;
      drawLine(f, p.x, p.y, xs, s.unit === leftUnit ? yl : yr, s.style.color, s.style.dash, s.reference ? 2.5 : 1.25, s.reference ? 1 : 0.7);
    }
    select(f.canvas).attr('data-series', shown.length).attr('data-points', points);
    axis(f, 'bottom', xs, 'block');
    axis(f, 'left', yl, `price (${leftUnit})`);
    if (rightUnits.length > 0) axis(f, 'right', yr, `price (${rightUnits.join('; ')})`);
    drawMarkers(f, ctx, xs, store);
    rule(f, 'selected', block, xs);
    section.attr('data-domain', `${+domain[0].toFixed(3)},${+domain[1].toFixed(3)}`);
  }

  interact(f, store, 'timeline', (b) => {
    const i = row(ctx, b);
    if (i < 0) return [`block ${b}`];
    const t = ctx.time?.[i];
    return [`block ${b}${t === undefined ? '' : `, t = ${exact(t)} s`}`, ...series.filter((s) => !hidden.has(s.column)).map((s) => `${s.label}: ${exact(s.y[i])} ${s.unit}`)];
  });
  store.on((_v, changed) => {
    if (changed.has('domain')) schedule(draw);
    else rule(f, 'selected', store.get().block, xScale(f, store.get().domain));
  });
  draw();
}
