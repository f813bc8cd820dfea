/**
 * The block builder: collect what it can see, order it by the chain's rule, execute until the block
 * gas limit. Bundles are ordered and executed as units, all or nothing: if any of their transactions
 * reverts, is invalid or was already included, the whole bundle is undone and dropped (as Flashbots).
 * A pipeline of plain steps — collect → order → execute — each testable alone.
 */
import type { Ordering } from './config';
import type { Executor } from './execute';
import type { Ledger } from './ledger';
import { List } from './list';
import type { Bundle, Mempool } from './mempool';
import type { MevMeter } from './mev';
import type { Stream } from './rng';
import { Revert, TxStatus, type Tx } from './tx';

type Unit = Tx | Bundle;

/** Effective priority fee per gas of a transaction at a base fee: min(priority fee, max fee − base fee). */
export function effectivePriority(tx: Tx, baseFee: number): number {
  const room = tx.maxFee - baseFee;
  return tx.priorityFee < room ? tx.priorityFee : room;
}

/** Ordering score of a bundle: its own transactions' priority fees, weighted by gas, over all its gas. */
export function bundleScore(b: Bundle, baseFee: number): number {
  let paid = 0;
  let gas = 0;
  for (const tx of b.txs) {
    if (tx.bundle === b.id) paid += effectivePriority(tx, baseFee) * tx.gasLimit;
    gas += tx.gasLimit;
  }
  return gas > 0 ? paid / gas : 0;
}

/** Does `a` go before `b` under the rule? Ties in time fall to arrival order (sequence). */
function before(a: Unit, b: Unit, rule: number): boolean {
  if (rule === PRIORITY && a.effectivePriority !== b.effectivePriority) return a.effectivePriority > b.effectivePriority;
  if (rule !== RANDOM && a.arrivalTime !== b.arrivalTime) return a.arrivalTime < b.arrivalTime;
  return a.seq < b.seq;
}

const PRIORITY = 0;
const FCFS = 1;
const RANDOM = 2;
const RULES: Record<Ordering, number> = { priority: PRIORITY, fcfs: FCFS, random: RANDOM };

/**
 * Order the first `n` units in place by the rule: insertion sort (blocks hold few transactions, and
 * it allocates nothing, unlike Array.prototype.sort). `random` shuffles the arrival order with the
 * builder's own stream.
 */
export function orderUnits(units: Unit[], n: number, rule: Ordering, rng: Stream): void {
  const r = RULES[rule];
  for (let i = 1; i < n; i++) {
    const x = units[i]!;
    let j = i - 1;
    while (j >= 0 && before(x, units[j]!, r)) {
      units[j + 1] = units[j]!;
      j--;
    }
    units[j + 1] = x;
  }
  if (r === RANDOM) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = units[i]!;
      units[i] = units[j]!;
      units[j] = t;
    }
  }
}

export class Builder {
  private readonly units = new List<Unit>();
  /** Gas used by the last block built. */
  gasUsed = 0;
  /** Transactions included (reverted ones too) in the last block. */
  included = 0;
  reverted = 0;
  /** Called after each transaction is executed (the kernel's invariant checks), or null. */
  afterTx: ((tx: Tx, mark: number) => void) | null = null;
  /** Measures MEV at execution (sim/mev.ts), or null. */
  meter: MevMeter | null = null;

  constructor(
    private readonly rule: Ordering,
    private readonly rng: Stream,
    private readonly gasLimit: number,
    private readonly ledger: Ledger,
  ) {}

  /** Collect the candidates for `block`: arrived transactions whose max fee covers the base fee, and bundles targeting it. */
  collect(mempool: Mempool, block: number, baseFee: number): List<Unit> {
    const units = this.units;
    units.clear();
    const pending = mempool.pending.items;
    for (let i = 0; i < mempool.pending.size; i++) {
      const tx = pending[i]!;
      if (tx.maxFee < baseFee || tx.status !== TxStatus.Pending) continue;
      tx.effectivePriority = effectivePriority(tx, baseFee);
      units.push(tx);
    }
    if (mempool.bundles.length === 0) return units;
    for (const b of mempool.bundles) {
      if (b.targetBlock !== block) continue;
      b.effectivePriority = bundleScore(b, baseFee);
      units.push(b);
    }
    return units;
  }

