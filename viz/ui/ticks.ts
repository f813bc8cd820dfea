/**
 * Ticks of a symmetric-log axis (d3's scaleSymlog ticks as a linear scale would, bunching them at
 * the ends): zero and signed powers of ten inside the domain, every other power (or fewer) when
 * there are too many to read.
 */
export function symlogTicks([lo, hi]: readonly [number, number], max = 9): number[] {
  const out: number[] = [];
  const top = Math.max(Math.abs(lo), Math.abs(hi));
  if (!(top >= 1)) return lo <= 0 && hi >= 0 ? [0] : [];
  const kmax = Math.floor(Math.log10(top));
  const ks = Array.from({ length: kmax + 1 }, (_, k) => k);
  const signs = (lo < 0 ? 1 : 0) + (hi > 0 ? 1 : 0);
  // Thin the powers until they fit, keeping the largest (the one that matters at a glance).
  let step = 1;
  while (signs * Math.ceil(ks.length / step) + 1 > max) step++;
  const kept = ks.filter((k) => (kmax - k) % step === 0);
  const inside = (t: number): boolean => t >= lo && t <= hi;
  for (const k of [...kept].reverse()) if (inside(-(10 ** k))) out.push(-(10 ** k));
  if (inside(0)) out.push(0);
  for (const k of kept) if (inside(10 ** k)) out.push(10 ** k);
  return out;
}

/**
 * The ticks that keep `gap` pixels from one another at positions `px(t)`: zero first, then the
 * largest in magnitude (near zero a symlog axis packs ±1, ±10 into a few pixels).
 */
export function spaced(ticks: readonly number[], px: (t: number) => number, gap: number): number[] {
  const byPriority = [...ticks].sort((a, b) => (a === 0 ? -1 : b === 0 ? 1 : Math.abs(b) - Math.abs(a)));
  const kept: number[] = [];
  for (const t of byPriority) if (kept.every((k) => Math.abs(px(k) - px(t)) >= gap)) kept.push(t);
  return kept.sort((a, b) => a - b);
}
