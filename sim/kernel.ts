/**
 * The kernel: owns the clock, the event queue and delivery. It advances the reference market, wakes
 * agents, moves their transactions to the mempool after their latency, builds blocks, settles the
 * base fee and hands out receipts. It knows no agent kind and nothing of P&L.
 */
import { EventEmitter } from 'eventemitter3';
import type { Agent, TxView, VenueInfo } from './agent';
import { Builder } from './builder';
import { fillCexOrder } from './cex';
import type { SimConfig } from './config';
import { ConfigError, SimulationFault } from './errors';
import { EventKind, EventQueue } from './event-queue';
import { Executor } from './execute';
import { DEFAULT_GAS_TABLE, DEFAULT_MAX_BASE_FEE, gasByOp, nextBaseFee, type BaseFeeRule, type GasTable } from './gas';
import { checkInvariants, oneInvariantExact, type InvariantState } from './invariants';
import { ReferenceMarket } from './market/market';
import { Bundle, Mempool } from './mempool';
import { KernelOutbox, type CexOrder } from './outbox';
import { Streams, type Stream } from './rng';
import { Revert, TxPool, TxStatus, type Tx } from './tx';
import { KernelView } from './view';
import { AgentTable } from './agent-table';
import { runGenesis, setUpAgents, venueInfo } from './setup';
import { gweiToWei, nextBaseFeeWei } from './exact/execute';
import { World } from './world';

export interface BlockInfo {
  number: number;
  time: number;
  /** Base fee the block was built at, gwei. */
  baseFee: number;
  /** Gas used by the simulation's transactions. */
  gasUsed: number;
  /** Gas used by outside demand (moves the base fee only). */
  backgroundGas: number;
  txCount: number;
  reverted: number;
}

export interface SimEvents {
  /** After each block is final. The object is reused: copy what you keep. */
  block: (info: BlockInfo) => void;
  /**
   * Before each block is executed: what the builder sees (arrived transactions, bundles' own
   * transactions), in arrival order. Valid during the call only.
   */
  candidates: (block: number, txs: readonly TxView[]) => void;
  /** Each transaction when it becomes final (included, reverted or dropped). Valid during the call only. */
  tx: (tx: TxView) => void;
}


export class Kernel {
  readonly events = new EventEmitter<SimEvents>();
  readonly streams: Streams;
  readonly market: ReferenceMarket;
  readonly world: World;
  readonly mempool: Mempool;
  readonly executor: Executor;
  readonly builder: Builder;
  readonly queue = new EventQueue();
  readonly txPool = new TxPool();
  readonly agents: readonly Agent[];
  readonly gasByOp: Float64Array;
  readonly gasTable: GasTable;
  readonly blockInterval: number;
  readonly gasLimit: number;
  readonly tags: string[] = ['', 'genesis'];

  /** Per agent: latencies, schedules, counters (see AgentTable). */
  readonly table: AgentTable;
  readonly priceLag: Float64Array;
  readonly defaultPriorityFee: Float64Array;
  readonly sent: Int32Array;
  readonly included: Int32Array;
  readonly reverted: Int32Array;
  readonly dropped: Int32Array;

  /** Transactions sent but not yet arrived. */
  readonly inFlight: Tx[] = [];
  time = 0;
  /** Number of the last block produced (0 before the first). */
  blockNumber = 0;
  baseFee: number;
  currentAgent = -1;
  readonly view: KernelView;
  readonly outbox: KernelOutbox;

  private readonly baseFeeRule: BaseFeeRule;
  private readonly blockRng: Stream | null;
  private readonly background: { mean: number; sd: number; rng: Stream } | null;
  private readonly invariants: InvariantState | null;
  private readonly blockInfo: BlockInfo = { number: 0, time: 0, baseFee: 0, gasUsed: 0, backgroundGas: 0, txCount: 0, reverted: 0 };
  private bundleIds = 0;
  /** Whether anyone listens, sampled when a run starts: attach observers before running. */
  private blockListeners = false;
  private txListeners = false;
  private candidateListeners = false;
  private readonly candidateList: Tx[] = [];
  private started = false;

