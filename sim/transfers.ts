/**
 * The value-transfer ledger: who paid whom (docs/outputs.md, `transfers`). Every event that moves
 * value — a venue call, a transaction's gas, a CEX fill, an OTC settlement — changes some parties'
 * holdings looked through to reference tokens (LP shares as reserves, triad units as "1"). At the
 * event's reference prices those changes sum to zero (nothing is created at fixed prices), so the
 * event's initiator (the sender of the transaction, the agent whose order filled) pays every other
 * party exactly its change in value: a swap pays the pool's LPs (the swap fee pro rata to shares as
 * `fee`, the rest — the impact against the reference — as `price`), a forge pays every other holder
 * of U and 1/U their revaluation U·Δp(U) + V·Δp(1/U), gas pays the builder (tips) and the burn (base
 * fee), a CEX fill pays the desk its spread and fee, an OTC settlement is `options`.
 *
 * Per party and token two accumulators, Σ Δh and Σ Δh·price, give the identity
 *   edge = Σ transfers received + Σ_t (Σ Δh_t · end price_t − Σ Δh_t·price_t) + Δ off-ledger options
 * without a stored flow list. All state sits in journaled auxiliary cells of the ledger, so a
 * reverted call, a failed bundle and the MEV meter's counterfactual runs undo it with the rest.
 */
import { OUTSIDE_PARTIES, OUTSIDE_VENUES, TRANSFER_KINDS } from './cells';
import type { Ledger } from './ledger';
import { totalShares } from './venues/cpmm';
import { BURN, CEX, PROPOSER, TokenKind, type World } from './world';

export { OUTSIDE_PARTIES, OUTSIDE_VENUES, TRANSFER_KINDS };
export const TransferKind = { Fee: 0, Price: 1, Gas: 2, Mev: 3, Options: 4 } as const;
const KINDS = TRANSFER_KINDS.length;

export class Transfers {
  readonly agents: number;
  readonly parties: number;
  /** Venue slots × kinds. */
  readonly channels: number;
  readonly partyNames: readonly string[];
  readonly venueNames: readonly string[];
  readonly builder: number;
  readonly burn: number;
  readonly desk: number;
  readonly chainVenue: number;
  readonly cexVenue: number;
  readonly otcVenue: number;
  /** Absolute ledger indices of the blocks of cells: holdings now, Σ Δh, Σ Δh·price (party × token), gross (party), the run's and the block's pair matrices. */
  readonly cur: number;
  readonly s1: number;
  readonly s2: number;
  readonly gross: number;
  readonly run: number;
  readonly blk: number;
  private readonly end: number;
  /** Counting: from the measurement point on. */
  active = false;
  /** Keep the block's pair matrix too (reset when it is recorded). */
  perBlock = false;
  /** Set by the builder while a bundle's victim (another agent's transaction after one of the bundler's legs) runs. */
  victim = false;
  /** Cells of the block's matrix written since it was last reset, as (lower party, higher party, channel) keys. */
  private touched = new Int32Array(64);
  private touchedCount = 0;
  private touchedMark: Uint8Array;
  /** Called once genesis is done (recorders flush block 0). */
  afterGenesis: (() => void) | null = null;
  private readonly L: Ledger;
  private readonly T: number;
  get tokenCount(): number {
    return this.T;
  }
  private readonly baseTokens: Int32Array;
  private readonly derivedTokens: Int32Array;
  private readonly h: Float64Array;
  private readonly extracts: Uint8Array;

  constructor(
    private readonly w: World,
    extractsMev: Uint8Array,
  ) {
    const L = (this.L = w.ledger);
    const T = (this.T = L.tokenCount);
    const A = (this.agents = w.agentIds.length);
    const P = (this.parties = A + OUTSIDE_PARTIES.length);
    const V = w.venues.length;
    this.channels = (V + OUTSIDE_VENUES.length) * KINDS;
    this.partyNames = [...w.agentIds, ...OUTSIDE_PARTIES];
    this.venueNames = [...w.venues.map((v) => v.id), ...OUTSIDE_VENUES];
    this.builder = A;
    this.burn = A + 1;
    this.desk = A + 2;
    this.chainVenue = V;
    this.cexVenue = V + 1;
    this.otcVenue = V + 2;
    this.cur = w.transferBase;
    this.s1 = this.cur + P * T;
    this.s2 = this.s1 + P * T;
    this.gross = this.s2 + P * T;
    this.run = this.gross + P;
    this.blk = this.run + P * P * this.channels;
    this.end = this.blk + P * P * this.channels;
    const base: number[] = [];
    const derived: number[] = [];
    for (let t = 0; t < T; t++) (w.tokenKind[t] === TokenKind.Reference || w.tokenKind[t] === TokenKind.Fixed ? base : derived).push(t);
    this.baseTokens = Int32Array.from(base);
    this.derivedTokens = Int32Array.from(derived);
    this.h = new Float64Array(T);
    this.touchedMark = new Uint8Array(P * P * this.channels);
    this.extracts = extractsMev;
  }

