/**
 * The off-chain reference market: one price process per asset, advanced on a fixed time grid
 * (`tick` seconds) that depends only on the market's own configuration, so the price path is the
 * same whatever the agents do (common random numbers). Shocks of diffusive assets are correlated
 * through the Cholesky factor of a correlation matrix; each asset draws its own stream `market:<id>`.
 * A ring buffer keeps enough past ticks to answer "the price at t − latency".
 */
import { ConfigError } from '../errors';
import type { Streams, Stream } from '../rng';
import { cholesky } from './correlation';
import { makeProcess, type PriceProcess, type PriceProcessConfig } from './processes';

export interface MarketConfig {
  /** Grid step in seconds. Default: the block interval. */
  tick?: number;
  assets: readonly { id: string; process: PriceProcessConfig }[];
  /** Correlation matrix over `assets`, in their order. Default: independent. */
  correlation?: readonly (readonly number[])[];
}

export class ReferenceMarket {
  readonly ids: readonly string[];
  readonly tick: number;
  /** Price of each asset at the latest tick. */
  readonly price: Float64Array;
  /** Index of the latest tick (its time is `tickIndex · tick`). */
  tickIndex = 0;
  /** Earliest time at which `advanceTo` has work to do: callers may skip the call before it. (A number from the start: see rng.ts Stream.) */
  nextTickTime = 0;

  private readonly processes: PriceProcess[];
  private readonly kinds: readonly string[];
  private readonly shocks: (Stream | null)[];
  private readonly chol: Float64Array | null;
  private readonly z: Float64Array;
  private ring: Float64Array;
  private capacity = 0;
  /** Earliest tick the ring has ever recorded (ticks before a mid-run `keepHistory` were never kept). */
  private firstKept = 0;

  constructor(config: MarketConfig, tick: number, streams: Streams) {
    if (!(tick > 0)) throw new ConfigError('market.tick', `must be a positive number of seconds, got ${tick}`);
    this.tick = tick;
    this.ids = config.assets.map((a) => a.id);
    const n = this.ids.length;
    this.kinds = config.assets.map((a) => a.process.kind);
    this.processes = config.assets.map((a) => makeProcess(a.process, (suffix) => streams.get(`market:${a.id}:${suffix}`)));
    this.shocks = config.assets.map((a, i) => (this.processes[i]!.diffusive ? streams.get(`market:${a.id}`) : null));
    this.price = new Float64Array(n);
    for (let i = 0; i < n; i++) this.price[i] = this.processes[i]!.initial;
    this.z = new Float64Array(n);
    this.chol = config.correlation ? cholesky(config.correlation, n) : null;
    // A process without a shock gets z = 0, so correlating it would silently shrink the other asset's variance.
    for (let i = 0; i < n && config.correlation; i++) {
      for (let j = 0; j < n; j++) {
        if (i !== j && config.correlation[i]![j] !== 0 && !this.processes[i]!.diffusive) {
          throw new ConfigError(`market.correlation[${i}][${j}]`, `asset '${this.ids[i]}' (${config.assets[i]!.process.kind}) takes no random shock and cannot be correlated`);
        }
      }
    }
    this.ring = new Float64Array(0);
    this.nextTickTime = (1 - 1e-9) * tick;
    this.keepHistory(0);
  }

  assetId(name: string): number {
    const i = this.ids.indexOf(name);
    if (i < 0) throw new ConfigError('market.assets', `unknown asset '${name}'; known: ${this.ids.join(', ') || '(none)'}`);
    return i;
  }

  /** Keep at least `seconds` of past ticks available to `priceAt`. */
  keepHistory(seconds: number): void {
    const capacity = Math.max(2, Math.ceil(seconds / this.tick) + 2);
    if (capacity <= this.capacity) return;
    const n = this.ids.length;
    const ring = new Float64Array(capacity * n);
    // Carry over the ticks the old ring still holds, so a mid-run extension loses nothing it had.
    const first = this.capacity > 0 ? Math.max(this.firstKept, this.tickIndex - this.capacity + 1) : this.tickIndex;
    for (let k = first; k < this.tickIndex; k++) {
      for (let i = 0; i < n; i++) ring[(k % capacity) * n + i] = this.ring[(k % this.capacity) * n + i]!;
    }
    for (let i = 0; i < n; i++) ring[(this.tickIndex % capacity) * n + i] = this.price[i]!;
    this.ring = ring;
    this.capacity = capacity;
    this.firstKept = first;
  }

