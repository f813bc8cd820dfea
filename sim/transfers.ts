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
 * its venue's calls move (sim/transfers-deps.ts) and the burn; a sender that holds no derived token
 * is refreshed in the tokens its calls touch (one call: its venue's list, made once), one holding
 * only a triad's U and 1/U after a call on that triad also in the triad's "1" (a tracker forging);
 * gas is booked from the executor's per-agent sums (`syncGas`, before any read and once a block
 * when the block's matrix is kept). Every shortcut sums the same terms in the same order as the
 * full look-through (`lookAccount`, World `lookThroughAccount` without its recursion), so the
 * accumulators are the same to the bit (test/pnl/transfers-sender.test.ts, transfers-targeted).
 */
import { OUTSIDE_PARTIES, OUTSIDE_VENUES, TRANSFER_KINDS } from './cells';
import type { Ledger } from './ledger';
import { totalShares, type CpmmVenue } from './venues/cpmm';
import { unitPrice, type TriadVenue } from './venues/triad';
import { venueTokens, VenueHolders, type Lists } from './transfers-deps';
import { TokenPlan } from './transfers-look';
import type { Tx } from './tx';
import { AgentCell, BURN, CEX, PROPOSER, TokenKind, type World } from './world';

import { BundleNotes, KINDS, TransferKind } from './transfers-bundle';

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
  /** The three terms of a triad sender's "1", in token order (scratch, `refreshTriadSender`). */
  private readonly terms = new Float64Array(3);

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
      }
    }
  }

  /** Start counting now (the measurement point): everything zero, holdings as they are. */
  begin(): void {
    const bal = this.L.bal;
    bal.fill(0, this.cur, this.end);
    this.touchedMark.fill(0);
    this.touchedCount = 0;
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
    const holders = this.holders;
    const listed = holders.size(venue);
    // No one but the sender listed, and the burn not exposed (a tracker's forge): no one else moved.
    if (listed <= 1 && (listed === 0 || holders.at(venue, 0) === agent) && !this.exposed(BURN, venue)) return;
    const kind = this.extracts[agent] === 1 || this.victim ? TransferKind.Mev : TransferKind.Price;
    const n = this.T;
    const v = this.w.venues[venue]!;
    const pool = v.kind === 'cpmm' ? v : null;
    const share = this.plainPool[venue] === 1 ? (v as CpmmVenue) : null;
    // The pool's shares, read once: no booking below changes them.
    const shares = pool !== null && (feeUsd !== 0 || share !== null) ? totalShares(this.w, pool) : 0;
    const bal = this.L.bal;
    for (let i = 0; i <= listed; i++) {
      const party = i < listed ? holders.at(venue, i) : this.burn;
      if (party === agent) continue;
      const account = i < listed ? this.w.agentAccount(party) : BURN;
      // A wallet holding the pool's share alone of the derived tokens is exposed iff it holds some.
      const viaShare = share !== null && i < listed && bal[this.derivedHeld + party] === share.lpToken + 1;
      if (viaShare ? bal[account * n + share.lpToken] === 0 : !this.exposed(account, venue)) continue;
      const d = viaShare ? this.refreshShare(party, share, shares) : this.refresh(party);
      if (d === 0) continue;
      let fee = 0;
      if (feeUsd !== 0 && shares > 0) fee = (feeUsd * bal[account * n + pool!.lpToken]!) / shares;
      this.book(agent, party, venue, TransferKind.Fee, fee);
      this.book(agent, party, venue, kind, d - fee);
    }
    // The sender itself is brought up to date once, at the end of its transaction (`afterTx`).
  }

  /** Whether an account holds any token that calls on `venue` move. */
  private exposed(account: number, venue: number): boolean {
    const bal = this.L.bal;
    const row = account * this.T;
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
    if (!this.refreshSender(agent, tx) && !this.refreshTriadSender(agent, tx)) this.refresh(agent);
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
    if (bal[this.derivedHeld + agent] !== 0 || !this.nativeBase) return false;
    const T = this.T;
    const account = this.w.agentAccount(agent) * T;
    let list: Int32Array;
    let from = 0;
    let to: number;
    const v = tx.callCount === 1 ? tx.calls[0]!.venue : -1;
    if (v >= 0 && v < this.walletAt.length - 1) {
      // One call (the common case): the venue's lists, made once.
      const at = this.walletDerivedAt;
      const derived = this.walletDerived;
      for (let k = at[v]!; k < at[v + 1]!; k++) if (bal[account + derived[k]!] !== 0) return false;
      list = this.senderBase;
      from = this.senderAt[v]!;
      to = this.senderAt[v + 1]!;
    } else {
      to = this.touchedBy(tx, account);
      if (to < 0) return false;
      list = this.touchedTokens;
    }
    const cex = this.w.cexAccount(agent) * T;
    const L = this.L;
    const price = this.w.basePrice;
    const row = agent * T;
    const cur = this.cur + row;
    const s1 = this.s1 + row;
    const s2 = this.s2 + row;
    let gross = 0;
    for (let j = from; j < to; j++) {
      const t = list[j]!;
      // As `lookThrough` sums it: the wallet's balance, then the CEX account's.
      const h = bal[account + t]! + bal[cex + t]!;
      const delta = h - bal[cur + t]!;
      if (delta === 0) continue;
      const usd = delta * price[t]!;
      gross += Math.abs(usd);
      L.setCell(cur + t, h);
      L.add(s1 + t, delta);
      L.add(s2 + t, usd);
    }
    if (gross !== 0) L.add(this.gross + agent, gross);
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
  private refreshTriadSender(agent: number, tx: Tx): boolean {
    const bal = this.L.bal;
    const held = bal[this.derivedHeld + agent]!;
    if (!this.nativeBase || tx.callCount !== 1 || held === 0 || held === -1) return false;
    const v = tx.calls[0]!.venue;
    const triad = this.triadOf;
    if (held > 0 ? triad[held - 1] !== v : -2 - held !== v) return false;
    const w = this.w;
    const T = this.T;
    const a = w.agentAccount(agent);
    // Its derived holdings now (nothing is written before this): none or this triad's alone, none in its CEX account.
    const heldNow = this.plan.derivedIn(a);
    if (heldNow === -1 || (heldNow > 0 && triad[heldNow - 1] !== v) || (heldNow < -1 && -2 - heldNow !== v)) return false;
    const cex = this.cexUsed[agent] === 1 ? w.cexAccount(agent) * T : -1;
    if (cex >= 0 && this.plan.derivedIn(cex / T) !== 0) return false;
    if (held !== heldNow) this.L.setCell(this.derivedHeld + agent, heldNow);
    const row = a * T;
    const tv = w.venues[v] as TriadVenue;
    const native = w.native;
    const one = tv.one;
    if (tv.anchor >= 0 || one === native) return this.refreshTriadTokens(agent, v, row, cex);
    // U and 1/U look through to "1" alone: its sum, term by term in token order (a term of 0 adds nothing, as in `lookAccount`).
    const terms = this.terms;
    terms[0] = bal[row + one]!;
    terms[1] = 0;
    terms[2] = 0;
    const bu = bal[row + tv.unit]!;
    const br = bal[row + tv.reciprocal]!;
    const supply = this.L.supply;
    if ((bu !== 0 || br !== 0) && supply[tv.unit]! > 0 && supply[tv.reciprocal]! > 0) {
      const pu = unitPrice(w, tv);
      if (bu !== 0) terms[1] = bu * pu;
      if (br !== 0) terms[2] = (br * (tv.k * tv.k)) / 4 / pu;
    }
    const order = this.triadOrder;
    let hOne = 0 + terms[order[3 * v]!]! + terms[order[3 * v + 1]!]! + terms[order[3 * v + 2]!]!;
    let hNative = 0 + bal[row + native]!;
    if (cex >= 0) {
      hOne += bal[cex + one]!;
      hNative += bal[cex + native]!;
    }
    // In token order, as `refresh` books them.
    let gross = 0;
    if (native < one) {
      gross += this.settleToken(agent, native, hNative);
      gross += this.settleToken(agent, one, hOne);
    } else {
      gross += this.settleToken(agent, one, hOne);
      gross += this.settleToken(agent, native, hNative);
    }
    if (gross !== 0) this.L.add(this.gross + agent, gross);
    return true;
  }

  /** Fold a party's holding `h` of a directly priced token into its sums, as `refresh` does; returns |its change in USD|. */
  private settleToken(party: number, t: number, h: number): number {
    const L = this.L;
    const bal = L.bal;
    const at = party * this.T + t;
    const delta = h - bal[this.cur + at]!;
    if (delta === 0) return 0;
    const usd = delta * this.w.basePrice[t]!;
    L.setCell(this.cur + at, h);
    L.add(this.s1 + at, delta);
    L.add(this.s2 + at, usd);
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

  /**
   * `refresh` of an agent whose only derived holding is a share of `pool`, a pool of two directly
   * priced tokens, after a call on it: only those two tokens can have moved, and each sums as
   * `lookThrough` sums it (wallet balance and pool share — two terms, in either order the same —,
   * then the CEX account's), so the result is the same to the bit. `s`: the pool's shares now.
   */
  private refreshShare(party: number, pool: CpmmVenue, s: number): number {
    const w = this.w;
    if (!(s > 0)) return this.refresh(party);
    const L = this.L;
    const bal = L.bal;
    const T = this.T;
    const a = w.agentAccount(party) * T;
    const c = this.cexUsed[party] === 1 ? w.cexAccount(party) * T : -1;
    const shares = bal[a + pool.lpToken]!;
    const t0 = pool.token0;
    const t1 = pool.token1;
    let h0 = bal[a + t0]! + (shares * bal[pool.r0]!) / s;
    let h1 = bal[a + t1]! + (shares * bal[pool.r1]!) / s;
    if (c >= 0) {
      h0 += bal[c + t0]!;
      h1 += bal[c + t1]!;
    }
    const price = w.basePrice;
    const row = this.cur + party * T;
    const d0 = h0 - bal[row + t0]!;
    const d1 = h1 - bal[row + t1]!;
    let d = 0;
    let gross = 0;
    if (d0 !== 0) {
      const usd = d0 * price[t0]!;
      d += usd;
      gross += Math.abs(usd);
      L.setCell(row + t0, h0);
      L.add(this.s1 + party * T + t0, d0);
      L.add(this.s2 + party * T + t0, usd);
    }
    if (d1 !== 0) {
      const usd = d1 * price[t1]!;
      d += usd;
      gross += Math.abs(usd);
      L.setCell(row + t1, h1);
      L.add(this.s1 + party * T + t1, d1);
      L.add(this.s2 + party * T + t1, usd);
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