  constructor(readonly config: SimConfig) {
    const chain = config.chain;
    if (!(chain.blockTime > 0 && chain.blockTime < Infinity)) throw new ConfigError('chain.blockTime', `must be a positive number of seconds, got ${chain.blockTime}`);
    if (!(Number.isInteger(config.blocks) && config.blocks >= 0)) throw new ConfigError('blocks', `must be a non-negative integer, got ${config.blocks}`);
    this.streams = new Streams(config.seed);
    this.blockInterval = chain.blockTime;
    const exponential = chain.blockTimes === 'exponential';
    const tick = config.market.tick ?? (exponential ? Math.min(1, chain.blockTime) : chain.blockTime);
    this.market = new ReferenceMarket(config.market, tick, this.streams);
    this.world = new World(config, this.market);
    this.gasTable = { ...DEFAULT_GAS_TABLE, ...chain.gas };
    this.gasByOp = gasByOp(this.gasTable);
    this.gasLimit = chain.gasLimit ?? 30_000_000;
    const fee = chain.baseFee ?? { initial: 10 };
    if (!(fee.initial >= 0)) throw new ConfigError('chain.baseFee.initial', 'must be a non-negative number of gwei');
    this.baseFee = fee.initial;
    this.baseFeeRule = { mode: fee.mode ?? 'eip1559', min: fee.min ?? 0, max: fee.max ?? DEFAULT_MAX_BASE_FEE, elasticity: fee.elasticity ?? 2, maxChangeDenominator: fee.maxChangeDenominator ?? 8 };
    this.mempool = new Mempool(chain.replacementBump ?? 0.1);
    const exact = config.numeric === 'exact';
    if (exact) {
      this.world.ledger.enableExact();
      for (const p of this.world.pools) {
        if (!Number.isInteger(Math.round(p.fee * 1e10) / 1e4)) throw new ConfigError(`venues[${p.index}].feeBps`, 'exact-integer mode needs a fee in whole pips (multiples of 0.01 bp)');
      }
    }
    this.executor = new Executor(this.world, this.gasByOp, this.gasTable.intrinsic, this.gasTable.revert, exact);
    this.executor.baseFeeWei = gweiToWei(this.baseFee);
    this.builder = new Builder(chain.ordering ?? 'priority', this.streams.get('builder'), this.gasLimit, this.world.ledger);
    this.blockRng = exponential ? this.streams.get('chain:blocks') : null;
    this.background = chain.background ? { mean: chain.background.meanGas, sd: chain.background.sdGas ?? 0, rng: this.streams.get('chain:background') } : null;
    this.invariants = config.checkInvariants === true ? { one: new Map(), oneExact: new Map() } : null;
    const invariants = this.invariants;
    if (invariants !== null) {
      this.world.ledger.audit = true;
      this.builder.afterTx = (tx, mark) => checkInvariants(this.world, invariants, tx.id, mark);
    }

    this.agents = config.agents;
    this.table = new AgentTable(this.agents, this.streams);
    this.priceLag = this.table.priceLag;
    this.defaultPriorityFee = this.table.defaultPriorityFee;
    this.sent = this.table.sent;
    this.included = this.table.included;
    this.reverted = this.table.reverted;
    this.dropped = this.table.dropped;
    this.view = new KernelView(this);
    this.outbox = new KernelOutbox(this);
    this.market.keepHistory(this.table.maxPriceLag + tick);
  }

  // ---- setup -------------------------------------------------------------------------------

  venueInfo(index: number): VenueInfo {
    return venueInfo(this.world, index);
  }

  tag(name: string): number {
    let t = this.tags.indexOf(name);
    if (t < 0) t = this.tags.push(name) - 1;
    return t;
  }

  /** Set agents up, fund them, run genesis calls, schedule the first events. Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    setUpAgents(this);
    runGenesis(this);
    const w = this.world;
    if (this.invariants) {
      for (const t of w.triads) if (!this.invariants.one.has(t.one)) this.invariants.one.set(t.one, w.oneInvariant(t.one));
      if (w.ledger.exact !== null) for (const t of w.triads) this.invariants.oneExact.set(t.one, oneInvariantExact(w, t.one));
      checkInvariants(w, this.invariants);
    }
    this.scheduleNextBlock(0);
    this.agents.forEach((_, i) => this.scheduleWake(i, 0));
  }

  // ---- the loop ----------------------------------------------------------------------------

  /** Run until `blocks` blocks have been produced in all. */
  runTo(blocks: number): void {
    this.start();
    this.blockListeners = this.events.listenerCount('block') > 0;
    this.txListeners = this.events.listenerCount('tx') > 0;
    this.candidateListeners = this.events.listenerCount('candidates') > 0;
    // The loop stays trivial: a long loop entered once runs in baseline code until V8 replaces it
    // on the stack, while `next` is called millions of times and is optimised early.
    while (this.blockNumber < blocks && this.next()) {}
  }

