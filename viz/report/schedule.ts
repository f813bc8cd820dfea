/**
 * Redraws batched per animation frame: zoom events come faster than frames. The time the last
 * batch took is left in `data-redraw-ms` on the root element (read by the viewer benchmark).
 */
const pending = new Set<() => void>();

/** Run `fn` once at the next frame, however often it is asked for before then. */
export function schedule(fn: () => void): void {
  if (pending.size === 0)
    requestAnimationFrame(() => {
      const t0 = performance.now();
      const fns = [...pending];
      pending.clear();
      for (const f of fns) f();
      document.documentElement.dataset.redrawMs = (performance.now() - t0).toFixed(1);
    });
  pending.add(fn);
}