  /** Start counting now (the measurement point): everything zero, holdings as they are. */
  begin(): void {
    const bal = this.L.bal;
    bal.fill(0, this.cur, this.end);
    this.touchedMark.fill(0);
    this.touchedCount = 0;
    for (let i = 0; i < this.parties; i++) {
      this.lookThrough(i);
      bal.set(this.h, this.cur + i * this.T);
    }
    this.active = true;
  }

  /** After a venue call of `agent`'s transaction succeeded: it paid everyone else what the call moved to them. */
  afterCall(agent: number, venue: number, feeUsd: number): void {
    const kind = this.extracts[agent] === 1 || this.victim ? TransferKind.Mev : TransferKind.Price;
    const bal = this.L.bal;
    const n = this.T;
    const derived = this.derivedTokens;
    const v = this.w.venues[venue]!;
    const pool = v.kind === 'cpmm' && feeUsd !== 0 ? v : null;
    const shares = pool !== null ? totalShares(this.w, pool) : 0;
    for (let i = 0; i <= this.agents; i++) {
      // The agents, then the burn (which holds the locked MINIMUM_LIQUIDITY shares in exact mode);
      // only holders of LP shares or triad units can gain or lose by another's call.
      const party = i < this.agents ? i : this.burn;
      if (party === agent) continue;
      const account = i < this.agents ? this.w.agentAccount(i) : BURN;
      let exposed = false;
      for (let j = 0; j < derived.length; j++) if (bal[account * n + derived[j]!] !== 0) exposed = true;
      if (!exposed) continue;
      const d = this.refresh(party);
      if (d === 0) continue;
      let fee = 0;
      if (shares > 0) fee = (feeUsd * bal[account * n + pool!.lpToken]!) / shares;
      this.book(agent, party, venue, TransferKind.Fee, fee);
      this.book(agent, party, venue, kind, d - fee);
    }
    // The sender itself is brought up to date once, at the end of its transaction (`afterTx`).
  }

  /**
   * At the end of a transaction (included or reverted), after its gas was settled: its sender paid
   * the builder the tips and the burn the base fee (`gas`: false at genesis, which is free), and its
   * own holdings are brought up to date.
   */
  afterTx(agent: number, gas: boolean): void {
    if (gas) {
      this.book(agent, this.builder, this.chainVenue, TransferKind.Gas, this.refresh(this.builder));
      this.book(agent, this.burn, this.chainVenue, TransferKind.Gas, this.refresh(this.burn));
    }
    this.refresh(agent);
  }

  /** After a CEX fill: the agent paid the desk its spread and impact (`price`) and fee. */
  afterCex(agent: number, feeUsd: number): void {
    const d = this.refresh(this.desk);
    this.book(agent, this.desk, this.cexVenue, TransferKind.Fee, feeUsd);
    this.book(agent, this.desk, this.cexVenue, TransferKind.Price, d - feeUsd);
    this.refresh(agent);
  }

  /** After an OTC settlement (an option's premium or payoff): paid between the agent and the desk. */
  afterOtc(agent: number): void {
    this.book(agent, this.desk, this.otcVenue, TransferKind.Options, this.refresh(this.desk));
    this.refresh(agent);
  }

  /** `usd` paid by `from` to `to` (negative: received). */
  private book(from: number, to: number, venue: number, kind: number, usd: number): void {
    if (usd === 0) return;
    const c = (from * this.parties + to) * this.channels + venue * KINDS + kind;
    this.L.add(this.run + c, usd);
    if (this.perBlock) {
      this.L.add(this.blk + c, usd);
      this.touch(c);
    }
  }

  /**
   * Remember a cell of the block's matrix as written, once per block, by its unordered pair: the
   * block's rows come from these alone, not from a scan of every pair. (A cell written by a bundle
   * that was then undone stays listed, and reads 0.)
   */
  private touch(c: number): void {
    const P = this.parties;
    const C = this.channels;
    const pair = (c / C) | 0;
    const a = (pair / P) | 0;
    const b = pair % P;
    const key = ((a < b ? a * P + b : b * P + a) * C) + (c % C);
    if (this.touchedMark[key] === 1) return;
    this.touchedMark[key] = 1;
    if (this.touchedCount === this.touched.length) {
      const grown = new Int32Array(this.touched.length * 2);
      grown.set(this.touched);
      this.touched = grown;
    }
    this.touched[this.touchedCount++] = key;
  }

  /** A party's holdings, looked through to reference tokens, into `h`. */
  private lookThrough(party: number): void {
    const h = this.h;
    h.fill(0);
    if (party < this.agents) {
      this.w.lookThroughAccount(this.w.agentAccount(party), h);
      this.w.lookThroughAccount(this.w.cexAccount(party), h);
    } else this.w.lookThroughAccount(party === this.builder ? PROPOSER : party === this.burn ? BURN : CEX, h);
  }

