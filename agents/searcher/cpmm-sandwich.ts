/**
 * Sandwich math on a constant-product pool, pure. The victim pays `victimIn` of token X for at least
 * `minOut` of token Y; the searcher buys Y with `f` of X just before it (front-run) and sells that Y
 * right after it (back-run). Reserves are (x, y) in the victim's direction; φ = 1 − fee.
 */
import { getAmountOut } from '../../sim/venues/cpmm-math';

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

export interface SandwichOutcome {
  frontOut: number;
  victimOut: number;
  backOut: number;
  /** backOut − f, in units of X (before gas). */
  profit: number;
}

/** The profit alone (no allocation), for searches. */
export function sandwichProfit(x: number, y: number, phi: number, f: number, victimIn: number): number {
  const frontOut = f > 0 ? getAmountOut(f, x, y, phi) : 0;
  const x1 = x + f;
  const y1 = y - frontOut;
  const victimOut = getAmountOut(victimIn, x1, y1, phi);
  return frontOut > 0 ? getAmountOut(frontOut, y1 - victimOut, x1 + victimIn, phi) - f : -f;
}

/** What a sandwich of front-run size `f` yields. */
export function sandwich(x: number, y: number, phi: number, f: number, victimIn: number): SandwichOutcome {
  const frontOut = f > 0 ? getAmountOut(f, x, y, phi) : 0;
  const x1 = x + f;
  const y1 = y - frontOut;
  const victimOut = getAmountOut(victimIn, x1, y1, phi);
  const x2 = x1 + victimIn;
  const y2 = y1 - victimOut;
  const backOut = frontOut > 0 ? getAmountOut(frontOut, y2, x2, phi) : 0;
  return { frontOut, victimOut, backOut, profit: backOut - f };
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** Golden-section maximum of a unimodal `f` on [lo, hi]. */
export function maximise(f: (t: number) => number, lo: number, hi: number, iterations = 32): number {
  let a = lo;
  let b = hi;
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < iterations; i++) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLDEN * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLDEN * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/**
 * Golden-section search of the sandwich profit on [0, cap], written out (no closure): the profit is
 * flat at its maximum, so 32 steps (the argmax to ~2e-7 of the interval) lose nothing measurable.
 */
function maximiseSandwich(x: number, y: number, phi: number, victimIn: number, cap: number): number {
  let a = 0;
  let b = cap;
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = sandwichProfit(x, y, phi, c, victimIn);
  let fd = sandwichProfit(x, y, phi, d, victimIn);
  for (let i = 0; i < 32; i++) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLDEN * (b - a);
      fc = sandwichProfit(x, y, phi, c, victimIn);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLDEN * (b - a);
      fd = sandwichProfit(x, y, phi, d, victimIn);
    }
  }
  return (a + b) / 2;
}

/** The victim's output after a front-run of `f`, computed as the executor will. */
function victimOutAfter(x: number, y: number, phi: number, f: number, victimIn: number): number {
  return getAmountOut(victimIn, x + f, y - getAmountOut(f, x, y, phi), phi);
}

/**
 * The most profitable front-run within the victim's bound and the searcher's capital (both in X):
 * the profit rises with f almost everywhere, so the answer is usually the bound itself, but with
 * fees it can peak inside — both are checked. A hair below the bound keeps float rounding from
 * pushing the victim under its minimum, and the answer is checked as the executor will see it.
 */
export function bestFrontRun(x: number, y: number, phi: number, victimIn: number, minOut: number, capital: number): number {
  const bound = maxFrontRun(x, y, phi, victimIn, minOut);
  // The closed form loses ~1e-16/slack of relative precision: with a minimum within ~1e-7 of the
  // quote, step further back until the executor agrees.
  let margin = 1e-9;
  while (bound < capital && margin < 1e-3 && victimOutAfter(x, y, phi, bound * (1 - margin), victimIn) < minOut) margin *= 10;
  const cap = Math.min(bound * (1 - margin), capital);
  if (!(cap > 0)) return 0;
  const atCap = sandwichProfit(x, y, phi, cap, victimIn);
  let best: number;
  // Still rising at the bound (the usual case): the bound is the answer, no search needed.
  if (atCap >= sandwichProfit(x, y, phi, cap * (1 - 1e-6), victimIn)) best = cap;
  else {
    const inner = maximiseSandwich(x, y, phi, victimIn, cap);
    best = atCap >= sandwichProfit(x, y, phi, inner, victimIn) ? cap : inner;
  }
  return sandwichProfit(x, y, phi, best, victimIn) > 0 && victimOutAfter(x, y, phi, best, victimIn) >= minOut ? best : 0;
}
