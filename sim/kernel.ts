/**
 * The kernel: owns the clock, the event queue and delivery. It advances the reference market, wakes
 * agents, moves their transactions to the mempool after their latency, builds blocks, settles the
 * base fee and hands out receipts (after each sender's network latency). It knows no agent kind and
 * nothing of P&L.
 */
import { EventEmitter } from 'eventemitter3';
import type { Agent, TxView, VenueInfo } from './agent';
import { Builder } from './builder';
import { fillCexOrder } from './cex';
import type { ChainConfig, SimConfig } from './config';
import { ConfigError, SimulationFault } from './errors';
import { EventKind, EventQueue } from './event-queue';
import { Executor } from './execute';
import { BackgroundDemand, FeeReplay } from './background';
import { DEFAULT_GAS_TABLE, DEFAULT_MAX_BASE_FEE, gasByOp, nextBaseFee, type BaseFeeRule, type GasTable } from './gas';
import { checkInvariants, oneInvariantExact, type InvariantState } from './invariants';
import { ReferenceMarket } from './market/market';
import { Bundle, Mempool } from './mempool';
import type { MevRecord } from './mev';
import { KernelOutbox, type CexOrder } from './outbox';
import { hashString, Streams, type Stream } from './rng';
import { Revert, TxPool, TxStatus, type Tx } from './tx';
import { KernelView } from './view';
import { AgentTable, Schedule } from './agent-table';
import { genesisCalls, runGenesis, setUpAgents, venueInfo } from './setup';
import { gweiToWei, nextBaseFeeWei } from './exact/execute';
import { World } from './world';
import { Transfers } from './transfers';

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
  /** CEX orders filled since the block before (the CEX trades between blocks). */
  cexFills: number;
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
  /** Each MEV event as it is booked (sim/mev.ts `MevRecord`, emitted by the Simulation's meter). The object is reused. */
  mev: (r: MevRecord) => void;
}


export class Kernel {
  readonly events = new EventEmitter<SimEvents>();
  readonly streams: Streams;
  readonly market: ReferenceMarket;
  readonly world: World;
  readonly mempool: Mempool;
  readonly executor: Executor;
  readonly builder: Builder;
  /** Who paid whom (sim/transfers.ts); counts from the measurement point, which the Simulation sets. */
  readonly transfers: Transfers;
  readonly queue = new EventQueue();
  readonly txPool = new TxPool();
  readonly agents: readonly Agent[];
  readonly gasByOp: Float64Array;
  readonly gasTable: GasTable;
  readonly blockInterval: number;
  /** Gas limit per block (a fork may change it between blocks: reconfigureChain). */
  gasLimit: number;
  readonly tags: string[] = ['', 'genesis'];

  /** Per agent: latencies, schedules, counters (see AgentTable). */
  readonly table: AgentTable;
  readonly priceLag: Float64Array;
  readonly defaultPriorityFee: Float64Array;
  readonly sent: Int32Array;
  readonly included: Int32Array;
  readonly reverted: Int32Array;
  readonly dropped: Int32Array;
  /** Blocks a transaction may wait in the mempool before it expires. */
  readonly mempoolTtl: number;
  /**
   * 1 for an agent that joins later (`config.dormant`, a fork's new agent): set up and funded with
   * the others, but with no genesis calls, wake-ups or mempool views until `admit`.
   */
  readonly dormant: Uint8Array;
  /** The cohorts dormant agents asked to join at setup, joined when they are admitted. */
  private readonly cohortsLater = new Map<number, string[]>();

  time = 0;
  /** Number of the last block produced (0 before the first). */
  blockNumber = 0;
  baseFee: number;
  currentAgent = -1;
  readonly view: KernelView;
  readonly outbox: KernelOutbox;

