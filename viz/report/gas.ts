/**
 * Base fee and gas per block: the base fee as a line (left axis, gwei), the gas of each block as
 * bars (right axis) — the simulation's transactions over the background users' gas.
 */
import { scaleLinear, select } from 'd3';
import { m4, visibleRange, extent } from '../data/decimate';
import { column } from '../data/types';
import { axis, clear, drawLine, frame, rule, type Frame } from '../ui/frame';
import { exact } from '../ui/format';
import { legend } from '../ui/legend';
import { row, type Ctx } from './context';
import { interact, xScale } from './interact';
import { schedule } from './schedule';
import type { Store } from './store';

const BASE = { color: '#D55E00', dash: [] };
const SIM = { color: '#0072B2', dash: [] };
const BACK = { color: '#BBBBBB', dash: [] };

function bars(f: Frame, x: number[], y: number[], xs: (v: number) => number, ys: (v: number) => number, color: string): void {
  const c = f.ctx;
  c.save();
  c.beginPath();
  c.rect(f.m.left, f.m.top, f.width - f.m.left - f.m.right, f.height - f.m.top - f.m.bottom);
  c.clip();
  c.strokeStyle = color;
  // One pixel per bar when blocks are dense, wider (with a gap) when zoomed in.
  c.lineWidth = Math.max(1, Math.min(16, (xs(1) - xs(0)) * 0.7));
  c.beginPath();
  const base = ys(0);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(y[i]!)) continue;
    const px = c.lineWidth > 1 ? xs(x[i]!) : Math.round(xs(x[i]!)) + 0.5;
    c.moveTo(px, base);
    c.lineTo(px, ys(y[i]!));
  }
  c.stroke();
  c.restore();
}

export function gasPanel(parent: HTMLElement, ctx: Ctx, store: Store): void {
  const fee = column(ctx.blocks, 'base_fee_gwei');
  const used = column(ctx.blocks, 'gas_used');
  if (fee === undefined || used === undefined) return;
  const back = column(ctx.blocks, 'background_gas') ?? new Float64Array(used.length);
  const total = used.map((u, i) => u + (Number.isFinite(back[i]!) ? back[i]! : 0));
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
    ],
    hidden,
    () => draw(),
  );
  const f = frame(section.node()!, 'gas-chart', ctx.width, 170, { top: 10, right: 78, bottom: 34, left: 78 }, 'base fee and gas used per block');
  const columns = f.width - f.m.left - f.m.right;
  function draw(): void {
    const { domain, block } = store.get();
    const xs = xScale(f, domain);
    const [i0, i1] = visibleRange(ctx.x, domain[0], domain[1]);
    const fe = extent(fee!, i0, i1) ?? [0, 1];
    const yf = scaleLinear().domain([Math.min(0, fe[0]), fe[1] || 1]).nice().range([f.height - f.m.bottom, f.m.top]);
    const ge = extent(hidden.has('back') ? used! : total, i0, i1) ?? [0, 1];
    const yg = scaleLinear().domain([0, ge[1] || 1]).nice().range([f.height - f.m.bottom, f.m.top]);
    clear(f);
    if (!hidden.has('back')) {
      const p = m4(ctx.x, total, i0, i1, domain[0], domain[1], columns);
      bars(f, p.x, p.y, xs, yg, BACK.color);
    }
    if (!hidden.has('sim')) {
      const p = m4(ctx.x, used!, i0, i1, domain[0], domain[1], columns);
      bars(f, p.x, p.y, xs, yg, SIM.color);
    }
    if (!hidden.has('fee')) {
      const p = m4(ctx.x, fee!, i0, i1, domain[0], domain[1], columns);
      drawLine(f, p.x, p.y, xs, yf, BASE.color, []);
    }
    axis(f, 'bottom', xs, 'block');
    axis(f, 'left', yf, 'base fee (gwei per gas)', 4);
    axis(f, 'right', yg, 'gas per block (gas)', 4);
    rule(f, 'selected', block, xs);
    section.attr('data-domain', `${+domain[0].toFixed(3)},${+domain[1].toFixed(3)}`);
  }
  interact(f, store, 'gas', (b) => {
    const i = row(ctx, b);
    if (i < 0) return [`block ${b}`];
    return [`block ${b}`, `base fee: ${exact(fee[i])} gwei per gas`, `gas used by the simulation: ${exact(used[i])} gas`, `background gas: ${exact(back[i])} gas`];
  });
  store.on((_v, changed) => {
    if (changed.has('domain')) schedule(draw);
    else rule(f, 'selected', store.get().block, xScale(f, store.get().domain));
  });
  draw();
}
