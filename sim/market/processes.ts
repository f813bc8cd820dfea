/**
 * Reference price processes (off-chain). Each advances one asset's price over a time step given a
 * standard normal shock (already correlated across assets by the market); jumps and regime switches
 * draw from the process's own named stream. Time in seconds, rates and volatilities per year.
 */
import { ConfigError } from '../errors';
import type { Stream } from '../rng';
import { SECONDS_PER_YEAR } from '../units';

export type PriceProcessConfig =
  | { kind: 'constant'; price: number }
  /** Geometric Brownian motion: d ln P = (μ − σ²/2) dt + σ dW. μ = 0 makes P a martingale. */
  | { kind: 'gbm'; price: number; mu?: number; sigma: number }
  /** Merton jump-diffusion: GBM plus Poisson jumps with normal log sizes, drift-compensated so E[P_t] = P0·e^{μt}. */
  | { kind: 'merton'; price: number; mu?: number; sigma: number; jumpRate: number; jumpMean: number; jumpSd: number }
  /** Ornstein–Uhlenbeck in log price, mean-reverting to ln(mean) at speed kappa (per year). */
  | { kind: 'ou'; price: number; mean: number; kappa: number; sigma: number }
  /** Regime-switching volatility: each regime lasts an exponential time (mean in seconds), then switches to the next one in the list. */
  | { kind: 'regime'; price: number; mu?: number; regimes: readonly { sigma: number; meanDuration: number }[]; start?: number }
  /** A scripted path through (time, price) points; `step` holds each price until the next point. */
  | { kind: 'path'; points: readonly (readonly [number, number])[]; interpolate?: 'step' | 'linear' };

export type PriceProcessKind = PriceProcessConfig['kind'];

export interface PriceProcess {
  /** True for processes that take a normal shock each step (the market draws and correlates them). */
  readonly diffusive: boolean;
  readonly initial: number;
  /** Price at `t + dt` from `price` at `t`, given a standard normal shock `z`. */
  step(price: number, t: number, dt: number, z: number): number;
  /** Current volatility (per year) for agents that read the regime; NaN if not applicable. */
  volatility(): number;
}

const YEAR = SECONDS_PER_YEAR;

class Constant implements PriceProcess {
  readonly diffusive = false;
  constructor(readonly initial: number) {}
  step(price: number): number {
    return price;
  }
  volatility(): number {
    return 0;
  }
}

class Gbm implements PriceProcess {
  readonly diffusive = true;
  private cachedDt = -1;
  private drift = 0;
  private scale = 0;
  constructor(readonly initial: number, private readonly mu: number, private readonly sigma: number) {}
  step(price: number, _t: number, dt: number, z: number): number {
    if (dt !== this.cachedDt) {
      const y = dt / YEAR;
      this.drift = (this.mu - 0.5 * this.sigma * this.sigma) * y;
      this.scale = this.sigma * Math.sqrt(y);
      this.cachedDt = dt;
    }
    return price * Math.exp(this.drift + this.scale * z);
  }
  volatility(): number {
    return this.sigma;
  }
}

class Merton implements PriceProcess {
  readonly diffusive = true;
  private readonly kappa: number;
  constructor(
    readonly initial: number,
    private readonly mu: number,
    private readonly sigma: number,
    private readonly jumpRate: number,
    private readonly jumpMean: number,
    private readonly jumpSd: number,
    private readonly jumps: Stream,
  ) {
    this.kappa = Math.exp(jumpMean + 0.5 * jumpSd * jumpSd) - 1;
  }
  step(price: number, _t: number, dt: number, z: number): number {
    const y = dt / YEAR;
    let x = (this.mu - 0.5 * this.sigma * this.sigma - this.jumpRate * this.kappa) * y + this.sigma * Math.sqrt(y) * z;
    const n = this.jumps.poisson(this.jumpRate * y);
    for (let i = 0; i < n; i++) x += this.jumpMean + this.jumpSd * this.jumps.normal();
    return price * Math.exp(x);
  }
  volatility(): number {
    return Math.sqrt(this.sigma * this.sigma + this.jumpRate * (this.jumpMean * this.jumpMean + this.jumpSd * this.jumpSd));
  }
}

