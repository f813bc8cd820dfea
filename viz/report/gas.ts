/**
 * Base fee and gas per block: the base fee as a line (left axis, gwei), the gas of each block as
 * bars (right axis) — the background users' gas with the simulation's transactions stacked on top,
 * and the gas target the base fee aims at — and under it, on its own axis, the simulation's own
 * gas, which next to the background's millions would be a sliver.
 */
import { scaleLinear, select } from 'd3';
import { m4, visibleRange, extent } from '../data/decimate';
import { column } from '../data/types';
import { axis, blockMargin, clear, drawLine, frame, rule, type Frame } from '../ui/frame';
import { num, withUnitValue } from '../ui/format';
import { legend } from '../ui/legend';
import { forkRule, row, type Ctx } from './context';
import { interact, xScale } from './interact';
import { schedule } from './schedule';
import type { Store } from './store';
import { blockLine } from './timeline';

const BASE = { color: '#D55E00', dash: [] };
const SIM = { color: '#0072B2', dash: [] };
const BACK = { color: '#BBBBBB', dash: [] };
const TARGET = { color: '#000000', dash: [5, 3] };

/** Bars from `from` (0 if absent) to `to`, per decimated point. */
function bars(f: Frame, x: number[], to: number[], from: number[] | undefined, xs: (v: number) => number, ys: (v: number) => number, color: string): void {
  const c = f.ctx;
  c.save();
  c.beginPath();
  c.rect(f.m.left, f.m.top, f.width - f.m.left - f.m.right, f.height - f.m.top - f.m.bottom);
  c.clip();
  c.strokeStyle = color;
  // One pixel per bar when blocks are dense, wider (with a gap) when zoomed in.
  c.lineWidth = Math.max(1, Math.min(16, (xs(1) - xs(0)) * 0.7));
  c.beginPath();
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(to[i]!)) continue;
    const px = c.lineWidth > 1 ? xs(x[i]!) : Math.round(xs(x[i]!)) + 0.5;
    c.moveTo(px, ys(from?.[i] ?? 0));
    c.lineTo(px, ys(to[i]!));
  }
  c.stroke();
  c.restore();
}

