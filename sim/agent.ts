/**
 * The agent contract. An agent is a decision function over a read-only view plus its own random
 * stream; it acts only by handing transactions and CEX orders to its outbox. The engine alone owns
 * the clock, delivery (with latency), fees and the world state; it knows no agent kind.
 */
import type { Ordering } from './config';
import type { Stream } from './rng';
import type { Tx, TxStatusCode, RevertCode } from './tx';

/** A token amount: a number, or a decimal string (exact to the wei in exact-integer mode). */
export type Amount = number | string;

/** When `act` is called. */
export type Schedule =
  /** Every block, just before the builder collects transactions. */
  | { kind: 'block' }
  /** At the arrivals of a Poisson process with the given mean interval (seconds). */
  | { kind: 'poisson'; meanInterval: number }
  /** Every `seconds`, first at `offset` (default: one interval in). */
  | { kind: 'interval'; seconds: number; offset?: number }
  /** Never on its own: only genesis, mempool and receipt hooks. */
  | { kind: 'never' };

/** A delay in seconds: fixed, or drawn per use from the agent's `latency:<id>` stream. */
export type Latency =
  | number
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'exponential'; mean: number; min?: number };

export interface AgentLatencies {
  /** From submission to the mempool (or, for private transactions, to the builder). */
  network?: Latency;
  /** Age of the reference prices the agent sees. */
  price?: number;
  /** Seconds from a public transaction's arrival in the mempool to the agent seeing it. */
  mempool?: number;
  /** From a CEX order to its fill. */
  cex?: Latency;
}

/** A transaction as agents see it: read-only. */
export interface TxView {
  readonly id: number;
  readonly agent: number;
  /** The sender's account nonce it uses. */
  readonly nonce: number;
  readonly callCount: number;
  readonly calls: readonly {
    readonly venue: number;
    readonly op: number;
    readonly side: number;
    readonly a: number;
    readonly b: number;
    readonly boundA: number;
    readonly boundB: number;
    readonly outA: number;
    readonly outB: number;
    readonly outC: number;
  }[];
  readonly gasLimit: number;
  readonly maxFee: number;
  readonly priorityFee: number;
  readonly deadline: number;
  readonly isPrivate: boolean;
  readonly arrivalTime: number;
  readonly tag: number;
  readonly status: TxStatusCode;
  readonly revert: RevertCode;
  readonly block: number;
  readonly position: number;
  readonly gasUsed: number;
  readonly gasCostUsd: number;
  /** Bundle id, or -1. */
  readonly bundle: number;
  /** For a searcher's own bundle legs: the id of the other agent's transaction in the bundle, or -1. */
  readonly victim: number;
  /** Priority fee per gas actually paid, and the base fee, at inclusion (gwei). */
  readonly effectivePriority: number;
  readonly baseFee: number;
}

/** The fields an agent may still set on a transaction it has just created, before `act` returns. */
export type TxDraft = Pick<Tx, 'id' | 'gasLimit' | 'maxFee' | 'priorityFee' | 'deadline' | 'isPrivate' | 'tag'>;

export interface VenueInfo {
  readonly id: string;
  readonly index: number;
  readonly kind: 'cpmm' | 'triad';
  /** cpmm: [token0, token1]; triad: [unit U, reciprocal 1/U]. */
  readonly tokens: readonly [number, number];
  /** cpmm: the LP share token; triad: the "1" token. */
  readonly shareToken: number;
  /** cpmm: the fee as a fraction (0.003); triad: 0. */
  readonly fee: number;
  /** triad: 2 floating, 1 anchored; cpmm: 0. */
  readonly k: number;
  /** cpmm with `shares: invariant` (compound forge); triad with a minOut bound honoured. */
  readonly variant: 'uniswap' | 'invariant' | 'unprotected' | 'protected';
}

/** Read-only view of the world, as of the last block, from this agent's seat. */
export interface View {
  /** Simulated time, seconds. */
  readonly time: number;
  /** Number of the next block to be built. */
  readonly block: number;
  /** Base fee for the next block, gwei per gas. */
  readonly baseFee: number;
  /** This agent's index. */
  readonly self: number;

