/** Evaluate a trigger spec: one small rule per kind (see types.ts). */
import type { LastRebalance, TriggerInput, TriggerSpec } from './types';

export type { LastRebalance, TriggerInput, TriggerSpec, TriggerKind } from './types';

/** Value-ratio band. */
export function bandFires(band: number, x: TriggerInput): boolean {
  return x.valueRatio > 1 + band || x.valueRatio < 1 / (1 + band);
}

/** Price move since the last rebalance. */
export function priceMoveFires(threshold: number, last: LastRebalance, x: TriggerInput): boolean {
  return Math.abs(x.price / last.price - 1) >= threshold;
}

/** Unrealised gain beyond a multiple of the cost of acting. */
export function profitGasFires(multiple: number, x: TriggerInput): boolean {
  return x.gainUsd > multiple * x.costUsd;
}

/** Fixed interval since the last rebalance. */
export function intervalFires(seconds: number, last: LastRebalance, x: TriggerInput): boolean {
  return x.time - last.time >= seconds - 1e-9;
}

/** The band the volatility-regime trigger applies now. */
export function regimeBand(spec: { band: number; referenceVol: number; minBand?: number; maxBand?: number }, realisedVol: number): number {
  const scaled = Number.isFinite(realisedVol) && realisedVol > 0 ? (spec.band * spec.referenceVol) / realisedVol : spec.band;
  return Math.min(Math.max(scaled, spec.minBand ?? 0), spec.maxBand ?? Infinity);
}

export function fires(spec: TriggerSpec, last: LastRebalance, x: TriggerInput): boolean {
  switch (spec.kind) {
    case 'band':
      return bandFires(spec.band, x);
    case 'price-move':
      return priceMoveFires(spec.threshold, last, x);
    case 'profit-gas':
      return profitGasFires(spec.multiple, x);
    case 'interval':
      return intervalFires(spec.seconds, last, x);
    case 'vol-regime':
      return bandFires(regimeBand(spec, x.realisedVol), x);
    case 'delta-band':
      return x.deviation > spec.band;
    case 'whalley-wilmott':
      return x.deviation > x.wwHalfWidth;
    case 'gas-ceiling':
      return x.baseFee <= spec.gwei && fires(spec.trigger, last, x);
    case 'any':
      return spec.triggers.some((t) => fires(t, last, x));
  }
}

/** Does the trigger read the unrealised gain (so the hedger must value its position)? */
export function needsGain(spec: TriggerSpec): boolean {
  if (spec.kind === 'profit-gas') return true;
  if (spec.kind === 'gas-ceiling') return needsGain(spec.trigger);
  if (spec.kind === 'any') return spec.triggers.some(needsGain);
  return false;
}

/** Realised volatility by an exponentially weighted mean of squared log returns (per year). */
export class RealisedVol {
  private variance = NaN;
  private lastPrice = NaN;
  private lastTime = NaN;
  private cachedDt = NaN;
  private cachedWeight = 0;

  /** @param halfLife seconds over which an observation's weight halves */
  constructor(private readonly halfLife: number) {}

  observe(time: number, price: number): void {
    if (Number.isFinite(this.lastPrice) && time > this.lastTime) {
      const dt = time - this.lastTime;
      const r = Math.log(price / this.lastPrice);
      const perSecond = (r * r) / dt;
      // Agents usually look at a fixed interval: cache the weight for it.
      if (dt !== this.cachedDt) {
        this.cachedDt = dt;
        this.cachedWeight = 1 - Math.pow(0.5, dt / this.halfLife);
      }
      const w = this.cachedWeight;
      this.variance = Number.isFinite(this.variance) ? this.variance + w * (perSecond - this.variance) : perSecond;
    }
    this.lastPrice = price;
    this.lastTime = time;
  }

  /** Per year. */
  get value(): number {
    return Math.sqrt(this.variance * 365 * 24 * 3600);
  }
}
