/**
 * Gas used by everyone outside the simulation (`chain.background`), which only moves the base fee,
 * and base fees replayed from history (`chain.baseFeeReplay`), which override any demand model.
 *
 * `normal`: gas drawn afresh each block from a normal — with no feedback from the price the fee
 * integrates demand minus the target, a driftless random walk pinned at its floor or running away.
 * `elastic`: demand answers the price, ln g = a − β·ln(baseFee/refFee) + X + ε, X an
 * Ornstein–Uhlenbeck shock and ε per-block noise, so the fee has a stationary distribution
 * (derived in docs/scenarios.md, "Background demand"; `elasticStationary` gives its figures).
 */
import type { Stream } from './rng';

export interface NormalBackground {
  model?: 'normal';
  meanGas: number;
  sdGas?: number;
}

export interface ElasticBackground {
  model: 'elastic';
  /** Median base fee the demand settles around, gwei. */
  refFee: number;
  /** β: −d ln(gas) / d ln(baseFee). */
  priceElasticity: number;
  /** The OU shock X in ln gas: stationary standard deviation and half-life (seconds). */
  shock: { sigma: number; halfLife: number };
  /** Standard deviation of independent per-block noise ε in ln gas. Default 0. */
  blockNoise?: number;
}

export type BackgroundConfig = NormalBackground | ElasticBackground;

/** Base fees from a file: keyed by block (1 = the run's first block) or by seconds from the run's start. */
export interface BaseFeeReplay {
  by: 'block' | 'time';
  /** Keys, strictly increasing; the first is 1 (block) or 0 (time). */
  at: readonly number[];
  /** Base fee of each key, gwei; it holds until the next key. */
  fees: readonly number[];
}

/** The linearised stationary distribution of the elastic model (docs/scenarios.md). */
export interface ElasticStationary {
  /** a in ln g = a − β ln(b/refFee) + X + ε: ln(target) less the second-order drift, so the median fee is refFee. */
  logGasAtRef: number;
  /** AR coefficient of ln(baseFee) about its median: c = 1 − β/D. */
  c: number;
  /** Per-block AR coefficient of the shock: φ = 2^(−blockTime/halfLife). */
  phi: number;
  /** Standard deviation of ln(baseFee). */
  sdLnFee: number;
  /** Standard deviation of u = ln(g/target), the demand the fee has not absorbed. */
  sdLnGas: number;
}

/**
 * Stationary figures of the elastic model on a chain of the given target gas, max-change denominator D
 * and (mean) block time, to second order in u and ignoring the block's capacity (see the docs).
 */
export function elasticStationary(bg: ElasticBackground, target: number, denominator: number, blockTime: number): ElasticStationary {
  const D = denominator;
  const beta = bg.priceElasticity;
  const s2 = bg.shock.sigma ** 2;
  const n2 = (bg.blockNoise ?? 0) ** 2;
  const c = 1 - beta / D;
  const phi = Math.pow(2, -blockTime / bg.shock.halfLife);
  const varZ = (s2 * (1 + c * phi)) / (D * D * (1 - c * c) * (1 - c * phi)) + n2 / (D * D * (1 - c * c));
  const covXZ = (s2 * phi) / (D * (1 - c * phi));
  const varU = s2 + n2 + beta * beta * varZ - 2 * beta * covXZ;
  return { logGasAtRef: Math.log(target) - ((D - 1) / (2 * D)) * varU, c, phi, sdLnFee: Math.sqrt(varZ), sdLnGas: Math.sqrt(varU) };
}

/** Draws each block's background gas. Plain mutable state: nothing is allocated per block. */
export class BackgroundDemand {
  private readonly elastic: boolean;
  private readonly mean: number;
  private readonly sd: number;
  private readonly a: number;
  private readonly beta: number;
  private readonly lnRef: number;
  private readonly sigma: number;
  private readonly noise: number;
  private readonly lambda: number;
  /** φ and √(1 − φ²) for the usual gap, so fixed block times take no exp per block. */
  private readonly gap: number;
  private readonly phiGap: number;
  private readonly sGap: number;
  private x = 0;
  private lastTime = NaN;

  constructor(cfg: BackgroundConfig, target: number, denominator: number, blockTime: number, private readonly rng: Stream) {
    if (cfg.model === 'elastic') {
      this.elastic = true;
      this.mean = this.sd = 0;
      this.a = elasticStationary(cfg, target, denominator, blockTime).logGasAtRef;
      this.beta = cfg.priceElasticity;
      this.lnRef = Math.log(cfg.refFee);
      this.sigma = cfg.shock.sigma;
      this.noise = cfg.blockNoise ?? 0;
      this.lambda = Math.LN2 / cfg.shock.halfLife;
      this.gap = blockTime;
      this.phiGap = Math.exp(-this.lambda * blockTime);
      this.sGap = Math.sqrt(1 - this.phiGap * this.phiGap);
    } else {
      this.elastic = false;
      this.mean = cfg.meanGas;
      this.sd = cfg.sdGas ?? 0;
      this.a = this.beta = this.lnRef = this.sigma = this.noise = this.lambda = this.gap = this.phiGap = this.sGap = 0;
    }
  }

  /** Background gas of the block built at `time` at base fee `baseFee` (gwei), at most `room`. */
  draw(baseFee: number, room: number, time: number): number {
    if (!this.elastic) return Math.min(Math.max(this.mean + this.sd * this.rng.normal(), 0), room);
    const dt = time - this.lastTime;
    this.lastTime = time;
    // The OU shock, exact over any gap; the first block draws it from its stationary law.
    if (!(dt >= 0)) this.x = this.sigma * this.rng.normal();
    else if (dt === this.gap) this.x = this.phiGap * this.x + this.sigma * this.sGap * this.rng.normal();
    else {
      const phi = Math.exp(-this.lambda * dt);
      this.x = phi * this.x + this.sigma * Math.sqrt(1 - phi * phi) * this.rng.normal();
    }
    const eps = this.noise > 0 ? this.noise * this.rng.normal() : 0;
    // A zero fee gives +∞ demand, held to the room left: the block fills.
    const g = Math.exp(this.a - this.beta * (Math.log(baseFee) - this.lnRef) + this.x + eps);
    return g < room ? g : room;
  }
}

/** The fee of each block from a replayed file: a cursor over its keys, advanced as blocks pass. */
export class FeeReplay {
  private i = 0;
  constructor(private readonly r: BaseFeeReplay) {}

  /** Base fee of block `block` built at `time`: that of the last key at or before it. */
  feeAt(block: number, time: number): number {
    const key = this.r.by === 'block' ? block : time;
    const at = this.r.at;
    while (this.i + 1 < at.length && at[this.i + 1]! <= key) this.i++;
    return this.r.fees[this.i]!;
  }
}
