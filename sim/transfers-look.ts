/**
 * The transfer ledger's fixed plan of a world's tokens (sim/transfers.ts): which are priced directly
 * and which are looked through, how each derived one is (an LP share of two directly priced tokens, a
 * triad's U or 1/U over a directly priced "1" — Look — or anything else, through World), and per
 * venue the tokens a one-call transaction can move in its sender's wallet. Made once per run; the
 * ledger's refreshes read these lists instead of scanning every token. `lookAccount` is World's
 * `lookThroughAccount` — the same sums in the same order — without its recursion for those tokens.
 */
import type { Ledger } from './ledger';
import { totalShares, type CpmmVenue } from './venues/cpmm';
import { unitPrice, type TriadVenue } from './venues/triad';
import { TokenKind, type World } from './world';

export const enum Look {
  Base = 0,
  Share = 1,
  Unit = 2,
  Reciprocal = 3,
  Nested = 4,
}

export class TokenPlan {
  /** Tokens priced directly (reference and fixed), and the rest (LP shares, triad tokens), looked through. */
  readonly baseTokens: Int32Array;
  readonly derivedTokens: Int32Array;
  /** Per venue: a pool of two directly priced tokens (its share looks through to them alone). */
  readonly plainPool: Uint8Array;
  /** The native token is priced directly (gas then moves only it: `afterTx` reads one cell, not all holdings). */
  readonly nativeBase: boolean;
  /** Per venue, the tokens a call on it can move in its sender's wallet (`at[v]` … `at[v + 1]`). */
  readonly walletAt: Int32Array;
  readonly walletTokens: Int32Array;
  /**
   * Per venue, for a transaction of one call on it (`refreshSender`): the directly priced tokens it
   * can move in its sender's wallet and the native token, sorted and once each (`senderAt[v]` …
   * `senderAt[v + 1]` in `senderBase`); and the derived ones (`walletDerivedAt`, `walletDerived`).
   */
  readonly senderAt: Int32Array;
  readonly senderBase: Int32Array;
  readonly walletDerivedAt: Int32Array;
  readonly walletDerived: Int32Array;
  /** Per token, how `lookAccount` looks it through (Look), and the venue it is a token of (or null). */
  readonly look: Uint8Array;
  readonly lookVenue: (CpmmVenue | TriadVenue | null)[];
  /** Per token: the triad whose U or 1/U it is, if that triad's "1" (and anchor) are priced directly, else −1. */
  readonly triadOf: Int32Array;
  /**
   * Per such triad v, what a refresh of a sender holding only its U and 1/U after one call on it
   * reads (`refreshTriadSender`): the tokens of `senderBase` and U and 1/U, sorted (`triadAt[v]` …
   * `triadAt[v + 1]` in `triadLook`).
   */
  readonly triadAt: Int32Array;
  readonly triadLook: Int32Array;
  /** Per triad v, its "1", U and 1/U (as 0, 1, 2) in token order (`triadOrder[3v]` …). */
  readonly triadOrder: Uint8Array;
  private readonly L: Ledger;
  private readonly T: number;

