/**
 * Sandwich math on an unprotected reciprocal triad, pure. The victim forges (du, dv) and takes
 * whatever "1" that yields — there is no bound. The searcher mints one side just before it (moving
 * the price against the victim) and burns it back just after. The three forges together move the
 * triad exactly as the victim's alone would, so the searcher's gain is the victim's loss.
 */
import { forgeQuote } from '../../sim/venues/triad-math';
import { maximise } from '../math/maximise';

export interface TriadSandwich {
  /** Front-run: mint this much U (side 0) or 1/U (side 1); the back-run burns it. */
  side: 0 | 1;
  amount: number;
  /** "1" the searcher pays for the front-run (> 0). */
  cost: number;
  /** Net "1" to the searcher after the back-run (before gas). */
  profit: number;
  /** "1" the victim receives (negative: pays) inside the sandwich. */
  victimDw: number;
}

export function triadSandwich(u: number, v: number, k: number, du: number, dv: number, side: 0 | 1, amount: number): TriadSandwich {
  const a = side === 0 ? amount : 0;
  const b = side === 1 ? amount : 0;
  const front = forgeQuote(u, v, a, b, k);
  const victimDw = forgeQuote(u + a, v + b, du, dv, k);
  const back = forgeQuote(u + a + du, v + b + dv, -a, -b, k);
  return { side, amount, cost: -front, profit: front + back, victimDw };
}

/** Can the searcher pay for a front-run of `amount`, and can the victim still go through? */
function isFeasible(u: number, v: number, k: number, du: number, dv: number, side: 0 | 1, amount: number, capital: number, victimOne: number, minOne: number): boolean {
  const a = side === 0 ? amount : 0;
  const b = side === 1 ? amount : 0;
  const cost = -forgeQuote(u, v, a, b, k);
  const victimDw = forgeQuote(u + a, v + b, du, dv, k);
  // A hair inside both balances: at the exact edge the chain's own rounding (wei, floor √) can make
  // the victim's payment exceed what it holds, and the whole bundle would fail.
  return cost <= capital * EDGE && victimDw >= minOne && (victimDw >= 0 || -victimDw <= victimOne * EDGE);
}

const EDGE = 1 - 1e-12;

/** The searcher's net "1" alone (no allocation), for searches. */
function profitOf(u: number, v: number, k: number, du: number, dv: number, side: 0 | 1, amount: number): number {
  const a = side === 0 ? amount : 0;
  const b = side === 1 ? amount : 0;
  return forgeQuote(u, v, a, b, k) + forgeQuote(u + a + du, v + b + dv, -a, -b, k);
}

/**
 * The best front-run for a victim forge (du, dv): over both sides, the amount that maximises the
 * searcher's profit, within its "1" (capital), the victim's "1" when the victim must pay
 * (`victimOne`), and — for the protected variant — the victim's minimum `minOne`.
 */
export function bestTriadSandwich(u: number, v: number, k: number, du: number, dv: number, capital: number, victimOne: number, minOne = -Infinity): TriadSandwich | null {
  if (!(u > 0 && v > 0) || u + du < 0 || v + dv < 0) return null;
  let best: TriadSandwich | null = null;
  for (let sideIndex = 0; sideIndex < 2; sideIndex++) {
    const side = sideIndex as 0 | 1;
    const feasible = (amt: number): boolean => isFeasible(u, v, k, du, dv, side, amt, capital, victimOne, minOne);
    // The largest feasible amount, by doubling then bisection.
    let hi = (side === 0 ? u : v) * 1e-6;
    if (!feasible(hi)) continue;
    while (hi < 1e15 && feasible(hi * 2)) hi *= 2;
    let lo = hi;
    hi *= 2;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (feasible(mid)) lo = mid;
      else hi = mid;
    }
    const cap = lo;
    const capProfit = profitOf(u, v, k, du, dv, side, cap);
    if (!(capProfit > 0) && !(profitOf(u, v, k, du, dv, side, cap / 2) > 0)) continue;
    // Rising at the cap (the usual case): no search needed.
    const amt = capProfit >= profitOf(u, v, k, du, dv, side, cap * (1 - 1e-6)) ? cap : maximise((t) => profitOf(u, v, k, du, dv, side, t), 0, cap);
    const atCap = triadSandwich(u, v, k, du, dv, side, cap);
    const inner = amt === cap ? atCap : triadSandwich(u, v, k, du, dv, side, amt);
    const s = atCap.profit >= inner.profit ? atCap : inner;
    if (s.profit > 0 && (best === null || s.profit > best.profit)) best = s;
  }
  return best;
}
