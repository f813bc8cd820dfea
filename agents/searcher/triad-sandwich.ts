/**
 * Sandwich math on an unprotected reciprocal triad, pure. The victim forges (du, dv) and takes
 * whatever "1" that yields — there is no bound. The searcher mints one side just before it (moving
 * the price against the victim) and burns it back just after. The three forges together move the
 * triad exactly as the victim's alone would, so the searcher's gain is the victim's loss.
 */
import { forgeQuote } from '../../sim/venues/triad-math';
import { maximise } from './cpmm-sandwich';

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

/**
 * The best front-run for a victim forge (du, dv): over both sides, the amount that maximises the
 * searcher's profit, within its "1" (capital), the victim's "1" when the victim must pay
 * (`victimOne`), and — for the protected variant — the victim's minimum `minOne`.
 */
export function bestTriadSandwich(u: number, v: number, k: number, du: number, dv: number, capital: number, victimOne: number, minOne = -Infinity): TriadSandwich | null {
  if (!(u > 0 && v > 0) || u + du < 0 || v + dv < 0) return null;
  let best: TriadSandwich | null = null;
  for (const side of [0, 1] as const) {
    const feasible = (amt: number): boolean => {
      const s = triadSandwich(u, v, k, du, dv, side, amt);
      return s.cost <= capital && s.victimDw >= minOne && (s.victimDw >= 0 || -s.victimDw <= victimOne);
    };
    // The largest feasible amount, by doubling then bisection.
    let hi = (side === 0 ? u : v) * 1e-6;
    if (!feasible(hi)) continue;
    while (hi < 1e15 && feasible(hi * 2)) hi *= 2;
    let lo = hi;
    hi *= 2;
    for (let i = 0; i < 100; i++) {
      const mid = (lo + hi) / 2;
      if (feasible(mid)) lo = mid;
      else hi = mid;
    }
    const cap = lo;
    const amt = maximise((t) => triadSandwich(u, v, k, du, dv, side, t).profit, 0, cap);
    const atCap = triadSandwich(u, v, k, du, dv, side, cap);
    const inner = triadSandwich(u, v, k, du, dv, side, amt);
    const s = atCap.profit >= inner.profit ? atCap : inner;
    if (s.profit > 0 && (best === null || s.profit > best.profit)) best = s;
  }
  return best;
}