  constructor(private readonly w: World) {
    const L = (this.L = w.ledger);
    const T = (this.T = L.tokenCount);
    const V = w.venues.length;
    const base: number[] = [];
    const derived: number[] = [];
    for (let t = 0; t < T; t++) (w.tokenKind[t] === TokenKind.Reference || w.tokenKind[t] === TokenKind.Fixed ? base : derived).push(t);
    this.baseTokens = Int32Array.from(base);
    this.derivedTokens = Int32Array.from(derived);
    this.nativeBase = base.includes(w.native);
    const wallet = w.venues.map((v) => (v.kind === 'cpmm' ? [v.token0, v.token1, v.lpToken] : [v.unit, v.reciprocal, v.one, ...(v.anchor >= 0 ? [v.anchor] : [])]));
    this.walletAt = new Int32Array(V + 1);
    wallet.forEach((ts, v) => (this.walletAt[v + 1] = this.walletAt[v]! + ts.length));
    this.walletTokens = Int32Array.from(wallet.flat());
    this.plainPool = Uint8Array.from(w.venues, (v) => (v.kind === 'cpmm' && base.includes(v.token0) && base.includes(v.token1) ? 1 : 0));
    const isBase = (t: number): boolean => base.includes(t);
    const senderBase = wallet.map((ts) => [...new Set([w.native, ...ts.filter(isBase)])].sort((a, b) => a - b));
    const walletDerived = wallet.map((ts) => ts.filter((t) => !isBase(t)));
    this.senderAt = new Int32Array(V + 1);
    this.walletDerivedAt = new Int32Array(V + 1);
    for (let v = 0; v < V; v++) {
      this.senderAt[v + 1] = this.senderAt[v]! + senderBase[v]!.length;
      this.walletDerivedAt[v + 1] = this.walletDerivedAt[v]! + walletDerived[v]!.length;
    }
    this.senderBase = Int32Array.from(senderBase.flat());
    this.walletDerived = Int32Array.from(walletDerived.flat());
    this.look = new Uint8Array(T);
    this.lookVenue = new Array<CpmmVenue | TriadVenue | null>(T).fill(null);
    for (let t = 0; t < T; t++) {
      if (isBase(t)) continue;
      const v = w.venues[w.tokenRef[t]!]!;
      this.lookVenue[t] = v;
      if (v.kind === 'cpmm') this.look[t] = isBase(v.token0) && isBase(v.token1) ? Look.Share : Look.Nested;
      else if (!isBase(v.one) || (v.anchor >= 0 && !isBase(v.anchor))) this.look[t] = Look.Nested;
      else this.look[t] = w.tokenKind[t] === TokenKind.Unit ? Look.Unit : Look.Reciprocal;
    }
    this.triadOf = Int32Array.from(this.look, (how, t) => (how === Look.Unit || how === Look.Reciprocal ? w.tokenRef[t]! : -1));
    const triadLook = w.venues.map((v, i) => (v.kind === 'triad' ? [...new Set([...senderBase[i]!, v.unit, v.reciprocal])].sort((a, b) => a - b) : []));
    this.triadAt = new Int32Array(V + 1);
    triadLook.forEach((ts, v) => (this.triadAt[v + 1] = this.triadAt[v]! + ts.length));
    this.triadLook = Int32Array.from(triadLook.flat());
    this.triadOrder = new Uint8Array(3 * V);
    w.venues.forEach((v, i) => {
      if (v.kind !== 'triad') return;
      const ts = [v.one, v.unit, v.reciprocal];
      [0, 1, 2].sort((x, y) => ts[x]! - ts[y]!).forEach((term, rank) => (this.triadOrder[3 * i + rank] = term));
    });
  }

  /**
   * World `lookThroughAccount`, the same sums in the same order, without its recursion for the
   * common tokens (Look): an LP share of two directly priced tokens, a triad's U or 1/U over a
   * directly priced "1" (and anchor). A holding looked through to an amount of 0 adds nothing there
   * (World `lookThrough` skips it; `out` is never −0, so adding ±0 changes no bit either).
   */
  lookAccount(account: number, out: Float64Array): void {
    const bal = this.L.bal;
    const T = this.T;
    const row = account * T;
    for (let t = 0; t < T; t++) {
      const b = bal[row + t]!;
      if (b !== 0) this.lookToken(t, b, out);
    }
  }

  /** World `lookThrough` of `b` ≠ 0 of token `t` into `out` (see `lookAccount`). */
  lookToken(t: number, b: number, out: Float64Array): void {
    const how = this.look[t]!;
    if (how === Look.Base) {
      out[t]! += b;
    } else if (how === Look.Share) {
      const v = this.lookVenue[t] as CpmmVenue;
      const s = totalShares(this.w, v);
      if (!(s > 0)) return;
      const bal = this.L.bal;
      out[v.token0]! += (b * bal[v.r0]!) / s;
      out[v.token1]! += (b * bal[v.r1]!) / s;
    } else if (how === Look.Unit || how === Look.Reciprocal) {
      const v = this.lookVenue[t] as TriadVenue;
      const supply = this.L.supply;
      if (!(supply[v.unit]! > 0 && supply[v.reciprocal]! > 0)) return;
      const pu = unitPrice(this.w, v);
      if (how === Look.Unit) {
        out[v.one]! += b * pu;
        if (v.anchor >= 0) out[v.anchor]! += b;
      } else out[v.one]! += (b * (v.k * v.k)) / 4 / pu;
    } else this.w.lookThrough(t, b, out);
  }

  /** The derived tokens an account holds: 0 none, t + 1 token t alone, −2 − v the U and 1/U of triad v (`triadOf`), −1 otherwise. */
  derivedIn(account: number): number {
    const bal = this.L.bal;
    const row = account * this.T;
    const derived = this.derivedTokens;
    const triad = this.triadOf;
    let held = 0;
    for (let j = 0; j < derived.length; j++) {
      const t = derived[j]!;
      if (bal[row + t] === 0) continue;
      if (held === 0) held = t + 1;
      else if (held > 0 && triad[held - 1]! >= 0 && triad[held - 1] === triad[t]) held = -2 - triad[t]!;
      else return -1;
    }
    return held;
  }
}
