/**
 * The block builder: collect what it can see, order it by the chain's rule, execute until the block
 * gas limit. A sender's transactions execute in nonce order: one whose nonce is ahead of its
 * account's waits (a gap) and runs as soon as its predecessor has — at once if it outranks what is
 * left, as geth's miner does with each account's next transaction; one whose nonce is already used is
 * dropped (NONCE_USED). Bundles are ordered and executed as units, all or nothing: if any of their
 * transactions reverts, is invalid, is out of nonce order or was already included, the whole bundle
 * is undone and dropped (as Flashbots). A pipeline of plain steps — collect → order → execute.
 */
import type { Ordering } from './config';
import type { Executor } from './execute';
import type { Ledger } from './ledger';
import { List } from './list';
import type { Bundle, Mempool } from './mempool';
import type { MevMeter } from './mev';
import { tieDraw } from './rng';
import { Revert, TxStatus, unrun, type Tx } from './tx';

type Unit = Tx | Bundle;

/** Effective priority fee per gas of a transaction at a base fee: min(priority fee, max fee − base fee). */
export function effectivePriority(tx: Tx, baseFee: number): number {
  const room = tx.maxFee - baseFee;
  return tx.priorityFee < room ? tx.priorityFee : room;
}

/**
 * Ordering score of a bundle: the priority payment of its own transactions per unit of all its gas,
 * Σ own (effective priority × gas limit) / Σ all gas limits — others' transactions in it add gas but
 * pay the proposer nothing the searcher offers. Gas limits stand for gas (the builder ranks before it
 * executes). 0 if a member is gone (the bundle will fail).
 */
export function bundleScore(b: Bundle, baseFee: number): number {
  let paid = 0;
  let gas = 0;
  for (let k = 0; k < b.size; k++) {
    const tx = b.member(k);
    if (tx === null) return 0;
    if (tx.bundle === b.id) paid += effectivePriority(tx, baseFee) * tx.gasLimit;
    gas += tx.gasLimit;
  }
  return gas > 0 ? paid / gas : 0;
}

/**
 * Does `a` go before `b` under the rule? `priority`: effective priority, then arrival, then the
 * seeded tie draw; `fcfs`: arrival, then the draw; `random`: the draw alone (independent uniform
 * keys: a uniformly random order). Arrival is the time, then the reaction depth at that instant: a
 * transaction sent with no delay the moment its sender saw another arrive came after it, though at
 * the same time (causality, not a tie). Never agent index, file order or arrival sequence.
 */
function before(a: Unit, b: Unit, rule: number): boolean {
  if (rule !== RANDOM) {
    if (rule === PRIORITY && a.effectivePriority !== b.effectivePriority) return a.effectivePriority > b.effectivePriority;
    if (a.arrivalTime !== b.arrivalTime) return a.arrivalTime < b.arrivalTime;
    if (a.reaction !== b.reaction) return a.reaction < b.reaction;
  }
  return tieOf(a) < tieOf(b);
}

/**
 * A transaction's tie draw is made when a comparison first needs it (most blocks order by fee and
 * arrival alone): `collect` marks it undrawn (-1) and leaves the key here. The draw is a pure hash,
 * so when it is made changes nothing.
 */
let tieSeed = 0;
let tieBlock = 0;
let tieKeys: Uint32Array = new Uint32Array(0);

function tieOf(u: Unit): number {
  if (u.tie < 0) u.tie = tieDraw(tieSeed, tieBlock, tieKeys[(u as Tx).agent]!, (u as Tx).nonce);
  return u.tie;
}

const PRIORITY = 0;
const FCFS = 1;
const RANDOM = 2;
const RULES: Record<Ordering, number> = { priority: PRIORITY, fcfs: FCFS, random: RANDOM };
const RULE_NAMES: readonly Ordering[] = ['priority', 'fcfs', 'random'];

/**
 * Order the first `n` units in place by the rule: insertion sort (blocks hold few transactions, and
 * it allocates nothing, unlike Array.prototype.sort). Units' `tie` draws must be set, or -1 for a
 * transaction of the block last collected (drawn when needed, see `tieOf`).
 */
export function orderUnits(units: Unit[], n: number, rule: Ordering): void {
  orderByCode(units, n, RULES[rule]);
}

function orderByCode(units: Unit[], n: number, r: number): void {
  for (let i = 1; i < n; i++) {
    const x = units[i]!;
    let j = i - 1;
    while (j >= 0 && before(x, units[j]!, r)) {
      units[j + 1] = units[j]!;
      j--;
    }
    units[j + 1] = x;
  }
}

