/** The hedges a hedger can hold, and the small interface each implements. */
import type { Outbox, SetupContext, TxView, View } from '../../sim/agent';

/** The seed's volatility hedge: equal value of U and 1/U in a reciprocal triad. */
export interface TriadParitySpec {
  kind: 'triad-parity';
  venue: string;
  /** "1" to commit at entry (a pool-proportional forge that leaves the price unchanged). */
  budget?: number;
  /** Or: units of each side to forge, when the triad is empty (at parity, price 1). */
  units?: number;
  /**
   * On a `protected` triad, the least "1" its forges accept: the quote less this fraction of the
   * value traded. Default 0.005. (An unprotected triad, like the contract, takes no bound.)
   */
  slippage?: number;
}

/** A European option held OTC, delta-hedged on the CEX or on a pool. */
export interface OptionSpec {
  kind: 'option';
  option: 'call' | 'put';
  /** Strike in quote units; `atm` = the reference price at entry. */
  strike: number | 'atm';
  /** Seconds from entry to expiry. */
  expiry: number;
  /** Number of options. */
  quantity: number;
  position: 'short' | 'long';
  /** Reference asset of the underlying. */
  asset: string;
  /** Token hedged with (default: the asset's name). */
  token?: string;
  /** Volatility the option is priced at (per year). */
  impliedVol: number;
  /** Volatility the hedge delta uses: a number (per year) or `implied` (default). */
  hedgeVol?: number | 'implied';
  /** `cex` (default) or the id of a cpmm venue pairing the token with the quote. */
  hedgeOn?: string;
  /** Slippage tolerance of hedge swaps on a pool. Default 0.01. */
  slippage?: number;
  /**
   * Where the spot price for delta comes from: `reference` (default, the off-chain market) or `pool`
   * (the spot price of the `hedgeOn` pool — an on-chain oracle, which others can push).
   */
  priceFrom?: 'reference' | 'pool';
}

/** A constant-mix portfolio: token weights by value, rebalanced on the CEX. */
export interface ConstantMixSpec {
  kind: 'constant-mix';
  /** Target weights by token (summing to 1), e.g. { ETH: 0.5, USD: 0.5 }. */
  weights: Record<string, number>;
}

export type HedgeSpec = TriadParitySpec | OptionSpec | ConstantMixSpec;

/** What a hedge reports for the trigger and for accounting. */
export interface HedgeState {
  price: number;
  valueRatio: number;
  deviation: number;
  /** Value of the hedge position, USD (off-ledger parts included). */
  valueUsd: number;
  /** Whalley–Wilmott half-width (option hedges), else NaN. */
  wwHalfWidth: number;
  /** Non-gas cost of a rebalance now (spread, fees), USD. */
  tradeCostUsd: number;
}

export function emptyState(): HedgeState {
  return { price: NaN, valueRatio: NaN, deviation: 0, valueUsd: 0, wwHalfWidth: NaN, tradeCostUsd: 0 };
}

/** Fill a state object (the one given, or a new one). */
export function fillState(into: HedgeState | undefined, price: number, valueRatio: number, deviation: number, valueUsd: number, wwHalfWidth: number, tradeCostUsd: number): HedgeState {
  const s = into ?? emptyState();
  s.price = price;
  s.valueRatio = valueRatio;
  s.deviation = deviation;
  s.valueUsd = valueUsd;
  s.wwHalfWidth = wwHalfWidth;
  s.tradeCostUsd = tradeCostUsd;
  return s;
}

export interface Hedge {
  readonly spec: HedgeSpec;
  /** Gas of one rebalance transaction (0 when it trades off-chain). */
  readonly gas: number;
  /**
   * True when entering takes the position off-chain at once (an OTC option): a failed entry trade
   * is then not an entry to retry, the next look's rebalance restores the hedge instead.
   */
  readonly entryOffChain?: boolean;
  setup(ctx: SetupContext): void;
  /** Take the position. */
  enter(view: View, out: Outbox): void;
  /**
   * The hedge's state now, written into `into` when given (no allocation in the per-block loop).
   * `withValue: false` lets a hedge skip valuing its position (NaN) when no trigger reads the gain.
   */
  state(view: View, into?: HedgeState, withValue?: boolean): HedgeState;
  /** Restore the target. Returns false if there was nothing to do. */
  rebalance(view: View, out: Outbox): boolean;
  /** Called every time the hedger acts, before triggers (expiry, settlement). */
  tick?(view: View, out: Outbox): void;
  /** One of the hedger's transactions became final. */
  onReceipt?(tx: TxView): void;
  /** What `enter` sent at genesis has executed (genesis calls land at once and send no receipts). */
  onGenesis?(): void;
  /** Mark of positions held off the ledger (an option), USD. */
  offLedgerValue?(view: View): number;
  metrics?(): Record<string, number>;
}
