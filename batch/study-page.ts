/**
 * study.html: a self-contained page stating the study's answer with its uncertainty — a sentence,
 * the tables, and for a one-parameter search the objective curve with 95 % CIs as an inline SVG
 * (drawn here, so the page needs no script and is the same bytes on every run).
 */
import type { Table } from './outputs';

export function htmlTable(t: Table): string {
  const head = `<tr>${t.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const best = t.columns.indexOf('best');
  const body = t.rows.map((r) => `<tr${best >= 0 && r[best] === 'true' ? ' class="best"' : ''}>${r.map((v) => `<td>${esc(typeof v === 'number' ? fmt(v) : String(v))}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table>\n${head}\n${body}\n</table></div>`;
}

export interface CurvePoint {
  x: number;
  y: number;
  lo: number;
  hi: number;
  /** 'best', 'same' (indistinguishable from the best) or ''. */
  mark: string;
}

/** A reference to draw beside the points: a curve (dashed) and a parameter value (a vertical line). */
export interface ChartReference {
  label: string;
  curve?: readonly { x: number; y: number }[];
  x?: number;
}

/** An axis's scale: `auto` is logarithmic for positive values spanning more than 1.5 decades. */
export type AxisScale = 'auto' | 'log' | 'linear';
export interface ChartScales {
  x?: AxisScale;
  y?: AxisScale;
}

/** Past this ratio of the largest to the smallest value (1.5 decades), `auto` draws a log axis. */
export const LOG_SPAN = 10 ** 1.5;

/** Whether an axis over these values is logarithmic; a log axis asked for values ≤ 0 cannot be. */
export function logAxis(values: readonly number[], scale: AxisScale = 'auto'): boolean {
  if (scale === 'linear' || values.length === 0) return false;
  const lo = Math.min(...values);
  if (!(lo > 0)) return false;
  return scale === 'log' || Math.max(...values) / lo > LOG_SPAN;
}

/**
 * Tick values of a log axis: the powers of ten within [lo, hi]; over fewer than two decades also
 * 2 and 5 times them; the ends when that still gives fewer than two.
 */
export function logTicks(lo: number, hi: number): number[] {
  const within = (mults: number[]): number[] => {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) for (const m of mults) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
    return out;
  };
  const tens = within([1]);
  if (tens.length >= 3) return tens;
  const more = within([1, 2, 5]);
  return more.length >= 2 ? more : [lo, hi];
}

/**
 * The objective against the parameter: points with CI bars, the best filled, the indistinguishable
 * ringed. An axis is logarithmic where `scales` asks for it or, by default, where its values are
 * positive and span more than 1.5 decades (a band from 0.1 % to 10 %, a gas over four orders).
 */
export function chartSvg(points: readonly CurvePoint[], xLabel: string, yLabel: string, ref?: ChartReference, scales: ChartScales = {}): string {
  const W = 640;
  const H = 320;
  const L = 70;
  const B = 40;
  const pts = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (pts.length === 0) return '<p>No finite objective to draw.</p>';
  const refCurve = (ref?.curve ?? []).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const ys = [...pts.flatMap((p) => [p.y, p.lo, p.hi]), ...refCurve.map((p) => p.y)].filter(Number.isFinite);
  const xs = [...pts.map((p) => p.x), ...(ref?.x !== undefined && Number.isFinite(ref.x) ? [ref.x] : [])];
  const logX = logAxis(xs, scales.x);
  const logY = logAxis(ys, scales.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const along = (v: number, a: number, b: number, log: boolean): number => (log ? (Math.log(v) - Math.log(a)) / (Math.log(b) - Math.log(a) || 1) : (v - a) / (b - a || 1));
  const sx = (x: number): number => L + along(x, x0, x1, logX) * (W - L - 20);
  const sy = (y: number): number => H - B - along(y, y0, y1, logY) * (H - B - 20);
  const r = (v: number): string => v.toFixed(1);
  const line = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(sx(p.x))},${r(sy(p.y))}`).join('');
  const bars = pts
    .filter((p) => Number.isFinite(p.lo) && Number.isFinite(p.hi))
    .map((p) => `<line x1="${r(sx(p.x))}" x2="${r(sx(p.x))}" y1="${r(sy(p.lo))}" y2="${r(sy(p.hi))}" stroke="#888"/>`)
    .join('');
  const dots = pts.map((p) => `<circle cx="${r(sx(p.x))}" cy="${r(sy(p.y))}" r="${p.mark === 'best' ? 6 : 4}" fill="${p.mark === 'best' ? '#c0392b' : p.mark === 'same' ? '#f5b7b1' : '#2c3e50'}"><title>${esc(`${xLabel} = ${fmt(p.x)}: ${fmt(p.y)} (95 % CI ${fmt(p.lo)} to ${fmt(p.hi)})`)}</title></circle>`).join('');
  const axes = `<line x1="${L}" x2="${W - 20}" y1="${H - B}" y2="${H - B}" stroke="#000"/><line x1="${L}" x2="${L}" y1="20" y2="${H - B}" stroke="#000"/>`;
  const xTicks = logX ? logTicks(x0, x1) : [x0, x1];
  const yTicks = logY ? logTicks(y0, y1) : [y1, y0];
  const xTick = (v: number, i: number): string => `<line x1="${r(sx(v))}" x2="${r(sx(v))}" y1="${H - B}" y2="${H - B + 4}" stroke="#000"/><text class="x-tick" x="${r(sx(v))}" y="${H - B + 16}" font-size="11" text-anchor="${logX ? 'middle' : i === 0 ? 'start' : 'end'}">${esc(fmt(v))}</text>`;
  const yTick = (v: number): string => `<text class="y-tick" x="${L - 6}" y="${r(sy(v))}" font-size="11" text-anchor="end">${esc(fmt(v))}</text>`;
  const labels = `${xTicks.map(xTick).join('')}<text x="${(L + W) / 2}" y="${H - 6}" font-size="12" text-anchor="middle">${esc(`${xLabel}${logX ? ' (log scale)' : ''}`)}</text>${yTicks.map(yTick).join('')}<text x="12" y="${H / 2}" font-size="12" transform="rotate(-90 12 ${H / 2})" text-anchor="middle">${esc(`${yLabel}${logY ? ' (log scale)' : ''}`)}</text>`;
  const refLine = refCurve.length > 1 ? `<path d="${refCurve.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(sx(p.x))},${r(sy(p.y))}`).join('')}" fill="none" stroke="#2874a6" stroke-dasharray="6 4"/>` : '';
  const refX = ref?.x !== undefined && Number.isFinite(ref.x) ? `<line x1="${r(sx(ref.x))}" x2="${r(sx(ref.x))}" y1="20" y2="${H - B}" stroke="#2874a6" stroke-dasharray="2 3"><title>${esc(`${ref.label}: ${xLabel} = ${fmt(ref.x)}`)}</title></line>` : '';
  const refLegend = ref === undefined ? '' : ` Blue: ${esc(ref.label)}${refLine !== '' ? ' (dashed: its curve)' : ''}${refX !== '' ? ` (dotted: its optimum, ${esc(fmt(ref.x))})` : ''}.`;
  // Asked for a log axis that the values (some ≤ 0) do not allow: said, not hidden.
  const refused = (['x', 'y'] as const).filter((a) => scales[a] === 'log' && !(a === 'x' ? logX : logY));
  const note = refused.length === 0 ? '' : ` The ${refused.join(' and ')} axis is linear: a log scale was asked for, but its values are not all positive.`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" data-x-scale="${logX ? 'log' : 'linear'}" data-y-scale="${logY ? 'log' : 'linear'}" aria-label="${esc(`${yLabel} against ${xLabel}`)}">${axes}${labels}${refLine}${refX}${bars}<path d="${line}" fill="none" stroke="#2c3e50"/>${dots}</svg><p class="legend">Red: the best; pink: statistically indistinguishable from it; bars: 95 % CIs.${refLegend}${note}</p>`;
}

export function fmt(v: unknown): string {
  if (typeof v !== 'number') return JSON.stringify(v);
  if (!Number.isFinite(v)) return '–';
  return Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(Number(v.toPrecision(5)));
}

export const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}th{background:#f4f4f4}.scroll{overflow-x:auto}.answer{font-size:16px;font-weight:600}tr.best td{background:#fdecea}.legend{color:#555;font-size:12px}`;

export function studyPage(title: string, intro: string, sections: readonly string[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${esc(title)}</h1>
${intro}
${sections.join('\n')}
</body>
</html>
`;
}