export class Builder {
  private readonly units = new List<Unit>();
  private ruleCode = PRIORITY;
  /** Transactions met ahead of their sender's nonce in this block, in rank order. */
  private readonly deferred = new List<Tx>();
  /** Gas used by the last block built. */
  gasUsed = 0;
  /** Transactions included (reverted ones too) in the last block. */
  included = 0;
  reverted = 0;
  /** Called after each transaction is executed (the kernel's invariant checks), or null. */
  afterTx: ((tx: Tx, mark: number) => void) | null = null;
  /** Measures MEV at execution (sim/mev.ts), or null. */
  meter: MevMeter | null = null;

  /**
   * @param nonces account nonces by agent (next expected), shared with the kernel: the builder moves them.
   * @param seedKey, senderKeys hashes of the seed and of each agent's id, for the tie draw.
   */
  constructor(
    /** The ordering rule and the block gas limit (changed only between blocks, by a fork: Kernel.reconfigureChain). */
    rule: Ordering,
    public gasLimit: number,
    private readonly ledger: Ledger,
    private readonly nonces: Float64Array,
    private readonly seedKey: number,
    private readonly senderKeys: Uint32Array,
  ) {
    this.rule = rule;
  }

  /** The ordering rule, kept as its code: the configured string is a copy, slow to look up each block. */
  get rule(): Ordering {
    return RULE_NAMES[this.ruleCode]!;
  }
  set rule(rule: Ordering) {
    const code = RULES[rule];
    if (code === undefined) throw new Error(`unknown ordering '${rule}'`);
    this.ruleCode = code;
  }

  /**
   * Collect the candidates for `block`: arrived transactions whose max fee covers the base fee, and bundles targeting it.
   * The base fee is read from `fees` here: a double passed as an argument to a call V8 does not inline is boxed.
   */
  collect(mempool: Mempool, block: number, fees: { readonly baseFee: number }): List<Unit> {
    const baseFee = fees.baseFee;
    const units = this.units;
    units.clear();
    const pending = mempool.pending.items;
    const seed = this.seedKey;
    const keys = this.senderKeys;
    tieSeed = seed;
    tieBlock = block;
    tieKeys = keys;
    const n = mempool.pending.size;
    for (let i = 0; i < n; i++) {
      const tx = pending[i]!;
      if (tx.maxFee < baseFee || tx.status !== TxStatus.Pending) continue;
      tx.effectivePriority = effectivePriority(tx, baseFee);
      tx.tie = -1;
      units.push(tx);
    }
    if (mempool.bundles.length === 0) return units;
    for (const b of mempool.bundles) {
      if (b.targetBlock !== block) continue;
      b.effectivePriority = bundleScore(b, baseFee);
      b.tie = tieDraw(seed, block, keys[b.agent]! ^ 0x5bd1e995, firstOwnNonce(b));
      units.push(b);
    }
    return units;
  }

  /** Build one block: collect, order, execute. Final transactions are left for the mempool to compact. */
  build(mempool: Mempool, ex: Executor, block: number): void {
    const list = this.collect(mempool, block, ex);
    const units = list.items;
    const n = list.size;
    if (n > 1) orderByCode(units, n, this.ruleCode);
    this.gasUsed = 0;
    this.included = 0;
    this.reverted = 0;
    this.deferred.clear();
    for (let u = 0; u < n; u++) {
      const unit = units[u]!;
      if (unit.isBundle) {
        const g = this.runBundle(unit, ex, this.gasLimit - this.gasUsed);
        if (g < 0) continue;
        this.gasUsed += g;
        for (let k = 0; k < unit.size; k++) {
          const tx = unit.member(k)!;
          this.included++;
          if (tx.status === TxStatus.Reverted) this.reverted++;
        }
        for (let k = 0; k < unit.size; k++) this.pull(unit.member(k)!.agent, ex);
        continue;
      }
      if (unit.status === TxStatus.Pending) this.offer(unit, ex);
    }
    if (mempool.bundles.length > 0) this.closeBundles(mempool, block);
  }