  /** Reference price of an asset as this agent sees it (its price latency applies). */
  refPrice(asset: number): number;
  /** Current volatility of an asset's process, per year (NaN for scripted paths). */
  volatility(asset: number): number;
  /** USD price of a token as this agent sees it (reference-priced tokens with its latency; LP and triad tokens marked). */
  priceUsd(token: number): number;

  balance(token: number): number;
  /** Exact-integer mode: this agent's balance as an exact decimal string; undefined in float mode. */
  balanceExact(token: number): string | undefined;
  cexBalance(token: number): number;
  balanceOf(agent: number, token: number): number;
  supply(token: number): number;

  reserve(venue: number, side: number): number;
  /** Exact-integer mode: a cpmm reserve (or a triad supply) in wei; undefined in float mode. */
  reserveWei(venue: number, side: number): bigint | undefined;
  totalShares(venue: number): number;
  /** cpmm: price of token0 in token1; triad: price of U in "1". */
  venuePrice(venue: number): number;

  /**
   * An agent's value now, USD, as its P&L marks it: wallet + CEX account at marks (LP shares at
   * their part of the reserves, triad units at their marginal price) + off-ledger positions.
   */
  agentValue(agent: number): number;
  /**
   * An agent's holdings (wallet and CEX account) looked through to reference tokens as its P&L's H
   * is (LP shares as reserves, U and 1/U as "1"), by token index, into `out` (overwritten; length
   * tokenCount).
   */
  lookThrough(agent: number, out: Float64Array): void;
  /** USD value of holdings by token index (as lookThrough fills them) at the marks now. */
  heldValue(held: Float64Array): number;
  /** Agents in a cohort (SetupContext.cohort), in the order they joined: how many, and the j-th. */
  cohortSize(cohort: number): number;
  cohortAgent(cohort: number, j: number): number;

  /** Gas used by a transaction of one call of this op (Op codes). */
  gasFor(op: number): number;
  /** Gas used by one transaction of these calls, in order (the intrinsic gas paid once). */
  gasForCalls(ops: readonly number[]): number;
  /** USD cost of `gas` at the next block's base fee plus `priorityFee` gwei. */
  gasCostUsd(gas: number, priorityFee: number): number;

  /** Public transactions this agent can see in the mempool (its mempool latency applies). */
  mempool(): readonly TxView[];
  /**
   * The nonce this agent's next new transaction will get (a wallet's `pending` nonce): the lowest at
   * or above its account nonce not held by one of its transactions still waiting — a nonce freed by a
   * dropped transaction is reused first.
   */
  nonce(): number;
  /**
   * An agent's account nonce on chain, as of the last block: the nonce its next transaction to be
   * included must carry (public state, like eth_getTransactionCount 'latest'). A pending
   * transaction of that agent with a higher nonce waits behind its predecessors — a bundle built
   * around it fails until they have run.
   */
  accountNonce(agent: number): number;
  /**
   * This agent's transactions whose receipts it has not yet received, in send order — in flight,
   * pending, in a bundle, and also those already final whose receipt is still travelling (the agent
   * does not know yet). Each reads as the agent knows it: status in-flight until the mempool took it,
   * then pending (one refused on arrival — a rejected replacement, a used nonce — reads in flight
   * until its receipt, so pending means accepted); no outcome fields. Valid during the call only (the objects are reused).
   */
  ownPending(): readonly TxView[];
  /** How many transactions ownPending() would list (cheaper). */
  pendingCount(): number;
}

/** Where an agent puts what it wants done. Each method returns the new transaction for adjustment. */
export interface Outbox {
  /** Defaults for transactions created from now until `act` returns. */
  setPriorityFee(gwei: number): void;
  setPrivate(isPrivate: boolean): void;
  setTag(tag: number): void;
  /** Blocks of validity from the next block (Infinity: none). */
  setDeadline(blocks: number): void;
  /**
   * The agent (index) the transactions created from now on aim at, -1 for none (the default): an
   * adversary names the rebalancer it pushes against. It is only recorded (the log's `target`); a
   * bundle's own legs name the sender of the transaction they were built around by themselves.
   */
  setTarget(agent: number): void;

