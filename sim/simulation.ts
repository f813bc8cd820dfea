/**
 * The library entry point. `simulate(config)` runs a scenario to the end and returns its result;
 * `Simulation` does the same step by step, with observers attached to `events` (eventemitter3;
 * nothing is built for an event nobody listens to).
 */
import type { SimConfig } from './config';
import { Kernel, type SimEvents } from './kernel';
import { baseline, summarize, type Baseline, type SimResult } from './result';
import type { EventEmitter } from 'eventemitter3';
import { ConfigError } from './errors';

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
      checkGenesisValues(this.kernel, this.base);
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
function checkGenesisValues(k: Kernel, base: Baseline): void {
  base.initialValue.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new ConfigError(`agents[${i}].balances`, `agent '${k.agents[i]!.id}' holds ${v} USD at genesis prices, past float64's range (about 1.8e308); use smaller units or numeric: exact`);
  });
}