export function gasPanel(parent: HTMLElement, ctx: Ctx, store: Store): void {
  const fee = column(ctx.blocks, 'base_fee_gwei');
  const used = column(ctx.blocks, 'gas_used');
  if (fee === undefined || used === undefined) return;
  const back = column(ctx.blocks, 'background_gas') ?? new Float64Array(used.length);
  const background = back.map((b) => (Number.isFinite(b) ? b : 0));
  const total = used.map((u, i) => u + background[i]!);
  const target = ctx.data.summary.chain?.gasTarget ?? undefined;
  const section = select(parent).append('section').attr('id', 'gas').attr('aria-labelledby', 'gas-h');
  section.append('h2').attr('id', 'gas-h').text('Base fee and gas');
  const hidden = new Set<string>();
  legend(
    section.node()!,
    'gas-legend',
    [
      { key: 'fee', label: 'base fee (gwei per gas)', style: BASE },
      { key: 'sim', label: "gas used by the simulation's transactions", style: SIM },
      { key: 'back', label: 'background gas (other users)', style: BACK },
      ...(target === undefined ? [] : [{ key: 'target', label: `gas target (${num(target)} gas)`, style: TARGET }]),
    ],
    hidden,
    () => draw(),
  );
  const f = frame(section.node()!, 'gas-chart', ctx.width, 170, blockMargin(ctx.width, 10, 34), 'base fee and gas used per block');
  const own = frame(section.node()!, 'sim-gas-chart', ctx.width, 130, blockMargin(ctx.width, 8, 30), "the simulation's own gas per block");
  const columns = f.width - f.m.left - f.m.right;
  function draw(): void {
    const { domain, block } = store.get();
    const xs = xScale(f, domain);
    const [i0, i1] = visibleRange(ctx.x, domain[0], domain[1]);
    const fe = extent(fee!, i0, i1) ?? [0, 1];
    const yf = scaleLinear().domain([Math.min(0, fe[0]), fe[1] || 1]).nice().range([f.height - f.m.bottom, f.m.top]);
    const shownGas = hidden.has('back') ? used! : hidden.has('sim') ? background : total;
    const ge = extent(shownGas, i0, i1) ?? [0, 1];
    const top = Math.max(ge[1] || 1, hidden.has('target') ? 0 : (target ?? 0));
    const yg = scaleLinear().domain([0, top]).nice().range([f.height - f.m.bottom, f.m.top]);
    clear(f);
    // Per pixel column, the background's and the total's highest: the simulation's part is the
    // gap between them, drawn on top of the background's bar in its own colour.
    const pb = m4(ctx.x, background, i0, i1, domain[0], domain[1], columns);
    if (!hidden.has('back')) bars(f, pb.x, pb.y, undefined, xs, yg, BACK.color);
    if (!hidden.has('sim')) {
      if (hidden.has('back')) {
        const p = m4(ctx.x, used!, i0, i1, domain[0], domain[1], columns);
        bars(f, p.x, p.y, undefined, xs, yg, SIM.color);
      } else {
        const pt = m4(ctx.x, total, i0, i1, domain[0], domain[1], columns);
        // Each kept block's bar starts at its own background (decimated columns keep blocks, not sums).
        const base = pt.x.map((x) => background[Math.max(0, row(ctx, x))] ?? 0);
        bars(f, pt.x, pt.y, base, xs, yg, SIM.color);
      }
    }
    if (!hidden.has('fee')) {
      const p = m4(ctx.x, fee!, i0, i1, domain[0], domain[1], columns);
      drawLine(f, p.x, p.y, xs, yf, BASE.color, []);
    }
    f.svg
      .selectAll('line.gas-target')
      .data(target === undefined || hidden.has('target') ? [] : [target])
      .join('line')
      .attr('class', 'gas-target')
      .attr('x1', f.m.left)
      .attr('x2', f.width - f.m.right)
      .attr('y1', (t) => yg(t))
      .attr('y2', (t) => yg(t))
      .attr('stroke', TARGET.color)
      .attr('stroke-dasharray', TARGET.dash.join(' '));
    axis(f, 'bottom', xs, 'block');
    forkRule(f, ctx, xs);
    axis(f, 'left', yf, 'base fee (gwei per gas)', 4);
    axis(f, 'right', yg, 'gas per block (gas)', 4);
    rule(f, 'selected', block, xs);
    // The simulation's own gas, on an axis of its own.
    const ue = extent(used!, i0, i1) ?? [0, 1];
    const yu = scaleLinear().domain([0, ue[1] || 1]).nice().range([own.height - own.m.bottom, own.m.top]);
    clear(own);
    const pu = m4(ctx.x, used!, i0, i1, domain[0], domain[1], columns);
    bars(own, pu.x, pu.y, undefined, xs, yu, SIM.color);
    select(own.canvas).attr('data-points', pu.x.length);
    axis(own, 'bottom', xs, 'block');
    forkRule(own, ctx, xs);
    axis(own, 'left', yu, 'simulation (gas)', 3);
    rule(own, 'selected', block, xs);
    section.attr('data-domain', `${+domain[0].toFixed(3)},${+domain[1].toFixed(3)}`);
  }
  const tip = (b: number): string[] => {
    const i = row(ctx, b);
    if (i < 0) return [`block ${num(b)}`];
    return [
      blockLine(ctx, b),
      `base fee: ${withUnitValue(fee[i], 'gwei per gas')}`,
      `gas used by the simulation: ${withUnitValue(used[i], 'gas')}`,
      `background gas: ${withUnitValue(back[i], 'gas')}`,
      ...(target === undefined ? [] : [`block gas: ${withUnitValue(total[i], 'gas')} (${num((100 * total[i]!) / target)} % of the target)`]),
    ];
  };
  interact(f, store, 'gas', tip);
  interact(own, store, 'gas-own', tip);
  store.on((_v, changed) => {
    if (changed.has('domain')) schedule(draw);
    else for (const fr of [f, own]) rule(fr, 'selected', store.get().block, xScale(fr, store.get().domain));
  });
  draw();
}