  /** Process the earliest event. Returns false when the queue is empty. */
  private next(): boolean {
    const q = this.queue;
    if (!q.pop()) return false;
    const t = q.popTime;
    if (t >= this.market.nextTickTime && this.market.advanceTo(t) > 0) this.world.refreshBasePrices();
    this.time = t;
    switch (q.popKind) {
      case EventKind.Block:
        this.produceBlock();
        break;
      case EventKind.Wake:
        this.wake(q.popTarget);
        break;
      case EventKind.Arrival:
        this.arrive(q.popPayload as Tx);
        break;
      case EventKind.Observe:
        this.observe(q.popTarget, q.popPayload as Tx);
        break;
      case EventKind.BundleArrival:
        this.arriveBundle(q.popPayload as Bundle);
        break;
      case EventKind.CexFill:
        fillCexOrder(this, q.popPayload as CexOrder);
        break;
    }
    return true;
  }

  private scheduleNextBlock(now: number): void {
    const n = this.blockNumber + 1;
    // Fixed intervals are computed from the block number, not summed, so times stay exact.
    const t = this.blockRng === null ? n * this.blockInterval : now + this.blockRng.exponential(this.blockInterval);
    this.queue.push(t, EventKind.Block, n, null);
  }

  private scheduleWake(i: number, now: number): void {
    const t = this.table.nextWake(i, now);
    if (t === t) this.queue.push(t, EventKind.Wake, i, null);
  }

  private wake(i: number): void {
    this.act(i);
    this.scheduleWake(i, this.time);
  }

  /** Let agent `i` act now and send what it decided. */
  private act(i: number): void {
    const a = this.agents[i]!;
    if (a.act) {
      this.enter(i);
      try {
        a.act(this.view, this.outbox);
      } catch (e) {
        throw this.agentFault(i, e);
      }
      this.currentAgent = -1;
    }
    this.dispatch(i);
  }

  private produceBlock(): void {
    // Every-block agents act just before the block is built: they see it as `view.block`.
    const agents = this.table.blockAgents;
    for (let j = 0; j < agents.length; j++) this.act(agents[j]!);
    const b = ++this.blockNumber;
    this.checkPrices(b);
    const w = this.world;
    const ex = this.executor;
    w.block = b;
    ex.block = b;
    ex.position = 0;
    ex.baseFee = this.baseFee;
    ex.nativeUsd = w.markPrice(w.native);
    ex.beginBlock();
    if (this.candidateListeners) this.emitCandidates(b);
    this.builder.build(this.mempool, ex, b);
    this.mempool.compact();
    let background = 0;
    if (this.background !== null) {
      const g = this.background;
      background = Math.min(Math.max(g.mean + g.sd * g.rng.normal(), 0), Math.max(this.gasLimit - this.builder.gasUsed, 0));
    }
    const baseFee = this.baseFee;
    const used = this.builder.gasUsed + background;
    if (this.executor.exact) {
      const r = this.baseFeeRule;
      const wei = r.mode === 'fixed' ? ex.baseFeeWei : nextBaseFeeWei(ex.baseFeeWei, used, this.gasLimit, r.elasticity, r.maxChangeDenominator);
      const floor = gweiToWei(r.min);
      const cap = gweiToWei(r.max);
      ex.baseFeeWei = wei > floor ? (wei < cap ? wei : cap) : floor;
      this.baseFee = Number(ex.baseFeeWei) / 1e9;
    } else this.baseFee = nextBaseFee(baseFee, used, this.gasLimit, this.baseFeeRule);
    // Checked before the journal is committed: it holds everything the block (and the CEX fills since
    // the last block) moved.
    if (this.invariants !== null) checkInvariants(w, this.invariants, -1, 0);
    w.ledger.commit();
    this.receipts();
    if (this.blockListeners) {
      const info = this.blockInfo;
      info.number = b;
      info.time = this.time;
      info.baseFee = baseFee;
      info.gasUsed = this.builder.gasUsed;
      info.backgroundGas = background;
      info.txCount = this.builder.included;
      info.reverted = this.builder.reverted;
      this.events.emit('block', info);
    }
    this.scheduleNextBlock(this.time);
  }

