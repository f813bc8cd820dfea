/**
 * The state the run viewer's panels share — the visible block range and the selected block — with
 * listeners told what changed and by whom (so the zoom that moved the range is not moved back).
 */

export interface View {
  /** Visible block range. */
  domain: [number, number];
  /** Selected block. */
  block: number;
}

export type Listener = (v: View, changed: ReadonlySet<keyof View>, source: string) => void;

export interface Store {
  get(): View;
  set(patch: Partial<View>, source: string): void;
  on(fn: Listener): void;
  /** Full block range of the run. */
  readonly extent: [number, number];
}

export function createStore(initial: View, extent: [number, number]): Store {
  let view = initial;
  const listeners: Listener[] = [];
  return {
    extent,
    get: () => view,
    on: (fn) => void listeners.push(fn),
    set(patch, source) {
      const changed = new Set<keyof View>();
      if (patch.domain !== undefined) {
        const [a, b] = clampDomain(patch.domain, extent);
        if (a !== view.domain[0] || b !== view.domain[1]) changed.add('domain');
        patch = { ...patch, domain: [a, b] };
      }
      if (patch.block !== undefined) {
        const b = Math.round(Math.min(extent[1], Math.max(extent[0], patch.block)));
        if (b !== view.block) changed.add('block');
        patch = { ...patch, block: b };
      }
      if (changed.size === 0) return;
      view = { ...view, ...patch };
      for (const fn of listeners) fn(view, changed, source);
    },
  };
}

/** Keep a range inside the run, at least one block wide, shifting rather than shrinking it. */
export function clampDomain([a, b]: [number, number], [lo, hi]: [number, number]): [number, number] {
  const full = hi - lo;
  let w = Math.min(Math.max(b - a, Math.min(1, full)), full);
  if (!(w > 0)) w = full;
  let s = Math.max(lo, Math.min(a, hi - w));
  if (!Number.isFinite(s)) s = lo;
  return [s, s + w];
}
