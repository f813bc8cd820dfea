/**
 * Delivery: everything that moves between agents and the chain outside block production — wake-ups,
 * agents' calls, dispatching what they sent (after their latencies), arrivals in the mempool,
 * mempool observations, bundles, and receipts back to senders. The kernel's event loop calls it; it
 * knows no agent kind.
 */
import type { Agent } from './agent';
import type { AgentTable } from './agent-table';
import { fillCexOrder } from './cex';
import { ConfigError, SimulationFault } from './errors';
import { EventKind, type EventQueue } from './event-queue';
import type { Kernel } from './kernel';
import { Bundle, type Mempool } from './mempool';
import type { KernelOutbox } from './outbox';
import { Revert, TxStatus, type Tx, type TxPool } from './tx';
import type { KernelView } from './view';

export class Delivery {
  private readonly agents: readonly Agent[];
  private readonly table: AgentTable;
  private readonly queue: EventQueue;
  private readonly mempool: Mempool;
  private readonly outbox: KernelOutbox;
  private readonly view: KernelView;
  private readonly txPool: TxPool;
  /** Whether anyone listens to 'tx', sampled when a run starts. */
  txListeners = false;
  /**
   * Reaction depth of the event being handled (see tx.ts `reaction`): that of the transaction an agent
   * observes at the instant it arrived, else 0. What an agent sends with no delay arrives one deeper.
   */
  reaction = 0;
  private bundleIds = 0;
  /** Scratch for nextNonce: which nonces above the account's are held. */
  private nonceMarks = new Uint8Array(16);
  /**
   * Per agent, 1 where a latency model always gives 0 (a fixed 0, or a uniform over [0, 0], whose
   * draws from its own stream nothing else reads): its sample is skipped.
   */
  private readonly zeroNetwork: Uint8Array;
  private readonly zeroReceipt: Uint8Array;

  constructor(private readonly k: Kernel) {
    this.agents = k.agents;
    this.table = k.table;
    this.queue = k.queue;
    this.mempool = k.mempool;
    this.outbox = k.outbox;
    this.view = k.view;
    this.txPool = k.txPool;
    const t = k.table;
    this.zeroNetwork = Uint8Array.from(t.network, (m) => (m.max === 0 ? 1 : 0));
    this.zeroReceipt = Uint8Array.from(t.receiptLatency, (m) => (m.max === 0 ? 1 : 0));
  }

  /** Queue agent i's next wake-up on its schedule, from now. */
  scheduleWake(i: number): void {
    const table = this.table;
    // Times travel through number fields, not arguments or return values (which V8 boxes across calls it does not inline).
    table.wakeFrom = this.k.time;
    if (!table.planWake(i)) return;
    const q = this.queue;
    q.pushTime = table.wakeTime;
    q.pushAt(EventKind.Wake, i, null);
  }

  wake(i: number): void {
    this.act(i);
    this.scheduleWake(i);
  }

  /** Let agent `i` act now and send what it decided. */
  act(i: number): void {
    const a = this.agents[i]!;
    if (a.act) {
      this.enter(i);
      try {
        a.act(this.view, this.outbox);
      } catch (e) {
        throw this.agentFault(i, e);
      }
    }
    if (this.outbox.queued !== 0) this.dispatch(i);
  }

  /** Every-block agents act just before the block is built, in order (`act` for each, its loads hoisted). */
  actAll(list: readonly number[]): void {
    const agents = this.agents;
    const view = this.view;
    const out = this.outbox;
    for (let j = 0; j < list.length; j++) {
      const i = list[j]!;
      const a = agents[i]!;
      if (a.act) {
        view.self = i;
        out.begin(i);
        try {
          a.act(view, out);
        } catch (e) {
          throw this.agentFault(i, e);
        }
      }
      if (out.queued !== 0) this.dispatch(i);
    }
  }