  /**
   * Bring a party's holdings up to date: fold the change into Σ Δh and Σ Δh·price, and return its
   * value at the current reference prices.
   */
  private refresh(party: number): number {
    this.lookThrough(party);
    const h = this.h;
    const L = this.L;
    const bal = L.bal;
    const price = this.w.basePrice;
    const row = party * this.T;
    const base = this.baseTokens;
    let d = 0;
    let gross = 0;
    for (let j = 0; j < base.length; j++) {
      const t = base[j]!;
      const delta = h[t]! - bal[this.cur + row + t]!;
      if (delta === 0) continue;
      const usd = delta * price[t]!;
      d += usd;
      gross += Math.abs(usd);
      L.setCell(this.cur + row + t, h[t]!);
      L.add(this.s1 + row + t, delta);
      L.add(this.s2 + row + t, usd);
    }
    if (gross !== 0) L.add(this.gross + party, gross);
    return d;
  }

  /** Net USD `from` paid `to` over the window through one venue and kind (negative: received). */
  net(matrix: 'run' | 'block', from: number, to: number, venue: number, kind: number): number {
    const bal = this.L.bal;
    const m = matrix === 'run' ? this.run : this.blk;
    const c = venue * KINDS + kind;
    return bal[m + (from * this.parties + to) * this.channels + c]! - bal[m + (to * this.parties + from) * this.channels + c]!;
  }

  /**
   * Net pair flows of a matrix, each unordered pair once with the net payer first: calls
   * `row(from, to, venue, kind, usd)` with usd > 0, in order of (first party, second party, venue, kind).
   */
  forEachPair(matrix: 'run' | 'block', row: (from: number, to: number, venue: number, kind: number, usd: number) => void): void {
    const bal = this.L.bal;
    const m = matrix === 'run' ? this.run : this.blk;
    const P = this.parties;
    const C = this.channels;
    if (matrix === 'block') {
      // Only the cells written in the block, in the same order as the scan below.
      const keys = this.touched.subarray(0, this.touchedCount).sort();
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k]!;
        const c = key % C;
        const pair = (key - c) / C;
        const a = (pair / P) | 0;
        const b = pair % P;
        const x = bal[m + (a * P + b) * C + c]! - bal[m + (b * P + a) * C + c]!;
        if (x > 0) row(a, b, (c / KINDS) | 0, c % KINDS, x);
        else if (x < 0) row(b, a, (c / KINDS) | 0, c % KINDS, -x);
      }
      return;
    }
    for (let a = 0; a < P; a++) {
      for (let b = a + 1; b < P; b++) {
        const ab = m + (a * P + b) * C;
        const ba = m + (b * P + a) * C;
        for (let c = 0; c < C; c++) {
          const x = bal[ab + c]! - bal[ba + c]!;
          if (x > 0) row(a, b, (c / KINDS) | 0, c % KINDS, x);
          else if (x < 0) row(b, a, (c / KINDS) | 0, c % KINDS, -x);
        }
      }
    }
  }

  /** Forget the block's pair matrix (after it is recorded; the journal is committed then). */
  resetBlock(): void {
    const bal = this.L.bal;
    const P = this.parties;
    const C = this.channels;
    for (let k = 0; k < this.touchedCount; k++) {
      const key = this.touched[k]!;
      this.touchedMark[key] = 0;
      const c = key % C;
      const pair = (key - c) / C;
      const a = (pair / P) | 0;
      const b = pair % P;
      bal[this.blk + (a * P + b) * C + c] = 0;
      bal[this.blk + (b * P + a) * C + c] = 0;
    }
    this.touchedCount = 0;
  }

  /** Whether anything was written in the block's matrix since it was last reset. */
  get blockDirty(): boolean {
    return this.touchedCount > 0;
  }

  /** Σ Δh and Σ Δh·price of a party and token since the measurement point. */
  heldChange(party: number, token: number): number {
    return this.L.bal[this.s1 + party * this.T + token]!;
  }
  heldChangeUsd(party: number, token: number): number {
    return this.L.bal[this.s2 + party * this.T + token]!;
  }

  /** Σ |value moved| of a party's holdings, event by event, at the events' prices. */
  grossUsd(party: number): number {
    return this.L.bal[this.gross + party]!;
  }

  /** Σ_t Σ Δh_t · (end price_t − price when moved): the later price moves of what the party received and paid. */
  revaluationUsd(party: number): number {
    const base = this.baseTokens;
    const price = this.w.basePrice;
    let r = 0;
    for (let j = 0; j < base.length; j++) {
      const t = base[j]!;
      const s1 = this.heldChange(party, t);
      const s2 = this.heldChangeUsd(party, t);
      if (s1 !== 0 || s2 !== 0) r += s1 * price[t]! - s2;
    }
    return r;
  }
}

