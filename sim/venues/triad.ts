/**
 * Reciprocal triad state and its one call, forge(du, dv), as the Uniteum contract does it: supplies
 * u, v of U and 1/U are the tokens' supplies on the ledger; the caller receives du of U, dv of 1/U
 * (negative: burns them) and dw = k·(√(u·v) − √(u1·v1)) of "1" (negative: pays). Reverts
 * TRIAD_NEGATIVE_SUPPLY when a supply would go negative, INSUFFICIENT_BALANCE when the caller lacks
 * what it burns. There is no slippage bound unless the venue is the `protected` variant.
 */
import { SimulationFault } from '../errors';
import { Revert, type Call } from '../tx';
import type { World } from '../world';
import { forgeQuote } from './triad-math';

export class TriadVenue {
  readonly kind = 'triad' as const;
  constructor(
    readonly id: string,
    readonly index: number,
    readonly unit: number,
    readonly reciprocal: number,
    readonly one: number,
    /** 2 floating, 1 anchored. */
    readonly k: 1 | 2,
    /** Token wrapped 1:1 by an anchored unit, or -1. */
    readonly anchor: number,
    /** Account holding the anchored token in custody, or -1. */
    readonly custody: number,
    readonly isProtected: boolean,
  ) {}
}

export function forge(w: World, t: TriadVenue, sender: number, agent: number, call: Call): number {
  const du = call.a;
  const dv = call.b;
  if (!(Number.isFinite(du) && Number.isFinite(dv))) return Revert.InvalidAmount;
  const L = w.ledger;
  const bal = L.bal;
  const n = L.tokenCount;
  const u = L.supply[t.unit]!;
  const v = L.supply[t.reciprocal]!;
  if (u + du < 0 || v + dv < 0) return Revert.TriadNegativeSupply;
  const dw = forgeQuote(u, v, du, dv, t.k);
  if (t.isProtected && !(dw >= call.boundA)) return Revert.TriadSlippage;
  const base = sender * n;
  if (du < 0 && bal[base + t.unit]! < -du) return Revert.InsufficientBalance;
  if (dv < 0 && bal[base + t.reciprocal]! < -dv) return Revert.InsufficientBalance;
  if (dw < 0 && bal[base + t.one]! < -dw) return Revert.InsufficientBalance;
  if (t.anchor >= 0 && du > 0 && bal[base + t.anchor]! < du) return Revert.InsufficientBalance;
  if (L.journaling) {
    if (du !== 0) L.mint(sender, t.unit, du);
    if (dv !== 0) L.mint(sender, t.reciprocal, dv);
    if (dw !== 0) L.mint(sender, t.one, dw);
  } else {
    // Nothing journals (a lone one-call transaction): balances and supplies written directly, as Ledger.mint would.
    const supply = L.supply;
    if (du !== 0) {
      bal[base + t.unit] = bal[base + t.unit]! + du;
      supply[t.unit] = supply[t.unit]! + du;
    }
    if (dv !== 0) {
      bal[base + t.reciprocal] = bal[base + t.reciprocal]! + dv;
      supply[t.reciprocal] = supply[t.reciprocal]! + dv;
    }
    if (dw !== 0) {
      bal[base + t.one] = bal[base + t.one]! + dw;
      supply[t.one] = supply[t.one]! + dw;
    }
  }
  // An anchored unit wraps its token: minting U takes it into custody, burning U returns it.
  if (t.anchor >= 0 && du !== 0) L.transfer(sender, t.custody, t.anchor, du);
  const u1 = L.supply[t.unit]!;
  const v1 = L.supply[t.reciprocal]!;
  if (!(u1 >= 0 && v1 >= 0 && u1 < Infinity && v1 < Infinity && dw === dw)) {
    throw new SimulationFault(dw !== dw ? 'NAN' : 'TRIAD_INVARIANT', w.block, w.currentTx, `triad ${t.id}: supplies ${u1}, ${v1}, dw ${dw}`, { venue: t.id, u: u1, v: v1, dw });
  }
  call.outA = du;
  call.outB = dv;
  call.outC = dw;
  return Revert.None;
}

/** Marginal price of U in "1": (k/2)·√(v/u). */
export function unitPrice(w: World, t: TriadVenue): number {
  const s = w.ledger.supply;
  return (t.k / 2) * Math.sqrt(s[t.reciprocal]! / s[t.unit]!);
}
