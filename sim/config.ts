/** The engine's configuration: what `simulate()` takes. Scenario files are loaded into this. */
import type { Agent } from './agent';
import type { BackgroundConfig, BaseFeeReplay } from './background';
import type { BaseFeeRule, GasTable } from './gas';
import type { MarketConfig } from './market/market';

export type Ordering = 'priority' | 'fcfs' | 'random';

export interface ChainConfig {
  /** Seconds between blocks (the mean when `blockTimes` is exponential). */
  blockTime: number;
  /** `fixed` (L1 12 s, L2 2 s or 0.25 s) or `exponential` gaps (Poisson blocks). Default fixed. */
  blockTimes?: 'fixed' | 'exponential';
  /** Gas limit per block. Default 30,000,000. */
  gasLimit?: number;
  /** Initial base fee (gwei) and its rule. Default 10 gwei, EIP-1559, floor 0. */
  baseFee?: { initial: number } & Partial<BaseFeeRule>;
  /** How the builder orders transactions. Default priority. */
  ordering?: Ordering;
  /** Token gas is paid in. */
  nativeToken: string;
  gas?: Partial<GasTable>;
  /**
   * Gas used per block by everyone outside the simulation, at most the room the agents left. It only
   * moves the base fee (those users tip less than the agents and so fill the block after them).
   * `normal` (no `model`): drawn from a normal each block; `elastic`: answers the base fee, so the fee
   * is stationary (sim/background.ts). Default none.
   */
  background?: BackgroundConfig;
  /** Base fees replayed from history: they override `baseFee`'s rule, floor and cap, and `background`. */
  baseFeeReplay?: BaseFeeReplay;
  /**
   * Minimum fee bump for replacing a pending transaction (same sender and nonce): both the priority
   * fee and the max fee must rise strictly and by at least this fraction. Default 0.1 (geth).
   */
  replacementBump?: number;
  /**
   * Blocks a transaction may wait in the mempool (counted from the first block it could enter) before
   * it expires, dropped unincluded and paying nothing. Default: 3 hours of blocks (geth's pool
   * lifetime), round(10800 / blockTime) — 900 at 12 s.
   */
  mempoolTtl?: number;
}

export interface CexConfig {
  /** Token CEX orders are priced and settled in (e.g. USD). */
  quote: string;
  halfSpreadBps?: number;
  feeBps?: number;
  /** Linear temporary impact: the fill price moves by `impact · qty` as a fraction (qty in token units). */
  impact?: number;
}

export type TokenPrice = { asset: string } | { usd: number };

export interface TokenConfig {
  id: string;
  /** How the token is valued: by a reference asset, or a fixed USD price. Default: the asset of the same name. */
  price?: TokenPrice;
}

export type VenueConfig =
  | {
      kind: 'cpmm';
      id: string;
      tokens: readonly [string, string];
      feeBps: number;
      /** `uniswap` (pro-rata, first mint √(xy)) or `invariant` (Uniteum compound forge: 2√(xy), fee 0). */
      shares?: 'uniswap' | 'invariant';
      /** Name of the LP share token. Default `LP-<id>`. */
      lpToken?: string;
    }
  | {
      kind: 'triad';
      id: string;
      /** The unit U (created unless it is already a token, e.g. a compound pool's share token). */
      unit: string;
      /** The reciprocal 1/U. Default `1/<unit>`. */
      reciprocal?: string;
      /** The invariant token. Default `1`. */
      one?: string;
      /** Anchored unit: wraps this token 1:1, k = 1. Default none (floating, k = 2). */
      anchor?: string;
      /** Honour a minimum-"1" bound on forge (a mechanism-design variant; the contract has none). */
      protected?: boolean;
    };

export interface SimConfig {
  seed: number | string;
  /** Number of blocks to produce. */
  blocks: number;
  chain: ChainConfig;
  market: MarketConfig & { cex?: CexConfig };
  tokens: readonly TokenConfig[];
  venues: readonly VenueConfig[];
  agents: readonly Agent[];
  /**
   * The one point P&L is measured from (docs/outputs.md): the end of a block (0: right after
   * genesis), or the end of the first block at or after a time in seconds. Default: before genesis,
   * so that what genesis costs counts as activity.
   */
  measureFrom?: { block: number } | { time: number };
  /**
   * Agents (by id) that join later: set up and funded at genesis with the others, but with no
   * genesis calls, wake-ups or mempool views until `Kernel.admit` (a fork's new agents). Their
   * streams are their own, so the others' draws do not change. Default none.
   */
  dormant?: readonly string[];
  /** Check conservation of every token, balances and the triad invariant after every transaction and block. Default false. */
  checkInvariants?: boolean;
  /**
   * `float` (default): float64 amounts, fast. `exact`: wei as bigint with the contracts' rounding
   * (floor division, floor square root), to reproduce on-chain results to the wei. Pool fees must be
   * whole pips (0.0001 bp).
   */
  numeric?: 'float' | 'exact';
}