  /** Build one block: collect, order, execute. Final transactions are left for the mempool to compact. */
  build(mempool: Mempool, ex: Executor, block: number): void {
    const list = this.collect(mempool, block, ex.baseFee);
    const units = list.items;
    const n = list.size;
    if (n > 1) orderUnits(units, n, this.rule, this.rng);
    let used = 0;
    let included = 0;
    let reverted = 0;
    for (let u = 0; u < n; u++) {
      const unit = units[u]!;
      if (unit.isBundle) {
        const g = this.runBundle(unit, ex, this.gasLimit - used);
        if (g >= 0) {
          used += g;
          for (const tx of unit.txs) {
            included++;
            if (tx.status === TxStatus.Reverted) reverted++;
          }
        }
        continue;
      }
      if (unit.status !== TxStatus.Pending || used + unit.gasLimit > this.gasLimit) continue;
      const before = this.ledger.mark();
      const ran = this.meter === null ? ex.run(unit) : this.meter.run(ex, unit);
      if (this.afterTx !== null) this.afterTx(unit, before);
      if (ran) {
        used += unit.gasUsed;
        included++;
        if ((unit.status as number) === TxStatus.Reverted) reverted++;
      }
    }
    this.gasUsed = used;
    this.included = included;
    this.reverted = reverted;
    if (mempool.bundles.length > 0) this.closeBundles(mempool, block);
  }

  /** Execute a bundle atomically; returns its gas, or -1 if it was undone. */
  private runBundle(b: Bundle, ex: Executor, room: number): number {
    let need = 0;
    for (const tx of b.txs) {
      // Like a lone transaction, a bundle cannot pay less than the base fee.
      if (tx.status !== TxStatus.Pending || tx.maxFee < ex.baseFee) return -1;
      need += tx.gasLimit;
    }
    if (need > room) return -1;
    const journaled = this.ledger.journaling;
    this.ledger.journaling = true;
    const mark = this.ledger.mark();
    const position = ex.position;
    const metered = this.meter !== null && this.meter.beginBundle(b, ex);
    let gas = 0;
    let ok = true;
    for (const tx of b.txs) {
      const before = this.ledger.mark();
      const ran = ex.run(tx);
      if (this.afterTx !== null) this.afterTx(tx, before);
      if (!ran || tx.status !== TxStatus.Included) {
        ok = false;
        break;
      }
      gas += tx.gasUsed;
    }
    if (ok) {
      if (metered) this.meter!.endBundle(b);
      this.ledger.journaling = journaled;
      b.targetBlock = -1;
      return gas;
    }
    this.ledger.rollback(mark);
    this.ledger.journaling = journaled;
    ex.position = position;
    for (const tx of b.txs) {
      // Others' transactions go back to the mempool untouched; the searcher's are dropped below.
      tx.status = TxStatus.Pending;
      tx.revert = Revert.None;
      tx.block = -1;
      tx.position = -1;
      tx.gasUsed = 0;
      tx.gasCostUsd = 0;
      tx.failedCall = -1;
    }
    return -1;
  }

  /** Bundles for this block are done: included ones leave, the others' own transactions are dropped. */
  private closeBundles(mempool: Mempool, block: number): void {
    const bundles = mempool.bundles;
    let j = 0;
    for (let i = 0; i < bundles.length; i++) {
      const b = bundles[i]!;
      if (b.targetBlock > block) {
        bundles[j++] = b;
        continue;
      }
      for (const tx of b.txs) {
        if (tx.bundle !== b.id) continue;
        if (b.targetBlock !== -1) {
          tx.status = TxStatus.Dropped;
          tx.revert = Revert.BundleFailed;
        }
        mempool.finalized.push(tx);
      }
    }
    bundles.length = j;
  }
}
