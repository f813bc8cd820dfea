/**
 * Decimation for drawing long series: per pixel column keep the first, lowest, highest and last
 * point (M4), so the drawn line is the same as with every point, at a cost bounded by the width.
 */

export interface Points {
  x: number[];
  y: number[];
}

/** Index range [lo, hi) of the sorted `x` that covers [x0, x1], one point of margin either side. */
export function visibleRange(x: ArrayLike<number>, x0: number, x1: number): [number, number] {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! < x0) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  hi = x.length;
  while (end < hi) {
    const mid = (end + hi) >> 1;
    if (x[mid]! <= x1) end = mid + 1;
    else hi = mid;
  }
  return [Math.max(0, lo - 1), Math.min(x.length, end + 1)];
}

/**
 * Points of y(x) over indices [i0, i1) to draw across `columns` pixel columns spanning [x0, x1].
 * With no more than 4 points per column they are all kept. A column whose values are all missing
 * (NaN) yields a NaN point, which breaks the line there.
 */
export function m4(x: ArrayLike<number>, y: ArrayLike<number>, i0: number, i1: number, x0: number, x1: number, columns: number): Points {
  const out: Points = { x: [], y: [] };
  if (i1 - i0 <= 4 * columns || x1 <= x0) {
    for (let i = i0; i < i1; i++) {
      out.x.push(x[i]!);
      out.y.push(y[i]!);
    }
    return out;
  }
  const scale = columns / (x1 - x0);
  let col = NaN;
  let first = -1;
  let last = -1;
  let lo = -1;
  let hi = -1;
  let missing = false;
  const flush = (): void => {
    if (first < 0) {
      if (missing) {
        out.x.push(NaN);
        out.y.push(NaN);
      }
      return;
    }
    const keep = [first, lo, hi, last].sort((a, b) => a - b);
    let prev = -1;
    for (const k of keep) {
      if (k === prev) continue;
      prev = k;
      out.x.push(x[k]!);
      out.y.push(y[k]!);
    }
  };
  for (let i = i0; i < i1; i++) {
    const c = Math.floor((x[i]! - x0) * scale);
    if (c !== col) {
      if (!Number.isNaN(col)) flush();
      col = c;
      first = last = lo = hi = -1;
      missing = false;
    }
    const v = y[i]!;
    if (!Number.isFinite(v)) {
      missing = true;
      continue;
    }
    if (first < 0) first = lo = hi = i;
    last = i;
    if (v < y[lo]!) lo = i;
    if (v > y[hi]!) hi = i;
  }
  flush();
  return out;
}

/** Lowest and highest finite y over indices [i0, i1), or undefined when there is none. */
export function extent(y: ArrayLike<number>, i0: number, i1: number): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = i0; i < i1; i++) {
    const v = y[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}

/** The y range of indices [i0, i1) of some series, padded by 5 % (a flat series by 1 %); [0, 1] for none. */
export function paddedDomain(ys: readonly ArrayLike<number>[], i0: number, i1: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const y of ys) {
    const e = extent(y, i0, i1);
    if (e === undefined) continue;
    lo = Math.min(lo, e[0]);
    hi = Math.max(hi, e[1]);
  }
  if (!(lo <= hi)) return [0, 1];
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.01 || 1;
  return [lo - pad, hi + pad];
}
