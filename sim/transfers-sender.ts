/**
 * The transfer ledger's per-call shortcuts (sim/transfers.ts): bringing a transaction's sender, or
 * the LPs of a plain pool after another's call, up to date in the few tokens that can have moved,
 * instead of the full look-through (`refresh`, sim/transfers-core.ts).
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
 * added there too (sim/ledger.ts's header says so as well).
 */
import { BURN, TokenKind } from './world';
import type { Tx } from './tx';
import { KINDS, TransferKind } from './transfers-bundle';
import { POOL_INFO, TransfersCore } from './transfers-core';

/** 0 + the three terms in the order `ORDERS[order]` (sim/transfers-core.ts), left to right (as `lookAccount` sums them). */
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


export abstract class TransfersSender extends TransfersCore {
  /**
   * `afterCall` on a pool of two directly priced tokens. A wallet holding the pool's share alone of
   * the derived tokens is refreshed in the pool's two tokens only: each sums as `lookThrough` sums
   * it (wallet balance and pool share — two terms, in either order the same —, then the CEX
   * account's), so the result is the same to the bit; any other holder by `refresh`.
   */
  protected afterPoolCall(agent: number, venue: number, feeUsd: number, listed: number, burnExposed: boolean): void {
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
  protected bookCall(from: number, to: number, venue: number, kind: number, fee: number, d: number): void {
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

  /**
   * `refresh` of a transaction's sender that held no derived token and holds none of those its calls
   * can move: its holdings are its balances, and only the tokens its calls touch (and the native
   * token, for gas) can have changed. Returns false (nothing done) if that does not apply.
   */
  protected refreshSender(agent: number, tx: Tx): boolean {
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
  protected touchedBy(tx: Tx, account: number): number {
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

  /**
   * `refresh` of a transaction's sender whose derived holdings (before and after) are U and 1/U of
   * one triad, after one call on that triad: as `refreshSender`, only the tokens the call touches and
   * the native token can have changed, and the triad's "1" (and anchor), which U and 1/U look
   * through to. Each is summed as `lookAccount` sums it, over the same tokens in the same order (no
   * other token looks through to these), then the CEX account's. Returns false (nothing done) if
   * that does not apply.
   */
  protected refreshTriadSender(agent: number, tx: Tx, held: number): boolean {
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
  protected settleToken(party: number, t: number, h: number): number {
    const at = party * this.T + t;
    const delta = h - this.L.bal[this.cur + at]!;
    if (delta === 0) return 0;
    const usd = delta * this.w.basePrice[t]!;
    this.fold(at, h, delta, usd);
    return Math.abs(usd);
  }

  /** `refreshTriadSender` for an anchored triad (or one whose "1" is the native token): token by token, as `lookAccount` sums them. */
  protected refreshTriadTokens(agent: number, v: number, row: number, cex: number): true {
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
}
