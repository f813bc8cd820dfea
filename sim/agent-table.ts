/**
 * What the kernel keeps per agent, read once from the agents at construction: latency models,
 * observation lags, wake-up schedules, who watches the mempool, and the transaction counters.
 * Typed arrays indexed by agent, so the event loop reads them without touching the agent objects.
 */
import type { Agent } from './agent';
import { ConfigError } from './errors';
import { LatencyModel } from './latency';
import { hashString, type Stream, type Streams } from './rng';
import type { Tx } from './tx';

export const enum Schedule { Block = 0, Poisson = 1, Interval = 2, Never = 3 }

export class AgentTable {
  readonly network: LatencyModel[] = [];
  /**
   * Receipt delivery: the same model as `network`, drawn from its own `latency:<id>:receipt` stream
   * so that receipts shift none of the agent's send delays.
   */
  readonly receiptLatency: LatencyModel[] = [];
  readonly cexLatency: LatencyModel[] = [];
  readonly priceLag: Float64Array;
  readonly mempoolLag: Float64Array;
  readonly defaultPriorityFee: Float64Array;
  readonly scheduleKind: Uint8Array;
  readonly scheduleParam: Float64Array;
  /** Interval schedules: the index of the next wake-up (times are count × interval, never summed). */
  readonly scheduleCount: Float64Array;
  readonly scheduleRng: (Stream | null)[] = [];
  /** Agents woken just before every block, in configuration order. */
  readonly blockAgents: number[] = [];
  /** Agents with an onMempool hook. */
  readonly watchers: number[] = [];
  readonly sent: Int32Array;
  readonly included: Int32Array;
  readonly reverted: Int32Array;
  readonly dropped: Int32Array;
  /** Account nonce by agent: the next nonce the chain expects (moved by the builder when a transaction is included). */
  readonly nonce: Float64Array;
  /**
   * Per agent: its transactions sent and not yet receipted to it (in flight, pending, in a bundle, or
   * final with the receipt still travelling), in send order.
   */
  readonly live: Tx[][] = [];
  /** Hash of each agent's id: its key in the builder's tie draws (never its index). */
  readonly idKey: Uint32Array;
  /** Longest price latency: how much market history to keep. */
  readonly maxPriceLag: number;
  /** Cohorts: named groups agents join at setup (an entry rule's "same kind on the same venue"; the engine keeps only the names). */
  readonly cohortIndex = new Map<string, number>();
  readonly cohorts: number[][] = [];

  constructor(agents: readonly Agent[], streams: Streams) {
    const n = agents.length;
    this.priceLag = new Float64Array(n);
    this.mempoolLag = new Float64Array(n);
    this.defaultPriorityFee = new Float64Array(n);
    this.scheduleKind = new Uint8Array(n);
    this.scheduleParam = new Float64Array(n);
    this.scheduleCount = new Float64Array(n);
    this.sent = new Int32Array(n);
    this.included = new Int32Array(n);
    this.reverted = new Int32Array(n);
    this.dropped = new Int32Array(n);
    this.nonce = new Float64Array(n);
    this.idKey = new Uint32Array(n);
    let history = 0;
    agents.forEach((a, i) => {
      const path = `agents[${i}]`;
      const lat = a.latency ?? {};
      this.network.push(LatencyModel.of(lat.network, `${path}.latency.network`, () => streams.get(`latency:${a.id}:network`)));
      this.receiptLatency.push(LatencyModel.of(lat.network, `${path}.latency.network`, () => streams.get(`latency:${a.id}:receipt`)));
      this.live.push([]);
      this.idKey[i] = hashString(a.id);
      this.cexLatency.push(LatencyModel.of(lat.cex, `${path}.latency.cex`, () => streams.get(`latency:${a.id}:cex`)));
      const price = lat.price ?? 0;
      const mem = lat.mempool ?? 0;
      if (!(price >= 0 && price < Infinity)) throw new ConfigError(`${path}.latency.price`, 'must be a non-negative number of seconds');
      if (!(mem >= 0 && mem < Infinity)) throw new ConfigError(`${path}.latency.mempool`, 'must be a non-negative number of seconds');
      this.priceLag[i] = price;
      this.mempoolLag[i] = mem;
      this.defaultPriorityFee[i] = a.priorityFee ?? 0;
      history = Math.max(history, price);
      const s = a.schedule;
      this.scheduleRng.push(null);
      if (s.kind === 'block') {
        this.scheduleKind[i] = Schedule.Block;
        if (a.act) this.blockAgents.push(i);
      } else if (s.kind === 'poisson') {
        if (!(s.meanInterval > 0 && s.meanInterval < Infinity)) throw new ConfigError(`${path}.schedule.meanInterval`, 'must be a positive number of seconds');
        this.scheduleKind[i] = Schedule.Poisson;
        this.scheduleParam[i] = s.meanInterval;
        this.scheduleRng[i] = streams.get(`schedule:${a.id}`);
      } else if (s.kind === 'interval') {
        if (!(s.seconds > 0 && s.seconds < Infinity)) throw new ConfigError(`${path}.schedule.seconds`, 'must be a positive number of seconds');
        this.scheduleKind[i] = Schedule.Interval;
        this.scheduleParam[i] = s.seconds;
        this.scheduleCount[i] = (s.offset ?? s.seconds) / s.seconds;
      } else this.scheduleKind[i] = Schedule.Never;
      if (a.onMempool) this.watchers.push(i);
    });
    this.maxPriceLag = history;
  }

  /** The index of the cohort `name`, made (empty) if new. */
  cohort(name: string): number {
    let c = this.cohortIndex.get(name);
    if (c === undefined) {
      c = this.cohorts.length;
      this.cohortIndex.set(name, c);
      this.cohorts.push([]);
    }
    return c;
  }

  /** Agent i joins the cohort `name` (once); returns the cohort's index. */
  join(name: string, i: number): number {
    const c = this.cohort(name);
    const members = this.cohorts[c]!;
    if (!members.includes(i)) members.push(i);
    return c;
  }

  /**
   * planWake's input and output: the time it plans from, and the wake-up time it planned (number
   * fields, as a double passed to or returned from a call V8 does not inline is boxed).
   */
  wakeFrom = 0;
  wakeTime = 0;

  /** Plan agent i's next wake-up from `wakeFrom` into `wakeTime`; false if it has none (block and never schedules). */
  planWake(i: number): boolean {
    const kind = this.scheduleKind[i];
    if (kind === Schedule.Poisson) {
      this.wakeTime = this.wakeFrom + this.scheduleRng[i]!.exponential(this.scheduleParam[i]!);
      return true;
    }
    if (kind === Schedule.Interval) {
      this.wakeTime = this.scheduleCount[i]! * this.scheduleParam[i]!;
      this.scheduleCount[i]!++;
      return true;
    }
    return false;
  }
}
