/**
 * P&L per agent (USD) over the blocks, led by `edge` — what each agent's activity earned against
 * holding what it held at the measurement point — from pnl.csv's sampled rows; `hold` (what holding
 * alone gained) and `total` (blocks.csv's pnl_<agent>, every block) are lines of their own, off at
 * first. Agents are listed by their final edge, best first; the legend toggles agents and a filter
 * keeps only the agents of one kind. A symmetric log scale keeps the small P&Ls readable next to
 * one that is orders of magnitude larger.
 */
import { scaleLinear, scaleSymlog, select } from 'd3';
import { extent, m4, visibleRange } from '../data/decimate';
import { pnlLines, sampleAt, samplingStep, type PnlLines } from '../data/pnl-lines';
import { pnlSeries } from '../data/series';
import { axis, blockMargin, clear, drawLine, frame, rule } from '../ui/frame';
import { num, withUnitValue } from '../ui/format';
import { legend } from '../ui/legend';
import { seriesStyle } from '../ui/palette';
import { spaced, symlogTicks } from '../ui/ticks';
import { forkRule, row, type Ctx } from './context';
import { interact, xScale } from './interact';
import { schedule } from './schedule';
import type { Store } from './store';
import { blockLine } from './timeline';

type Line = 'edge' | 'hold' | 'total';
const LINES: { key: Line; label: string; dash: number[]; width: number; alpha: number }[] = [
  { key: 'edge', label: 'edge: against holding (total − hold)', dash: [], width: 1.75, alpha: 1 },
  { key: 'hold', label: 'hold: what holding alone gained', dash: [7, 4], width: 1.25, alpha: 0.75 },
  { key: 'total', label: 'total', dash: [1.5, 3], width: 2, alpha: 0.9 },
];