  private baseFeeRule: BaseFeeRule;
  /** The gas the base fee rule aims at (null: a fixed fee aims at nothing), for the summary. */
  get gasTarget(): number | null {
    return this.baseFeeRule.mode === 'fixed' ? null : this.gasLimit / this.baseFeeRule.elasticity;
  }
  private readonly blockRng: Stream | null;
  private readonly background: BackgroundDemand | null;
  /** Base fees replayed from a file (`chain.baseFeeReplay`): they override the rule and the background. */
  private readonly feeReplay: FeeReplay | null;
  /** Time of the block scheduled next. */
  private nextBlockTime = 0;
  private readonly invariants: InvariantState | null;
  private readonly blockInfo: BlockInfo = { number: 0, time: 0, baseFee: 0, gasUsed: 0, backgroundGas: 0, txCount: 0, reverted: 0, cexFills: 0 };
  /** CEX orders filled since the last block (sim/cex.ts counts them). */
  cexFills = 0;
  private bundleIds = 0;
  /** Whether anyone listens, sampled when a run starts: attach observers before running. */
  private blockListeners = false;
  private txListeners = false;
  private candidateListeners = false;
  private readonly candidateList: Tx[] = [];
  /** Scratch for nextNonce: which nonces above the account's are held. */
  private nonceMarks = new Uint8Array(16);
  private started = false;
  /**
   * Reaction depth of the event being handled (see tx.ts `reaction`): that of the transaction an agent
   * observes at the instant it arrived, else 0. What an agent sends with no delay arrives one deeper.
   */
  private reaction = 0;

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
    const ttl = chain.mempoolTtl ?? defaultMempoolTtl(chain.blockTime);
    if (!(Number.isInteger(ttl) && ttl >= 1)) throw new ConfigError('chain.mempoolTtl', `must be a whole number of blocks ≥ 1, got ${ttl}`);
    this.mempoolTtl = ttl;
    const exact = config.numeric === 'exact';
    if (exact) {
      this.world.ledger.enableExact();
      for (const p of this.world.pools) {
        if (!Number.isInteger(Math.round(p.fee * 1e10) / 1e4)) throw new ConfigError(`venues[${p.index}].feeBps`, 'exact-integer mode needs a fee in whole pips (multiples of 0.01 bp)');
      }
    }
    this.executor = new Executor(this.world, this.gasByOp, this.gasTable.intrinsic, this.gasTable.revert, exact);
    this.executor.baseFeeWei = gweiToWei(this.baseFee);
    this.transfers = new Transfers(this.world, Uint8Array.from(config.agents, (a) => (a.extractsMev === true ? 1 : 0)));
    this.executor.transfers = this.transfers;
    this.blockRng = exponential ? this.streams.get('chain:blocks') : null;
    this.feeReplay = chain.baseFeeReplay ? new FeeReplay(chain.baseFeeReplay) : null;
    const target = this.gasLimit / this.baseFeeRule.elasticity;
    this.background = chain.background && this.feeReplay === null ? new BackgroundDemand(chain.background, target, this.baseFeeRule.maxChangeDenominator, chain.blockTime, this.streams.get('chain:background')) : null;
    this.invariants = config.checkInvariants === true ? { one: new Map(), oneExact: new Map() } : null;
    if (this.invariants !== null) this.world.ledger.audit = true;

    this.agents = config.agents;
    this.table = new AgentTable(this.agents, this.streams);
    this.dormant = new Uint8Array(this.agents.length);
    for (const id of config.dormant ?? []) {
      const i = this.agents.findIndex((a) => a.id === id);
      if (i < 0) throw new ConfigError('dormant', `names no agent '${id}'`);
      this.dormant[i] = 1;
    }
    const awake = (i: number): boolean => this.dormant[i] === 0;
    this.table.blockAgents.splice(0, Infinity, ...this.table.blockAgents.filter(awake));
    this.table.watchers.splice(0, Infinity, ...this.table.watchers.filter(awake));
    this.mempool = new Mempool(chain.replacementBump ?? 0.1, this.table.nonce, ttl);
    this.builder = new Builder(chain.ordering ?? 'priority', this.gasLimit, this.world.ledger, this.table.nonce, hashString(String(config.seed)), this.table.idKey);
    const invariantState = this.invariants;
    if (invariantState !== null) this.builder.afterTx = (tx, mark) => checkInvariants(this.world, invariantState, tx.id, mark);
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
  start(beforeGenesis?: () => void): void {
    if (this.started) return;
    this.started = true;
    setUpAgents(this);
    // Funded, nothing run yet: where P&L is measured from by default.
    beforeGenesis?.();
    runGenesis(this);
    const w = this.world;
    if (this.invariants) {
      for (const t of w.triads) if (!this.invariants.one.has(t.one)) this.invariants.one.set(t.one, w.oneInvariant(t.one));
      if (w.ledger.exact !== null) for (const t of w.triads) this.invariants.oneExact.set(t.one, oneInvariantExact(w, t.one));
      checkInvariants(w, this.invariants);
    }
    this.scheduleNextBlock(0);
    // The first block's replayed fee, once its time is known (the cursor only moves forward).
    if (this.feeReplay !== null) this.setReplayedFee(1, this.nextBlockTime);
    this.agents.forEach((_, i) => {
      if (this.dormant[i] === 0) this.scheduleWake(i, 0);
    });
  }

