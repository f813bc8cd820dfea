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

/** The objective against the parameter: points with CI bars, the best filled, the indistinguishable ringed. */
export function chartSvg(points: readonly CurvePoint[], xLabel: string, yLabel: string, ref?: ChartReference): string {
  const W = 640;
  const H = 320;
  const L = 70;
  const B = 40;
  const pts = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (pts.length === 0) return '<p>No finite objective to draw.</p>';
  const refCurve = (ref?.curve ?? []).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const ys = [...pts.flatMap((p) => [p.y, p.lo, p.hi]), ...refCurve.map((p) => p.y)].filter(Number.isFinite);
  const xs = [...pts.map((p) => p.x), ...(ref?.x !== undefined && Number.isFinite(ref.x) ? [ref.x] : [])];
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number): number => L + ((x - x0) / (x1 - x0 || 1)) * (W - L - 20);
  const sy = (y: number): number => H - B - ((y - y0) / (y1 - y0 || 1)) * (H - B - 20);
  const r = (v: number): string => v.toFixed(1);
  const line = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(sx(p.x))},${r(sy(p.y))}`).join('');
  const bars = pts
    .filter((p) => Number.isFinite(p.lo) && Number.isFinite(p.hi))
    .map((p) => `<line x1="${r(sx(p.x))}" x2="${r(sx(p.x))}" y1="${r(sy(p.lo))}" y2="${r(sy(p.hi))}" stroke="#888"/>`)
    .join('');
  const dots = pts.map((p) => `<circle cx="${r(sx(p.x))}" cy="${r(sy(p.y))}" r="${p.mark === 'best' ? 6 : 4}" fill="${p.mark === 'best' ? '#c0392b' : p.mark === 'same' ? '#f5b7b1' : '#2c3e50'}"><title>${esc(`${xLabel} = ${fmt(p.x)}: ${fmt(p.y)} (95 % CI ${fmt(p.lo)} to ${fmt(p.hi)})`)}</title></circle>`).join('');
  const axes = `<line x1="${L}" x2="${W - 20}" y1="${H - B}" y2="${H - B}" stroke="#000"/><line x1="${L}" x2="${L}" y1="20" y2="${H - B}" stroke="#000"/>`;
  const labels = `<text x="${L}" y="${H - B + 16}" font-size="11">${esc(fmt(x0))}</text><text x="${W - 20}" y="${H - B + 16}" font-size="11" text-anchor="end">${esc(fmt(x1))}</text><text x="${(L + W) / 2}" y="${H - 6}" font-size="12" text-anchor="middle">${esc(xLabel)}</text><text x="${L - 6}" y="${r(sy(y1))}" font-size="11" text-anchor="end">${esc(fmt(y1))}</text><text x="${L - 6}" y="${r(sy(y0))}" font-size="11" text-anchor="end">${esc(fmt(y0))}</text><text x="12" y="${H / 2}" font-size="12" transform="rotate(-90 12 ${H / 2})" text-anchor="middle">${esc(yLabel)}</text>`;
  const refLine = refCurve.length > 1 ? `<path d="${refCurve.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(sx(p.x))},${r(sy(p.y))}`).join('')}" fill="none" stroke="#2874a6" stroke-dasharray="6 4"/>` : '';
  const refX = ref?.x !== undefined && Number.isFinite(ref.x) ? `<line x1="${r(sx(ref.x))}" x2="${r(sx(ref.x))}" y1="20" y2="${H - B}" stroke="#2874a6" stroke-dasharray="2 3"><title>${esc(`${ref.label}: ${xLabel} = ${fmt(ref.x)}`)}</title></line>` : '';
  const refLegend = ref === undefined ? '' : ` Blue: ${esc(ref.label)}${refLine !== '' ? ' (dashed: its curve)' : ''}${refX !== '' ? ` (dotted: its optimum, ${esc(fmt(ref.x))})` : ''}.`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${esc(`${yLabel} against ${xLabel}`)}">${axes}${labels}${refLine}${refX}${bars}<path d="${line}" fill="none" stroke="#2c3e50"/>${dots}</svg><p class="legend">Red: the best; pink: statistically indistinguishable from it; bars: 95 % CIs.${refLegend}</p>`;
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
