/**
 * Rebalancing triggers: small pure functions of (their parameters, the last rebalance, what the
 * hedger observes now). Triggers act on values and deltas, never on token balances — balances do not
 * move when prices do, so a balance-ratio trigger never fires (the seed notes' bot).
 */

/** What a hedger observes each time it acts. */
export interface TriggerInput {
  /** Seconds. */
  time: number;
  /** The hedge's price (triad: price of U in "1"; option: the underlying's reference price). */
  price: number;
  /** Value of the first leg over the second (1 at target); NaN when the hedge has no legs. */
  valueRatio: number;
  /** Distance from target in the hedge's own units: |delta error| in underlying units, or |ratio − 1|. */
  deviation: number;
  /** Mark-to-market gain since the last rebalance, USD. */
  gainUsd: number;
  /** Estimated cost of one rebalance now (gas at the current base fee, plus trading costs), USD. */
  costUsd: number;
  /** Base fee for the next block, gwei. */
  baseFee: number;
  /** The hedger's estimate of realised volatility, per year (NaN until it has one). */
  realisedVol: number;
  /** Whalley–Wilmott half-width for the current state, in the same units as `deviation` (option hedges). */
  wwHalfWidth: number;
}

/** The state at the last rebalance (or entry). */
export interface LastRebalance {
  time: number;
  price: number;
}

export type TriggerSpec =
  /** Value-ratio band: fire when the legs' value ratio leaves [1/(1+band), 1+band]. */
  | { kind: 'band'; band: number }
  /** Price move since the last rebalance: |p/p_last − 1| ≥ threshold. */
  | { kind: 'price-move'; threshold: number }
  /** Unrealised gain above `multiple` × the estimated cost of rebalancing. */
  | { kind: 'profit-gas'; multiple: number }
  /** Every `seconds` since the last rebalance. */
  | { kind: 'interval'; seconds: number }
  /**
   * Volatility regime: a value-ratio band scaled by referenceVol / realisedVol (tighter when realised
   * volatility is high), clamped to [minBand, maxBand].
   */
  | { kind: 'vol-regime'; band: number; referenceVol: number; minBand?: number; maxBand?: number }
  /** Delta band: fire when |delta error| exceeds `band` (underlying units per unit of position). */
  | { kind: 'delta-band'; band: number }
  /** Whalley–Wilmott no-trade band around the Black–Scholes delta (the hedger supplies its width). */
  | { kind: 'whalley-wilmott' }
  /** Gas-price ceiling: let the inner trigger fire only while the base fee is at most `gwei`. */
  | { kind: 'gas-ceiling'; gwei: number; trigger: TriggerSpec }
  /** Fire when any of the triggers fires. */
  | { kind: 'any'; triggers: TriggerSpec[] };

export type TriggerKind = TriggerSpec['kind'];