  // ---- changes between blocks (a fork: docs/forks.md) ---------------------------------------

  /**
   * A dormant agent joins now: its genesis calls run at once, free of gas (as at genesis, on the
   * current state), then it is woken on its schedule and sees the mempool from here on.
   */
  admit(i: number): void {
    if (this.dormant[i] !== 1) throw new Error(`agent ${i} is not dormant`);
    this.dormant[i] = 0;
    for (const name of this.cohortsLater.get(i) ?? []) this.table.join(name, i);
    const ex = this.executor;
    ex.free = true;
    ex.block = this.blockNumber;
    try {
      genesisCalls(this, i);
    } finally {
      ex.free = false;
    }
    this.world.ledger.commit();
    const t = this.table;
    const a = this.agents[i]!;
    const before = (list: number[]): number => {
      const k = list.findIndex((j) => j > i);
      return k < 0 ? list.length : k;
    };
    if (t.scheduleKind[i] === Schedule.Block && a.act) t.blockAgents.splice(before(t.blockAgents), 0, i);
    if (a.onMempool) t.watchers.splice(before(t.watchers), 0, i);
    // A fixed interval's first wake-up is its first multiple from now on (the queue never goes back in time).
    if (t.scheduleKind[i] === Schedule.Interval) t.scheduleCount[i] = Math.max(t.scheduleCount[i]!, Math.ceil(this.time / t.scheduleParam[i]!));
    this.scheduleWake(i, this.time);
  }

  /** A dormant agent's cohort (made now, joined when it is admitted). */
  joinLater(name: string, i: number): number {
    const names = this.cohortsLater.get(i) ?? [];
    names.push(name);
    this.cohortsLater.set(i, names);
    return this.table.cohort(name);
  }

  /**
   * Agent i's schedule is read again (a fork changed a Poisson agent's mean interval): the wake-up
   * already queued stands, the waits after it follow the new mean. Any other schedule must be as it
   * was (no agent kind changes one live yet).
   */
  reschedule(i: number): void {
    const s = this.agents[i]!.schedule;
    const t = this.table;
    const kind = t.scheduleKind[i];
    if (s.kind === 'poisson' && kind === Schedule.Poisson) t.scheduleParam[i] = s.meanInterval;
    else if (s.kind === 'interval' && kind === Schedule.Interval && s.seconds === t.scheduleParam[i]) return;
    else if (!((s.kind === 'block' && kind === Schedule.Block) || (s.kind === 'never' && kind === Schedule.Never))) {
      throw new ConfigError(`agents[${i}].schedule`, 'the schedule cannot change during a run');
    }
  }