  /** The time `advance` moves the grid to (a number field: a double argument to a call not inlined is boxed). */
  advanceTime = 0;

  /** Advance the grid to the latest tick at or before `t`. Returns the number of ticks taken. */
  advanceTo(t: number): number {
    this.advanceTime = t;
    return this.advance();
  }

  /** Advance the grid to the latest tick at or before `advanceTime`. Returns the number of ticks taken. */
  advance(): number {
    const target = Math.floor(this.advanceTime / this.tick + 1e-9);
    let steps = 0;
    while (this.tickIndex < target) {
      this.step();
      steps++;
    }
    this.nextTickTime = (this.tickIndex + 1 - 1e-9) * this.tick;
    return steps;
  }

  private step(): void {
    const n = this.ids.length;
    // One asset, uncorrelated (the common market): the loops below with n = 1, without the shock array.
    if (n === 1 && this.chol === null) {
      const s = this.shocks[0]!;
      const z = s === null ? 0 : s.normal();
      const next = this.tickIndex + 1;
      const p = this.processes[0]!.step(this.price[0]!, this.tickIndex * this.tick, this.tick, z);
      this.price[0] = p;
      this.ring[next % this.capacity] = p;
      this.tickIndex = next;
      return;
    }
    const z = this.z;
    for (let i = 0; i < n; i++) {
      const s = this.shocks[i];
      z[i] = s === null ? 0 : s!.normal();
    }
    const chol = this.chol;
    const t = this.tickIndex * this.tick;
    const next = this.tickIndex + 1;
    const slot = (next % this.capacity) * n;
    for (let i = n - 1; i >= 0; i--) {
      let shock = z[i]!;
      if (chol !== null) {
        shock = 0;
        for (let j = 0; j <= i; j++) shock += chol[i * n + j]! * z[j]!;
      }
      const p = this.processes[i]!.step(this.price[i]!, t, this.tick, shock);
      this.price[i] = p;
      this.ring[slot + i] = p;
    }
    this.tickIndex = next;
  }

  /** Price of `asset` at the latest tick at or before `t` (t may lie in the kept past). */
  priceAt(asset: number, t: number): number {
    let k = Math.floor(t / this.tick + 1e-9);
    if (k >= this.tickIndex) return this.price[asset]!;
    if (k < 0) k = 0;
    if (k <= this.tickIndex - this.capacity || k < this.firstKept) {
      throw new RangeError(`price at t=${t} is older than the kept history; call keepHistory with a longer span`);
    }
    return this.ring[(k % this.capacity) * this.ids.length + asset]!;
  }

  /**
   * New parameters for an asset's process from the next tick on (a fork: docs/forks.md). Only
   * processes that keep no state and draw only the asset's shock stream (GBM, OU) may change, and
   * only their parameters, not their kind: the shock stream goes on with its next draw.
   */
  reconfigure(asset: number, config: PriceProcessConfig): void {
    const id = this.ids[asset]!;
    const old = this.kinds[asset];
    if (!((config.kind === 'gbm' || config.kind === 'ou') && config.kind === old)) {
      throw new ConfigError(`market.assets.${id}`, `a ${old} process cannot change during a run (only the parameters of a gbm or ou process can)`);
    }
    this.processes[asset] = makeProcess(config, () => {
      throw new Error('unreachable: gbm and ou draw no stream of their own');
    });
  }

  /** Current volatility of an asset's process (per year), NaN where undefined. */
  volatility(asset: number): number {
    return this.processes[asset]!.volatility();
  }
}

export { cholesky } from './correlation';
