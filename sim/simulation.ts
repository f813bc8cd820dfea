/**
 * The library entry point. `simulate(config)` runs a scenario to the end and returns its result;
 * `Simulation` does the same step by step, with observers attached to `events` (eventemitter3;
 * nothing is built for an event nobody listens to).
 */
import type { SimConfig } from './config';
import { ConfigError } from './errors';
import { Kernel, type SimEvents } from './kernel';
import { MevMeter } from './mev';
import { preflight, type PreflightWarning } from './preflight';
import { agentValue, baseline, summarize, type Baseline, type SimResult } from './result';
import type { EventEmitter } from 'eventemitter3';

export class Simulation {
  /** Engine internals, read-only, for recorders and inspectors. */
  readonly kernel: Kernel;
  private base: Baseline | null = null;
  private started = false;
  private readonly meter: MevMeter;
  private warned: PreflightWarning[] = [];

  constructor(readonly config: SimConfig) {
    const k = (this.kernel = new Kernel(config));
    this.meter = new MevMeter(k.world, Uint8Array.from(k.agents, (a) => (a.extractsMev === true ? 1 : 0)));
    k.builder.meter = this.meter;
    const m = config.measureFrom;
    if (m === undefined) return;
    if ('block' in m) {
      if (!(Number.isInteger(m.block) && m.block >= 0 && m.block <= config.blocks)) throw new ConfigError('measureFrom.block', `must be a whole block number from 0 to the run's ${config.blocks} blocks, got ${m.block}`);
    } else if (!(m.time >= 0 && m.time < Infinity)) throw new ConfigError('measureFrom.time', `must be a finite number of seconds ≥ 0, got ${m.time}`);
    // Registered before any recorder: the baseline is taken before the block's rows are written.
    k.events.on('block', (b) => {
      if (this.base === null && ('block' in m ? b.number >= m.block : b.time >= m.time)) this.measure(b.number);
    });
  }

  get events(): EventEmitter<SimEvents> {
    return this.kernel.events;
  }

  /** Set up agents and run genesis (done by the first `step`/`run` if not called). */
  start(): this {
    if (this.started) return this;
    this.started = true;
    const k = this.kernel;
    const m = this.config.measureFrom;
    k.start(m === undefined ? () => this.measure(-1) : undefined);
    checkGenesisValues(k);
    if (m !== undefined && ('block' in m ? m.block === 0 : m.time <= 0)) this.measure(0);
    k.transfers.afterGenesis?.();
    this.warned = preflight(k);
    return this;
  }

  /** The measurement point: P&L and transfers count from here. */
  private measure(block: number): void {
    this.base = baseline(this.kernel, block);
    this.kernel.transfers.begin();
  }

  /** Produce `blocks` more blocks (fewer if the configured total is reached). */
  step(blocks = 1): this {
    this.start();
    this.listenMev();
    this.kernel.runTo(Math.min(this.kernel.blockNumber + blocks, this.config.blocks));
    return this;
  }

  /** Run to the configured number of blocks. */
  run(): this {
    this.start();
    this.listenMev();
    this.kernel.runTo(this.config.blocks);
    return this;
  }

  /** The meter reports MEV events only while someone listens to 'mev' (sampled as a run starts, like the kernel's events). */
  private listenMev(): void {
    const k = this.kernel;
    this.meter.onRecord = k.events.listenerCount('mev') > 0 ? (r) => k.events.emit('mev', r) : null;
  }

  get done(): boolean {
    return this.kernel.blockNumber >= this.config.blocks;
  }

  /** The result as of now. */
  result(): SimResult {
    return summarize(this.kernel, this.baseline, this.meter.tally, this.warned);
  }

  /** What the configuration will get wrong, found after genesis (sim/preflight.ts); in `result().warnings` too. */
  get warnings(): readonly PreflightWarning[] {
    this.start();
    return this.warned;
  }

  /** Values at the measurement point, which P&L is measured against. */
  get baseline(): Baseline {
    const b = this.start().base;
    if (b === null) {
      const m = this.config.measureFrom!;
      throw new ConfigError('block' in m ? 'measureFrom.block' : 'measureFrom.time', `the run has not reached its measurement point (${'block' in m ? `block ${m.block}` : `time ${m.time} s`}) by block ${this.kernel.blockNumber}`);
    }
    return b;
  }

  /** Whether the measurement point has been reached (P&L is undefined before it). */
  get measuring(): boolean {
    return this.start().base !== null;
  }
}

/** Observers for `simulate`: listeners are attached before the first block and cost nothing when absent. */
export interface SimulateOptions {
  /** After each block is final (the object is reused: copy what you keep). */
  onBlock?: SimEvents['block'];
  /** Each transaction when it becomes final (valid during the call only). */
  onTx?: SimEvents['tx'];
  /** Anything else: called with the simulation before it runs (attach listeners, read the kernel). */
  observe?: (sim: Simulation) => void;
}

/** Run a simulation to the end and return its result. */
export function simulate(config: SimConfig, options: SimulateOptions = {}): SimResult {
  const sim = new Simulation(config);
  if (options.onBlock) sim.events.on('block', options.onBlock);
  if (options.onTx) sim.events.on('tx', options.onTx);
  options.observe?.(sim);
  return sim.run().result();
}

/**
 * After genesis every agent's holdings have a finite USD value: a value past float64's range (an
 * amount near 1e308, or at a huge price) would make every P&L figure of the run Infinity or NaN. The
 * amounts come from the scenario, so this is an input error, located at the agent.
 */
function checkGenesisValues(k: Kernel): void {
  k.agents.forEach((_, i) => {
    const v = agentValue(k, i);
    if (!Number.isFinite(v)) throw new ConfigError(`agents[${i}].balances`, `agent '${k.agents[i]!.id}' holds ${v} USD at genesis prices, past float64's range (about 1.8e308); use smaller units or numeric: exact`);
  });
}
