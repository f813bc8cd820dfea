/**
 * The value-transfer ledger: who paid whom (docs/outputs.md, `transfers`). Every event that moves
 * value — a venue call, a transaction's gas, a CEX fill, an OTC settlement — changes some parties'
 * holdings looked through to reference tokens (LP shares as reserves, triad units as "1"). At the
 * event's reference prices those changes sum to zero (nothing is created at fixed prices), so the
 * event's initiator (the sender of the transaction, the agent whose order filled) pays every other
 * party exactly its change in value: a swap pays the pool's LPs (the swap fee pro rata to shares as
 * `fee`, the rest — the impact against the reference — as `price`), a forge pays every other holder
 * of U and 1/U their revaluation U·Δp(U) + V·Δp(1/U), gas pays the builder (tips) and the burn (base
 * fee), a CEX fill pays the desk its spread and fee, an OTC settlement is `options`. At the end of
 * an included bundle, each victim's loss (the MEV meter's) is routed to the bundler through the
 * parties it paid that paid the bundler (`endBundle`), so the matrix says who paid the searcher.
 *
 * Per party and token two accumulators, Σ Δh and Σ Δh·price, give the identity
 *   edge = Σ transfers received + Σ_t (Σ Δh_t · end price_t − Σ Δh_t·price_t) + Δ off-ledger options
 * without a stored flow list. All state sits in journaled auxiliary cells of the ledger, so a
 * reverted call, a failed bundle and the MEV meter's counterfactual runs undo it with the rest.
 *
 * Cost per event, not per party: a call refreshes only the agents listed as holding a token that
 * its venue's calls move (sim/transfers-deps.ts) and the burn (where it may hold any: exact mode's
 * locked shares); on a pool of two directly priced tokens an LP holding its share alone is
 * refreshed in those two tokens (`afterPoolCall`); a sender that holds no derived token is
 * refreshed in the tokens its calls touch (one call: its venue's list, made once), one holding only
 * a triad's U and 1/U after a call on that triad also in the triad's "1" (a tracker forging); gas is
 * booked from the executor's per-agent sums (`syncGas`, before any read and once a block when the
 * block's matrix is kept). Every shortcut sums the same terms in the same order as the full
 * look-through (`lookAccount`, World `lookThroughAccount` without its recursion), so the
 * accumulators are the same to the bit (test/pnl/transfers-sender.test.ts, transfers-targeted).
 * These hot paths write their cells directly when nothing journals, notes a bundle or keeps the
 * block's matrix, as the executor does (sim/ledger.ts): the same additions, so the same bits
 * (test/pnl/transfers-write-paths.test.ts); anything added to Ledger `add`/`setCell` must be
 * added there too.
 */
import { OUTSIDE_PARTIES, OUTSIDE_VENUES, TRANSFER_KINDS } from './cells';
import type { Ledger } from './ledger';
import { totalShares } from './venues/cpmm';
import { venueTokens, VenueHolders, type Lists } from './transfers-deps';
import { TokenPlan } from './transfers-look';
import type { Tx } from './tx';
import { AgentCell, BURN, CEX, PROPOSER, TokenKind, type World } from './world';

import { BundleNotes, KINDS, TransferKind } from './transfers-bundle';

/** Entries per venue in `poolInfo`. */
const POOL_INFO = 6;

/** The orders of three terms, a triad's "1", U and 1/U (0, 1, 2), by token (TokenPlan `triadOrder`). */
const ORDERS = ['012', '021', '102', '120', '201', '210'];

/** 0 + the three terms in the order `ORDERS[order]`, left to right (as `lookAccount` sums them). */
function inTokenOrder(order: number, one: number, unit: number, reciprocal: number): number {
  switch (order) {
    case 0:
      return 0 + one + unit + reciprocal;
    case 1:
      return 0 + one + reciprocal + unit;
    case 2:
      return 0 + unit + one + reciprocal;
    case 3:
      return 0 + unit + reciprocal + one;
    case 4:
      return 0 + reciprocal + one + unit;
    default:
      return 0 + reciprocal + unit + one;
  }
}

export { OUTSIDE_PARTIES, OUTSIDE_VENUES, TRANSFER_KINDS, TransferKind };

