/**
 * The timeline: reference and venue prices per block (canvas, min/max-decimated per pixel column),
 * one y axis per unit (units past the second in panels of their own), event lanes with rebalance / sandwich / arbitrage / revert markers above
 * them, and the selected block. It follows the shared block range, which its zoom also moves.
 */
import { scaleLinear, select, type ScaleLinear } from 'd3';
import { m4, paddedDomain, visibleRange } from '../data/decimate';
import { priceSeries, unitGroups } from '../data/series';
import { axis, blockMargin, clear, drawLine, frame, rule, type Frame } from '../ui/frame';
import { num, when, withUnitValue } from '../ui/format';
import { legend } from '../ui/legend';
import { seriesStyle } from '../ui/palette';
import { forkRule, row, type Ctx } from './context';
import { interact, xScale } from './interact';
import { drawMarkers, LANES_HEIGHT } from './marks';
import { schedule } from './schedule';
import type { Store } from './store';

/** The tooltip's first line: the block, its time and clock. */
export function blockLine(ctx: Ctx, b: number): string {
  const i = row(ctx, b);
  const t = i < 0 ? undefined : ctx.time?.[i];
  return `block ${num(b)}${t === undefined ? '' : `, ${when(t)}`}`;
}

export function timeline(parent: HTMLElement, ctx: Ctx, store: Store): void {
  const section = select(parent).append('section').attr('id', 'timeline').attr('aria-labelledby', 'timeline-h');
  section.append('h2').attr('id', 'timeline-h').text('Prices and events');
  const series = priceSeries(ctx.blocks, ctx.data.summary).map((s, i) => ({ ...s, style: seriesStyle(i), reference: s.column.startsWith('ref_'), y: ctx.blocks.data[ctx.blocks.columns.indexOf(s.column)]! }));
  // One axis, one unit: the main chart takes the first two units (left and right axes), each
  // further unit gets a panel of its own under it, on the same block axis.
  const units = unitGroups(series);
  const hidden = new Set<string>();
  legend(section.node()!, 'price-legend', series.map((s) => ({ key: s.column, label: s.label, style: s.style, title: `${s.label}, ${s.unit}` })), hidden, () => draw());
  const f = frame(section.node()!, 'main', ctx.width, 340, blockMargin(ctx.width, LANES_HEIGHT + 10, 34), 'reference and venue prices per block');
  const leftUnit = units[0] ?? 'price';
  const rightUnit = units[1];
  const extra = units.slice(2).map((unit) => ({ unit, f: frame(section.node()!, 'unit-panel', ctx.width, 130, blockMargin(ctx.width, 8, 30), `prices in ${unit} per block`) }));
  extra.forEach((e) => e.f.div.attr('data-unit', e.unit));
  const columns = f.width - f.m.left - f.m.right;

  /** Draws the shown series of these units on a frame; returns the points drawn. */
  function lines(fr: Frame, shown: typeof series, xs: ScaleLinear<number, number>, ys: (unit: string) => (v: number) => number, i0: number, i1: number): number {
    let points = 0;
    const [d0, d1] = store.get().domain;
    // Venue prices are noisy and hug the reference: drawn first and see-through, with the
    // reference last and thicker, so that it stays visible over the whole run.
    for (const s of [...shown.filter((s) => !s.reference), ...shown.filter((s) => s.reference)]) {
      const p = m4(ctx.x, s.y, i0, i1, d0, d1, columns);
      points += p.x.length;
      drawLine(fr, p.x, p.y, xs, ys(s.unit), s.style.color, s.style.dash, s.reference ? 2.5 : 1.25, s.reference ? 1 : 0.7);
    }
    return points;
  }

  function draw(): void {
    const { domain, block } = store.get();
    const xs = xScale(f, domain);
    const [i0, i1] = visibleRange(ctx.x, domain[0], domain[1]);
    const shown = series.filter((s) => !hidden.has(s.column));
    const scaleFor = (fr: Frame, unit: string | undefined): ScaleLinear<number, number> =>
      scaleLinear()
        .domain(paddedDomain(shown.filter((s) => s.unit === unit).map((s) => s.y), i0, i1))
        .nice()
        .range([fr.height - fr.m.bottom, fr.m.top]);
    const yl = scaleFor(f, leftUnit);
    const yr = scaleFor(f, rightUnit);
    clear(f);
    const main = shown.filter((s) => s.unit === leftUnit || s.unit === rightUnit);
    const points = lines(f, main, xs, (u) => (u === leftUnit ? yl : yr), i0, i1);
    select(f.canvas).attr('data-series', main.length).attr('data-points', points);
    axis(f, 'bottom', xs, 'block');
    forkRule(f, ctx, xs);
    axis(f, 'left', yl, `price (${leftUnit})`);
    if (rightUnit !== undefined) axis(f, 'right', yr, `price (${rightUnit})`);
    drawMarkers(f, ctx, xs, store);
    rule(f, 'selected', block, xs);
    for (const e of extra) {
      const ys = scaleFor(e.f, e.unit);
      clear(e.f);
      const own = shown.filter((s) => s.unit === e.unit);
      select(e.f.canvas).attr('data-series', own.length).attr('data-points', lines(e.f, own, xs, () => ys, i0, i1));
      axis(e.f, 'bottom', xs, 'block');
      forkRule(e.f, ctx, xs);
      axis(e.f, 'left', ys, `price (${e.unit})`, 4);
      rule(e.f, 'selected', block, xs);
    }
    section.attr('data-domain', `${+domain[0].toFixed(3)},${+domain[1].toFixed(3)}`);
  }

  const tip = (units: readonly (string | undefined)[]) => (b: number): string[] => {
    const i = row(ctx, b);
    if (i < 0) return [`block ${num(b)}`];
    return [blockLine(ctx, b), ...series.filter((s) => !hidden.has(s.column) && units.includes(s.unit)).map((s) => `${s.label}: ${withUnitValue(s.y[i], s.unit)}`)];
  };
  interact(f, store, 'timeline', tip([leftUnit, rightUnit]));
  extra.forEach((e, k) => interact(e.f, store, `timeline-${k}`, tip([e.unit])));
  store.on((_v, changed) => {
    if (changed.has('domain')) schedule(draw);
    else for (const fr of [f, ...extra.map((e) => e.f)]) rule(fr, 'selected', store.get().block, xScale(fr, store.get().domain));
  });
  draw();
}
