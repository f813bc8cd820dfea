/**
 * Sandwich math on a constant-product pool, pure. The victim trades token X for token Y, either
 * paying exactly `victimIn` for at least `minOut` (an exact-input swap) or receiving exactly
 * `victimOut` for at most `maxIn` (an exact-output swap, `exactOut`); the searcher buys Y with `f` of
 * X just before it (front-run) and sells that Y right after it (back-run). Reserves are (x, y) in the
 * victim's direction; φ = 1 − fee. `amount` and `bound` below are the victim's (in, min out) or
 * (out, max in).
 */
import { getAmountIn, getAmountOut } from '../../sim/venues/cpmm-math';

/**
 * The largest front-run after which the victim still gets exactly its minimum: solving
 * out_v(f) = m, with y₁ = x·y/(x + φf) and x₁ = x + f, gives m·φf² + m(φx + φ²Δ + x)f + m·x(x + φΔ) − x·y·φΔ = 0.
 * Returns 0 if even no front-run leaves the victim at or below its bound.
 */
export function maxFrontRun(x: number, y: number, phi: number, victimIn: number, minOut: number): number {
  const m = minOut;
  const d = victimIn;
  if (!(m > 0)) return Infinity;
  const a = m * phi;
  const b = m * (phi * x + phi * phi * d + x);
  const c = m * x * (x + phi * d) - x * y * phi * d;
  if (c >= 0) return 0;
  // The stable form of the positive root: 2c / (−b − √(b² − 4ac)).
  return (2 * -c) / (b + Math.sqrt(b * b - 4 * a * c));
}

/**
 * The same bound for an exact-output victim: needing at most `maxIn` for `victimOut` is getting at
 * least `victimOut` for `maxIn` (the output rises with the input), so it is maxFrontRun(maxIn,
 * victimOut). Without a maximum the pool must still hold more than `victimOut` after the front-run.
 */
export function maxFrontRunExactOut(x: number, y: number, phi: number, victimOut: number, maxIn: number): number {
  if (!(maxIn < Infinity)) return victimOut > 0 && victimOut < y ? ((x * y) / victimOut - x) / phi : 0;
  return maxFrontRun(x, y, phi, maxIn, victimOut);
}

export interface SandwichOutcome {
  frontOut: number;
  /** What the victim pays (X) and receives (Y) inside the sandwich. */
  victimIn: number;
  victimOut: number;
  backOut: number;
  /** backOut − f, in units of X (before gas). */
  profit: number;
}

/** The profit alone (no allocation), for searches; −∞ when the pool cannot pay an exact-output victim. */
export function sandwichProfit(x: number, y: number, phi: number, f: number, amount: number, exactOut = false): number {
  const frontOut = f > 0 ? getAmountOut(f, x, y, phi) : 0;
  const x1 = x + f;
  const y1 = y - frontOut;
  if (exactOut && !(amount < y1)) return -Infinity;
  const victimIn = exactOut ? getAmountIn(amount, x1, y1, phi) : amount;
  const victimOut = exactOut ? amount : getAmountOut(amount, x1, y1, phi);
  return frontOut > 0 ? getAmountOut(frontOut, y1 - victimOut, x1 + victimIn, phi) - f : -f;
}

/** What a sandwich of front-run size `f` yields. */
export function sandwich(x: number, y: number, phi: number, f: number, amount: number, exactOut = false): SandwichOutcome {
  const frontOut = f > 0 ? getAmountOut(f, x, y, phi) : 0;
  const x1 = x + f;
  const y1 = y - frontOut;
  const victimIn = exactOut ? getAmountIn(amount, x1, y1, phi) : amount;
  const victimOut = exactOut ? amount : getAmountOut(amount, x1, y1, phi);
  const backOut = frontOut > 0 ? getAmountOut(frontOut, y1 - victimOut, x1 + victimIn, phi) : 0;
  return { frontOut, victimIn, victimOut, backOut, profit: backOut - f };
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * Golden-section search of the sandwich profit on [0, cap], written out (no closure): the profit is
 * flat at its maximum, so 32 steps (the argmax to ~2e-7 of the interval) lose nothing measurable.
 */
function maximiseSandwich(x: number, y: number, phi: number, amount: number, cap: number, exactOut: boolean): number {
  let a = 0;
  let b = cap;
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = sandwichProfit(x, y, phi, c, amount, exactOut);
  let fd = sandwichProfit(x, y, phi, d, amount, exactOut);
  for (let i = 0; i < 32; i++) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLDEN * (b - a);
      fc = sandwichProfit(x, y, phi, c, amount, exactOut);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLDEN * (b - a);
      fd = sandwichProfit(x, y, phi, d, amount, exactOut);
    }
  }
  return (a + b) / 2;
}

/** Does the victim's bound still hold after a front-run of `f`? Computed as the executor will. */
function victimWithinBound(x: number, y: number, phi: number, f: number, amount: number, bound: number, exactOut: boolean): boolean {
  const frontOut = getAmountOut(f, x, y, phi);
  if (!exactOut) return getAmountOut(amount, x + f, y - frontOut, phi) >= bound;
  return amount < y - frontOut && getAmountIn(amount, x + f, y - frontOut, phi) <= bound;
}

/**
 * The most profitable front-run within the victim's bound and the searcher's capital (both in X):
 * the profit rises with f almost everywhere, so the answer is usually the bound itself, but with
 * fees it can peak inside — both are checked. A hair below the bound keeps float rounding from
 * pushing the victim past it, and the answer is checked as the executor will see it.
 */
export function bestFrontRun(x: number, y: number, phi: number, amount: number, bound: number, capital: number, exactOut = false): number {
  const limit = exactOut ? maxFrontRunExactOut(x, y, phi, amount, bound) : maxFrontRun(x, y, phi, amount, bound);
  // The closed form loses ~1e-16/slack of relative precision: with a bound within ~1e-7 of the
  // quote, step further back until the executor agrees.
  let margin = 1e-9;
  while (limit < capital && margin < 1e-3 && !victimWithinBound(x, y, phi, limit * (1 - margin), amount, bound, exactOut)) margin *= 10;
  const cap = Math.min(limit * (1 - margin), capital);
  if (!(cap > 0)) return 0;
  const atCap = sandwichProfit(x, y, phi, cap, amount, exactOut);
  let best: number;
  // Still rising at the bound (the usual case): the bound is the answer, no search needed.
  if (atCap >= sandwichProfit(x, y, phi, cap * (1 - 1e-6), amount, exactOut)) best = cap;
  else {
    const inner = maximiseSandwich(x, y, phi, amount, cap, exactOut);
    best = atCap >= sandwichProfit(x, y, phi, inner, amount, exactOut) ? cap : inner;
  }
  return sandwichProfit(x, y, phi, best, amount, exactOut) > 0 && victimWithinBound(x, y, phi, best, amount, bound, exactOut) ? best : 0;
}
