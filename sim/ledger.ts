/**
 * The ledger: one balance per (account, token), venue reserves included, plus each token's supply.
 *
 * Balances live in one Float64Array indexed `account * tokenCount + token`; accounts and tokens are
 * interned to small integers at setup, so nothing in the per-transaction path touches a string or a
 * Map. While `journaling` is on, every write is journaled (index, old value) so a reverted
 * transaction or a failed bundle is undone exactly by replaying the journal backwards; the journal is
 * cleared once a block is final. The engine turns journaling on only where a rollback can happen
 * (multi-call transactions, bundles): a single venue call checks everything before it writes.
 * While `journaling` is off, `add` and `mint` are plain `bal`/`supply` additions, and the three
 * hottest writers (the executor's gas, the CPMM swap, the triad forge) write the arrays directly in
 * that case (measured: about 4 % of a block's instructions); any other effect added to `add` or
 * `mint` must be added there too. The transfer ledger's hot paths write their auxiliary cells
 * directly as well (see sim/transfers-sender.ts's header; `fold` in sim/transfers-core.ts): an effect
 * added to `add` or `setCell` must be added there too.
 *
 * Conservation: for every token, Σ balances over all accounts (burn and venue accounts included)
 * equals the supply, and supply changes only by explicit mint/burn.
 *
 * After the balances the same array holds `auxCells` journaled cells that are not balances: the
 * accounting accumulators (fees per share, gas paid, ...), so a revert undoes them with the rest.
 *
 * Exact-integer mode adds bigint wei balances and supplies (`exact`), the truth in that mode: every
 * exact write goes through the same journal and mirrors itself into the float arrays, which agents,
 * valuation and accounting keep reading.
 */
import { fromWei } from './venues/exact-math';

/** Journal indices at or above this refer to exact cells. */
const EXACT = 1 << 30;
const EXACT_SUPPLY = EXACT + (1 << 29);

export interface ExactBook {
  bal: bigint[];
  supply: bigint[];
}
export class Ledger {
  readonly tokens: readonly string[];
  readonly accounts: readonly string[];
  readonly tokenCount: number;
  readonly bal: Float64Array;
  readonly supply: Float64Array;
  /** 1 for accounts that may hold negative balances: the CEX counterparty and CEX margin accounts. */
  readonly mayGoNegative: Uint8Array;
  /** Index of the first auxiliary cell in `bal`. */
  readonly auxBase: number;

  /** Record writes so they can be rolled back. */
  journaling = true;
  /**
   * Journal every write, all the time (invariant checking): the journal since a mark then says what
   * each transaction and block moved, which `flowGap` checks against the supply's change.
   */
  audit = false;
  /** Wei balances and supplies in exact-integer mode, else null. */
  exact: ExactBook | null = null;
  private jIdx: Int32Array;
  private jOld: Float64Array;
  /** Old exact values, at the journal positions of exact entries. */
  private jBig: bigint[] = [];
  private jLen = 0;

  constructor(tokens: readonly string[], accounts: readonly string[], auxCells = 0) {
    this.tokens = tokens;
    this.accounts = accounts;
    this.tokenCount = tokens.length;
    this.auxBase = tokens.length * accounts.length;
    this.bal = new Float64Array(this.auxBase + auxCells);
    this.supply = new Float64Array(tokens.length);
    this.mayGoNegative = new Uint8Array(accounts.length);
    this.jIdx = new Int32Array(1024);
    this.jOld = new Float64Array(1024);
  }

  tokenId(name: string): number {
    const i = this.tokens.indexOf(name);
    if (i < 0) throw new Error(`unknown token '${name}'`);
    return i;
  }

  accountId(name: string): number {
    const i = this.accounts.indexOf(name);
    if (i < 0) throw new Error(`unknown account '${name}'`);
    return i;
  }

  index(account: number, token: number): number {
    return account * this.tokenCount + token;
  }

  get(account: number, token: number): number {
    return this.bal[account * this.tokenCount + token]!;
  }

  /** Add `delta` to the balance at a precomputed index, journaled. */
  add(index: number, delta: number): void {
    const old = this.bal[index]!;
    if (this.journaling) this.record(index, old);
    this.bal[index] = old + delta;
  }