  /**
   * Chain parameters that may change between blocks: the base fee rule (not its initial value), the
   * gas limit, the ordering rule and the replacement bump. Anything else differing from the running
   * configuration is a ConfigError (the caller checks first: docs/forks.md).
   */
  reconfigureChain(chain: ChainConfig): void {
    const fee = chain.baseFee ?? { initial: 10 };
    const rule: BaseFeeRule = { mode: fee.mode ?? 'eip1559', min: fee.min ?? 0, max: fee.max ?? DEFAULT_MAX_BASE_FEE, elasticity: fee.elasticity ?? 2, maxChangeDenominator: fee.maxChangeDenominator ?? 8 };
    const gasLimit = chain.gasLimit ?? 30_000_000;
    if (this.feeReplay !== null && (rule.mode !== this.baseFeeRule.mode || rule.min !== this.baseFeeRule.min || rule.max !== this.baseFeeRule.max)) throw new ConfigError('chain.baseFee', 'a replayed base fee cannot change its rule');
    if (this.background !== null && (gasLimit !== this.gasLimit || rule.elasticity !== this.baseFeeRule.elasticity || rule.maxChangeDenominator !== this.baseFeeRule.maxChangeDenominator)) {
      throw new ConfigError('chain.background', 'with background demand, the gas limit and the base fee elasticity and change denominator cannot change during a run (the demand is fitted to them)');
    }
    if (!(Number.isFinite(gasLimit) && gasLimit > 0)) throw new ConfigError('chain.gasLimit', `must be a positive number of gas, got ${gasLimit}`);
    this.baseFeeRule = rule;
    this.gasLimit = gasLimit;
    this.builder.gasLimit = gasLimit;
    this.builder.rule = chain.ordering ?? 'priority';
    this.mempool.minBump = chain.replacementBump ?? 0.1;
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
    this.reaction = 0;
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
      case EventKind.Receipt:
        this.deliver(q.popPayload as Tx);
        break;
    }
    return true;
  }

  private scheduleNextBlock(now: number): void {
    const n = this.blockNumber + 1;
    // Fixed intervals are computed from the block number, not summed, so times stay exact.
    const t = this.blockRng === null ? n * this.blockInterval : now + this.blockRng.exponential(this.blockInterval);
    this.nextBlockTime = t;
    this.queue.push(t, EventKind.Block, n, null);
  }

  /** The base fee of block `n` (at `time`) from the replayed file, in both numeric modes. */
  private setReplayedFee(n: number, time: number): void {
    const fee = this.feeReplay!.feeAt(n, time);
    const wei = gweiToWei(fee);
    this.executor.baseFeeWei = wei;
    this.baseFee = this.executor.exact ? Number(wei) / 1e9 : fee;
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
    if (this.candidateListeners) this.emitCandidates(b);
    this.builder.build(this.mempool, ex, b);
    this.mempool.compact(b);
    const background = this.background === null ? 0 : this.background.draw(this.baseFee, Math.max(this.gasLimit - this.builder.gasUsed, 0), this.time);
    const baseFee = this.baseFee;
    const used = this.builder.gasUsed + background;
    const replay = this.feeReplay !== null;
    // A replayed fee is the next block's, so that block is scheduled here, before receipts are sent.
    if (replay) {
      this.scheduleNextBlock(this.time);
      this.setReplayedFee(b + 1, this.nextBlockTime);
    } else if (this.executor.exact) {
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
      info.cexFills = this.cexFills;
      this.events.emit('block', info);
    }
    this.cexFills = 0;
    if (!replay) this.scheduleNextBlock(this.time);
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
    for (const bundle of this.mempool.bundles) {
      if (bundle.targetBlock !== b) continue;
      for (let k = 0; k < bundle.size; k++) {
        const tx = bundle.member(k);
        if (tx !== null && tx.bundle === bundle.id) list.push(tx);
      }
    }
    this.events.emit('candidates', b, list);
  }

  /**
   * Transactions final in this block (or dropped since the last one): count them, show them to
   * observers, and send each sender its receipt — at once if its network latency is zero, else after
   * a delay drawn from it (the transaction stays live, not recycled, until then).
   */
  private receipts(): void {
    const fin = this.mempool.finalized;
    const emit = this.txListeners;
    // Receipts handled now may make agents send transactions that are dropped at once (and appended).
    for (let j = 0; j < fin.size; j++) {
      const tx = fin.get(j);
      const i = tx.agent;
      if (tx.status === TxStatus.Included) this.included[i]!++;
      else if (tx.status === TxStatus.Reverted) {
        this.included[i]!++;
        this.reverted[i]!++;
      } else this.dropped[i]!++;
      if (emit) this.events.emit('tx', tx);
      const delay = this.table.receiptLatency[i]!.sample();
      if (delay === 0) this.deliver(tx);
      else this.queue.push(this.time + delay, EventKind.Receipt, i, tx);
    }
    fin.clear();
  }

  /** The sender learns the outcome: the transaction leaves its pending list, its hook runs, and the object may be recycled. */
  private deliver(tx: Tx): void {
    const i = tx.agent;
    const live = this.table.live[i]!;
    const k = live.indexOf(tx);
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
      this.currentAgent = -1;
      this.dispatch(i);
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
    if (live.length === 0 && made === 0) return base;
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
      tx.reaction = delay === 0 ? this.reaction + 1 : 0;
      if (delay === 0) this.arrive(tx);
      else this.queue.push(this.time + delay, EventKind.Arrival, i, tx);
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
    // Live until its receipt is delivered: in the sender's pending list, and not recycled.
    this.table.live[tx.agent]!.push(tx);
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
      const aimed = victim < 0 ? undefined : this.findPending(victim);
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
        const tx = typeof p === 'number' ? this.findPending(p) : (p as Tx);
        if (tx === undefined) missing = true;
        else b.add(tx);
      }
      if (missing) {
        // A named transaction is no longer pending: the bundle cannot be built.
        for (const p of parts) if (typeof p !== 'number') this.dropNow(p as Tx, Revert.BundleFailed);
        continue;
      }
      const delay = this.table.network[i]!.sample();
      b.reaction = delay === 0 ? this.reaction + 1 : 0;
      if (delay === 0) this.arriveBundle(b);
      else this.queue.push(this.time + delay, EventKind.BundleArrival, i, b);
    }
    out.bundles.length = 0;
  }

  /** A bundle reaches the builder: it targets the next block. */
  private arriveBundle(b: Bundle): void {
    b.arrivalTime = this.time;
    b.targetBlock = this.blockNumber + 1;
    for (let k = 0; k < b.size; k++) {
      const tx = b.member(k);
      if (tx !== null && tx.bundle === b.id) {
        tx.status = TxStatus.Pending;
        tx.arrivalTime = this.time;
        tx.reaction = b.reaction;
        tx.firstBlock = b.targetBlock;
      }
    }
    this.mempool.addBundle(b);
  }

  private dropNow(tx: Tx, code: (typeof Revert)[keyof typeof Revert]): void {
    tx.status = TxStatus.Dropped;
    tx.revert = code;
    this.mempool.finalized.push(tx);
  }

  /**
   * A transaction reaches the mempool. One with the nonce of a transaction of its sender still waiting
   * there is a replacement (geth): accepted only with both fees raised by the bump. One whose nonce
   * the account has used is dropped (NONCE_USED). Otherwise it waits, even behind a nonce gap.
   */
  private arrive(tx: Tx): void {
    tx.arrivalTime = this.time;
    const old = this.waitingWithNonce(tx);
    if (old !== null) {
      if (!this.mempool.replace(old, tx)) {
        this.dropNow(tx, Revert.ReplacementRejected);
        return;
      }
    } else if (tx.nonce < this.table.nonce[tx.agent]!) {
      this.dropNow(tx, Revert.NonceUsed);
      return;
    }
    this.mempool.add(tx, this.blockNumber + 1);
    if (tx.isPrivate) return;
    const watchers = this.table.watchers;
    for (let j = 0; j < watchers.length; j++) {
      const w = watchers[j]!;
      if (w === tx.agent) continue;
      tx.refs++;
      this.queue.push(this.time + this.table.mempoolLag[w]!, EventKind.Observe, w, tx);
    }
  }

  /** The sender's other transaction with `tx`'s nonce waiting in the mempool (not in a bundle), or null. */
  private waitingWithNonce(tx: Tx): Tx | null {
    const live = this.table.live[tx.agent]!;
    for (let k = 0; k < live.length; k++) {
      const t = live[k]!;
      if (t !== tx && t.nonce === tx.nonce && t.status === TxStatus.Pending && t.bundle < 0) return t;
    }
    return null;
  }

  private observe(i: number, tx: Tx): void {
    tx.refs--;
    if (tx.status === TxStatus.Pending) {
      // Seen the instant it arrived: what the observer sends now with no delay came after it.
      this.reaction = tx.arrivalTime === this.time ? tx.reaction : 0;
      this.enter(i);
      try {
        this.agents[i]!.onMempool!(this.view, this.outbox, tx);
      } catch (e) {
        throw this.agentFault(i, e);
      }
      this.currentAgent = -1;
      this.dispatch(i);
    } else if (tx.refs === 0) {
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

/** geth's transaction pool lifetime, 3 hours, in blocks of the chain (900 at 12 s, 5,400 at 2 s). */
export function defaultMempoolTtl(blockTime: number): number {
  return Math.max(1, Math.round(10_800 / blockTime));
}