  swap(venue: number, side: number, amountIn: number, minOut: number): TxDraft;
  swapExactOut(venue: number, side: number, amountOut: number, maxIn: number): TxDraft;
  addLiquidity(venue: number, amount0: number, amount1: number, minShares: number): TxDraft;
  removeLiquidity(venue: number, shares: number, min0: number, min1: number): TxDraft;
  /** Forge (du, dv) on a triad (or a compound pool); `minOne` is honoured only by protected venues. */
  forge(venue: number, du: number, dv: number, minOne: number): TxDraft;
  /**
   * Exact-integer mode: decimal amounts for the last call created, overriding its float a, b and
   * bounds (undefined keeps the float one). Ignored in float mode.
   */
  exact(a?: string, b?: string, boundA?: string, boundB?: string): void;
  /**
   * While on, every venue call goes into one transaction (the first one created in the batch), so a
   * hedger rebalancing several positions pays the intrinsic gas once. All or nothing.
   */
  batch(on: boolean): void;
  /** Append another call to the transaction created last (calls run in order, all or nothing). */
  andSwap(venue: number, side: number, amountIn: number, minOut: number): void;
  andForge(venue: number, du: number, dv: number, minOne: number): void;

  /**
   * Resend one of this agent's transactions (one listed by ownPending) with the same nonce and calls
   * and new fees. The mempool takes it in place of the old one only if both the priority fee and the
   * max fee are strictly higher, each by at least `chain.replacementBump` (REPLACEMENT_REJECTED
   * otherwise); if the old one was included meanwhile it is dropped (NONCE_USED). Returns the new
   * transaction, or null if the id is not one of ownPending's.
   */
  replace(txId: number, priorityFee: number, maxFee: number): TxDraft | null;
  /**
   * Cancel one of this agent's transactions: a transaction with its nonce and no calls (a plain
   * transfer, intrinsic gas), under the same replacement rule. If it replaces the old one it is
   * included like any other, paying the intrinsic gas. Returns it, or null as `replace`.
   */
  cancel(txId: number, priorityFee: number, maxFee: number): TxDraft | null;
  /**
   * Send an all-or-nothing bundle to the builder: this agent's new transactions (drafts created in
   * this call and not yet sent) and other agents' pending transaction ids, in execution order.
   */
  bundle(parts: readonly (TxDraft | number)[]): void;

  /** A CEX order: buy (qty > 0) or sell (qty < 0) `token` against the CEX quote token. */
  cexOrder(token: number, qty: number): void;
  /**
   * Settle an over-the-counter contract with the off-chain desk: receive (amount > 0) or pay
   * (amount < 0) `token` in the CEX account, at once — an option premium, a payoff at expiry.
   * It is counted in the agent's `options` P&L with its off-ledger positions.
   */
  otc(token: number, amount: number): void;
}

/** What an agent may ask for once, before the run. */
export interface SetupContext {
  readonly agentIndex: number;
  /** The agent's own random stream, `agent:<id>` (or `agent:<id>:<name>` for more). */
  stream(name?: string): Stream;
  token(name: string): number;
  asset(name: string): number;
  venue(name: string): number;
  venueInfo(index: number): VenueInfo;
  /** Index of another agent by id. */
  agent(id: string): number;
  /** Intern a tag name (e.g. 'arbitrage') for transaction records. */
  tag(name: string): number;
  /**
   * Join the cohort `name` (agents that compare themselves, e.g. `lp@pool`: the agent makes the name,
   * the engine knows nothing of it) and get its index, for View.cohortSize/cohortAgent.
   */
  cohort(name: string): number;
  /** Number of tokens: the length of a holdings array (View.lookThrough). */
  readonly tokenCount: number;
  readonly nativeToken: number;
  /** The token CEX orders are priced in, or -1 when the market has no CEX. */
  readonly cexQuote: number;
  readonly blockInterval: number;
  /** The chain's ordering rule: under `fcfs` a priority fee buys no position (see docs/scenarios.md). */
  readonly ordering: Ordering;
  /** The minimum fee raise, as a fraction, for a replacement to be accepted (both fees). */
  readonly replacementBump: number;
  /** Blocks a transaction may wait in the mempool before it expires. */
  readonly mempoolTtl: number;
}

/**
 * Names for the checks before the run (`Agent.preflight`): what an agent needs to word a warning
 * as the scenario does.
 */
export interface PreflightContext {
  tokenName(token: number): string;
  venueName(venue: number): string;
  /** Index of a venue by id (-1 if none). */
  venue(id: string): number;
  venueInfo(index: number): VenueInfo;
  /** Index of an agent by id (-1 if none). */
  agent(id: string): number;
  readonly nativeToken: number;
}

