/**
 * Cumulative P&L per agent (USD) over the blocks, one line each from the block table's pnl_<agent>
 * columns; the legend toggles agents and a filter keeps only the agents of one kind. A symmetric
 * log scale keeps the small P&Ls readable next to one that is orders of magnitude larger.
 */
import { scaleLinear, scaleSymlog, select } from 'd3';
import { m4, paddedDomain, visibleRange } from '../data/decimate';
import { pnlSeries } from '../data/series';
import { axis, clear, drawLine, frame, rule } from '../ui/frame';
import { exact } from '../ui/format';
import { legend } from '../ui/legend';
import { seriesStyle } from '../ui/palette';
import { spaced, symlogTicks } from '../ui/ticks';
import { row, type Ctx } from './context';
import { interact, xScale } from './interact';
import { schedule } from './schedule';
import type { Store } from './store';

export function pnlPanel(parent: HTMLElement, ctx: Ctx, store: Store): void {
  const series = pnlSeries(ctx.blocks, ctx.data.summary).map((s, i) => ({ ...s, style: seriesStyle(i), y: ctx.blocks.data[ctx.blocks.columns.indexOf(s.column)]! }));
  if (series.length === 0) return;
  const section = select(parent).append('section').attr('id', 'pnl').attr('aria-labelledby', 'pnl-h');
  section.append('h2').attr('id', 'pnl-h').text('Cumulative P&L per agent');
  const kinds = [...new Set(series.map((s) => s.kind))];
  const filter = section.append('label').attr('class', 'control').text('agent kind ');
  const kindSelect = filter.append('select').attr('class', 'kind-filter');
  kindSelect.selectAll('option').data(['all', ...kinds]).join('option').attr('value', (d) => d).text((d) => (d === 'all' ? 'all kinds' : d));
  const scaleLabel = section.append('label').attr('class', 'control').text('scale ');
  const scaleSelect = scaleLabel.append('select').attr('class', 'pnl-scale');
  scaleSelect
    .selectAll('option')
    .data([
      { value: 'linear', text: 'linear' },
      { value: 'symlog', text: 'symmetric log (sign × log₁₀, linear within ±1 USD)' },
    ])
    .join('option')
    .attr('value', (d) => d.value)
    .text((d) => d.text);
  scaleSelect.on('change', () => draw());
  const hidden = new Set<string>();
  const legendBox = section.append('div').node()!;
  legend(legendBox, 'pnl-legend', series.map((s) => ({ key: s.agent, label: s.agent, style: s.style, title: `${s.agent} (${s.kind}), USD` })), hidden, () => draw());
  const f = frame(section.node()!, 'pnl-chart', ctx.width, 300, { top: 10, right: 20, bottom: 34, left: 78 }, 'cumulative P&L per agent, USD');
  const shownByKind = (): typeof series => {
    const k = kindSelect.property('value') as string;
    return series.filter((s) => k === 'all' || s.kind === k);
  };
  kindSelect.on('change', () => {
    const inKind = new Set(shownByKind().map((s) => s.agent));
    section.selectAll<HTMLButtonElement, { key: string }>('.pnl-legend .legend-item').style('display', (d) => (inKind.has(d.key) ? null : 'none'));
    draw();
  });
  function draw(): void {
    const { domain, block } = store.get();
    const xs = xScale(f, domain);
    const [i0, i1] = visibleRange(ctx.x, domain[0], domain[1]);
    const shown = shownByKind().filter((s) => !hidden.has(s.agent));
    const symlog = scaleSelect.property('value') === 'symlog';
    const dom = paddedDomain(shown.map((s) => s.y), i0, i1);
    const ys = symlog ? scaleSymlog().constant(1).domain(dom).range([f.height - f.m.bottom, f.m.top]) : scaleLinear().domain(dom).nice().range([f.height - f.m.bottom, f.m.top]);
    clear(f);
    for (const s of shown) {
      const p = m4(ctx.x, s.y, i0, i1, domain[0], domain[1], f.width - f.m.left - f.m.right);
      drawLine(f, p.x, p.y, xs, ys, s.style.color, s.style.dash);
    }
    select(f.canvas).attr('data-series', shown.length).attr('data-agents', shown.map((s) => s.agent).join('\n')).attr('data-scale', symlog ? 'symlog' : 'linear');
    axis(f, 'bottom', xs, 'block');
    axis(f, 'left', ys, symlog ? 'P&L (USD, symmetric log scale)' : 'P&L (USD)', 6, symlog ? spaced(symlogTicks(dom), ys, 14) : undefined);
    f.svg.selectAll('line.zero').data([0]).join('line').attr('class', 'zero').attr('x1', f.m.left).attr('x2', f.width - f.m.right).attr('y1', ys(0)).attr('y2', ys(0)).style('display', ys(0) >= f.m.top && ys(0) <= f.height - f.m.bottom ? '' : 'none');
    rule(f, 'selected', block, xs);
    section.attr('data-domain', `${+domain[0].toFixed(3)},${+domain[1].toFixed(3)}`);
  }
  interact(f, store, 'pnl', (b) => {
    const i = row(ctx, b);
    if (i < 0) return [`block ${b}`];
    return [`block ${b}`, ...shownByKind().filter((s) => !hidden.has(s.agent)).map((s) => `${s.agent}: ${exact(s.y[i])} USD`)];
  });
  store.on((_v, changed) => {
    if (changed.has('domain')) schedule(draw);
    else rule(f, 'selected', store.get().block, xScale(f, store.get().domain));
  });
  draw();
}