  transfer(from: number, to: number, token: number, amount: number): void {
    const n = this.tokenCount;
    this.add(from * n + token, -amount);
    this.add(to * n + token, amount);
  }

  mint(to: number, token: number, amount: number): void {
    this.add(to * this.tokenCount + token, amount);
    const old = this.supply[token]!;
    if (this.journaling) this.record(~token, old);
    this.supply[token] = old + amount;
  }

  burn(from: number, token: number, amount: number): void {
    this.mint(from, token, -amount);
  }

  /** Switch to exact-integer mode: from now on balances are wei (use `xadd`/`xmint`). */
  enableExact(): void {
    this.exact = { bal: new Array<bigint>(this.auxBase).fill(0n), supply: new Array<bigint>(this.tokenCount).fill(0n) };
  }

  /** Exact mode: add `delta` wei at a balance index, mirrored into the float balance. */
  xadd(index: number, delta: bigint): void {
    const x = this.exact!;
    const old = x.bal[index]!;
    if (this.journaling) this.recordBig(EXACT + index, old);
    const now = old + delta;
    x.bal[index] = now;
    this.set(index, fromWei(now));
  }

  xtransfer(from: number, to: number, token: number, amount: bigint): void {
    const n = this.tokenCount;
    this.xadd(from * n + token, -amount);
    this.xadd(to * n + token, amount);
  }

  /** Exact mode: mint (negative: burn) wei of a token, mirrored into the float supply. */
  xmint(to: number, token: number, amount: bigint): void {
    const x = this.exact!;
    this.xadd(to * this.tokenCount + token, amount);
    const old = x.supply[token]!;
    if (this.journaling) this.recordBig(EXACT_SUPPLY + token, old);
    x.supply[token] = old + amount;
    const f = this.supply[token]!;
    if (this.journaling) this.record(~token, f);
    this.supply[token] = fromWei(old + amount);
  }

  xget(account: number, token: number): bigint {
    return this.exact!.bal[account * this.tokenCount + token]!;
  }

  /** Overwrite a float cell, journaled. */
  setCell(index: number, value: number): void {
    this.set(index, value);
  }

  private set(index: number, value: number): void {
    if (this.journaling) this.record(index, this.bal[index]!);
    this.bal[index] = value;
  }

  private recordBig(index: number, old: bigint): void {
    this.jBig[this.jLen] = old;
    this.record(index, NaN);
  }

  /** Journal position to roll back to. */
  mark(): number {
    return this.jLen;
  }

  /** Undo every write made since `mark`, newest first. */
  rollback(mark: number): void {
    if (mark > this.jLen) throw new RangeError(`rollback to mark ${mark} past the journal's end ${this.jLen} (a mark from before a commit?)`);
    const idx = this.jIdx;
    const old = this.jOld;
    for (let j = this.jLen - 1; j >= mark; j--) {
      const i = idx[j]!;
      if (i >= EXACT_SUPPLY) this.exact!.supply[i - EXACT_SUPPLY] = this.jBig[j]!;
      else if (i >= EXACT) this.exact!.bal[i - EXACT] = this.jBig[j]!;
      else if (i >= 0) this.bal[i] = old[j]!;
      else this.supply[~i] = old[j]!;
    }
    this.jLen = mark;
  }

  /** Forget the journal: what has been written is final. */
  commit(): void {
    this.jLen = 0;
  }

  private record(index: number, old: number): void {
    if (this.jLen === this.jIdx.length) this.grow();
    this.jIdx[this.jLen] = index;
    this.jOld[this.jLen] = old;
    this.jLen++;
  }

  private grow(): void {
    const idx = new Int32Array(this.jIdx.length * 2);
    const old = new Float64Array(this.jOld.length * 2);
    idx.set(this.jIdx);
    old.set(this.jOld);
    this.jIdx = idx;
    this.jOld = old;
  }

  /**
   * Worst relative gap between Σ balances and supply over all tokens, and the token it occurs on.
   * O(accounts × tokens), cheap for the handful of accounts a scenario has.
   */
  conservationGap(): { token: number; gap: number; sum: number; supply: number } {
    let worst = { token: -1, gap: 0, sum: 0, supply: 0 };
    for (let t = 0; t < this.tokenCount; t++) {
      const g = this.tokenGap(t);
      // NaN compares false both ways: once the worst gap is NaN it must stay (not be replaced by a later token).
      if (!(g.gap <= worst.gap) && worst.gap === worst.gap) worst = { token: t, ...g };
    }
    return worst;
  }