  /**
   * Transactions final in this block (or dropped since the last one): count them, show them to
   * observers, and send each sender its receipt — at once if its network latency is zero, else after
   * a delay drawn from it (the transaction stays live, not recycled, until then).
   */
  receipts(): void {
    const fin = this.mempool.finalized;
    const emit = this.txListeners;
    const table = this.table;
    const included = table.included;
    const latency = table.receiptLatency;
    const zero = this.zeroReceipt;
    // Receipts handled now may make agents send transactions that are dropped at once (and appended).
    for (let j = 0; j < fin.size; j++) {
      const tx = fin.get(j);
      const i = tx.agent;
      const status = tx.status;
      if (status === TxStatus.Included) included[i]!++;
      else if (status === TxStatus.Reverted) {
        included[i]!++;
        table.reverted[i]!++;
      } else table.dropped[i]!++;
      if (emit) this.k.events.emit('tx', tx);
      const delay = zero[i] === 1 ? 0 : latency[i]!.sample();
      if (delay === 0) this.deliver(tx);
      else {
        const q = this.queue;
        q.pushTime = this.k.time + delay;
        q.pushAt(EventKind.Receipt, i, tx);
      }
    }
    fin.clear();
  }

  /** The sender learns the outcome: the transaction leaves its pending list, its hook runs, and the object may be recycled. */
  deliver(tx: Tx): void {
    const i = tx.agent;
    const live = this.table.live[i]!;
    // Receipts mostly come back in send order: the oldest first.
    const k = live.length > 0 && live[0] === tx ? 0 : live.indexOf(tx);
    if (k >= 0) {
      // Shift down and pop, keeping send order (splice would allocate its result).
      for (let j = k + 1; j < live.length; j++) live[j - 1] = live[j]!;
      live.pop();
    }
    const a = this.agents[i]!;
    if (a.onReceipt) {
      this.enter(i);
      try {
        a.onReceipt(this.view, this.outbox, tx);
      } catch (e) {
        throw this.agentFault(i, e);
      }
      if (this.outbox.queued !== 0) this.dispatch(i);
    }
    if (--tx.refs === 0) this.txPool.give(tx);
  }

  /**
   * The nonce a wallet gives agent i's next transaction: the lowest at or above its account nonce
   * that none of its transactions still waiting (in flight, pending, in a bundle, or created in this
   * call) holds — so a nonce freed by a dropped transaction is reused first. Final transactions hold
   * none: an included one's nonce is below the account nonce, a dropped one's is free again.
   */
  nextNonce(i: number): number {
    const base = this.table.nonce[i]!;
    const live = this.table.live[i]!;
    const created = this.outbox.agent === i ? this.outbox.created : null;
    const made = created === null ? 0 : created.size;
    if (made === 0) {
      if (live.length === 0) return base;
      // One live transaction (a sender that has one on its way): it holds base only if it holds its own nonce there.
      if (live.length === 1) {
        const t = live[0]!;
        return t.nonce === base && (t.status === TxStatus.InFlight || t.status === TxStatus.Pending) ? base + 1 : base;
      }
    }
    // The answer lies in [base, base + span): mark the nonces held there, take the first unmarked.
    const span = live.length + made + 1;
    if (this.nonceMarks.length < span) this.nonceMarks = new Uint8Array(2 * span);
    const marks = this.nonceMarks;
    marks.fill(0, 0, span);
    for (let k = 0; k < live.length; k++) {
      const t = live[k]!;
      const d = t.nonce - base;
      if (d >= 0 && d < span && (t.status === TxStatus.InFlight || t.status === TxStatus.Pending)) marks[d] = 1;
    }
    for (let k = 0; k < made; k++) {
      const d = created!.get(k).nonce - base;
      if (d >= 0 && d < span) marks[d] = 1;
    }
    let d = 0;
    while (marks[d] === 1) d++;
    return base + d;
  }

  /** Let agent i place its genesis calls (run by setup.ts). */
  callGenesis(i: number): void {
    this.enter(i);
    try {
      this.agents[i]!.genesis!(this.view, this.outbox);
    } catch (e) {
      throw this.agentFault(i, e);
    }
  }

  private enter(i: number): void {
    this.view.self = i;
    this.outbox.begin(i);
  }

