/**
 * A chart's frame: a canvas for the dense series under an SVG for axes, labels and marks, sharing
 * one coordinate system (CSS pixels; the canvas is scaled for high-density screens).
 */
import { axisBottom, axisLeft, axisRight, select, type Axis, type NumberValue, type ScaleContinuousNumeric, type ScaleLinear, type Selection } from 'd3';
import { blockTick, valueTicks } from './format';

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Frame {
  div: Selection<HTMLDivElement, unknown, null, undefined>;
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
  svg: Selection<SVGSVGElement, unknown, null, undefined>;
  width: number;
  height: number;
  m: Margin;
}

/**
 * The block charts' margins, one set for every block panel and the overview: with the same width
 * and the same left and right margins, block b has the same x in each of them (to the pixel), so
 * that stacked panels read as one. Narrow screens get narrower margins (the axes' labels still fit).
 */
export function blockMargin(width: number, top: number, bottom: number): Margin {
  const side = width < 560 ? 58 : 78;
  return { top, right: side, bottom, left: side };
}

/** The chart width for a container this wide: the whole width, within bounds. */
export function chartWidth(container: number): number {
  return Math.max(280, Math.min(1400, Math.floor(container)));
}

export function frame(parent: HTMLElement, className: string, width: number, height: number, m: Margin, label: string): Frame {
  const div = select(parent).append('div').attr('class', `chart ${className}`).style('width', `${width}px`).style('height', `${height}px`);
  const dpr = window.devicePixelRatio || 1;
  const canvas = div.append('canvas').attr('width', Math.round(width * dpr)).attr('height', Math.round(height * dpr)).style('width', `${width}px`).style('height', `${height}px`).node()!;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(dpr, dpr);
  const svg = div.append('svg').attr('width', width).attr('height', height).attr('role', 'img').attr('aria-label', label);
  return { div, canvas, ctx, svg, width, height, m };
}

export function clear(f: Frame): void {
  f.ctx.clearRect(0, 0, f.width, f.height);
}

/** Draw a polyline through (x, y) in data units; NaN points break it. */
export function drawLine(f: Frame, x: readonly number[], y: readonly number[], xs: ScaleLinear<number, number>, ys: (v: number) => number, color: string, dash: number[], width = 1.5, alpha = 1): void {
  const c = f.ctx;
  c.save();
  c.globalAlpha = alpha;
  c.beginPath();
  c.rect(f.m.left, f.m.top, f.width - f.m.left - f.m.right, f.height - f.m.top - f.m.bottom);
  c.clip();
  c.strokeStyle = color;
  c.lineWidth = width;
  c.setLineDash(dash);
  c.beginPath();
  let pen = false;
  for (let i = 0; i < x.length; i++) {
    const yi = y[i]!;
    if (!Number.isFinite(yi) || !Number.isFinite(x[i]!)) {
      pen = false;
      continue;
    }
    const px = xs(x[i]!);
    const py = ys(yi);
    if (pen) c.lineTo(px, py);
    else c.moveTo(px, py);
    pen = true;
  }
  c.stroke();
  c.restore();
}

type G = Selection<SVGGElement, unknown, null, undefined>;

/**
 * An axis group (created once, updated on each call) with its label, which carries the unit. The
 * bottom axis is the block axis: whole blocks only, with thousands separators. `tickValues`
 * replaces d3's ticks (a symlog scale's powers of ten).
 */
export function axis(f: Frame, side: 'bottom' | 'left' | 'right', scale: ScaleContinuousNumeric<number, number>, label: string, ticks = 6, tickValues?: number[]): G {
  let g = f.svg.select<SVGGElement>(`g.axis-${side}`);
  if (g.empty()) {
    g = f.svg.append('g').attr('class', `axis axis-${side}`);
    const t = f.svg.append('text').attr('class', `axis-label axis-label-${side}`).text(label);
    const midY = (f.m.top + f.height - f.m.bottom) / 2;
    if (side === 'bottom') t.attr('x', f.width - f.m.right).attr('y', f.height - 4).attr('text-anchor', 'end');
    else if (side === 'left') t.attr('transform', `translate(12,${midY}) rotate(-90)`).attr('text-anchor', 'middle');
    else t.attr('transform', `translate(${f.width - 8},${midY}) rotate(90)`).attr('text-anchor', 'middle');
  }
  f.svg.select(`text.axis-label-${side}`).text(label);
  const make: Axis<NumberValue> = side === 'bottom' ? axisBottom(scale) : side === 'left' ? axisLeft(scale) : axisRight(scale);
  const pos = side === 'bottom' ? `translate(0,${f.height - f.m.bottom})` : side === 'left' ? `translate(${f.m.left},0)` : `translate(${f.width - f.m.right},0)`;
  if (side === 'bottom') {
    // Zoomed in to a few blocks, d3 would tick at half blocks: keep the whole ones.
    const values = scale.ticks(Math.max(3, Math.floor((f.width - f.m.left - f.m.right) / 90))).filter(Number.isInteger);
    make.tickValues(values).tickFormat((v) => blockTick(+v));
  } else {
    const values = tickValues ?? scale.ticks(ticks);
    const fmt = valueTicks(values);
    make.tickValues(values).tickFormat((v) => fmt(+v));
  }
  g.attr('transform', pos).call(make);
  return g;
}

/** A vertical rule at data x (created once), hidden when outside the plot. */
export function rule(f: Frame, className: string, x: number | undefined, xs: ScaleLinear<number, number>): void {
  let l = f.svg.select<SVGLineElement>(`line.${className}`);
  if (l.empty()) l = f.svg.append('line').attr('class', className).attr('y1', f.m.top).attr('y2', f.height - f.m.bottom);
  const px = x === undefined ? NaN : xs(x);
  const inside = Number.isFinite(px) && px >= f.m.left - 0.5 && px <= f.width - f.m.right + 0.5;
  l.attr('x1', inside ? px : -10).attr('x2', inside ? px : -10).style('display', inside ? '' : 'none');
}
