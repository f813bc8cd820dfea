/**
 * Arbitrage between a reciprocal triad and a constant-product pool that trades one of the triad's
 * tokens — T, its unit U or its reciprocal 1/U — against the triad's "1". Pure.
 *
 * The triad is a market for T in "1" of its own: minting `a` of T costs k·(√((s+a)·o) − √(s·o)) "1",
 * burning `a` pays k·(√(s·o) − √((s−a)·o)), where s is T's supply and o the other side's (DESIGN §3).
 * Its marginal price (k/2)·√(o/s) *falls* as T is minted — the opposite of a pool — so an arbitrage
 * that mints T and sells it into the pool narrows the gap from the pool's side only. Two trades:
 *   mint-sell: the pool pays more than the triad charges — mint `a` T, sell them in the pool;
 *   buy-burn:  the triad pays more than the pool asks — buy `a` T in the pool, burn them.
 * Both are one transaction of two calls, all or nothing. The size maximises the "1" gained.
 */
import { getAmountIn, getAmountOut } from '../../sim/venues/cpmm-math';
import { forgeQuote } from '../../sim/venues/triad-math';
import { maximise } from './maximise';

export interface TriadPoolTrade {
  direction: 'mint-sell' | 'buy-burn';
  /** T minted and sold, or bought and burned. */
  amount: number;
  /** "1" paid: to the triad for the mint, or to the pool for the purchase. */
  oneIn: number;
  /** "1" received: from the pool for the sale, or from the triad for the burn. */
  oneOut: number;
  /** oneOut − oneIn, before gas. */
  profit: number;
}

/** "1" gained by minting `a` T on the triad (supplies s of T, o of the other side) and selling them to the pool (x of T, y of "1"). */
export function mintSellProfit(x: number, y: number, phi: number, s: number, o: number, k: number, a: number): number {
  return getAmountOut(a, x, y, phi) + forgeQuote(s, o, a, 0, k);
}

/** "1" gained by buying `a` T from the pool and burning them on the triad. */
export function buyBurnProfit(x: number, y: number, phi: number, s: number, o: number, k: number, a: number): number {
  return forgeQuote(s, o, -a, 0, k) - getAmountIn(a, y, x, phi);
}

/**
 * The best trade within `capital` "1" (what the arbitrageur holds: both trades pay "1" first), or
 * null when neither gains more than a billionth of the pool's "1". Each direction is searched on (0, cap] whatever the marginal prices at
 * zero say — a burn's payout is convex in its size (the triad's price of T rises without bound as
 * its supply runs out) and a mint's cost concave, so a trade that loses at the margin can gain
 * further out: a geometric scan over twelve orders of magnitude below the cap, then golden-section
 * refinement between the best point's neighbours (the cap itself is scanned).
 */
export function bestTriadPoolTrade(x: number, y: number, phi: number, s: number, o: number, k: number, capital: number): TriadPoolTrade | null {
  if (!(x > 0 && y > 0 && s > 0 && o > 0 && capital > 0)) return null;
  let best: TriadPoolTrade | null = null;
  // Mint-sell: the most "1" buys √((s+a)·o) = capital/k + √(s·o). Without a capital bound the gain
  // still peaks, well below a thousand times the pool's and the triad's sizes (the pool's bid falls
  // as 1/a², the triad's price as 1/√a).
  const root = capital / k + Math.sqrt(s * o);
  const mintCap = Math.min((root * root) / o - s, 1e3 * (x + s));
  best = better(best, search((a) => mintSellProfit(x, y, phi, s, o, k, a), mintCap), 'mint-sell', (a) => -forgeQuote(s, o, a, 0, k), (a) => getAmountOut(a, x, y, phi));
  // Buy-burn: less than the pool holds and the supply there is; no more than capital "1" buys.
  const burnCap = Math.min(x * (1 - 1e-9), s, (capital * phi * x) / (y + capital * phi));
  best = better(best, search((a) => buyBurnProfit(x, y, phi, s, o, k, a), burnCap), 'buy-burn', (a) => getAmountIn(a, y, x, phi), (a) => forgeQuote(s, o, -a, 0, k));
  // Below a billionth of the pool's "1" a gain is the search's own rounding (what a trade right at
  // the optimum leaves), not an opportunity.
  return best !== null && best.profit > 1e-9 * y ? best : null;
}

function better(best: TriadPoolTrade | null, a: number, direction: TriadPoolTrade['direction'], oneIn: (a: number) => number, oneOut: (a: number) => number): TriadPoolTrade | null {
  if (!(a > 0)) return best;
  const paid = oneIn(a);
  const got = oneOut(a);
  const t = { direction, amount: a, oneIn: paid, oneOut: got, profit: got - paid };
  return best === null || t.profit > best.profit ? t : best;
}

const SCAN = 97;

/** The argmax of `gain` on (0, cap], or 0 when it gains nothing there. */
function search(gain: (a: number) => number, cap: number): number {
  if (!(cap > 0)) return 0;
  // Geometric points cap·10^(−12 + 12i/(SCAN−1)), i = 0 … SCAN−1 (the last is the cap itself).
  let bestI = -1;
  let bestG = 0;
  const at = (i: number): number => (i < 0 ? 0 : cap * Math.pow(10, -12 + (12 * i) / (SCAN - 1)));
  for (let i = 0; i < SCAN; i++) {
    const g = gain(at(i));
    if (g > bestG) {
      bestG = g;
      bestI = i;
    }
  }
  if (bestI < 0) return 0;
  // 70 steps shrink the bracket by 0.618^70 ≈ 2e-15: the argmax to float precision.
  const refined = maximise(gain, at(bestI - 1), bestI + 1 < SCAN ? at(bestI + 1) : cap, 70);
  return gain(refined) >= bestG ? refined : at(bestI);
}
