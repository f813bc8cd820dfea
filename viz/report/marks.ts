/**
 * The timeline's event lanes: one row per kind (viz/data/markers.ts MARKER_KINDS), a mark
 * per pixel column that has any such transaction in view, drawn on the chart's canvas (thousands
 * of SVG marks would make zooming sluggish). A mark's height is its count against the lane's
 * busiest column in view, so a zoomed-out lane shows where events cluster instead of a solid bar.
 * Hovering a lane gives the blocks and exact count of the mark under the pointer; clicking selects
 * its first block. A kind the data cannot tell is said so in its lane.
 */
import { pointer, type ScaleLinear } from 'd3';
import { bucket, MARKER_KINDS, MARKER_LABELS, type Bucket, type MarkerKind } from '../data/markers';
import type { Frame } from '../ui/frame';
import { MARKER_COLORS } from '../ui/palette';
import { hideTip, showTip } from '../ui/tooltip';
import type { Ctx } from './context';
import type { Store } from './store';

const LANE = 11;
export const LANES_HEIGHT = LANE * MARKER_KINDS.length + 6;
const laneY = (i: number): number => 4 + i * LANE;

interface Drawn {
  xs: ScaleLinear<number, number>;
  buckets: Record<MarkerKind, Bucket[]>;
}

const drawn = new WeakMap<Frame, Drawn>();

/** The mark of `kind` within 3 pixels of `px`, if any. */
function hit(d: Drawn, kind: MarkerKind, px: number): Bucket | undefined {
  return d.buckets[kind].find((b) => px >= d.xs(b.first) - 3 && px <= d.xs(b.last) + 3);
}

function lanes(f: Frame, ctx: Ctx, store: Store): void {
  const root = f.svg.append('g').attr('class', 'lanes');
  MARKER_KINDS.forEach((k, i) => {
    const [label, one, many] = MARKER_LABELS[k];
    root.append('text').attr('class', 'lane-label').attr('x', f.m.left - 6).attr('y', laneY(i) + LANE - 3).attr('text-anchor', 'end').text(label);
    if (ctx.markers.unknown.includes(k)) {
      root.append('text').attr('class', 'lane-note').attr('data-kind', k).attr('x', f.m.left + 4).attr('y', laneY(i) + LANE - 3).text('not in this output folder’s blocks.csv (written by an older hedgesim): run again, or with --record full');
    }
    const g = root.append('g').attr('class', 'markers').attr('data-kind', k);
    g.append('rect')
      .attr('class', 'lane')
      .attr('x', f.m.left)
      .attr('y', laneY(i))
      .attr('width', f.width - f.m.left - f.m.right)
      .attr('height', LANE - 2)
      .attr('fill', 'transparent')
      .on('mousemove', (ev: MouseEvent) => {
        const d = drawn.get(f);
        const b = d === undefined ? undefined : hit(d, k, pointer(ev, f.svg.node())[0]);
        if (b === undefined) return hideTip();
        showTip(ev, [`${label}: ${b.count} ${b.count === 1 ? one : many}`, b.first === b.last ? `block ${b.first}` : `blocks ${b.first}–${b.last}`, 'click to inspect']);
      })
      .on('mouseleave', hideTip)
      .on('click', (ev: MouseEvent) => {
        const d = drawn.get(f);
        const b = d === undefined ? undefined : hit(d, k, pointer(ev, f.svg.node())[0]);
        if (b !== undefined) store.set({ block: b.first }, 'marker');
      });
  });
}

export function drawMarkers(f: Frame, ctx: Ctx, xs: ScaleLinear<number, number>, store: Store): void {
  const [d0, d1] = xs.domain() as [number, number];
  const columns = Math.max(1, Math.floor(f.width - f.m.left - f.m.right));
  if (f.svg.select('g.lanes').empty()) lanes(f, ctx, store);
  const bw = Math.min(8, Math.max(2, xs(d0 + 1) - xs(d0)));
  const buckets = {} as Record<MarkerKind, Bucket[]>;
  const c = f.ctx;
  const full = LANE - 2;
  MARKER_KINDS.forEach((k, i) => {
    const bs = bucket(ctx.markers.series[k], d0, d1, columns);
    buckets[k] = bs;
    let max = 0;
    for (const b of bs) max = Math.max(max, b.count);
    c.fillStyle = MARKER_COLORS[k]!;
    for (const b of bs) {
      // At least 2 px, so that a lone event next to a busy column still shows.
      const h = Math.max(2, Math.round((full * b.count) / max));
      c.fillRect(xs(b.first) - bw / 2, laneY(i) + full - h, Math.max(bw, xs(b.last) - xs(b.first) + bw), h);
    }
    f.svg.select(`g.markers[data-kind="${k}"]`).attr('data-total', bs.reduce((s, b) => s + b.count, 0)).attr('data-marks', bs.length).attr('data-max', max);
  });
  drawn.set(f, { xs, buckets });
}
