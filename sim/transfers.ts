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
 * The class is split in three along its seams, one subclass of the other so the hot methods stay
 * methods of one object (monomorphic, inlined as before): sim/transfers-core.ts the cells and the
 * full look-through and booking; sim/transfers-sender.ts the per-call shortcuts; this file the
 * events (`afterCall`, `afterTx`, gas, CEX, OTC, bundles) and the reads.
 */
import { OUTSIDE_PARTIES, OUTSIDE_VENUES, TRANSFER_KINDS } from './cells';
import { totalShares } from './venues/cpmm';
import type { Tx } from './tx';
import { AgentCell, BURN, PROPOSER } from './world';
import { KINDS, TransferKind } from './transfers-bundle';
import { TransfersSender } from './transfers-sender';

export { OUTSIDE_PARTIES, OUTSIDE_VENUES, TRANSFER_KINDS, TransferKind };

export class Transfers extends TransfersSender {
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
