/**
 * Reading what a chart shows, for the browser tests: the data → pixel mapping its axis ticks state
 * (positions and labels as drawn), and the colours of the canvas's pixels. Checking a line against
 * both tells whether it is drawn where the data says, independently of the attributes the viewer
 * sets about itself.
 */
import type { Page } from 'playwright-core';

export interface Tick {
  value: number;
  /** Position along the axis, CSS pixels in the chart's coordinates (shared by canvas and SVG). */
  px: number;
}

/** A tick label as a number: separators, the typographic minus and SI prefixes undone. */
export function tickValue(label: string): number {
  const t = label.replace(/,/g, '').replace(/−/g, '-').trim();
  const si: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, m: 1e-3, µ: 1e-6 };
  const suffix = t.at(-1)!;
  return suffix in si ? Number(t.slice(0, -1)) * si[suffix]! : Number(t);
}

/** The ticks of an axis group (`g.axis-bottom`, `g.axis-left`, …) as drawn. */
export async function ticks(page: Page, axisSelector: string): Promise<Tick[]> {
  const raw = await page.locator(`${axisSelector} .tick`).evaluateAll((gs) =>
    gs.map((g) => {
      const m = /translate\(([-\d.e]+),\s*([-\d.e]+)\)/.exec(g.getAttribute('transform') ?? '');
      return { label: g.querySelector('text')?.textContent ?? '', x: Number(m?.[1]), y: Number(m?.[2]) };
    }),
  );
  const horizontal = raw.length > 1 && raw[0]!.x !== raw[1]!.x;
  return raw.map((t) => ({ value: tickValue(t.label), px: horizontal ? t.x : t.y }));
}

/** The linear data → pixel map through an axis's two outermost ticks. */
export function linear(ts: readonly Tick[]): (v: number) => number {
  const a = ts[0]!;
  const b = ts.at(-1)!;
  return (v) => a.px + ((v - a.value) * (b.px - a.px)) / (b.value - a.value);
}

export type Rgba = [number, number, number, number];

/** The pixels of one canvas column at CSS x, top to bottom (one per CSS pixel). */
export async function canvasColumn(page: Page, canvasSelector: string, x: number): Promise<Rgba[]> {
  return page.locator(canvasSelector).evaluate((el, cssX) => {
    const c = el as HTMLCanvasElement;
    const dpr = c.width / c.clientWidth;
    const data = c.getContext('2d')!.getImageData(Math.round(cssX * dpr), 0, 1, c.height).data;
    const out: [number, number, number, number][] = [];
    for (let y = 0; y < c.clientHeight; y++) {
      const i = Math.floor(y * dpr) * 4;
      out.push([data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!]);
    }
    return out;
  }, x);
}

/** The CSS rows of a column whose pixel is (nearly) the colour `hex`, at least `minAlpha` opaque. */
export function rowsOf(column: readonly Rgba[], hex: string, tolerance = 40, minAlpha = 200): number[] {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return column.flatMap((p, y) => (p[3] >= minAlpha && Math.abs(p[0] - r!) + Math.abs(p[1] - g!) + Math.abs(p[2] - b!) <= tolerance ? [y] : []));
}

/**
 * How many pixels of a canvas are (nearly) the colour `hex`, at least `minAlpha` opaque (a
 * see-through line's are less), in the CSS rows [top, bottom) if given (the plot, not the lanes).
 */
export async function countColour(page: Page, canvasSelector: string, hex: string, tolerance = 40, minAlpha = 200, rows?: [number, number]): Promise<number> {
  return page.locator(canvasSelector).evaluate(
    (el, [h, tol, alpha, top, bottom]) => {
      const c = el as HTMLCanvasElement;
      const dpr = c.width / c.clientWidth;
      const y0 = Math.round(top * dpr);
      const y1 = Math.min(c.height, Math.round(bottom * dpr));
      const d = c.getContext('2d')!.getImageData(0, y0, c.width, y1 - y0).data;
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3]! >= alpha && Math.abs(d[i]! - r!) + Math.abs(d[i + 1]! - g!) + Math.abs(d[i + 2]! - b!) <= tol) n++;
      return n;
    },
    [hex, tolerance, minAlpha, rows?.[0] ?? 0, rows?.[1] ?? 1e9] as const,
  );
}
