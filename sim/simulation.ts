/**
 * The library entry point. `simulate(config)` runs a scenario to the end and returns its result;
 * `Simulation` does the same step by step, with observers attached to `events` (eventemitter3;
 * nothing is built for an event nobody listens to).
 */
import type { SimConfig } from './config';
import { Kernel, type SimEvents } from './kernel';
import { baseline, summarize, type Baseline, type SimResult } from './result';
import type { EventEmitter } from 'eventemitter3';

export class Simulation {
  /** Engine internals, read-only, for recorders and inspectors. */
  readonly kernel: Kernel;
  private base: Baseline | null = null;

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
    return summarize(this.kernel, this.base!);
  }

  /** Baseline values (after genesis) the P&L is measured against. */
  get baseline(): Baseline {
    this.start();
    return this.base!;
  }
}

/** Run a simulation to the end and return its result. */
export function simulate(config: SimConfig, observe?: (sim: Simulation) => void): SimResult {
  const sim = new Simulation(config);
  observe?.(sim);
  return sim.run().result();
}
