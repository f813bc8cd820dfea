/**
 * The selected agent's P&L decomposition over time (from the sampled pnl table), led by its edge:
 * the activity's parts — trading (for a hedger, the hedge's own P&L), fees, LVR, swap fees paid,
 * gas, CEX costs, MEV, options — stacked above and below zero, with their sum, the edge, as a
 * dashed line; what holding alone gained (`hold`) and the total are lines of their own, off at
 * first (next to a large holding's gain the activity would be a sliver). Legend items toggle.
 */
import { area, bisectLeft, line, scaleLinear, select } from 'd3';
import { activeComponents, decompose, stack, type Component, type Decomposition } from '../data/decompose';
import { samplingStep } from '../data/pnl-lines';
import { axis, blockMargin, frame, rule } from '../ui/frame';
import { num, withUnitValue } from '../ui/format';
import { legend } from '../ui/legend';
import { COMPONENT_COLORS } from '../ui/palette';
import { forkRule, type Ctx } from './context';
import { interact, xScale } from './interact';
import { schedule } from './schedule';
import type { Store } from './store';
import { blockLine } from './timeline';

const LABELS: Record<Component, string> = {
  hold: 'holding alone',
  trading: 'trading / hedge P&L',
  fees: 'fees',
  lvr: 'LVR',
  swapFees: 'swap fees paid',
  gas: 'gas',
  cex: 'CEX costs',
  mev: 'MEV',
  options: 'options',
};

const LINES = [
  { key: 'hold', label: 'hold: holding alone', color: '#777777', dash: [7, 4] },
  { key: 'total', label: 'total', color: '#000000', dash: [1.5, 3] },
] as const;
const ALL_LINES = [{ key: 'edge', label: 'edge', color: '#000000', dash: [4, 2] }, ...LINES] as const;

const HEDGERS = ['static-hedger', 'rebalancing-hedger', 'delta-hedger'];