/** A problem in an agent's configuration, found after genesis; the engine locates and words it. */
export interface AgentWarning {
  /** Stable identifier (docs/outputs.md lists them). */
  code: string;
  /** Path inside the agent's entry of the scenario: `balances.ETH`, `deposit`, `target`. */
  field: string;
  /** Index of the venue it concerns, if any. */
  venue?: number;
  message: string;
  /** It says why the agent has no native token for gas: the generic NO_GAS_TOKEN is not repeated. */
  explainsGas?: boolean;
}

/** How an agent will act, as configured, for the checks before the run (sim/preflight.ts). */
export interface AgentPlan {
  /** It sends transactions after genesis (and so pays gas in the native token). */
  sends?: boolean;
  /** It may bid a priority fee beyond its default one (a bid rule): it needs gas even at a zero base fee. */
  bids?: boolean;
  /**
   * When it sends transactions to the public mempool: `never` (none, or all private or bundled),
   * `on-schedule` (only when it acts on its schedule), `also-on-events` (also on receipts or on
   * what it sees in the mempool).
   */
  publicTxs?: 'never' | 'on-schedule' | 'also-on-events';
  /** Its strategy acts on others' public transactions: any agent's (true), or these agents' only. */
  watches?: boolean | readonly number[];
  warnings?: AgentWarning[];
}

export interface Agent {
  readonly id: string;
  readonly kind: string;
  readonly schedule: Schedule;
  /** Initial wallet balances by token name (a decimal string is exact in exact-integer mode). */
  readonly balances?: Readonly<Record<string, Amount>>;
  /** Initial CEX balances by token name (the CEX account may go negative: margin). */
  readonly cexBalances?: Readonly<Record<string, Amount>>;
  readonly latency?: AgentLatencies;
  /** Default priority fee of its transactions, gwei per gas (0 if absent). */
  readonly priorityFee?: number;
  /**
   * True for MEV searchers: their whole trading P&L is reported as `mev` (extraction). For every
   * other agent `mev` is its executions against the same trades at the top of their blocks.
   */
  readonly extractsMev?: boolean;

  /**
   * Parameters a fork may change while the run goes on (docs/forks.md): paths into the agent's
   * spec (`tolerance`, `trigger`) whose new values `reconfigure` applies, keeping the agent's state
   * and streams. A changed path at or inside one of them is live; any other change is refused.
   */
  readonly liveParams?: readonly string[];
  /**
   * Take the new values of `liveParams` from `spec`, the agent's whole new spec, between blocks.
   * A schedule it changes takes effect through the kernel (`Kernel.reschedule`).
   */
  reconfigure?(spec: unknown): void;
  /** Resolve names to indices, take streams. Called once, before genesis. */
  setup?(ctx: SetupContext): void;
  /** Calls executed at time 0 with no gas and no fee (initial deposits, initial forges). */
  genesis?(view: View, out: Outbox): void;
  act?(view: View, out: Outbox): void;
  /** A public transaction became visible to this agent. */
  onMempool?(view: View, out: Outbox, tx: TxView): void;
  /**
   * The receipt of one of this agent's transactions: included (with its calls' results and the gas
   * paid), reverted (with `revert`), or dropped (REPLACED, REPLACEMENT_REJECTED, NONCE_USED, EXPIRED,
   * BUNDLE_FAILED, INSUFFICIENT_FUNDS_FOR_GAS). It arrives after the agent's `latency.network` (a
   * fresh draw) from the end of the block the transaction became final in (one dropped on arrival:
   * the next block) — at that block's end for zero latency. `tx` is valid during the call only.
   */
  onReceipt?(view: View, out: Outbox, tx: TxView): void;
  /** Extra per-agent figures for the run summary. */
  metrics?(view: View): Record<string, number>;
  /**
   * USD mark of positions the agent holds outside the ledger (OTC options, at the agent's own
   * model, negative when short). Added to its value and to its `options` P&L.
   */
  offLedgerValue?(view: View): number;
  /** How it will act and what in its configuration will go wrong, read after genesis (must not change anything). */
  preflight?(view: View, ctx: PreflightContext): AgentPlan;
}