  /**
   * Reference prices are positive and finite when a block is built: a process can overflow (huge
   * drift) or underflow to 0 (huge σ), and every value, trade and P&L of the block would follow.
   */
  private checkPrices(b: number): void {
    const price = this.market.price;
    for (let a = 0; a < price.length; a++) {
      const p = price[a]!;
      if (p > 0 && p < Infinity) continue;
      const id = this.market.ids[a]!;
      throw new SimulationFault(p !== p ? 'NAN' : p > 0 ? 'OVERFLOW' : 'UNDERFLOW', b, -1, `the reference price of ${id} is ${p} USD (its process left float64's range)`, { quantity: `price of ${id}`, asset: id, value: p });
    }
  }

  private emitCandidates(b: number): void {
    const list = this.candidateList;
    list.length = 0;
    const pending = this.mempool.pending;
    for (let i = 0; i < pending.size; i++) if (pending.get(i).status === TxStatus.Pending) list.push(pending.get(i));
    for (const bundle of this.mempool.bundles) if (bundle.targetBlock === b) for (const tx of bundle.txs) if (tx.bundle === bundle.id) list.push(tx);
    this.events.emit('candidates', b, list);
  }

  private receipts(): void {
    const fin = this.mempool.finalized;
    const emit = this.txListeners;
    for (let j = 0; j < fin.size; j++) {
      const tx = fin.get(j);
      const i = tx.agent;
      this.table.outstanding[i]!--;
      if (tx.status === TxStatus.Included) this.included[i]!++;
      else if (tx.status === TxStatus.Reverted) {
        this.included[i]!++;
        this.reverted[i]!++;
      } else this.dropped[i]!++;
      if (emit) this.events.emit('tx', tx);
      const a = this.agents[i]!;
      if (a.onReceipt) {
        this.enter(i);
        try {
          a.onReceipt(this.view, this.outbox, tx);
        } catch (e) {
          throw this.agentFault(i, e);
        }
        this.currentAgent = -1;
        this.dispatch(i);
      }
      if (tx.refs === 0) this.txPool.give(tx);
    }
    fin.clear();
  }

  // ---- delivery ----------------------------------------------------------------------------

  /** Let agent i place its genesis calls (run by setup.ts). */
  callGenesis(i: number): void {
    this.enter(i);
    try {
      this.agents[i]!.genesis!(this.view, this.outbox);
    } catch (e) {
      throw this.agentFault(i, e);
    }
    this.currentAgent = -1;
  }

  private enter(i: number): void {
    this.view.self = i;
    this.outbox.begin(i);
    this.currentAgent = i;
  }

  private agentFault(i: number, e: unknown): Error {
    if (e instanceof SimulationFault || e instanceof ConfigError) return e;
    const msg = e instanceof Error ? e.message : String(e);
    return new SimulationFault('AGENT_ERROR', this.blockNumber + 1, -1, `agent '${this.agents[i]!.id}' threw: ${msg}`, { agent: this.agents[i]!.id, cause: e });
  }

  /** Send what the agent put in its outbox: transactions and bundles after its network latency, CEX orders after its CEX latency. */
  private dispatch(i: number): void {
    const out = this.outbox;
    if (out.bundles.length > 0) this.dispatchBundles(i);
    const created = out.created;
    for (let j = 0; j < created.size; j++) {
      const tx = created.get(j);
      if (tx.bundle >= 0) continue;
      this.prepare(tx);
      const delay = this.table.network[i]!.sample();
      if (delay === 0) this.arrive(tx);
      else {
        this.inFlight.push(tx);
        this.queue.push(this.time + delay, EventKind.Arrival, i, tx);
      }
    }
    created.clear();
    if (out.otcTokens.length > 0) out.settleOtc();
    const orders = out.cexOrders;
    for (let j = 0; j < orders.size; j++) {
      const o = orders.get(j);
      const delay = this.table.cexLatency[i]!.sample();
      if (delay === 0) fillCexOrder(this, o);
      else this.queue.push(this.time + delay, EventKind.CexFill, i, o);
    }
    orders.clear();
  }