  private agentFault(i: number, e: unknown): Error {
    if (e instanceof SimulationFault || e instanceof ConfigError) return e;
    const msg = e instanceof Error ? e.message : String(e);
    return new SimulationFault('AGENT_ERROR', this.k.blockNumber + 1, -1, `agent '${this.agents[i]!.id}' threw: ${msg}`, { agent: this.agents[i]!.id, cause: e });
  }

  /** Send what the agent put in its outbox: transactions and bundles after its network latency, CEX orders after its CEX latency. */
  private dispatch(i: number): void {
    const out = this.outbox;
    const created = out.created;
    // The common call: one transaction and nothing else (every list item was counted, so the others are empty).
    if (out.queued === 1 && created.size === 1) {
      out.queued = 0;
      created.size = 0;
      this.send(created.items[0]!, i);
      return;
    }
    out.queued = 0;
    if (out.bundles.length > 0) this.dispatchBundles(i);
    // Nothing below calls an agent: the list does not grow while it is sent.
    const n = created.size;
    for (let j = 0; j < n; j++) {
      const tx = created.get(j);
      if (tx.bundle < 0) this.send(tx, i);
    }
    created.clear();
    if (out.otcTokens.length > 0) out.settleOtc();
    const orders = out.cexOrders;
    for (let j = 0; j < orders.size; j++) {
      const o = orders.get(j);
      const delay = this.table.cexLatency[i]!.sample();
      if (delay === 0) fillCexOrder(this.k, o);
      else {
        const q = this.queue;
        q.pushTime = this.k.time + delay;
        q.pushAt(EventKind.CexFill, i, o);
      }
    }
    orders.clear();
  }

  /** A lone transaction of agent i leaves: after its network latency, or now (one reaction deeper). */
  private send(tx: Tx, i: number): void {
    this.prepare(tx);
    const delay = this.zeroNetwork[i] === 1 ? 0 : this.table.network[i]!.sample();
    tx.reaction = delay === 0 ? this.reaction + 1 : 0;
    if (delay === 0) this.arrive(tx);
    else {
      const q = this.queue;
      q.pushTime = this.k.time + delay;
      q.pushAt(EventKind.Arrival, i, tx);
    }
  }

  private prepare(tx: Tx): void {
    const k = this.k;
    if (tx.gasLimit === 0) tx.gasLimit = k.executor.gasEstimate(tx);
    // Wallet default: room for the base fee to double.
    if (tx.maxFee === 0) tx.maxFee = 2 * k.baseFee + tx.priorityFee;
    tx.submitTime = k.time;
    const agent = tx.agent;
    const table = this.table;
    table.sent[agent]!++;
    // Live until its receipt is delivered: in the sender's pending list, and not recycled.
    table.live[agent]!.push(tx);
    tx.refs++;
  }

  private dispatchBundles(i: number): void {
    const out = this.outbox;
    for (const parts of out.bundles) {
      const b = new Bundle();
      b.id = ++this.bundleIds;
      b.agent = i;
      // The transaction it was built around (a sandwich's or back-run's victim, an adversary's target).
      let victim = -1;
      for (const p of parts) if (typeof p === 'number' && victim < 0) victim = p;
      const aimed = victim < 0 ? undefined : this.k.findPending(victim);
      b.victim = victim;
      b.target = aimed === undefined ? -1 : aimed.agent;
      // Claim the agent's own parts first, so they are never also sent on their own.
      for (const p of parts) {
        if (typeof p === 'number') continue;
        const tx = p as Tx;
        if (tx.agent !== i || tx.bundle >= 0 || !out.created.toArray().includes(tx)) {
          throw new Error('a bundle may hold only transactions the agent created in the same call (each in one bundle), and other agents\u2019 pending transaction ids');
        }
        tx.bundle = b.id;
        tx.victim = victim;
        if (b.target >= 0) tx.target = b.target;
        tx.isPrivate = true;
        this.prepare(tx);
      }
      let missing = false;
      for (const p of parts) {
        const tx = typeof p === 'number' ? this.k.findPending(p) : (p as Tx);
        if (tx === undefined) missing = true;
        else b.add(tx);
      }
      if (missing) {
        // A named transaction is no longer pending: the bundle cannot be built.
        for (const p of parts) if (typeof p !== 'number') this.dropNow(p as Tx, Revert.BundleFailed);
        continue;
      }
      const delay = this.zeroNetwork[i] === 1 ? 0 : this.table.network[i]!.sample();
      b.reaction = delay === 0 ? this.reaction + 1 : 0;
      if (delay === 0) this.arriveBundle(b);
      else {
        const q = this.queue;
        q.pushTime = this.k.time + delay;
        q.pushAt(EventKind.BundleArrival, i, b);
      }
    }
    out.bundles.length = 0;
  }

