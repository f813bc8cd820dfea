/**
 * Reciprocal triad math (Uniteum forge), float64. State: u, v = outstanding supply of the unit U and
 * of its reciprocal 1/U; k = 2 for a floating unit, 1 for an anchored one. The invariant token "1"
 * is minted and burned so that Σ "1" + Σ k·√(u·v) never changes.
 */

/**
 * "1" received by the caller of forge(du, dv): k·(√(u·v) − √(u1·v1)); negative means the caller pays.
 * NaN when a supply would turn negative (the contract reverts NegativeSupply) — check with
 * `forgeIsValid` first.
 */
export function forgeQuote(u: number, v: number, du: number, dv: number, k: number): number {
  return k * (Math.sqrt(u * v) - Math.sqrt((u + du) * (v + dv)));
}

/** False when forge(du, dv) would drive a supply negative. */
export function forgeIsValid(u: number, v: number, du: number, dv: number): boolean {
  return u + du >= 0 && v + dv >= 0;
}

/** Marginal price of U in "1": (k/2)·√(v/u). Minting U lowers it. */
export function priceOfUnit(u: number, v: number, k: number): number {
  return (k / 2) * Math.sqrt(v / u);
}

/** Marginal price of 1/U in "1": (k/2)·√(u/v). */
export function priceOfReciprocal(u: number, v: number, k: number): number {
  return (k / 2) * Math.sqrt(u / v);
}

/** Value in "1" of liquidating a holding (a of U, b of 1/U) alone: forge(−a, −b). */
export function liquidationValue(u: number, v: number, a: number, b: number, k: number): number {
  return forgeQuote(u, v, -a, -b, k);
}

/**
 * The (du, dv) that moves the price of U from its current value to `target` at zero "1": along the
 * hyperbola u·v = const, du = u·(p/P − 1), dv = v·(P/p − 1). Writes [du, dv] into `out`.
 */
export function moveAtZeroCost(u: number, v: number, k: number, target: number, out: Float64Array): void {
  moveAtZeroCostFrom(u, v, priceOfUnit(u, v, k), target, out);
}

/** `moveAtZeroCost` for a caller that already holds the current price p = priceOfUnit(u, v, k). */
export function moveAtZeroCostFrom(u: number, v: number, current: number, target: number, out: Float64Array): void {
  const ratio = current / target;
  out[0] = u * (ratio - 1);
  out[1] = v * (1 / ratio - 1);
}

/**
 * The mint-only forge that moves the price of U to `target`: mint U to lower it, mint 1/U to raise
 * it. Costs "1" (the caller pays); needs no inventory. Writes [du, dv] into `out`.
 */
export function mintToPrice(u: number, v: number, k: number, target: number, out: Float64Array): void {
  const h = k / 2;
  const p = priceOfUnit(u, v, k);
  if (target < p) {
    out[0] = (h * h * v) / (target * target) - u;
    out[1] = 0;
  } else {
    out[0] = 0;
    out[1] = (target * target * u) / (h * h) - v;
  }
}