/** How `lookAccount` looks a token through: as itself, as an LP share or U or 1/U over directly priced tokens, or by World `lookThrough`. */

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
  /**
   * Per party, what derived tokens it held at its last refresh (journaled, as its holdings are): 0
   * none, t + 1 token t alone (an agent's, in its wallet), −2 − v the U and 1/U of triad v (its
   * `triadOf`, in an agent's wallet), −1 otherwise.
   */
  readonly derivedHeld: number;
  /**
   * Per agent, its base fee and tips (AgentCell.GasBaseUsd, GasPriorityUsd) at the measurement point,
   * then as far as booked in the block's matrix (`syncGas`).
   */
  readonly gasBooked: number;
  readonly run: number;
  readonly blk: number;
  private readonly end: number;
  /** Counting: from the measurement point on. */
  active = false;
  /** Keep the block's pair matrix too (reset when it is recorded). */
  perBlock = false;
  /** Set by the builder while a bundle's victim (another agent's transaction after one of the bundler's legs) runs. */
  victim = false;
  /** The bundler while its bundle runs (its flows are noted for `endBundle`), else -1. */
  private bundler = -1;
  /** The bundle's `price` and `mev` bookings while it runs, and their routing (sim/transfers-bundle.ts). */
  private readonly notes = new BundleNotes();
  /** `book`, bound once, for the routing. */
  private readonly bookBound = (from: number, to: number, venue: number, kind: number, usd: number): void => this.book(from, to, venue, kind, usd);
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
  private readonly h: Float64Array;
  private readonly extracts: Uint8Array;
  /** Per venue, the derived tokens its calls move, and the agents holding them (sim/transfers-deps.ts). */
  private readonly moved: Lists;
  private readonly holders: VenueHolders;
  /** Per agent: its CEX account has held something since the measurement point (else `lookThrough` skips it). */
  private readonly cexUsed: Uint8Array;
  /** A transaction's touched tokens, sorted (scratch). */
  private touchedTokens: Int32Array;
  /** Per agent and token: listed under the venues whose calls move the token (`listHolder`). */
  private readonly listed: Uint8Array;
  /** The fixed token plan (sim/transfers-look.ts) and its lists, read here directly on the hot paths. */
  private readonly plan: TokenPlan;
  private readonly baseTokens: TokenPlan['baseTokens'];
  private readonly derivedTokens: TokenPlan['derivedTokens'];
  private readonly plainPool: TokenPlan['plainPool'];
  private readonly nativeBase: TokenPlan['nativeBase'];
  private readonly walletAt: TokenPlan['walletAt'];
  private readonly walletTokens: TokenPlan['walletTokens'];
  private readonly senderAt: TokenPlan['senderAt'];
  private readonly senderBase: TokenPlan['senderBase'];
  private readonly walletDerivedAt: TokenPlan['walletDerivedAt'];
  private readonly walletDerived: TokenPlan['walletDerived'];
  private readonly triadOf: TokenPlan['triadOf'];
  private readonly triadAt: TokenPlan['triadAt'];
  private readonly triadLook: TokenPlan['triadLook'];
  private readonly triadOrder: TokenPlan['triadOrder'];
  /** Per agent, the first cells of its wallet and its CEX account (account × tokens). */
  private readonly acct: Int32Array;
  private readonly cexRow: Int32Array;
  /** Per venue that is a pool (else 0), POOL_INFO entries: its LP token, its two tokens, the cells of its reserves, 1 if its shares are 2√(x·y). */
  private readonly poolInfo: Int32Array;
  /**
   * Per venue v, for `refreshSender`: `senderBase` from and to (TokenPlan `senderAt[v]`, `senderAt[v + 1]`),
   * and the one derived token its calls can move in a sender's wallet (a pool's share), or −1 if none or several.
   */
  private readonly senderPlan: Int32Array;
  private readonly venueCount: number;
  /** Per triad (else 0): its U, 1/U and "1", k / 2 and k², and whether U and 1/U look through to "1" alone (no anchor, "1" not the native token). */
  private readonly triadUnit: Int32Array;
  private readonly triadReciprocal: Int32Array;
  private readonly triadOne: Int32Array;
  private readonly triadHalfK: Float64Array;
  private readonly triadKK: Float64Array;
  private readonly triadPlain: Uint8Array;
  /** Per triad, the order of its "1", U and 1/U by token (`inTokenOrder`). */
  private readonly triadRank: Uint8Array;
  /**
   * Per venue: −2 if no agent is listed under it, the agent if one alone is, else −1 (several, or
   * the burn may hold derived tokens): a call on it by that agent moves no one else.
   */
  private readonly alone: Int32Array;
  /** The burn may hold derived tokens (exact mode's locked shares, or some from genesis): `afterCall` checks it (set by `begin`). */
  private burnWatch = true;

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
    this.derivedHeld = this.gross + P;
    this.gasBooked = this.derivedHeld + P;
    this.run = this.gasBooked + 4 * A;
    this.blk = this.run + P * P * this.channels;
    this.end = this.blk + P * P * this.channels;
    this.h = new Float64Array(T);
    this.touchedMark = new Uint8Array(P * P * this.channels);
    this.extracts = extractsMev;
    const deps = venueTokens(w);
    this.moved = deps.byVenue;
    this.holders = new VenueHolders(A, V, deps.byToken);
    this.touchedTokens = new Int32Array(8);
    this.cexUsed = new Uint8Array(A);
    this.listed = new Uint8Array(A * T);
    const plan = (this.plan = new TokenPlan(w));
    this.baseTokens = plan.baseTokens;
    this.derivedTokens = plan.derivedTokens;
    this.plainPool = plan.plainPool;
    this.nativeBase = plan.nativeBase;
    this.walletAt = plan.walletAt;
    this.walletTokens = plan.walletTokens;
    this.senderAt = plan.senderAt;
    this.senderBase = plan.senderBase;
    this.walletDerivedAt = plan.walletDerivedAt;
    this.walletDerived = plan.walletDerived;
    this.triadOf = plan.triadOf;
    this.triadAt = plan.triadAt;
    this.triadLook = plan.triadLook;
    this.triadOrder = plan.triadOrder;
    this.acct = Int32Array.from(w.agentIds, (_, i) => w.agentAccount(i) * T);
    this.cexRow = Int32Array.from(w.agentIds, (_, i) => w.cexAccount(i) * T);
    const pools = w.venues.map((v) => (v.kind === 'cpmm' ? v : null));
    this.poolInfo = Int32Array.from(pools.flatMap((p) => (p === null ? [0, 0, 0, 0, 0, 0] : [p.lpToken, p.token0, p.token1, p.r0, p.r1, p.invariant ? 1 : 0])));
    this.venueCount = V;
    this.alone = new Int32Array(V).fill(-1);
    this.senderPlan = Int32Array.from(
      w.venues.flatMap((_, v) => [plan.senderAt[v]!, plan.senderAt[v + 1]!, plan.walletDerivedAt[v + 1]! - plan.walletDerivedAt[v]! === 1 ? plan.walletDerived[plan.walletDerivedAt[v]!]! : -1]),
    );
    const triads = w.venues.map((v) => (v.kind === 'triad' ? v : null));
    this.triadUnit = Int32Array.from(triads, (t) => t?.unit ?? 0);
    this.triadReciprocal = Int32Array.from(triads, (t) => t?.reciprocal ?? 0);
    this.triadOne = Int32Array.from(triads, (t) => t?.one ?? 0);
    this.triadHalfK = Float64Array.from(triads, (t) => (t === null ? 0 : t.k / 2));
    this.triadKK = Float64Array.from(triads, (t) => (t === null ? 0 : t.k * t.k));
    this.triadRank = Uint8Array.from(w.venues, (_, v) => Math.max(0, ORDERS.indexOf(`${this.triadOrder[3 * v]}${this.triadOrder[3 * v + 1]}${this.triadOrder[3 * v + 2]}`)));
    this.triadPlain = Uint8Array.from(triads, (t) => (t !== null && t.anchor < 0 && t.one !== w.native ? 1 : 0));
  }

  /** List `agent` under the venues whose calls move a token it holds now. */
  private listHolder(agent: number): void {
    const bal = this.L.bal;
    const row = this.w.agentAccount(agent) * this.T;
    const derived = this.derivedTokens;
    const listed = this.listed;
    const at = agent * this.T;
    for (let j = 0; j < derived.length; j++) {
      const t = derived[j]!;
      // Listed once per agent and token (holders stay listed).
      if (bal[row + t] !== 0 && listed[at + t] === 0) {
        listed[at + t] = 1;
        this.holders.holds(agent, t);
        this.noteAlone();
      }
    }
  }

  /** Per venue, who alone its calls can move besides the burn (`alone`), from the lists as they are now. */
  private noteAlone(): void {
    const holders = this.holders;
    for (let v = 0; v < this.venueCount; v++) {
      const n = holders.size(v);
      this.alone[v] = this.burnWatch || n > 1 ? -1 : n === 0 ? -2 : holders.at(v, 0);
    }
  }

  /** Start counting now (the measurement point): everything zero, holdings as they are. */
  begin(): void {
    const bal = this.L.bal;
    bal.fill(0, this.cur, this.end);
    this.touchedMark.fill(0);
    this.touchedCount = 0;
    let burnHolds = false;
    for (let j = 0; j < this.derivedTokens.length; j++) if (bal[BURN * this.T + this.derivedTokens[j]!] !== 0) burnHolds = true;
    this.burnWatch = this.L.exact !== null || burnHolds;
    this.noteAlone();
    for (let i = 0; i < this.agents; i++) this.cexUsed[i] = this.holdsAny(this.w.cexAccount(i)) ? 1 : 0;
    for (let i = 0; i < this.parties; i++) {
      this.lookThrough(i);
      bal.set(this.h, this.cur + i * this.T);
      bal[this.derivedHeld + i] = this.heldDerived;
      if (i < this.agents) this.listHolder(i);
    }
    for (let i = 0; i < this.agents; i++) {
      const cells = this.w.agentCells(i);
      bal[this.gasBooked + 4 * i] = bal[this.gasBooked + 4 * i + 2] = bal[cells + AgentCell.GasBaseUsd]!;
      bal[this.gasBooked + 4 * i + 1] = bal[this.gasBooked + 4 * i + 3] = bal[cells + AgentCell.GasPriorityUsd]!;
    }
    this.active = true;
  }

  /**
   * After a venue call of `agent`'s transaction succeeded: it paid everyone else what the call moved
   * to them. Only holders of the tokens the venue's calls move (LP shares, triad units, what is looked
   * through into them) can gain or lose by another's call: the agents listed under the venue, then
   * the burn (which holds the locked MINIMUM_LIQUIDITY shares in exact mode, minted by a call).
   */
  afterCall(agent: number, venue: number, feeUsd: number): void {
    // No one but the sender listed, and the burn holding nothing (a tracker's forge): no one else moved.
    const alone = this.alone[venue]!;
    if (alone === agent || alone === -2) return;
    const holders = this.holders;
    const listed = holders.size(venue);
    // The burn holds derived tokens only in exact mode (the locked MINIMUM_LIQUIDITY shares) or from genesis.
    const burnExposed = this.burnWatch && this.exposed(BURN * this.T, venue);
    if (listed <= 1 && (listed === 0 || holders.at(venue, 0) === agent) && !burnExposed) return;
    if (this.plainPool[venue] === 1) {
      this.afterPoolCall(agent, venue, feeUsd, listed, burnExposed);
      return;
    }
    const kind = this.extracts[agent] === 1 || this.victim ? TransferKind.Mev : TransferKind.Price;
    const n = this.T;
    const v = this.w.venues[venue]!;
    const pool = v.kind === 'cpmm' ? v : null;
    // The pool's shares, read once: no booking below changes them.
    const shares = pool !== null && feeUsd !== 0 ? totalShares(this.w, pool) : 0;
    const bal = this.L.bal;
    for (let i = 0; i <= listed; i++) {
      const party = i < listed ? holders.at(venue, i) : this.burn;
      if (party === agent) continue;
      if (i === listed ? !burnExposed : !this.exposed(this.acct[party]!, venue)) continue;
      const d = this.refresh(party);
      if (d === 0) continue;
      let fee = 0;
      if (feeUsd !== 0 && shares > 0) fee = (feeUsd * bal[(i < listed ? this.acct[party]! : BURN * n) + pool!.lpToken]!) / shares;
      this.book(agent, party, venue, TransferKind.Fee, fee);
      this.book(agent, party, venue, kind, d - fee);
    }
    // The sender itself is brought up to date once, at the end of its transaction (`afterTx`).
  }

  /**
   * `afterCall` on a pool of two directly priced tokens. A wallet holding the pool's share alone of
   * the derived tokens is refreshed in the pool's two tokens only: each sums as `lookThrough` sums
   * it (wallet balance and pool share — two terms, in either order the same —, then the CEX
   * account's), so the result is the same to the bit; any other holder by `refresh`.
   */
  private afterPoolCall(agent: number, venue: number, feeUsd: number, listed: number, burnExposed: boolean): void {
    const kind = this.extracts[agent] === 1 || this.victim ? TransferKind.Mev : TransferKind.Price;
    const L = this.L;
    const bal = L.bal;
    const info = this.poolInfo;
    const at = venue * POOL_INFO;
    const lp = info[at]!;
    const t0 = info[at + 1]!;
    const t1 = info[at + 2]!;
    const r0 = bal[info[at + 3]!]!;
    const r1 = bal[info[at + 4]!]!;
    // The pool's shares, read once: no booking below changes them.
    const s = info[at + 5] === 1 ? 2 * Math.sqrt(r0 * r1) : L.supply[lp]!;
    const price = this.w.basePrice;
    const p0 = price[t0]!;
    const p1 = price[t1]!;
    const heldCode = lp + 1;
    const T = this.T;
    const list = this.holders.list;
    const first = venue * this.agents;
    // Nothing journals, notes or keeps the block's matrix (the common case): cells written directly.
    const quiet = !L.journaling && !this.perBlock && this.bundler < 0;
    const C = this.channels;
    const paid = this.run + agent * this.parties * C + venue * KINDS;
    for (let i = first; i < first + listed; i++) {
      const party = list[i]!;
      if (party === agent) continue;
      const account = this.acct[party]!;
      let d: number;
      if (bal[this.derivedHeld + party] === heldCode && s > 0) {
        const shares = bal[account + lp]!;
        if (shares === 0) continue;
        let h0 = bal[account + t0]! + (shares * r0) / s;
        let h1 = bal[account + t1]! + (shares * r1) / s;
        if (this.cexUsed[party] === 1) {
          const c = this.cexRow[party]!;
          h0 += bal[c + t0]!;
          h1 += bal[c + t1]!;
        }
        const row = party * T;
        const cur = this.cur + row;
        d = 0;
        let gross = 0;
        const d0 = h0 - bal[cur + t0]!;
        const d1 = h1 - bal[cur + t1]!;
        if (quiet) {
          const s1 = this.s1 + row;
          const s2 = this.s2 + row;
          if (d0 !== 0) {
            const usd = d0 * p0;
            d += usd;
            gross += Math.abs(usd);
            bal[cur + t0] = h0;
            bal[s1 + t0] = bal[s1 + t0]! + d0;
            bal[s2 + t0] = bal[s2 + t0]! + usd;
          }
          if (d1 !== 0) {
            const usd = d1 * p1;
            d += usd;
            gross += Math.abs(usd);
            bal[cur + t1] = h1;
            bal[s1 + t1] = bal[s1 + t1]! + d1;
            bal[s2 + t1] = bal[s2 + t1]! + usd;
          }
          if (gross !== 0) bal[this.gross + party] = bal[this.gross + party]! + gross;
        } else {
          if (d0 !== 0) {
            const usd = d0 * p0;
            d += usd;
            gross += Math.abs(usd);
            this.fold(row + t0, h0, d0, usd);
          }
          if (d1 !== 0) {
            const usd = d1 * p1;
            d += usd;
            gross += Math.abs(usd);
            this.fold(row + t1, h1, d1, usd);
          }
          if (gross !== 0) L.add(this.gross + party, gross);
        }
      } else {
        if (!this.exposed(account, venue)) continue;
        d = this.refresh(party);
      }
      if (d === 0) continue;
      const fee = feeUsd !== 0 && s > 0 ? (feeUsd * bal[account + lp]!) / s : 0;
      if (!quiet) {
        this.bookCall(agent, party, venue, kind, fee, d);
        continue;
      }
      // `bookCall`, written directly.
      const c = paid + party * C;
      const rest = d - fee;
      if (fee !== 0) bal[c + TransferKind.Fee] = bal[c + TransferKind.Fee]! + fee;
      if (rest !== 0) bal[c + kind] = bal[c + kind]! + rest;
    }
    if (burnExposed) {
      const d = this.refresh(this.burn);
      if (d !== 0) this.bookCall(agent, this.burn, venue, kind, feeUsd !== 0 && s > 0 ? (feeUsd * bal[BURN * T + lp]!) / s : 0, d);
    }
  }

  /** `book` of a call's `fee` and the rest of `d` (as `kind`) paid by `from` to `to` at `venue`. */
  private bookCall(from: number, to: number, venue: number, kind: number, fee: number, d: number): void {
    const rest = d - fee;
    const L = this.L;
    if (L.journaling || this.perBlock || this.bundler >= 0) {
      this.book(from, to, venue, TransferKind.Fee, fee);
      this.book(from, to, venue, kind, rest);
      return;
    }
    // Nothing journals, noted or kept per block: the run's two cells, written directly.
    const bal = L.bal;
    const c = this.run + (from * this.parties + to) * this.channels + venue * KINDS;
    if (fee !== 0) bal[c + TransferKind.Fee] = bal[c + TransferKind.Fee]! + fee;
    if (rest !== 0) bal[c + kind] = bal[c + kind]! + rest;
  }

  /** A holding's new value `h` (at `cur + at`), its change and its change in USD folded into Σ Δh and Σ Δh·price. */
  private fold(at: number, h: number, delta: number, usd: number): void {
    const L = this.L;
    if (L.journaling) {
      L.setCell(this.cur + at, h);
      L.add(this.s1 + at, delta);
      L.add(this.s2 + at, usd);
      return;
    }
    // Nothing journals (outside a bundle, a multi-call transaction or an audit): written directly, as the executor does.
    const bal = L.bal;
    bal[this.cur + at] = h;
    bal[this.s1 + at] = bal[this.s1 + at]! + delta;
    bal[this.s2 + at] = bal[this.s2 + at]! + usd;
  }

  /** Whether an account (its first cell, `row`) holds any token that calls on `venue` move. */
  private exposed(row: number, venue: number): boolean {
    const bal = this.L.bal;
    const { at, items } = this.moved;
    for (let k = at[venue]!; k < at[venue + 1]!; k++) if (bal[row + items[k]!] !== 0) return true;
    return false;
  }

  /**
   * At the end of a transaction (included or reverted), after its gas was settled: its sender paid
   * the builder the tips and the burn the base fee (`gas`: false at genesis, which is free), and its
   * own holdings are brought up to date (and it is listed under the venues whose calls move them).
   * The gas is booked lazily (`syncGas`) when the native token is priced directly: the executor
   * already sums each agent's base fee and tips in USD at the block's price in journaled cells.
   */
  afterTx(agent: number, gas: boolean, tx: Tx): void {
    if (gas && !this.nativeBase) {
      this.book(agent, this.builder, this.chainVenue, TransferKind.Gas, this.refresh(this.builder));
      this.book(agent, this.burn, this.chainVenue, TransferKind.Gas, this.refresh(this.burn));
    }
    const bal = this.L.bal;
    const before = bal[this.derivedHeld + agent]!;
    // The shortcuts hold when gas moves a directly priced token alone: by what the sender held at its last refresh.
    const done = this.nativeBase && (before === 0 ? this.refreshSender(agent, tx) : before !== -1 && this.refreshTriadSender(agent, tx, before));
    if (!done) this.refresh(agent);
    // Listed already if it holds what it held (a code other than −1 says exactly which derived tokens its wallet holds).
    const held = bal[this.derivedHeld + agent]!;
    if (held !== 0 && (held !== before || held === -1)) this.listHolder(agent);
  }

  /**
   * Book the gas paid: each agent → builder its tips, → burn its base fee (what `afterTx` would have
   * booked transaction by transaction, to rounding), and the builder's and burn's native token (gas
   * is all that moves it). The run's cells are set from the totals since the measurement point, so
   * they do not depend on how often this runs (summary.json is the same at every --record level);
   * the block's matrix gets what accrued since its last sync. O(agents): called before the matrices
   * are read, and once a block when the block's matrix is kept.
   */
  syncGas(): void {
    if (!this.active || !this.nativeBase) return;
    const L = this.L;
    const bal = L.bal;
    const P = this.parties;
    const C = this.channels;
    const gas = this.chainVenue * KINDS + TransferKind.Gas;
    let toBurn = 0;
    let toBuilder = 0;
    for (let i = 0; i < this.agents; i++) {
      const cells = this.w.agentCells(i);
      const at = this.gasBooked + 4 * i;
      const burned = bal[cells + AgentCell.GasBaseUsd]!;
      const tips = bal[cells + AgentCell.GasPriorityUsd]!;
      toBurn += burned - bal[at]!;
      toBuilder += tips - bal[at + 1]!;
      this.setRun((i * P + this.burn) * C + gas, burned - bal[at]!);
      this.setRun((i * P + this.builder) * C + gas, tips - bal[at + 1]!);
      if (this.perBlock) {
        this.bookBlock((i * P + this.burn) * C + gas, burned - bal[at + 2]!);
        this.bookBlock((i * P + this.builder) * C + gas, tips - bal[at + 3]!);
      }
      if (bal[at + 2] !== burned) L.setCell(at + 2, burned);
      if (bal[at + 3] !== tips) L.setCell(at + 3, tips);
    }
    this.syncNative(this.builder, PROPOSER, toBuilder);
    this.syncNative(this.burn, BURN, toBurn);
  }

  private setRun(c: number, usd: number): void {
    if (this.L.bal[this.run + c] !== usd) this.L.setCell(this.run + c, usd);
  }

  private bookBlock(c: number, usd: number): void {
    if (usd === 0) return;
    this.L.add(this.blk + c, usd);
    this.touch(c);
  }

  /**
   * The builder's or burn's native token, moved by gas only (its `cur` stays at the measurement
   * point): Σ Δh from the balance, Σ Δh·price = the gas paid to it since then (`usd`, ≥ 0, and so
   * also its gross, which `grossUsd` adds).
   */
  private syncNative(party: number, account: number, usd: number): void {
    const L = this.L;
    const bal = L.bal;
    const t = this.w.native;
    const T = this.T;
    const row = party * T;
    const held = bal[account * T + t]! - bal[this.cur + row + t]!;
    if (bal[this.s1 + row + t] !== held) L.setCell(this.s1 + row + t, held);
    if (bal[this.s2 + row + t] !== usd) L.setCell(this.s2 + row + t, usd);
  }

  /**
   * `refresh` of a transaction's sender that held no derived token and holds none of those its calls
   * can move: its holdings are its balances, and only the tokens its calls touch (and the native
   * token, for gas) can have changed. Returns false (nothing done) if that does not apply.
   */
  private refreshSender(agent: number, tx: Tx): boolean {
    const bal = this.L.bal;
    const T = this.T;
    const account = this.acct[agent]!;
    let list: Int32Array;
    let from = 0;
    let to: number;
    const v = tx.callCount === 1 ? tx.calls[0]!.venue : -1;
    if (v >= 0 && v < this.venueCount) {
      // One call (the common case): the venue's lists, made once.
      const plan = this.senderPlan;
      const only = plan[3 * v + 2]!;
      if (only >= 0) {
        if (bal[account + only] !== 0) return false;
      } else {
        const at = this.walletDerivedAt;
        const derived = this.walletDerived;
        for (let k = at[v]!; k < at[v + 1]!; k++) if (bal[account + derived[k]!] !== 0) return false;
      }
      list = this.senderBase;
      from = plan[3 * v]!;
      to = plan[3 * v + 1]!;
    } else {
      to = this.touchedBy(tx, account);
      if (to < 0) return false;
      list = this.touchedTokens;
    }
    const cex = this.cexRow[agent]!;
    const price = this.w.basePrice;
    const row = agent * T;
    const cur = this.cur + row;
    const s1 = this.s1 + row;
    const s2 = this.s2 + row;
    const journaled = this.L.journaling;
    let gross = 0;
    for (let j = from; j < to; j++) {
      const t = list[j]!;
      // As `lookThrough` sums it: the wallet's balance, then the CEX account's.
      const h = bal[account + t]! + bal[cex + t]!;
      const delta = h - bal[cur + t]!;
      if (delta === 0) continue;
      const usd = delta * price[t]!;
      gross += Math.abs(usd);
      if (journaled) {
        this.fold(row + t, h, delta, usd);
        continue;
      }
      bal[cur + t] = h;
      bal[s1 + t] = bal[s1 + t]! + delta;
      bal[s2 + t] = bal[s2 + t]! + usd;
    }
    if (gross === 0) return true;
    if (journaled) this.L.add(this.gross + agent, gross);
    else bal[this.gross + agent] = bal[this.gross + agent]! + gross;
    return true;
  }

  /**
   * The directly priced tokens a transaction of several calls (or none) can move in its sender's
   * wallet, and the native token, sorted and once each, into `touchedTokens`; returns how many, or
   * −1 if the sender holds a derived token its calls can move.
   */
  private touchedBy(tx: Tx, account: number): number {
    const bal = this.L.bal;
    const kind = this.w.tokenKind;
    let list = this.touchedTokens;
    let count = 0;
    for (let c = -1; c < tx.callCount; c++) {
      const v = c < 0 ? -1 : tx.calls[c]!.venue;
      const from = c < 0 ? 0 : this.walletAt[v]!;
      const to = c < 0 ? 1 : this.walletAt[v + 1]!;
      for (let k = from; k < to; k++) {
        const t = c < 0 ? this.w.native : this.walletTokens[k]!;
        if (kind[t] !== TokenKind.Reference && kind[t] !== TokenKind.Fixed) {
          if (bal[account + t] !== 0) return -1;
          continue;
        }
        // Insert in token order (as `refresh` sums them), once.
        let i = count;
        while (i > 0 && list[i - 1]! > t) i--;
        if (i > 0 && list[i - 1] === t) continue;
        if (count === list.length) {
          const grown = new Int32Array(count * 2);
          grown.set(list);
          list = this.touchedTokens = grown;
        }
        // By hand: copyWithin costs a builtin call for a list of two or three.
        for (let m = count; m > i; m--) list[m] = list[m - 1]!;
        list[i] = t;
        count++;
      }
    }
    return count;
  }

  /** After a CEX fill: the agent paid the desk its spread and impact (`price`) and fee. */
  afterCex(agent: number, feeUsd: number): void {
    this.cexUsed[agent] = 1;
    const d = this.refresh(this.desk);
    this.book(agent, this.desk, this.cexVenue, TransferKind.Fee, feeUsd);
    this.book(agent, this.desk, this.cexVenue, TransferKind.Price, d - feeUsd);
    this.refresh(agent);
  }

  /** After an OTC settlement (an option's premium or payoff): paid between the agent and the desk. */
  afterOtc(agent: number): void {
    this.cexUsed[agent] = 1;
    this.book(agent, this.desk, this.otcVenue, TransferKind.Options, this.refresh(this.desk));
    this.refresh(agent);
  }

  /** A bundle starts (after the MEV meter's counterfactual): note its flows from now on. */
  beginBundle(bundler: number): void {
    this.bundler = this.active ? bundler : -1;
    this.notes.count = 0;
  }

  /** The bundle ran (or failed): stop noting. */
  stopBundle(): void {
    this.bundler = -1;
  }

  /** An included bundle's routing: each victim's loss paid to the bundler (BundleNotes.route). */
  endBundle(bundler: number, victim: Uint8Array, loss: Float64Array): void {
    if (!this.active || this.notes.count === 0) return;
    const own = this.extracts[bundler] === 1 ? TransferKind.Mev : TransferKind.Price;
    this.notes.route(bundler, own, victim, loss, this.bookBound);
  }

  /** `usd` paid by `from` to `to` (negative: received). */
  private book(from: number, to: number, venue: number, kind: number, usd: number): void {
    if (usd === 0) return;
    if (this.bundler >= 0 && (kind === TransferKind.Mev || kind === TransferKind.Price)) this.notes.note(from, to, venue * KINDS + kind, usd);
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
    for (let t = 0; t < h.length; t++) h[t] = 0;
    if (party < this.agents) {
      const a = this.w.agentAccount(party);
      this.plan.lookAccount(a, h);
      this.heldDerived = this.plan.derivedIn(a);
      if (this.cexUsed[party] === 1) {
        const c = this.w.cexAccount(party);
        this.plan.lookAccount(c, h);
        if (this.plan.derivedIn(c) !== 0) this.heldDerived = -1;
      }
    } else {
      const a = party === this.builder ? PROPOSER : party === this.burn ? BURN : CEX;
      this.plan.lookAccount(a, h);
      this.heldDerived = this.plan.derivedIn(a) === 0 ? 0 : -1;
    }
  }



  /** Set by `lookThrough`: the derived tokens the party holds, as in `derivedHeld`. */
  private heldDerived = 0;

  private holdsAny(account: number): boolean {
    const bal = this.L.bal;
    for (let t = 0; t < this.T; t++) if (bal[account * this.T + t] !== 0) return true;
    return false;
  }


  /**
   * `refresh` of a transaction's sender whose derived holdings (before and after) are U and 1/U of
   * one triad, after one call on that triad: as `refreshSender`, only the tokens the call touches and
   * the native token can have changed, and the triad's "1" (and anchor), which U and 1/U look
   * through to. Each is summed as `lookAccount` sums it, over the same tokens in the same order (no
   * other token looks through to these), then the CEX account's. Returns false (nothing done) if
   * that does not apply.
   */
  private refreshTriadSender(agent: number, tx: Tx, held: number): boolean {
    if (tx.callCount !== 1) return false;
    const v = tx.calls[0]!.venue;
    const triad = this.triadOf;
    if (held > 0 ? triad[held - 1] !== v : -2 - held !== v) return false;
    const L = this.L;
    const bal = L.bal;
    const row = this.acct[agent]!;
    const unit = this.triadUnit[v]!;
    const reciprocal = this.triadReciprocal[v]!;
    const bu = bal[row + unit]!;
    const br = bal[row + reciprocal]!;
    // Its derived holdings now, as `derivedIn` says them: the call moved none but this triad's U and 1/U,
    // and it held no other at its last refresh (`held`), nor any in its CEX account (else `held` is −1).
    const heldNow = bu !== 0 ? (br !== 0 ? -2 - v : unit + 1) : br !== 0 ? reciprocal + 1 : 0;
    const cex = this.cexUsed[agent] === 1 ? this.cexRow[agent]! : -1;
    if (held !== heldNow) L.setCell(this.derivedHeld + agent, heldNow);
    if (this.triadPlain[v] === 0) return this.refreshTriadTokens(agent, v, row, cex);
    const native = this.w.native;
    const one = this.triadOne[v]!;
    // U and 1/U look through to "1" alone: its sum, term by term in token order (a term of 0 adds nothing, as in `lookAccount`).
    const held1 = bal[row + one]!;
    let termU = 0;
    let termR = 0;
    const supply = L.supply;
    if ((bu !== 0 || br !== 0) && supply[unit]! > 0 && supply[reciprocal]! > 0) {
      // venues/triad `unitPrice`, (k / 2) · √(supply 1/U / supply U).
      const pu = this.triadHalfK[v]! * Math.sqrt(supply[reciprocal]! / supply[unit]!);
      if (bu !== 0) termU = bu * pu;
      if (br !== 0) termR = (br * this.triadKK[v]!) / 4 / pu;
    }
    let hOne = inTokenOrder(this.triadRank[v]!, held1, termU, termR);
    let hNative = 0 + bal[row + native]!;
    if (cex >= 0) {
      hOne += bal[cex + one]!;
      hNative += bal[cex + native]!;
    }
    // In token order, as `refresh` books them.
    const first = native < one ? native : one;
    const second = native < one ? one : native;
    const h1 = native < one ? hNative : hOne;
    const h2 = native < one ? hOne : hNative;
    const at = agent * this.T;
    const cur = this.cur + at;
    const d1 = h1 - bal[cur + first]!;
    const d2 = h2 - bal[cur + second]!;
    if (L.journaling) {
      let gross = 0;
      gross += this.settleToken(agent, first, h1);
      gross += this.settleToken(agent, second, h2);
      if (gross !== 0) L.add(this.gross + agent, gross);
      return true;
    }
    // Nothing journals: `settleToken` written directly.
    const price = this.w.basePrice;
    const s1 = this.s1 + at;
    const s2 = this.s2 + at;
    let gross = 0;
    if (d1 !== 0) {
      const usd = d1 * price[first]!;
      gross += Math.abs(usd);
      bal[cur + first] = h1;
      bal[s1 + first] = bal[s1 + first]! + d1;
      bal[s2 + first] = bal[s2 + first]! + usd;
    }
    if (d2 !== 0) {
      const usd = d2 * price[second]!;
      gross += Math.abs(usd);
      bal[cur + second] = h2;
      bal[s1 + second] = bal[s1 + second]! + d2;
      bal[s2 + second] = bal[s2 + second]! + usd;
    }
    if (gross !== 0) bal[this.gross + agent] = bal[this.gross + agent]! + gross;
    return true;
  }

  /** Fold a party's holding `h` of a directly priced token into its sums, as `refresh` does; returns |its change in USD|. */
  private settleToken(party: number, t: number, h: number): number {
    const at = party * this.T + t;
    const delta = h - this.L.bal[this.cur + at]!;
    if (delta === 0) return 0;
    const usd = delta * this.w.basePrice[t]!;
    this.fold(at, h, delta, usd);
    return Math.abs(usd);
  }

  /** `refreshTriadSender` for an anchored triad (or one whose "1" is the native token): token by token, as `lookAccount` sums them. */
  private refreshTriadTokens(agent: number, v: number, row: number, cex: number): true {
    const bal = this.L.bal;
    const h = this.h;
    const base = this.senderBase;
    const from = this.senderAt[v]!;
    const to = this.senderAt[v + 1]!;
    for (let j = from; j < to; j++) h[base[j]!] = 0;
    const look = this.triadLook;
    for (let k = this.triadAt[v]!; k < this.triadAt[v + 1]!; k++) {
      const t = look[k]!;
      const b = bal[row + t]!;
      if (b !== 0) this.plan.lookToken(t, b, h);
    }
    if (cex >= 0) {
      for (let j = from; j < to; j++) {
        const t = base[j]!;
        const b = bal[cex + t]!;
        if (b !== 0) h[t]! += b;
      }
    }
    let gross = 0;
    for (let j = from; j < to; j++) gross += this.settleToken(agent, base[j]!, h[base[j]!]!);
    if (gross !== 0) this.L.add(this.gross + agent, gross);
    return true;
  }


  /**
   * Bring a party's holdings up to date: fold the change into Σ Δh and Σ Δh·price, and return its
   * value at the current reference prices.
   */
  private refresh(party: number): number {
    this.lookThrough(party);
    const held = this.heldDerived;
    if (this.L.bal[this.derivedHeld + party] !== held) this.L.setCell(this.derivedHeld + party, held);
    const h = this.h;
    const L = this.L;
    const bal = L.bal;
    const price = this.w.basePrice;
    const row = party * this.T;
    const base = this.baseTokens;
    // The builder's and burn's native token is gas's, booked by `syncGas`.
    const skip = this.nativeBase && (party === this.builder || party === this.burn) ? this.w.native : -1;
    let d = 0;
    let gross = 0;
    for (let j = 0; j < base.length; j++) {
      const t = base[j]!;
      if (t === skip) continue;
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
    this.syncGas();
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
    this.syncGas();
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

  /** Whether anything was written in the block's matrix since it was last reset (the gas paid so far booked first). */
  get blockDirty(): boolean {
    this.syncGas();
    return this.touchedCount > 0;
  }

  /** Σ Δh and Σ Δh·price of a party and token since the measurement point. */
  heldChange(party: number, token: number): number {
    this.syncGas();
    return this.L.bal[this.s1 + party * this.T + token]!;
  }
  heldChangeUsd(party: number, token: number): number {
    this.syncGas();
    return this.L.bal[this.s2 + party * this.T + token]!;
  }

  /** Σ |value moved| of a party's holdings, event by event, at the events' prices. */
  grossUsd(party: number): number {
    this.syncGas();
    // The builder's and burn's gas (≥ 0, so its gross is its sum) is kept in Σ Δh·price alone.
    const gas = this.nativeBase && (party === this.builder || party === this.burn) ? this.L.bal[this.s2 + party * this.T + this.w.native]! : 0;
    return this.L.bal[this.gross + party]! + gas;
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

