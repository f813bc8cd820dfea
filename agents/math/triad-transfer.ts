/**
 * What a forge hands the other holders of a triad's U and 1/U, in "1": they hold U_o and V_o, the
 * forge moves the marks from (p, q) to (p', q'), so their holdings gain U_o·(p' − p) + V_o·(q' − q).
 * The marks sum to the custody (u·p + v·q = k·√(u·v)), so this is exactly what the forger's own
 * marked value loses over the forge (its "1" paid included): the forger pays it.
 */
import { priceOfUnit } from '../../sim/venues/triad-math';

/** Value in "1" that forge(du, dv) at supplies (u, v) hands holders of (others U, others V). */
export function transferToOthers(u: number, v: number, k: number, othersU: number, othersV: number, du: number, dv: number): number {
  return transferToOthersFrom(u, v, k, priceOfUnit(u, v, k), othersU, othersV, du, dv);
}

/**
 * `transferToOthers` for a caller that already holds the price of U, p0 = priceOfUnit(u, v, k) (a
 * tracker's every block). The marks are triad-math's priceOfUnit/priceOfReciprocal written out, the
 * same operations in the same order: calling them costs the tracker's `act` enough of V8's inlining
 * budget that its price read (view.refPrice) goes out of line (measured: +100 instructions a block).
 */
export function transferToOthersFrom(u: number, v: number, k: number, p0: number, othersU: number, othersV: number, du: number, dv: number): number {
  const h = k / 2;
  const q0 = h * Math.sqrt(u / v);
  const u1 = u + du;
  const v1 = v + dv;
  const p1 = h * Math.sqrt(v1 / u1);
  const q1 = h * Math.sqrt(u1 / v1);
  return othersU * (p1 - p0) + othersV * (q1 - q0);
}

/**
 * The transfer to holders of (a, b) in "1" = (U_o·p, V_o·q) when the price of U moves by the ratio ρ:
 * f(ρ) = a·(ρ − 1) + b·(1/ρ − 1), since q = (k²/4)/p. f(1) = 0 and f is convex on ρ > 0, so
 * {f ≤ cap} (cap ≥ 0) is an interval around 1: the largest step toward `rho` that costs at most
 * `cap` is `rho` itself or the end of that interval on its side.
 */
export function ratioWithin(a: number, b: number, rho: number, cap: number): number {
  const f = a * (rho - 1) + b * (1 / rho - 1);
  if (f <= cap) return rho;
  // a·ρ² − (a + b + cap)·ρ + b = 0, roots r₋ ≤ 1 ≤ r₊ (their product b/a).
  const s = a + b + cap;
  if (rho > 1) {
    if (a <= 0) return rho; // f decreasing above 1: never binds (f ≤ 0 < cap handled above)
    const disc = Math.sqrt(Math.max(0, s * s - 4 * a * b));
    return (s + disc) / (2 * a);
  }
  if (b <= 0) return rho;
  const disc = Math.sqrt(Math.max(0, s * s - 4 * a * b));
  // The smaller root, written as b / r₊·a-free form to stay accurate when a is 0 or tiny.
  return (2 * b) / (s + disc);
}
