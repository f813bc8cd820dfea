/**
 * The library entry point. `simulate(config)` runs a scenario to the end and returns its result;
 * `Simulation` does the same step by step, with observers attached to `events` (eventemitter3;
 * nothing is built for an event nobody listens to).
 */
import type { SimConfig } from './config';
import { Kernel, type SimEvents } from './kernel';
import { preflight, type PreflightWarning } from './preflight';
import { baseline, summarize, type Baseline, type SimResult } from './result';
import type { EventEmitter } from 'eventemitter3';

export class Simulation {
  /** Engine internals, read-only, for recorders and inspectors. */
  readonly kernel: Kernel;
  private base: Baseline | null = null;
  private warned: PreflightWarning[] = [];

  constructor(readonly config: SimConfig) {
    this.kernel = new Kernel(config);
  }

  get events(): EventEmitter<SimEvents> {
    return this.kernel.events;
  }

  /** Set up agents and run genesis (done by the first `step`/`run` if not called). */
  start(): this {
    if (this.base === null) {
      this.kernel.start();
      this.base = baseline(this.kernel);
      this.warned = preflight(this.kernel);
    }
    return this;
  }

  /** Produce `blocks` more blocks (fewer if the configured total is reached). */
  step(blocks = 1): this {
    this.start();
    this.kernel.runTo(Math.min(this.kernel.blockNumber + blocks, this.config.blocks));
    return this;
  }

  /** Run to the configured number of blocks. */
  run(): this {
    this.start();
    this.kernel.runTo(this.config.blocks);
    return this;
  }

  get done(): boolean {
    return this.kernel.blockNumber >= this.config.blocks;
  }

  /** The result as of now. */
  result(): SimResult {
    this.start();
    return summarize(this.kernel, this.base!, this.warned);
  }

  /** What the configuration will get wrong, found after genesis (sim/preflight.ts); in `result().warnings` too. */
  get warnings(): readonly PreflightWarning[] {
    this.start();
    return this.warned;
  }

  /** Baseline values (after genesis) the P&L is measured against. */
  get baseline(): Baseline {
    this.start();
    return this.base!;
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