export function decompositionPanel(parent: HTMLElement, ctx: Ctx, store: Store): void {
  const pnl = ctx.data.pnl;
  if (pnl === null || pnl.rows.length === 0) return;
  const agents = ctx.data.summary.agents;
  const section = select(parent).append('section').attr('id', 'decomposition').attr('aria-labelledby', 'decomp-h');
  section.append('h2').attr('id', 'decomp-h').text('P&L decomposition of one agent: its edge, part by part');
  // Every agent is sampled at the same blocks: the first one's tell the step.
  const step = samplingStep(decompose(pnl, String(pnl.rows[0]![pnl.columns.indexOf('agent')])).blocks);
  section
    .append('p')
    .attr('class', 'note sampling')
    .attr('data-step', step)
    .text(`From pnl.csv, ${step === 1 ? 'every block' : `sampled every ${num(step)} blocks (and the last block): the bands join the samples with straight lines`}. Edge = total − hold; the parts stacked add up to the edge.`);
  const pick = section.append('label').attr('class', 'control').text('agent ');
  const sel = pick.append('select').attr('class', 'agent-select');
  sel.selectAll('option').data(agents).join('option').attr('value', (a) => a.id).text((a) => `${a.id} (${a.kind})`);
  sel.property('value', (agents.find((a) => HEDGERS.includes(a.kind)) ?? agents[0])?.id ?? '');
  const legendBox = section.append('div').node()!;
  const f = frame(section.node()!, 'decomp-chart', ctx.width, 260, blockMargin(ctx.width, 10, 34), 'P&L decomposition of the selected agent, USD');
  const clipId = 'decomp-clip';
  f.svg.append('clipPath').attr('id', clipId).append('rect').attr('x', f.m.left).attr('y', f.m.top).attr('width', f.width - f.m.left - f.m.right).attr('height', f.height - f.m.top - f.m.bottom);
  const layer = f.svg.append('g').attr('class', 'bands').attr('clip-path', `url(#${clipId})`);
  // Lines of their own, off at first: the holding's gain, and the total it makes with the edge.
  const hidden = new Set<string>(['hold', 'total']);
  let d: Decomposition = decompose(pnl, String(sel.property('value')));
  let parts: Component[] = [];

  function setAgent(): void {
    d = decompose(pnl!, String(sel.property('value')));
    parts = activeComponents(d).filter((c) => c !== 'hold');
    select(legendBox).selectAll('*').remove();
    legend(
      legendBox,
      'decomp-legend',
      [
        { key: 'edge', label: 'edge (total − hold)', style: { color: '#000000', dash: [4, 2] } },
        ...parts.map((c) => ({ key: c, label: LABELS[c], style: { color: COMPONENT_COLORS[c]!, dash: [] } })),
        ...LINES.map((l) => ({ key: l.key, label: l.label, style: { color: l.color, dash: [...l.dash] } })),
      ],
      hidden,
      () => draw(),
    );
    draw();
  }

  const lineOf = (k: 'edge' | 'hold' | 'total'): number[] => (k === 'hold' ? d.parts.hold : d[k]);

  function draw(): void {
    const { domain, block } = store.get();
    const xs = xScale(f, domain);
    const shown = parts.filter((c) => !hidden.has(c));
    const bands = stack(d, shown);
    const i0 = Math.max(0, bisectLeft(d.blocks, domain[0]) - 1);
    const i1 = Math.min(d.blocks.length, bisectLeft(d.blocks, domain[1]) + 1);
    let lo = 0;
    let hi = 0;
    for (let i = i0; i < i1; i++) {
      for (const b of bands) {
        lo = Math.min(lo, b.lo[i]!);
        hi = Math.max(hi, b.hi[i]!);
      }
      for (const k of ['edge', 'hold', 'total'] as const) {
        const v = lineOf(k)[i]!;
        if (!hidden.has(k) && Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      }
    }
    const ys = scaleLinear().domain([lo, hi === lo ? lo + 1 : hi]).nice().range([f.height - f.m.bottom, f.m.top]);
    const idx = d.blocks.map((_, i) => i).slice(i0, i1);
    layer
      .selectAll<SVGPathElement, (typeof bands)[number]>('path.band')
      .data(bands, (b) => b.component)
      .join('path')
      .attr('class', 'band')
      .attr('data-component', (b) => b.component)
      .attr('fill', (b) => COMPONENT_COLORS[b.component]!)
      .attr('fill-opacity', 0.75)
      .attr('d', (b) => area<number>().x((i) => xs(d.blocks[i]!)).y0((i) => ys(b.lo[i]!)).y1((i) => ys(b.hi[i]!))(idx));
    layer
      .selectAll<SVGPathElement, (typeof ALL_LINES)[number]>('path.line')
      .data(ALL_LINES.filter((l) => !hidden.has(l.key)), (l) => l.key)
      .join('path')
      .attr('class', (l) => `line ${l.key}`)
      .attr('fill', 'none')
      .attr('stroke', (l) => l.color)
      .attr('stroke-width', 1.5)
      .attr('stroke-dasharray', (l) => l.dash.join(' '))
      .attr('d', (l) => line<number>().x((i) => xs(d.blocks[i]!)).y((i) => ys(lineOf(l.key)[i]!))(idx));
    axis(f, 'bottom', xs, 'block');
    forkRule(f, ctx, xs);
    axis(f, 'left', ys, `P&L of ${d.agent} (USD)`);
    section.attr('data-agent', d.agent).attr('data-components', shown.join(' ')).attr('data-lines', ALL_LINES.filter((l) => !hidden.has(l.key)).map((l) => l.key).join(' '));
    rule(f, 'selected', block, xs);
    section.attr('data-domain', `${+domain[0].toFixed(3)},${+domain[1].toFixed(3)}`);
  }

  interact(f, store, 'decomposition', (b) => {
    const i = Math.min(d.blocks.length - 1, Math.max(0, bisectLeft(d.blocks, b)));
    const at = d.blocks[i];
    if (at === undefined) return [];
    return [
      blockLine(ctx, at),
      `${d.agent}${step === 1 ? '' : `, at the sample of block ${num(at)} (every ${num(step)} blocks)`}`,
      `edge: ${withUnitValue(d.edge[i], 'USD')}`,
      ...parts.map((c) => `${LABELS[c]}: ${withUnitValue(d.parts[c][i], 'USD')}`),
      `hold: ${withUnitValue(d.parts.hold[i], 'USD')}`,
      `total: ${withUnitValue(d.total[i], 'USD')}`,
    ];
  });
  sel.on('change', setAgent);
  store.on((_v, changed) => {
    if (changed.has('domain')) schedule(draw);
    else rule(f, 'selected', store.get().block, xScale(f, store.get().domain));
  });
  setAgent();
}
