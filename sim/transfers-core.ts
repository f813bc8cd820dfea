/**
 * The transfer ledger's state (sim/transfers.ts): the layout of its journaled cells in the ledger,
 * the token plan and per-venue tables read on the hot paths, the full look-through of a party's
 * holdings (`refresh`, the reference every shortcut in sim/transfers-sender.ts matches to the bit)
 * and the booking of a payment (`book`). A base class, not a module of functions, so the hot paths
 * stay methods of the one Transfers object.
 */
import { OUTSIDE_PARTIES, OUTSIDE_VENUES } from './cells';
import type { Ledger } from './ledger';
import { venueTokens, VenueHolders, type Lists } from './transfers-deps';
import { TokenPlan } from './transfers-look';
import { BURN, CEX, PROPOSER, type World } from './world';
import { BundleNotes, KINDS, TransferKind } from './transfers-bundle';

/** Entries per venue in `poolInfo`. */
export const POOL_INFO = 6;

/** The orders of three terms, a triad's "1", U and 1/U (0, 1, 2), by token (TokenPlan `triadOrder`). */
const ORDERS = ['012', '021', '102', '120', '201', '210'];

export abstract class TransfersCore {
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
  protected readonly end: number;
  /** Counting: from the measurement point on. */
  active = false;
  /** Keep the block's pair matrix too (reset when it is recorded). */
  perBlock = false;
  /** Set by the builder while a bundle's victim (another agent's transaction after one of the bundler's legs) runs. */
  victim = false;
  /** The bundler while its bundle runs (its flows are noted for `endBundle`), else -1. */
  protected bundler = -1;
  /** The bundle's `price` and `mev` bookings while it runs, and their routing (sim/transfers-bundle.ts). */
  protected readonly notes = new BundleNotes();
  /** `book`, bound once, for the routing. */
  protected readonly bookBound = (from: number, to: number, venue: number, kind: number, usd: number): void => this.book(from, to, venue, kind, usd);
  /** Cells of the block's matrix written since it was last reset, as (lower party, higher party, channel) keys. */
  protected touched = new Int32Array(64);
  protected touchedCount = 0;
  protected touchedMark: Uint8Array;
  /** Called once genesis is done (recorders flush block 0). */
  afterGenesis: (() => void) | null = null;
  protected readonly L: Ledger;
  protected readonly T: number;
  get tokenCount(): number {
    return this.T;
  }
  protected readonly h: Float64Array;
  protected readonly extracts: Uint8Array;
  /** Per venue, the derived tokens its calls move, and the agents holding them (sim/transfers-deps.ts). */
  protected readonly moved: Lists;
  protected readonly holders: VenueHolders;
  /** Per agent: its CEX account has held something since the measurement point (else `lookThrough` skips it). */
  protected readonly cexUsed: Uint8Array;
  /** A transaction's touched tokens, sorted (scratch). */
  protected touchedTokens: Int32Array;
  /** Per agent and token: listed under the venues whose calls move the token (`listHolder`). */
  protected readonly listed: Uint8Array;
  /** The fixed token plan (sim/transfers-look.ts) and its lists, read here directly on the hot paths. */
  protected readonly plan: TokenPlan;
  protected readonly baseTokens: TokenPlan['baseTokens'];
  protected readonly derivedTokens: TokenPlan['derivedTokens'];
  protected readonly plainPool: TokenPlan['plainPool'];
  protected readonly nativeBase: TokenPlan['nativeBase'];
  protected readonly walletAt: TokenPlan['walletAt'];
  protected readonly walletTokens: TokenPlan['walletTokens'];
  protected readonly senderAt: TokenPlan['senderAt'];
  protected readonly senderBase: TokenPlan['senderBase'];
  protected readonly walletDerivedAt: TokenPlan['walletDerivedAt'];
  protected readonly walletDerived: TokenPlan['walletDerived'];
  protected readonly triadOf: TokenPlan['triadOf'];
  protected readonly triadAt: TokenPlan['triadAt'];
  protected readonly triadLook: TokenPlan['triadLook'];
  protected readonly triadOrder: TokenPlan['triadOrder'];
  /** Per agent, the first cells of its wallet and its CEX account (account × tokens). */
  protected readonly acct: Int32Array;
  protected readonly cexRow: Int32Array;
  /** Per venue that is a pool (else 0), POOL_INFO entries: its LP token, its two tokens, the cells of its reserves, 1 if its shares are 2√(x·y). */
  protected readonly poolInfo: Int32Array;
  /**
   * Per venue v, for `refreshSender`: `senderBase` from and to (TokenPlan `senderAt[v]`, `senderAt[v + 1]`),
   * and the one derived token its calls can move in a sender's wallet (a pool's share), or −1 if none or several.
   */
  protected readonly senderPlan: Int32Array;
  protected readonly venueCount: number;
  /** Per triad (else 0): its U, 1/U and "1", k / 2 and k², and whether U and 1/U look through to "1" alone (no anchor, "1" not the native token). */
  protected readonly triadUnit: Int32Array;
  protected readonly triadReciprocal: Int32Array;
  protected readonly triadOne: Int32Array;
  protected readonly triadHalfK: Float64Array;
  protected readonly triadKK: Float64Array;
  protected readonly triadPlain: Uint8Array;
  /** Per triad, the order of its "1", U and 1/U by token (`inTokenOrder`). */
  protected readonly triadRank: Uint8Array;
  /**
   * Per venue: −2 if no agent is listed under it, the agent if one alone is, else −1 (several, or
   * the burn may hold derived tokens): a call on it by that agent moves no one else.
   */
  protected readonly alone: Int32Array;
  /** The burn may hold derived tokens (exact mode's locked shares, or some from genesis): `afterCall` checks it (set by `begin`). */
  protected burnWatch = true;
  /** Set by `lookThrough`: the derived tokens the party holds, as in `derivedHeld`. */
  protected heldDerived = 0;

  constructor(
    protected readonly w: World,
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
  protected listHolder(agent: number): void {
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
  protected noteAlone(): void {
    const holders = this.holders;
    for (let v = 0; v < this.venueCount; v++) {
      const n = holders.size(v);
      this.alone[v] = this.burnWatch || n > 1 ? -1 : n === 0 ? -2 : holders.at(v, 0);
    }
  }

  /** A party's holdings, looked through to reference tokens, into `h`. */
  protected lookThrough(party: number): void {
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

  protected holdsAny(account: number): boolean {
    const bal = this.L.bal;
    for (let t = 0; t < this.T; t++) if (bal[account * this.T + t] !== 0) return true;
    return false;
  }

  /**
   * Bring a party's holdings up to date: fold the change into Σ Δh and Σ Δh·price, and return its
   * value at the current reference prices.
   */
  protected refresh(party: number): number {
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

  /** A holding's new value `h` (at `cur + at`), its change and its change in USD folded into Σ Δh and Σ Δh·price. */
  protected fold(at: number, h: number, delta: number, usd: number): void {
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
  protected exposed(row: number, venue: number): boolean {
    const bal = this.L.bal;
    const { at, items } = this.moved;
    for (let k = at[venue]!; k < at[venue + 1]!; k++) if (bal[row + items[k]!] !== 0) return true;
    return false;
  }

  /** `usd` paid by `from` to `to` (negative: received). */
  protected book(from: number, to: number, venue: number, kind: number, usd: number): void {
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
  protected touch(c: number): void {
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
}