export function pnlPanel(parent: HTMLElement, ctx: Ctx, store: Store): void {
  const sampled = pnlLines(ctx.data.pnl);
  const agents = pnlSeries(ctx.blocks, ctx.data.summary).map((s, i) => ({
    ...s,
    style: seriesStyle(i),
    total: ctx.blocks.data[ctx.blocks.columns.indexOf(s.column)]!,
    lines: sampled?.get(s.agent),
    edge: ctx.data.summary.agents.find((a) => a.id === s.agent)?.pnl.edge ?? NaN,
  }));
  if (agents.length === 0) return;
  // Best edge first (agents without one last, in the summary's order).
  const series = [...agents].sort((a, b) => (Number.isFinite(b.edge) ? b.edge : -Infinity) - (Number.isFinite(a.edge) ? a.edge : -Infinity));
  const hasEdge = series.some((s) => s.lines !== undefined);
  const section = select(parent).append('section').attr('id', 'pnl').attr('aria-labelledby', 'pnl-h');
  section.append('h2').attr('id', 'pnl-h').text(hasEdge ? 'P&L per agent: edge against holding' : 'Cumulative P&L per agent');
  section.attr('data-order', series.map((s) => s.agent).join(' '));
  const first = series.find((s) => s.lines !== undefined)?.lines;
  const step = first === undefined ? 1 : samplingStep(first.block);
  section
    .append('p')
    .attr('class', 'note sampling')
    .attr('data-step', step)
    .text(
      hasEdge
        ? `Edge and hold come from pnl.csv, ${step === 1 ? 'every block' : `sampled every ${num(step)} blocks (and the last block)`}; total from blocks.csv, every block. Edge = total − hold: what the agent's activity earned against holding its starting holdings.`
        : 'Cumulative P&L (total) from blocks.csv, every block: this output has no edge and hold over time (pnl.csv of an older format).',
    );
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
  // Which lines: edge on, hold and total off (without pnl.csv's edge, total alone).
  const offLines = new Set<string>(hasEdge ? ['hold', 'total'] : ['edge', 'hold']);
  const lineItems = LINES.filter((l) => hasEdge || l.key === 'total');
  legend(section.node()!, 'pnl-lines', lineItems.map((l) => ({ key: l.key, label: l.label, style: { color: '#333333', dash: l.dash } })), offLines, () => draw());
  const hidden = new Set<string>();
  const legendBox = section.append('div').node()!;
  legend(legendBox, 'pnl-legend', series.map((s) => ({ key: s.agent, label: s.agent, style: s.style, title: `${s.agent} (${s.kind}): edge ${withUnitValue(s.edge, 'USD')}` })), hidden, () => draw());
  const f = frame(section.node()!, 'pnl-chart', ctx.width, 300, blockMargin(ctx.width, 10, 34), 'P&L per agent, USD');
  const shownByKind = (): typeof series => {
    const k = kindSelect.property('value') as string;
    return series.filter((s) => k === 'all' || s.kind === k);
  };
  kindSelect.on('change', () => {
    const inKind = new Set(shownByKind().map((s) => s.agent));
    section.selectAll<HTMLButtonElement, { key: string }>('.pnl-legend .legend-item').style('display', (d) => (inKind.has(d.key) ? null : 'none'));
    draw();
  });
  /** The x and y arrays of one line of one agent. */
  const arrays = (s: (typeof series)[number], l: Line): [ArrayLike<number>, ArrayLike<number>] | undefined => {
    if (l === 'total') return [ctx.x, s.total];
    const p: PnlLines | undefined = s.lines;
    return p === undefined ? undefined : [p.block, p[l]];
  };
  function draw(): void {
    const { domain, block } = store.get();
    const xs = xScale(f, domain);
    const shown = shownByKind().filter((s) => !hidden.has(s.agent));
    const lines = lineItems.filter((l) => !offLines.has(l.key));
    const symlog = scaleSelect.property('value') === 'symlog';
    let lo = Infinity;
    let hi = -Infinity;
    const todo: { x: ArrayLike<number>; y: ArrayLike<number>; i0: number; i1: number; s: (typeof series)[number]; l: (typeof LINES)[number] }[] = [];
    for (const s of shown) {
      for (const l of lines) {
        const a = arrays(s, l.key);
        if (a === undefined) continue;
        const [i0, i1] = visibleRange(a[0], domain[0], domain[1]);
        const e = extent(a[1], i0, i1);
        if (e !== undefined) [lo, hi] = [Math.min(lo, e[0]), Math.max(hi, e[1])];
        todo.push({ x: a[0], y: a[1], i0, i1, s, l });
      }
    }
    const pad = lo <= hi ? (hi - lo) * 0.05 || Math.abs(hi) * 0.01 || 1 : 0;
    const dom: [number, number] = lo <= hi ? [lo - pad, hi + pad] : [0, 1];
    const ys = symlog ? scaleSymlog().constant(1).domain(dom).range([f.height - f.m.bottom, f.m.top]) : scaleLinear().domain(dom).nice().range([f.height - f.m.bottom, f.m.top]);
    clear(f);
    for (const t of todo) {
      const p = m4(t.x, t.y, t.i0, t.i1, domain[0], domain[1], f.width - f.m.left - f.m.right);
      // One kind of line shown: each agent's own style; several: told apart by their dashes.
      const alone = lines.length === 1;
      drawLine(f, p.x, p.y, xs, ys, t.s.style.color, alone || t.l.key === 'edge' ? t.s.style.dash : t.l.dash, alone ? 1.75 : t.l.width, alone ? 1 : t.l.alpha);
    }
    select(f.canvas)
      .attr('data-series', shown.length)
      .attr('data-agents', shown.map((s) => s.agent).join('\n'))
      .attr('data-lines', lines.map((l) => l.key).join(' '))
      .attr('data-scale', symlog ? 'symlog' : 'linear');
    axis(f, 'bottom', xs, 'block');
    forkRule(f, ctx, xs);
    const what = lines.length === 1 ? lines[0]!.key : 'P&L';
    axis(f, 'left', ys, symlog ? `${what} (USD, symmetric log scale)` : `${what} (USD)`, 6, symlog ? spaced(symlogTicks(dom), ys, 14) : undefined);
    f.svg.selectAll('line.zero').data([0]).join('line').attr('class', 'zero').attr('x1', f.m.left).attr('x2', f.width - f.m.right).attr('y1', ys(0)).attr('y2', ys(0)).style('display', ys(0) >= f.m.top && ys(0) <= f.height - f.m.bottom ? '' : 'none');
    rule(f, 'selected', block, xs);
    section.attr('data-domain', `${+domain[0].toFixed(3)},${+domain[1].toFixed(3)}`);
  }
  interact(f, store, 'pnl', (b) => {
    const i = row(ctx, b);
    const lines = lineItems.filter((l) => !offLines.has(l.key));
    const at = first === undefined ? -1 : sampleAt(first.block, b);
    const sampledAt = at < 0 ? undefined : first!.block[at];
    const head = [blockLine(ctx, b)];
    if (sampledAt !== undefined && sampledAt !== b && lines.some((l) => l.key !== 'total')) head.push(`edge and hold at the sample of block ${num(sampledAt)}`);
    const value = (s: (typeof series)[number], l: Line): string => {
      if (l === 'total') return withUnitValue(i < 0 ? NaN : s.total[i], 'USD');
      const p = s.lines;
      return p === undefined ? '—' : withUnitValue(p[l][sampleAt(p.block, b)], 'USD');
    };
    return [...head, ...shownByKind().filter((s) => !hidden.has(s.agent)).map((s) => `${s.agent}: ${lines.map((l) => `${l.key} ${value(s, l.key)}`).join(' · ')}`)];
  });
  store.on((_v, changed) => {
    if (changed.has('domain')) schedule(draw);
    else rule(f, 'selected', store.get().block, xScale(f, store.get().domain));
  });
  draw();
}
