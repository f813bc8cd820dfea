/**
 * The overview strip under the timeline: the whole run's first price series, with a brush whose
 * selection is the shared block range (brushing moves the charts above, zooming moves the brush).
 */
import { brushX, scaleLinear, select, type D3BrushEvent } from 'd3';
import { m4, paddedDomain } from '../data/decimate';
import { priceSeries } from '../data/series';
import { axis, blockMargin, drawLine, frame } from '../ui/frame';
import { seriesStyle } from '../ui/palette';
import { forkRule, type Ctx } from './context';
import { xScale } from './interact';
import type { Store } from './store';

export function overview(parent: HTMLElement, ctx: Ctx, store: Store): void {
  const f = frame(parent, 'overview', ctx.width, 84, blockMargin(ctx.width, 6, 32), 'overview of the whole run: drag to choose the range shown above');
  const full = xScale(f, store.extent);
  const spec = priceSeries(ctx.blocks, ctx.data.summary)[0];
  const y = spec === undefined ? undefined : ctx.blocks.data[ctx.blocks.columns.indexOf(spec.column)];
  if (y !== undefined) {
    const ys = scaleLinear().domain(paddedDomain([y], 0, y.length)).range([f.height - f.m.bottom, f.m.top]);
    const p = m4(ctx.x, y, 0, ctx.x.length, store.extent[0], store.extent[1], f.width - f.m.left - f.m.right);
    drawLine(f, p.x, p.y, full, ys, seriesStyle(0).color, [], 1);
  }
  axis(f, 'bottom', full, 'block');
  forkRule(f, ctx, full);
  let syncing = false;
  const brush = brushX<unknown>()
    .extent([
      [f.m.left, f.m.top],
      [f.width - f.m.right, f.height - f.m.bottom],
    ])
    .on('brush end', (ev: D3BrushEvent<unknown>) => {
      if (syncing || ev.sourceEvent === undefined) return;
      const s = ev.selection as [number, number] | null;
      // A click without a drag clears the selection: show the whole run again.
      store.set({ domain: s === null ? store.extent : [full.invert(s[0]), full.invert(s[1])] }, 'brush');
    });
  const g = f.svg.append('g').attr('class', 'brush').call(brush);
  const move = (): void => {
    const [a, b] = store.get().domain;
    syncing = true;
    const whole = a <= store.extent[0] && b >= store.extent[1];
    g.call(brush.move, whole ? null : [full(a), full(b)]);
    syncing = false;
  };
  store.on((_v, changed, source) => {
    if (changed.has('domain') && source !== 'brush') move();
  });
  move();
  select(f.svg.node()).attr('aria-label', 'overview of the whole run: drag to choose the range shown above');
}
