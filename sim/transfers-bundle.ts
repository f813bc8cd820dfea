/**
 * A bundle's `price` and `mev` bookings while it runs, and their routing when it ends
 * (Transfers.endBundle; docs/outputs.md, `transfers`): each victim's loss is paid to the bundler
 * through the parties it paid that paid the bundler. Typed arrays reused from bundle to bundle.
 */
import { TRANSFER_KINDS } from './cells';

export const enum TransferKind { Fee = 0, Price = 1, Gas = 2, Mev = 3, Options = 4 }
export const KINDS = TRANSFER_KINDS.length;

/** Book `usd` paid by `from` to `to` at `venue` as `kind` (negative: received). */
export type Book = (from: number, to: number, venue: number, kind: number, usd: number) => void;

export class BundleNotes {
  /** Bookings noted in the bundle so far. */
  count = 0;
  private from = new Int32Array(32);
  private to = new Int32Array(32);
  private channel = new Int32Array(32);
  private usd = new Float64Array(32);
  /** The routing's intermediaries: party, venue, what it still owes the bundler, its share for the victim at hand. */
  private midParty = new Int32Array(16);
  private midVenue = new Int32Array(16);
  private midOwed = new Float64Array(16);
  private midShare = new Float64Array(16);

  /** Note a booking (channel = venue × kinds + kind). */
  note(from: number, to: number, channel: number, usd: number): void {
    const i = this.count;
    if (i === this.from.length) {
      const n = i * 2;
      this.from = grow(this.from, new Int32Array(n));
      this.to = grow(this.to, new Int32Array(n));
      this.channel = grow(this.channel, new Int32Array(n));
      this.usd = grow(this.usd, new Float64Array(n));
    }
    this.from[i] = from;
    this.to[i] = to;
    this.channel[i] = channel;
    this.usd[i] = usd;
    this.count = i + 1;
  }

  /**
   * An included bundle's routing: in the bundle, each victim v (`victim[v]` = 1) pays the bundler,
   * as `mev`, exactly its loss l_v > 0 against running alone (the MEV meter's). What v already paid
   * the bundler directly (a triad holder's revaluation) counts; the rest, r = l_v − that, is routed
   * through the intermediaries k that paid the bundler in its legs (per venue, net, in the legs'
   * kind `own`: y_k > 0), in proportion to m_k = min(x_k, y_k)⁺ with x_k what v paid k there as
   * `mev` (to y_k if every m_k is 0): v → bundler r·m_k/Σm, and as much less v → k and k → bundler.
   * Every party's net is unchanged; only who paid whom.
   */
  route(bundler: number, own: number, victim: Uint8Array, loss: Float64Array, book: Book): void {
    let mids = 0;
    for (let e = 0; e < this.count; e++) {
      const c = this.channel[e]!;
      if (c % KINDS !== own) continue;
      const from = this.from[e]!;
      const to = this.to[e]!;
      if (from !== bundler && to !== bundler) continue;
      const k = from === bundler ? to : from;
      const venue = (c / KINDS) | 0;
      const usd = from === bundler ? -this.usd[e]! : this.usd[e]!;
      let j = 0;
      while (j < mids && (this.midParty[j] !== k || this.midVenue[j] !== venue)) j++;
      if (j === mids) {
        if (mids === this.midParty.length) this.growMids();
        this.midParty[j] = k;
        this.midVenue[j] = venue;
        this.midOwed[j] = 0;
        mids++;
      }
      this.midOwed[j]! += usd;
    }
    for (let v = 0; v < victim.length; v++) {
      const l = loss[v]!;
      if (victim[v] !== 1 || v === bundler || !(l > 0)) continue;
      let r = l;
      for (let e = 0; e < this.count; e++) {
        if (this.channel[e]! % KINDS !== TransferKind.Mev) continue;
        if (this.from[e] === v && this.to[e] === bundler) r -= this.usd[e]!;
        else if (this.from[e] === bundler && this.to[e] === v) r += this.usd[e]!;
      }
      if (!(r > 0)) continue;
      let total = 0;
      let owed = 0;
      for (let j = 0; j < mids; j++) {
        const k = this.midParty[j]!;
        let x = 0;
        if (k !== v && this.midOwed[j]! > 0) {
          owed += this.midOwed[j]!;
          const mev = this.midVenue[j]! * KINDS + TransferKind.Mev;
          for (let e = 0; e < this.count; e++) {
            if (this.channel[e] !== mev) continue;
            if (this.from[e] === v && this.to[e] === k) x += this.usd[e]!;
            else if (this.from[e] === k && this.to[e] === v) x -= this.usd[e]!;
          }
        }
        const m = Math.max(0, Math.min(x, this.midOwed[j]!));
        this.midShare[j] = m;
        total += m;
      }
      if (total === 0) {
        // The victim paid none of them: in proportion to what they paid the bundler.
        if (owed === 0) continue;
        for (let j = 0; j < mids; j++) this.midShare[j] = this.midParty[j] !== v && this.midOwed[j]! > 0 ? this.midOwed[j]! : 0;
        total = owed;
      }
      for (let j = 0; j < mids; j++) {
        const m = this.midShare[j]!;
        if (m === 0) continue;
        const usd = (r * m) / total;
        const k = this.midParty[j]!;
        const venue = this.midVenue[j]!;
        book(v, bundler, venue, TransferKind.Mev, usd);
        book(v, k, venue, TransferKind.Mev, -usd);
        book(k, bundler, venue, own, -usd);
        this.midOwed[j]! -= usd;
      }
    }
  }

  private growMids(): void {
    const n = this.midParty.length * 2;
    this.midParty = grow(this.midParty, new Int32Array(n));
    this.midVenue = grow(this.midVenue, new Int32Array(n));
    this.midOwed = grow(this.midOwed, new Float64Array(n));
    this.midShare = grow(this.midShare, new Float64Array(n));
  }
}

function grow<T extends Int32Array | Float64Array>(a: T, b: T): T {
  b.set(a);
  return b;
}