  /**
   * One token's relative gap |Σ balances − supply| / max(Σ |balances|, |supply|, 1): relative to the
   * amounts in play, so that float rounding reads about 1e-16 whatever the token's scale — but never
   * relative to less than one token unit. A token traded only on the CEX (supply 0) whose positions
   * were all unwound holds rounding residues of ~1e-14 against a scale of the same size (gap 1);
   * below one unit the gap is in effect absolute, and such dust passes.
   */
  tokenGap(t: number): { gap: number; sum: number; supply: number } {
    const n = this.tokenCount;
    const accounts = this.accounts.length;
    let sum = 0;
    let scale = 0;
    for (let a = 0; a < accounts; a++) {
      const b = this.bal[a * n + t]!;
      sum += b;
      scale += Math.abs(b);
    }
    const supply = this.supply[t]!;
    return { gap: Math.abs(sum - supply) / Math.max(scale, Math.abs(supply), 1), sum, supply };
  }

  /**
   * Conservation of what moved since `mark` (audit mode, before the journal is committed): per token,
   * Σ (balance now − balance at the mark) over the cells written against the supply's change. The gap
   * is relative to the amounts in those cells only, so a leak of $500 shows in a world holding 1e12
   * of the token, which the whole-ledger check (relative to Σ |balances|) cannot see.
   * Returns the worst token, or -1 with gap 0 when nothing is out.
   */
  flowGap(mark: number): { token: number; gap: number; moved: number; minted: number } {
    const n = this.tokenCount;
    const idx = this.jIdx;
    const old = this.jOld;
    // Scratch reused across calls: the check runs after every transaction.
    if (this.flowSeen === null) this.flowSeen = new Uint8Array(this.auxBase + n);
    const seen = this.flowSeen;
    const moved = (this.flowMoved ??= new Float64Array(n));
    const minted = (this.flowMinted ??= new Float64Array(n));
    const scale = (this.flowScale ??= new Float64Array(n));
    moved.fill(0);
    minted.fill(0);
    scale.fill(0);
    const end = this.jLen;
    for (let j = mark; j < end; j++) {
      const i = idx[j]!;
      // Exact cells mirror into float cells, which are journaled too; auxiliary cells are not balances.
      if (i >= this.auxBase) continue;
      const slot = i >= 0 ? i : this.auxBase + ~i;
      if (seen[slot] === 1) continue;
      seen[slot] = 1;
      const before = old[j]!;
      const now = i >= 0 ? this.bal[i]! : this.supply[~i]!;
      const t = i >= 0 ? i % n : ~i;
      if (i >= 0) moved[t] = moved[t]! + (now - before);
      else minted[t] = minted[t]! + (now - before);
      scale[t] = scale[t]! + Math.max(Math.abs(now), Math.abs(before));
    }
    for (let j = mark; j < end; j++) {
      const i = idx[j]!;
      if (i < this.auxBase) seen[i >= 0 ? i : this.auxBase + ~i] = 0;
    }
    let worst = { token: -1, gap: 0, moved: 0, minted: 0 };
    for (let t = 0; t < n; t++) {
      if (scale[t] === 0) continue;
      const gap = Math.abs(moved[t]! - minted[t]!) / scale[t]!;
      if (!(gap <= worst.gap) && worst.gap === worst.gap) worst = { token: t, gap, moved: moved[t]!, minted: minted[t]! };
    }
    return worst;
  }
  private flowSeen: Uint8Array | null = null;
  private flowMoved: Float64Array | null = null;
  private flowMinted: Float64Array | null = null;
  private flowScale: Float64Array | null = null;

  /** First (account, token) holding a negative or non-finite balance where that is not allowed, or -1. */
  findBadBalance(): number {
    const n = this.tokenCount;
    const bal = this.bal;
    for (let i = 0; i < this.auxBase; i++) {
      const b = bal[i]!;
      if (b !== b || b === Infinity || b === -Infinity) return i;
      if (b < 0 && this.mayGoNegative[(i / n) | 0] === 0) return i;
    }
    return -1;
  }
}