  /** Execute `tx` if its nonce is its sender's next; defer it if ahead, drop it if behind. */
  private offer(tx: Tx, ex: Executor): void {
    const expected = this.nonces[tx.agent]!;
    if (tx.nonce > expected) {
      this.deferred.push(tx);
      return;
    }
    if (tx.nonce < expected) {
      tx.status = TxStatus.Dropped;
      tx.revert = Revert.NonceUsed;
      return;
    }
    if (this.gasUsed + tx.gasLimit > this.gasLimit) return;
    const before = this.ledger.mark();
    const ran = this.meter === null ? ex.run(tx) : this.meter.run(ex, tx);
    if (this.afterTx !== null) this.afterTx(tx, before);
    if (!ran) return;
    this.nonces[tx.agent]!++;
    this.gasUsed += tx.gasUsed;
    this.included++;
    if ((tx.status as number) === TxStatus.Reverted) this.reverted++;
    this.pull(tx.agent, ex);
  }

  /** The sender's nonce moved: a deferred transaction that now comes next outranks everything left, so it runs now. */
  private pull(agent: number, ex: Executor): void {
    const d = this.deferred;
    if (d.size === 0) return;
    const next = this.nonces[agent]!;
    for (let k = 0; k < d.size; k++) {
      const tx = d.items[k]!;
      if (tx.agent !== agent || tx.nonce !== next || tx.status !== TxStatus.Pending) continue;
      for (let j = k + 1; j < d.size; j++) d.items[j - 1] = d.items[j]!;
      d.size--;
      this.offer(tx, ex);
      return;
    }
  }

  /** Execute a bundle atomically; returns its gas, or -1 if it was undone. */
  private runBundle(b: Bundle, ex: Executor, room: number): number {
    let need = 0;
    for (let k = 0; k < b.size; k++) {
      const tx = b.member(k);
      // A named transaction gone (included, dropped, recycled) fails the bundle; like a lone
      // transaction, a bundle cannot pay less than the base fee.
      if (tx === null || tx.status !== TxStatus.Pending || tx.maxFee < ex.baseFee) return -1;
      need += tx.gasLimit;
    }
    if (need > room) return -1;
    const journaled = this.ledger.journaling;
    this.ledger.journaling = true;
    const mark = this.ledger.mark();
    const position = ex.position;
    const metered = this.meter !== null && this.meter.beginBundle(b, ex);
    // Routing victim → bundler needs the meter's losses, so only a metered bundle is noted.
    const routed = metered && ex.transfers !== null;
    if (routed) ex.transfers!.beginBundle(b.agent);
    let gas = 0;
    let ok = true;
    let ran = 0;
    let ownSeen = false;
    for (let k = 0; k < b.size; k++) {
      const tx = b.member(k)!;
      if (tx.nonce !== this.nonces[tx.agent]) {
        ok = false;
        break;
      }
      const before = this.ledger.mark();
      // A victim's transfers are `mev` (others' transactions after one of the bundler's own legs).
      const own = tx.bundle === b.id || tx.agent === b.agent;
      if (ex.transfers !== null) ex.transfers.victim = ownSeen && !own;
      if (own) ownSeen = true;
      const valid = ex.run(tx);
      if (ex.transfers !== null) ex.transfers.victim = false;
      if (this.afterTx !== null) this.afterTx(tx, before);
      if (!valid) {
        ok = false;
        break;
      }
      this.nonces[tx.agent]!++;
      ran++;
      if (tx.status !== TxStatus.Included) {
        ok = false;
        break;
      }
      gas += tx.gasUsed;
    }
    if (routed) ex.transfers!.stopBundle();
    if (ok) {
      if (metered) this.meter!.endBundle(b);
      if (routed) ex.transfers!.endBundle(b.agent, this.meter!.victim, this.meter!.loss);
      this.ledger.journaling = journaled;
      b.targetBlock = -1;
      return gas;
    }
    this.ledger.rollback(mark);
    this.ledger.journaling = journaled;
    ex.position = position;
    for (let k = 0; k < ran; k++) this.nonces[b.member(k)!.agent]!--;
    for (let k = 0; k < b.size; k++) {
      const tx = b.member(k)!;
      // Others' transactions go back to the mempool untouched; the searcher's are dropped below.
      unrun(tx);
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
      for (let k = 0; k < b.size; k++) {
        // Own members are live until their receipts, so never null here.
        const tx = b.member(k);
        if (tx === null || tx.bundle !== b.id) continue;
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

/** Nonce of a bundle's first own transaction (its key for the tie draw), or its id if it has none. */
function firstOwnNonce(b: Bundle): number {
  for (let k = 0; k < b.size; k++) {
    const tx = b.member(k);
    if (tx !== null && tx.bundle === b.id) return tx.nonce;
  }
  return b.id;
}
