/**
 * What every block-axis chart does with the pointer: wheel and drag zoom and pan the shared block
 * range, hovering shows a rule and a tooltip with the exact values at that block, clicking selects
 * the block for the inspector.
 */
import { pointer, scaleLinear, zoom, zoomIdentity, type ScaleLinear, type ZoomTransform } from 'd3';
import { type Frame, rule } from '../ui/frame';
import { hideTip, showTip } from '../ui/tooltip';
import type { Store } from './store';

/** The x scale of a frame for the current domain. */
export function xScale(f: Frame, domain: readonly [number, number]): ScaleLinear<number, number> {
  return scaleLinear().domain(domain).range([f.m.left, f.width - f.m.right]);
}

export function interact(f: Frame, store: Store, name: string, tooltip: (block: number) => string[]): void {
  const [r0, r1] = [f.m.left, f.width - f.m.right];
  const full = scaleLinear().domain(store.extent).range([r0, r1]);
  const rect = f.svg
    .insert('rect', ':first-child')
    .attr('class', 'zoom')
    .attr('x', r0)
    .attr('y', f.m.top)
    .attr('width', r1 - r0)
    .attr('height', f.height - f.m.top - f.m.bottom)
    .attr('fill', 'transparent');
  const maxK = Math.max(1, (store.extent[1] - store.extent[0]) / 10);
  let syncing = false;
  const z = zoom<SVGRectElement, unknown>()
    .scaleExtent([1, maxK])
    .extent([
      [r0, 0],
      [r1, f.height],
    ])
    .translateExtent([
      [r0, 0],
      [r1, f.height],
    ])
    .on('zoom', (ev: { transform: ZoomTransform }) => {
      if (!syncing) store.set({ domain: ev.transform.rescaleX(full).domain() as [number, number] }, name);
    });
  const transformFor = ([a, b]: [number, number]): ZoomTransform => {
    const k = (r1 - r0) / Math.max(1e-9, full(b) - full(a));
    return zoomIdentity.translate(r0 - k * full(a), 0).scale(k);
  };
  rect.call(z).on('dblclick.zoom', null);
  store.on((v, changed, source) => {
    if (!changed.has('domain') || source === name) return;
    syncing = true;
    rect.call(z.transform, transformFor(v.domain));
    syncing = false;
  });
  if (store.get().domain.join() !== store.extent.join()) {
    syncing = true;
    rect.call(z.transform, transformFor(store.get().domain));
    syncing = false;
  }
  const blockAt = (ev: MouseEvent): number => Math.round(xScale(f, store.get().domain).invert(pointer(ev, f.svg.node())[0]));
  rect
    .on('mousemove', (ev: MouseEvent) => {
      const b = Math.min(store.extent[1], Math.max(store.extent[0], blockAt(ev)));
      rule(f, 'hover', b, xScale(f, store.get().domain));
      showTip(ev, tooltip(b));
    })
    .on('mouseleave', () => {
      rule(f, 'hover', undefined, xScale(f, store.get().domain));
      hideTip();
    })
    .on('click', (ev: MouseEvent) => store.set({ block: blockAt(ev) }, 'click'));
}
