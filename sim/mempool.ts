/**
 * The mempool: transactions that have reached the builder's side (public ones visible to everyone
 * after their observation latency, private ones to the builder only), and searchers' bundles.
 * Replacement follows geth: same sender and nonce, both fees raised by at least the minimum bump.
 * A transaction still waiting `ttl` blocks after it could first be included expires.
 */
import { List } from './list';
import { Revert, TxStatus, type Tx } from './tx';

/**
 * A searcher's bundle. It names its members by transaction id: the objects are pooled and recycled
 * once final and receipted, so a member is read only through `member(k)`, which returns null when
 * the object now carries another id (the transaction it named is gone) — a bundle can never execute
 * an unrelated transaction that reused the object.
 */
export class Bundle {
  readonly isBundle = true;
  id = 0;
  agent = 0;
  /** The other agent's transaction it was built around (the first named by id), or -1. */
  victim = -1;
  /** That transaction's sender — a sandwich's victim, a back-run's or an adversary's target — or -1. */
  target = -1;
  private readonly refs: Tx[] = [];
  private readonly ids: number[] = [];
  arrivalTime = 0;
  /** Reaction depth at its arrival instant, as a transaction's (tx.ts `reaction`). */
  reaction = 0;
  /** Ordering score: see builder.ts `bundleScore`. */
  effectivePriority = 0;
  /** The builder's seeded tie-break draw for this block. */
  tie = 0;
  /** Block the bundle targets; it is dropped if not included there. */
  targetBlock = 0;

  /** Number of members, in execution order: the searcher's own transactions and others' pending ones. */
  get size(): number {
    return this.ids.length;
  }

  add(tx: Tx): void {
    this.refs.push(tx);
    this.ids.push(tx.id);
  }

  /** Member k, or null if the transaction it names no longer exists. */
  member(k: number): Tx | null {
    const tx = this.refs[k]!;
    return tx.id === this.ids[k] ? tx : null;
  }
}

export class Mempool {
  /** Single transactions that have arrived, in arrival order. */
  readonly pending = new List<Tx>();
  readonly bundles: Bundle[] = [];
  /** Transactions that became final since the last receipts, for receipts. */
  readonly finalized = new List<Tx>();

  constructor(
    /** Minimum fee bump of a replacement (changed only between blocks, by a fork). */
    public minBump: number,
    /** Account nonces by agent (next expected), shared with the kernel and the builder. */
    private readonly nonces: Float64Array,
    /** Blocks a transaction may wait before it expires. */
    readonly ttl: number,
  ) {}

  /** A transaction arrives; `block` is the first block it can enter. */
  add(tx: Tx, block: number): void {
    tx.status = TxStatus.Pending;
    tx.firstBlock = block;
    this.pending.push(tx);
  }

  addBundle(b: Bundle): void {
    this.bundles.push(b);
  }

  /** A public or private single transaction still waiting, by id. */
  find(id: number): Tx | undefined {
    const p = this.pending.items;
    for (let i = 0; i < this.pending.size; i++) if (p[i]!.id === id && p[i]!.status === TxStatus.Pending) return p[i];
    return undefined;
  }

  /**
   * Replace a pending transaction by one of the same sender and nonce whose priority fee and max fee
   * are both strictly higher, each by at least the bump (geth). The old one leaves the mempool as
   * dropped (REPLACED). Returns false if the replacement is refused.
   */
  replace(old: Tx, next: Tx): boolean {
    if (old.status !== TxStatus.Pending || old.agent !== next.agent || old.nonce !== next.nonce) return false;
    if (!(next.priorityFee > old.priorityFee && next.maxFee > old.maxFee)) return false;
    // Compare the raise itself, with a relative slack (3 → 3.3 is exactly +10%, though 3 × 1.1 > 3.3 in floats).
    const slack = 1 - 1e-12;
    if (next.priorityFee - old.priorityFee < old.priorityFee * this.minBump * slack) return false;
    if (next.maxFee - old.maxFee < old.maxFee * this.minBump * slack) return false;
    old.status = TxStatus.Dropped;
    old.revert = Revert.Replaced;
    return true;
  }

  /**
   * After block `block`: move every transaction that is no longer pending into `finalized`, keeping
   * arrival order. A waiting one whose nonce its sender has used since is dropped (NONCE_USED); one
   * that has waited `ttl` blocks expires (EXPIRED), paying nothing.
   */
  compact(block: number): void {
    const p = this.pending.items;
    const n = this.pending.size;
    const ttl = this.ttl;
    let j = 0;
    for (let i = 0; i < n; i++) {
      const tx = p[i]!;
      if (tx.status === TxStatus.Pending) {
        if (tx.nonce < this.nonces[tx.agent]!) {
          tx.status = TxStatus.Dropped;
          tx.revert = Revert.NonceUsed;
        } else if (block - tx.firstBlock + 1 >= ttl) {
          tx.status = TxStatus.Dropped;
          tx.revert = Revert.Expired;
        } else {
          p[j++] = tx;
          continue;
        }
      }
      this.finalized.push(tx);
    }
    this.pending.size = j;
  }
}