  private prepare(tx: Tx): void {
    if (tx.gasLimit === 0) tx.gasLimit = this.executor.gasEstimate(tx);
    // Wallet default: room for the base fee to double.
    if (tx.maxFee === 0) tx.maxFee = 2 * this.baseFee + tx.priorityFee;
    tx.submitTime = this.time;
    this.sent[tx.agent]!++;
    this.table.outstanding[tx.agent]!++;
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
      // Claim the agent's own parts first, so they are never also sent on their own.
      for (const p of parts) {
        if (typeof p === 'number') continue;
        const tx = p as Tx;
        if (tx.agent !== i || tx.bundle >= 0 || !out.created.toArray().includes(tx)) {
          throw new Error('a bundle may hold only transactions the agent created in the same call (each in one bundle), and other agents\u2019 pending transaction ids');
        }
        tx.bundle = b.id;
        tx.victim = victim;
        tx.isPrivate = true;
        this.prepare(tx);
      }
      for (const p of parts) b.txs.push(typeof p === 'number' ? (this.findPending(p) ?? (null as unknown as Tx)) : (p as Tx));
      if (b.txs.includes(null as unknown as Tx)) {
        // A named transaction is no longer pending: the bundle cannot be built.
        for (const tx of b.txs) if (tx !== null && tx.bundle === b.id) this.dropNow(tx, Revert.BundleFailed);
        continue;
      }
      const delay = this.table.network[i]!.sample();
      if (delay === 0) this.arriveBundle(b);
      else this.queue.push(this.time + delay, EventKind.BundleArrival, i, b);
    }
    out.bundles.length = 0;
  }

  /** A bundle reaches the builder: it targets the next block. */
  private arriveBundle(b: Bundle): void {
    b.arrivalTime = this.time;
    b.targetBlock = this.blockNumber + 1;
    for (const tx of b.txs) {
      if (tx.bundle === b.id) {
        tx.status = TxStatus.Pending;
        tx.arrivalTime = this.time;
      }
    }
    this.mempool.addBundle(b);
  }

  private dropNow(tx: Tx, code: (typeof Revert)[keyof typeof Revert]): void {
    tx.status = TxStatus.Dropped;
    tx.revert = code;
    this.mempool.finalized.push(tx);
  }

  private arrive(tx: Tx): void {
    if (tx.status === TxStatus.InFlight && this.inFlight.length > 0) {
      const k = this.inFlight.indexOf(tx);
      if (k >= 0) this.inFlight.splice(k, 1);
    }
    tx.arrivalTime = this.time;
    if (tx.replaces >= 0) {
      const old = this.mempool.find(tx.replaces);
      if (old === undefined || !this.mempool.replace(old, tx)) {
        this.dropNow(tx, Revert.ReplacementRejected);
        return;
      }
    }
    this.mempool.add(tx);
    if (tx.isPrivate) return;
    const watchers = this.table.watchers;
    for (let j = 0; j < watchers.length; j++) {
      const w = watchers[j]!;
      if (w === tx.agent) continue;
      tx.refs++;
      this.queue.push(this.time + this.table.mempoolLag[w]!, EventKind.Observe, w, tx);
    }
  }

  private observe(i: number, tx: Tx): void {
    tx.refs--;
    if (tx.status === TxStatus.Pending) {
      this.enter(i);
      try {
        this.agents[i]!.onMempool!(this.view, this.outbox, tx);
      } catch (e) {
        throw this.agentFault(i, e);
      }
      this.currentAgent = -1;
      this.dispatch(i);
    } else if (tx.refs === 0 && tx.status !== TxStatus.InFlight) {
      // Final and already receipted: the last observer releases it.
      this.txPool.give(tx);
    }
  }

  /** Has agent `i` seen public transaction `tx` by now? */
  readonly mempoolSeen = (i: number, tx: Tx): boolean => tx.arrivalTime + this.table.mempoolLag[i]! <= this.time;

  findPending(id: number): Tx | undefined {
    return this.mempool.find(id);
  }
}

