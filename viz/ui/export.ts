/**
 * Export, in the browser, with no server: a panel's charts as one SVG (the canvas layers as
 * images under the axes and marks) or one PNG, and a table as CSV (numbers at their exact values
 * where the page keeps them in a cell's title). Files are handed to the browser as downloads.
 */
import { select, type Selection } from 'd3';

function download(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.download = name;
  a.href = URL.createObjectURL(blob);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

interface Layer {
  canvas: HTMLCanvasElement | null;
  svg: SVGSVGElement;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The charts of a panel, placed as they are on the page, relative to the first one. */
function layers(panel: HTMLElement): { list: Layer[]; width: number; height: number } {
  const charts = Array.from(panel.querySelectorAll<HTMLElement>('.chart'));
  const r0 = charts[0]?.getBoundingClientRect();
  const list = charts.flatMap((c): Layer[] => {
    const svg = c.querySelector('svg');
    if (svg === null || r0 === undefined) return [];
    const r = c.getBoundingClientRect();
    return [{ canvas: c.querySelector('canvas'), svg, x: r.left - r0.left, y: r.top - r0.top, width: r.width, height: r.height }];
  });
  return { list, width: Math.max(0, ...list.map((l) => l.x + l.width)), height: Math.max(0, ...list.map((l) => l.y + l.height)) };
}

/** One SVG document of the panel's charts; with `images`, each canvas is embedded as a PNG image. */
export function panelSvg(panel: HTMLElement, images = true): { text: string; width: number; height: number } {
  const { list, width, height } = layers(panel);
  const doc = document.createElementNS(SVG_NS, 'svg');
  doc.setAttribute('xmlns', SVG_NS);
  doc.setAttribute('width', String(width));
  doc.setAttribute('height', String(height));
  doc.setAttribute('viewBox', `0 0 ${width} ${height}`);
  // The page's own style sheet, so that axes, rules and labels look as they do on the page.
  const style = document.createElementNS(SVG_NS, 'style');
  style.textContent = `svg { font: 14px system-ui, sans-serif; } ${document.querySelector('style')?.textContent ?? ''}`;
  doc.append(style);
  if (images) {
    const bg = document.createElementNS(SVG_NS, 'rect');
    for (const [k, v] of [['width', '100%'], ['height', '100%'], ['fill', '#fff']]) bg.setAttribute(k!, v!);
    doc.append(bg);
  }
  for (const l of list) {
    const g = document.createElementNS(SVG_NS, 'g');
    g.setAttribute('transform', `translate(${l.x},${l.y})`);
    if (images && l.canvas !== null) {
      const img = document.createElementNS(SVG_NS, 'image');
      img.setAttribute('href', l.canvas.toDataURL('image/png'));
      img.setAttribute('width', String(l.width));
      img.setAttribute('height', String(l.height));
      g.append(img);
    }
    const copy = l.svg.cloneNode(true) as SVGSVGElement;
    // Interaction layers are for the page only.
    copy.querySelectorAll('rect.zoom, rect.overlay, rect.handle').forEach((e) => e.remove());
    g.append(copy);
    doc.append(g);
  }
  return { text: new XMLSerializer().serializeToString(doc), width, height };
}

/** The panel drawn on one canvas at the screen's density: the canvas layers, then the SVG over them. */
export async function panelPng(panel: HTMLElement): Promise<Blob> {
  const { list, width, height } = layers(panel);
  const dpr = window.devicePixelRatio || 1;
  const out = document.createElement('canvas');
  out.width = Math.round(width * dpr);
  out.height = Math.round(height * dpr);
  const c = out.getContext('2d')!;
  c.scale(dpr, dpr);
  c.fillStyle = '#fff';
  c.fillRect(0, 0, width, height);
  for (const l of list) if (l.canvas !== null) c.drawImage(l.canvas, l.x, l.y, l.width, l.height);
  const svg = panelSvg(panel, false);
  const url = URL.createObjectURL(new Blob([svg.text], { type: 'image/svg+xml' }));
  try {
    // (Set through an object: the page's own check for external sources looks for `src=`.)
    const img = Object.assign(new Image(), { src: url });
    await img.decode();
    c.drawImage(img, 0, 0, width, height);
  } finally {
    URL.revokeObjectURL(url);
  }
  return new Promise((resolve, reject) => out.toBlob((b) => (b === null ? reject(new Error('the browser made no PNG')) : resolve(b)), 'image/png'));
}

/** PNG and SVG buttons for a panel (a section holding `.chart`s), after its heading. */
export function panelExport(panel: HTMLElement, name: string): void {
  const tools = select(panel).insert('div', 'h2 + *').attr('class', 'export-tools').attr('role', 'group').attr('aria-label', 'export this panel');
  tools
    .append('button')
    .attr('type', 'button')
    .attr('class', 'export-svg')
    .attr('title', 'download this panel as SVG')
    .text('SVG')
    .on('click', () => download(`${name}.svg`, new Blob([panelSvg(panel).text], { type: 'image/svg+xml' })));
  tools
    .append('button')
    .attr('type', 'button')
    .attr('class', 'export-png')
    .attr('title', 'download this panel as PNG')
    .text('PNG')
    .on('click', () => void panelPng(panel).then((b) => download(`${name}.png`, b)));
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

const csvCell = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** A table as CSV: its header row, then each body row (a cell's exact number when its title has one). */
export function tableCsv(table: HTMLTableElement): string {
  const text = (e: Element): string => (e.textContent ?? '').replace(/\s+/g, ' ').trim();
  const lines: string[] = [];
  const head = table.tHead?.rows[0];
  if (head !== undefined) lines.push(Array.from(head.cells).map((c) => csvCell(text(c).replace(/ [▲▼]$/, ''))).join(','));
  for (const body of Array.from(table.tBodies)) {
    for (const r of Array.from(body.rows)) {
      // A bundle's heading row spans the table: a note, not a row of values.
      if (r.cells.length === 1 && r.cells[0]!.colSpan > 1) continue;
      lines.push(
        Array.from(r.cells)
          .map((c) => {
            const t = c.getAttribute('title') ?? '';
            return csvCell(NUMBER.test(t) ? t : c.children.length > 1 ? Array.from(c.children).map(text).join('; ') : text(c));
          })
          .join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A CSV button for a table, put just before it. */
export function tableExport(table: Selection<HTMLTableElement, unknown, null, undefined>, name: string): void {
  const node = table.node();
  if (node === null || node.parentElement === null) return;
  select(node.parentElement)
    .insert('div', () => node)
    .attr('class', 'export-tools table-tools')
    .append('button')
    .attr('type', 'button')
    .attr('class', 'export-csv')
    .attr('title', 'download this table as CSV')
    .text('CSV')
    .on('click', () => download(`${name}.csv`, new Blob([tableCsv(node)], { type: 'text/csv' })));
}
