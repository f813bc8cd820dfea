/**
 * The mempool: transactions that have reached the builder's side (public ones visible to everyone
 * after their observation latency, private ones to the builder only), and searchers' bundles.
 * Replacement follows geth: same sender, fee raised by at least the minimum bump.
 */
import { List } from './list';
import { Revert, TxStatus, type Tx } from './tx';

export class Bundle {
  readonly isBundle = true;
  id = 0;
  agent = 0;
  /** Transactions in execution order: the searcher's own and others' pending ones. */
  readonly txs: Tx[] = [];
  arrivalTime = 0;
  seq = 0;
  /** Ordering score: gas-weighted priority fee of the searcher's own transactions. */
  effectivePriority = 0;
  /** Block the bundle targets; it is dropped if not included there. */
  targetBlock = 0;
}

export class Mempool {
  /** Single transactions that have arrived, in arrival order. */
  readonly pending = new List<Tx>();
  readonly bundles: Bundle[] = [];
  /** Transactions that became final since the last receipts, for receipts. */
  readonly finalized = new List<Tx>();
  private seq = 0;

  constructor(private readonly minBump: number) {}

  nextSeq(): number {
    return this.seq++;
  }

  add(tx: Tx): void {
    tx.status = TxStatus.Pending;
    tx.seq = this.seq++;
    this.pending.push(tx);
  }

  addBundle(b: Bundle): void {
    b.seq = this.seq++;
    this.bundles.push(b);
  }

  find(id: number): Tx | undefined {
    const p = this.pending.items;
    for (let i = 0; i < this.pending.size; i++) if (p[i]!.id === id && p[i]!.status === TxStatus.Pending) return p[i];
    return undefined;
  }

  /**
   * Replace a pending transaction by one of the same sender with fees raised by at least the bump.
   * The old one leaves the mempool as dropped (REPLACED). Returns false if the replacement is refused.
   */
  replace(old: Tx, next: Tx): boolean {
    if (old.status !== TxStatus.Pending || old.agent !== next.agent) return false;
    // Compare the raise itself, with a relative slack (3 → 3.3 is exactly +10%, though 3 × 1.1 > 3.3 in floats).
    const slack = 1 - 1e-12;
    if (next.priorityFee - old.priorityFee < old.priorityFee * this.minBump * slack) return false;
    if (next.maxFee - old.maxFee < old.maxFee * this.minBump * slack) return false;
    old.status = TxStatus.Dropped;
    old.revert = Revert.Replaced;
    return true;
  }

  /** Move every transaction that is no longer pending into `finalized`, keeping arrival order. */
  compact(): void {
    const p = this.pending.items;
    const n = this.pending.size;
    let j = 0;
    for (let i = 0; i < n; i++) {
      const tx = p[i]!;
      if (tx.status === TxStatus.Pending) p[j++] = tx;
      else this.finalized.push(tx);
    }
    this.pending.size = j;
  }
}