  /** A bundle reaches the builder: it targets the next block. */
  arriveBundle(b: Bundle): void {
    b.arrivalTime = this.k.time;
    b.targetBlock = this.k.blockNumber + 1;
    for (let k = 0; k < b.size; k++) {
      const tx = b.member(k);
      if (tx !== null && tx.bundle === b.id) {
        tx.status = TxStatus.Pending;
        tx.arrivalTime = this.k.time;
        tx.reaction = b.reaction;
        tx.firstBlock = b.targetBlock;
      }
    }
    this.mempool.addBundle(b);
  }

  private dropNow(tx: Tx, code: Revert): void {
    tx.status = TxStatus.Dropped;
    tx.revert = code;
    this.mempool.finalized.push(tx);
  }

  /**
   * A transaction reaches the mempool. One with the nonce of a transaction of its sender still waiting
   * there is a replacement (geth): accepted only with both fees raised by the bump. One whose nonce
   * the account has used is dropped (NONCE_USED). Otherwise it waits, even behind a nonce gap.
   */
  arrive(tx: Tx): void {
    const now = this.k.time;
    const table = this.table;
    tx.arrivalTime = now;
    // Its sender's only live transaction (the common case) waits beside no other.
    const live = table.live[tx.agent]!;
    const old = live.length === 1 && live[0] === tx ? null : this.waitingWithNonce(tx, live);
    if (old !== null) {
      if (!this.mempool.replace(old, tx)) {
        this.dropNow(tx, Revert.ReplacementRejected);
        return;
      }
    } else if (tx.nonce < table.nonce[tx.agent]!) {
      this.dropNow(tx, Revert.NonceUsed);
      return;
    }
    this.mempool.add(tx, this.k.blockNumber + 1);
    if (tx.isPrivate) return;
    const watchers = table.watchers;
    const lag = table.mempoolLag;
    const sender = tx.agent;
    const n = watchers.length;
    const q = this.queue;
    for (let j = 0; j < n; j++) {
      const w = watchers[j]!;
      if (w === sender) continue;
      tx.refs++;
      q.pushTime = now + lag[w]!;
      q.pushAt(EventKind.Observe, w, tx);
    }
  }

  /** The sender's other transaction with `tx`'s nonce waiting in the mempool (not in a bundle), or null. */
  private waitingWithNonce(tx: Tx, live: readonly Tx[]): Tx | null {
    for (let k = 0; k < live.length; k++) {
      const t = live[k]!;
      if (t !== tx && t.nonce === tx.nonce && t.status === TxStatus.Pending && t.bundle < 0) return t;
    }
    return null;
  }

  observe(i: number, tx: Tx): void {
    tx.refs--;
    if (tx.status === TxStatus.Pending) {
      // Seen the instant it arrived: what the observer sends now with no delay came after it.
      this.reaction = tx.arrivalTime === this.k.time ? tx.reaction : 0;
      this.enter(i);
      try {
        this.agents[i]!.onMempool!(this.view, this.outbox, tx);
      } catch (e) {
        throw this.agentFault(i, e);
      }
      if (this.outbox.queued !== 0) this.dispatch(i);
    } else if (tx.refs === 0) {
      // Final and already receipted: the last observer releases it.
      this.txPool.give(tx);
    }
  }
}

