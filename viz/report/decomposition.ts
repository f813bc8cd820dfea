/**
 * The selected agent's P&L decomposition over time (from the sampled pnl table): its parts —
 * holding alone, trading (for a hedger, the hedge's own P&L), fees, LVR, swap fees paid, gas, CEX
 * costs, MEV, options — stacked
 * above and below zero, with the total as a line. Legend items toggle parts.
 */
import { area, bisectLeft, line, scaleLinear, select } from 'd3';
import { activeComponents, decompose, stack, type Component, type Decomposition } from '../data/decompose';
import { frame } from '../ui/frame';
import { axis, rule } from '../ui/frame';
import { exact } from '../ui/format';
import { legend } from '../ui/legend';
import { COMPONENT_COLORS } from '../ui/palette';
import type { Ctx } from './context';
import { interact, xScale } from './interact';
import { schedule } from './schedule';
import type { Store } from './store';

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

const HEDGERS = ['static-hedger', 'rebalancing-hedger', 'delta-hedger'];

export function decompositionPanel(parent: HTMLElement, ctx: Ctx, store: Store): void {
  const pnl = ctx.data.pnl;
  if (pnl === null || pnl.rows.length === 0) return;
  const agents = ctx.data.summary.agents;
  const section = select(parent).append('section').attr('id', 'decomposition').attr('aria-labelledby', 'decomp-h');
  section.append('h2').attr('id', 'decomp-h').text('P&L decomposition of one agent');
  const pick = section.append('label').attr('class', 'control').text('agent ');
  const sel = pick.append('select').attr('class', 'agent-select');
  sel.selectAll('option').data(agents).join('option').attr('value', (a) => a.id).text((a) => `${a.id} (${a.kind})`);
  sel.property('value', (agents.find((a) => HEDGERS.includes(a.kind)) ?? agents[0])?.id ?? '');
  const legendBox = section.append('div').node()!;
  const f = frame(section.node()!, 'decomp-chart', ctx.width, 260, { top: 10, right: 20, bottom: 34, left: 78 }, 'P&L decomposition of the selected agent, USD');
  const clipId = 'decomp-clip';
  f.svg.append('clipPath').attr('id', clipId).append('rect').attr('x', f.m.left).attr('y', f.m.top).attr('width', f.width - f.m.left - f.m.right).attr('height', f.height - f.m.top - f.m.bottom);
  const layer = f.svg.append('g').attr('class', 'bands').attr('clip-path', `url(#${clipId})`);
  const hidden = new Set<string>();
  let d: Decomposition = decompose(pnl, String(sel.property('value')));
  let parts: Component[] = [];

  function setAgent(): void {
    d = decompose(pnl!, String(sel.property('value')));
    parts = activeComponents(d);
    select(legendBox).selectAll('*').remove();
    legend(legendBox, 'decomp-legend', [...parts.map((c) => ({ key: c, label: LABELS[c], style: { color: COMPONENT_COLORS[c]!, dash: [] } })), { key: 'total', label: 'total', style: { color: '#000000', dash: [4, 2] } }], hidden, () => draw());
    draw();
  }

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
      if (!hidden.has('total') && Number.isFinite(d.total[i]!)) {
        lo = Math.min(lo, d.total[i]!);
        hi = Math.max(hi, d.total[i]!);
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
      .selectAll('path.total')
      .data(hidden.has('total') ? [] : [0])
      .join('path')
      .attr('class', 'total')
      .attr('fill', 'none')
      .attr('stroke', '#000')
      .attr('stroke-width', 1.5)
      .attr('stroke-dasharray', '4 2')
      .attr('d', line<number>().x((i) => xs(d.blocks[i]!)).y((i) => ys(d.total[i]!))(idx));
    axis(f, 'bottom', xs, 'block');
    axis(f, 'left', ys, `P&L of ${d.agent} (USD)`);
    section.attr('data-agent', d.agent).attr('data-components', shown.join(' '));
    rule(f, 'selected', block, xs);
    section.attr('data-domain', `${+domain[0].toFixed(3)},${+domain[1].toFixed(3)}`);
  }

  interact(f, store, 'decomposition', (b) => {
    const i = Math.min(d.blocks.length - 1, Math.max(0, bisectLeft(d.blocks, b)));
    const at = d.blocks[i];
    if (at === undefined) return [];
    return [`${d.agent} at block ${at} (sampled)`, `total: ${exact(d.total[i])} USD`, ...parts.map((c) => `${LABELS[c]}: ${exact(d.parts[c][i])} USD`)];
  });
  sel.on('change', setAgent);
  store.on((_v, changed) => {
    if (changed.has('domain')) schedule(draw);
    else rule(f, 'selected', store.get().block, xScale(f, store.get().domain));
  });
  setAgent();
}