class OrnsteinUhlenbeck implements PriceProcess {
  readonly diffusive = true;
  private readonly theta: number;
  constructor(readonly initial: number, mean: number, private readonly kappa: number, private readonly sigma: number) {
    this.theta = Math.log(mean);
  }
  step(price: number, _t: number, dt: number, z: number): number {
    const y = dt / YEAR;
    const decay = Math.exp(-this.kappa * y);
    const sd = this.kappa > 0 ? this.sigma * Math.sqrt((1 - decay * decay) / (2 * this.kappa)) : this.sigma * Math.sqrt(y);
    return Math.exp(this.theta + (Math.log(price) - this.theta) * decay + sd * z);
  }
  volatility(): number {
    return this.sigma;
  }
}

class RegimeSwitching implements PriceProcess {
  readonly diffusive = true;
  private regime = 0;
  private untilSwitch = 0;
  constructor(
    readonly initial: number,
    private readonly mu: number,
    private readonly regimes: readonly { sigma: number; meanDuration: number }[],
    start: number,
    private readonly switches: Stream,
  ) {
    this.regime = start;
    this.untilSwitch = switches.exponential(regimes[start]!.meanDuration);
  }
  step(price: number, _t: number, dt: number, z: number): number {
    // Volatility of the regime in force at the start of the step; switches happen between steps.
    const sigma = this.regimes[this.regime]!.sigma;
    const y = dt / YEAR;
    const next = price * Math.exp((this.mu - 0.5 * sigma * sigma) * y + sigma * Math.sqrt(y) * z);
    this.untilSwitch -= dt;
    while (this.untilSwitch <= 0) {
      this.regime = (this.regime + 1) % this.regimes.length;
      this.untilSwitch += this.switches.exponential(this.regimes[this.regime]!.meanDuration);
    }
    return next;
  }
  volatility(): number {
    return this.regimes[this.regime]!.sigma;
  }
  current(): number {
    return this.regime;
  }
}

class Path implements PriceProcess {
  readonly diffusive = false;
  readonly initial: number;
  private i = 0;
  constructor(private readonly points: readonly (readonly [number, number])[], private readonly linear: boolean) {
    this.initial = points[0]![1];
  }
  step(_price: number, t: number, dt: number): number {
    const at = t + dt;
    const pts = this.points;
    while (this.i + 1 < pts.length && pts[this.i + 1]![0] <= at) this.i++;
    const [t0, p0] = pts[this.i]!;
    const next = pts[this.i + 1];
    if (!this.linear || next === undefined || at <= t0) return p0;
    return p0 + ((next[1] - p0) * (at - t0)) / (next[0] - t0);
  }
  volatility(): number {
    return NaN;
  }
}

/** Build a process; `stream(suffix)` hands out the asset's auxiliary streams (jumps, regimes). */
export function makeProcess(config: PriceProcessConfig, stream: (suffix: string) => Stream): PriceProcess {
  switch (config.kind) {
    case 'constant':
      return new Constant(config.price);
    case 'gbm':
      return new Gbm(config.price, config.mu ?? 0, config.sigma);
    case 'merton':
      return new Merton(config.price, config.mu ?? 0, config.sigma, config.jumpRate, config.jumpMean, config.jumpSd, stream('jumps'));
    case 'ou':
      return new OrnsteinUhlenbeck(config.price, config.mean, config.kappa, config.sigma);
    case 'regime':
      if (config.regimes.length === 0) throw new ConfigError('process.regimes', 'needs at least one regime');
      if (config.start !== undefined && !(Number.isInteger(config.start) && config.start >= 0 && config.start < config.regimes.length)) {
        throw new ConfigError('process.start', `must be a regime index in [0, ${config.regimes.length - 1}], got ${config.start}`);
      }
      return new RegimeSwitching(config.price, config.mu ?? 0, config.regimes, config.start ?? 0, stream('regime'));
    case 'path':
      return new Path(config.points, config.interpolate === 'linear');
  }
}
