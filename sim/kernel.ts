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
import { Delivery } from './delivery';
import type { ChainConfig, SimConfig } from './config';
import { ConfigError, SimulationFault } from './errors';
import { EventKind, EventQueue } from './event-queue';
import { Executor } from './execute';
import { BackgroundDemand, FeeReplay } from './background';
import { DEFAULT_GAS_TABLE, DEFAULT_MAX_BASE_FEE, gasByOp, stepBaseFee, type BaseFeeRule, type GasTable } from './gas';
import { checkInvariants, oneInvariantExact, type InvariantState } from './invariants';
import { ReferenceMarket } from './market/market';
import { Mempool, type Bundle } from './mempool';
import type { MevRecord } from './mev';
import { KernelOutbox, type CexOrder } from './outbox';
import { hashString, Streams, type Stream } from './rng';
import { TxPool, TxStatus, type Tx } from './tx';
import { KernelView } from './view';
import { AgentTable, Schedule } from './agent-table';
import { genesisCalls, runGenesis, setUpAgents, venueInfo } from './setup';
import { gweiToWei, nextBaseFeeWei } from './exact/execute';
import { TokenKind, World } from './world';
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
  /** Gwei (a number from the start, so V8 stores it unboxed: see rng.ts Stream). */
  baseFee = 0;
  readonly view: KernelView;
  readonly outbox: KernelOutbox;
  /** Wake-ups, dispatch, arrivals, observations and receipts (sim/delivery.ts). */
  readonly delivery: Delivery;

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
  /** The market's nextTickTime, kept here (only `next` advances the market): events before it skip the market. */
  private tickDue = 0;
  /** Time of the block still to come (Infinity while none is scheduled): held here, not in the queue. */
  private blockDue = Infinity;
  private readonly invariants: InvariantState | null;
  private readonly blockInfo: BlockInfo = { number: 0, time: 0, baseFee: 0, gasUsed: 0, backgroundGas: 0, txCount: 0, reverted: 0, cexFills: 0 };
  /** CEX orders filled since the last block (sim/cex.ts counts them). */
  cexFills = 0;
  /** Whether anyone listens, sampled when a run starts: attach observers before running. */
  private blockListeners = false;
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
    this.baseFeeRule = feeRule(fee);
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
    this.delivery = new Delivery(this);
    this.market.keepHistory(this.table.maxPriceLag + tick);
    this.tickDue = this.market.nextTickTime;
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
    for (let i = 0; i < this.agents.length; i++) if (this.dormant[i] === 0) this.delivery.scheduleWake(i);
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
    this.delivery.scheduleWake(i);
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
    const rule = feeRule(fee);
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
    this.delivery.txListeners = this.events.listenerCount('tx') > 0;
    this.candidateListeners = this.events.listenerCount('candidates') > 0;
    // The loop stays trivial: a long loop entered once runs in baseline code until V8 replaces it
    // on the stack, while `next` is called millions of times and is optimised early.
    while (this.blockNumber < blocks && this.next()) {}
  }

  /**
   * Process the earliest event. Returns false when nothing is left. The next block is held here, not
   * in the queue (one is scheduled at a time): it comes after every queued event at or before its time,
   * as the queue orders a block last among equal times.
   */
  private next(): boolean {
    const q = this.queue;
    const blockTime = this.blockDue;
    let t: number;
    let kind: number;
    if (q.length > 0 && q.peekTime() <= blockTime) {
      q.pop();
      t = q.popTime;
      kind = q.popKind;
    } else if (blockTime < Infinity) {
      this.blockDue = Infinity;
      t = blockTime;
      kind = EventKind.Block;
    } else return false;
    if (t >= this.tickDue) {
      const m = this.market;
      m.advanceTime = t;
      if (m.advance() > 0) this.world.refreshBasePrices();
      this.tickDue = this.market.nextTickTime;
    }
    this.time = t;
    const d = this.delivery;
    d.reaction = 0;
    switch (kind) {
      case EventKind.Block:
        this.produceBlock();
        break;
      case EventKind.Wake:
        d.wake(q.popTarget);
        break;
      case EventKind.Arrival:
        d.arrive(q.popPayload as Tx);
        break;
      case EventKind.Observe:
        d.observe(q.popTarget, q.popPayload as Tx);
        break;
      case EventKind.BundleArrival:
        d.arriveBundle(q.popPayload as Bundle);
        break;
      case EventKind.CexFill:
        fillCexOrder(this, q.popPayload as CexOrder);
        break;
      case EventKind.Receipt:
        d.deliver(q.popPayload as Tx);
        break;
    }
    return true;
  }

  private scheduleNextBlock(now: number): void {
    const n = this.blockNumber + 1;
    // Fixed intervals are computed from the block number, not summed, so times stay exact.
    const t = this.blockRng === null ? n * this.blockInterval : now + this.blockRng.exponential(this.blockInterval);
    this.nextBlockTime = t;
    this.blockDue = t;
  }

  /** The base fee of block `n` (at `time`) from the replayed file, in both numeric modes. */
  private setReplayedFee(n: number, time: number): void {
    const fee = this.feeReplay!.feeAt(n, time);
    const wei = gweiToWei(fee);
    this.executor.baseFeeWei = wei;
    this.baseFee = this.executor.exact ? Number(wei) / 1e9 : fee;
  }

  /**
   * One block, in plain steps: collect (every-block agents act, so they see it as `view.block`),
   * open it, build it (the builder orders the candidates and the executor runs them), settle (the
   * next base fee, the journal committed), then receipts and the record.
   */
  private produceBlock(): void {
    this.collect();
    const b = this.openBlock();
    if (this.candidateListeners) this.emitCandidates(b);
    this.builder.build(this.mempool, this.executor, b);
    this.mempool.compact(b);
    const baseFee = this.baseFee;
    const background = this.settle(b);
    this.delivery.receipts();
    if (this.blockListeners) this.record(b, baseFee, background);
    this.cexFills = 0;
    if (this.feeReplay === null) this.scheduleNextBlock(this.time);
  }

  /** Every-block agents act just before the block is built. */
  collect(): void {
    this.delivery.actAll(this.table.blockAgents);
  }

  /** Number the next block and set the world and the executor to it. */
  openBlock(): number {
    const b = ++this.blockNumber;
    this.checkPrices(b);
    const w = this.world;
    const ex = this.executor;
    w.block = b;
    ex.block = b;
    ex.position = 0;
    ex.baseFee = this.baseFee;
    // World.markPrice's direct case read here (the native token is a reference or fixed-price one in
    // practice): V8 sometimes compiles the call out of line, and its double result is then boxed.
    const native = w.native;
    const kind = w.tokenKind[native];
    ex.nativeUsd = kind === TokenKind.Reference || kind === TokenKind.Fixed ? w.basePrice[native]! : w.markPrice(native);
    return b;
  }

  /**
   * After the block is built: outside demand, the next block's base fee (or its replayed one, which
   * schedules that block), the invariants, the journal committed. Returns the background gas.
   */
  settle(b: number): number {
    const w = this.world;
    const ex = this.executor;
    const background = this.background === null ? 0 : this.background.draw(this.baseFee, Math.max(this.gasLimit - this.builder.gasUsed, 0), this.time);
    const used = this.builder.gasUsed + background;
    // A replayed fee is the next block's, so that block is scheduled here, before receipts are sent.
    if (this.feeReplay !== null) {
      this.scheduleNextBlock(this.time);
      this.setReplayedFee(b + 1, this.nextBlockTime);
    } else if (ex.exact) {
      const r = this.baseFeeRule;
      const wei = r.mode === 'fixed' ? ex.baseFeeWei : nextBaseFeeWei(ex.baseFeeWei, used, this.gasLimit, r.elasticity, r.maxChangeDenominator);
      const floor = gweiToWei(r.min);
      const cap = gweiToWei(r.max);
      ex.baseFeeWei = wei > floor ? (wei < cap ? wei : cap) : floor;
      this.baseFee = Number(ex.baseFeeWei) / 1e9;
    } else if (this.baseFeeRule.mode !== 'fixed') stepBaseFee(this, used, this.gasLimit, this.baseFeeRule);
    // Checked before the journal is committed: it holds everything the block (and the CEX fills since
    // the last block) moved.
    if (this.invariants !== null) checkInvariants(w, this.invariants, -1, 0);
    w.ledger.commit();
    return background;
  }

  /** Tell block listeners about block `b`, built at `baseFee`. */
  private record(b: number, baseFee: number, background: number): void {
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

  /** The nonce a wallet gives agent i's next transaction (see Delivery.nextNonce). */
  nextNonce(i: number): number {
    return this.delivery.nextNonce(i);
  }

  /** Let agent i place its genesis calls (run by setup.ts). */
  callGenesis(i: number): void {
    this.delivery.callGenesis(i);
  }

  /** Has agent `i` seen public transaction `tx` by now? */
  readonly mempoolSeen = (i: number, tx: Tx): boolean => tx.arrivalTime + this.table.mempoolLag[i]! <= this.time;

  findPending(id: number): Tx | undefined {
    return this.mempool.find(id);
  }
}

/**
 * The base fee rule of a chain's `baseFee`, its mode the literal's own string: the file's is a copy,
 * which every block's \`mode === 'fixed'\` would compare character by character.
 */
function feeRule(fee: NonNullable<ChainConfig['baseFee']>): BaseFeeRule {
  const mode = fee.mode === 'fixed' ? 'fixed' : fee.mode === undefined || fee.mode === 'eip1559' ? 'eip1559' : fee.mode;
  return { mode, min: fee.min ?? 0, max: fee.max ?? DEFAULT_MAX_BASE_FEE, elasticity: fee.elasticity ?? 2, maxChangeDenominator: fee.maxChangeDenominator ?? 8 };
}

/** geth's transaction pool lifetime, 3 hours, in blocks of the chain (900 at 12 s, 5,400 at 2 s). */
export function defaultMempoolTtl(blockTime: number): number {
  return Math.max(1, Math.round(10_800 / blockTime));
}
