/**
 * Shared by the searcher tests: the pool formulas written out (the oracles), a small ETH/USD world
 * with a scripted LP, a triad world, and a runner that keeps every transaction record
 * (recordTransactions) next to the result.
 */
import { expect } from 'vitest';
import { createAgent, type AgentSpec } from '../../agents';
import type { Agent } from '../../sim/agent';
import type { ChainConfig, SimConfig, VenueConfig } from '../../sim/config';
import type { MarketConfig } from '../../sim/market/market';
import { recordTransactions, type TxRecord } from '../../sim/record';
import type { AgentResult, SimResult } from '../../sim/result';
import { Simulation } from '../../sim/simulation';

export const GWEI = 1e-9;
export const SWAP_GAS = 110_000;
export const FORGE_GAS = 100_000;
export const BASE_FEE = 10;
export const ETH_USD = 2000;
/** The pool of the worked examples: 1000 ETH against 2,000,000 USD, 30 bp. */
export const POOL_ETH = 1000;
export const POOL_USD = 2_000_000;
export const PHI = 0.997;

/** Uniswap v2 output for an exact input, from (x + φΔ)(y − out) = x·y: out = y·φΔ / (x + φΔ). */
export function xyOut(amountIn: number, reserveIn: number, reserveOut: number, phi: number): number {
  const inWithFee = phi * amountIn;
  return (reserveOut * inWithFee) / (reserveIn + inWithFee);
}

/** Uniswap v2 input for an exact output, from (x + φΔ)(y − out) = x·y: Δ = x·out / (φ(y − out)). */
export function xyIn(amountOut: number, reserveIn: number, reserveOut: number, phi: number): number {
  return (reserveIn * amountOut) / (phi * (reserveOut - amountOut));
}

export interface Sandwiched {
  frontOut: number;
  victimOut: number;
  backOut: number;
  /** backOut − f, in the victim's input token. */
  profit: number;
}

/** Replay [front f, victim Δ, back] on reserves (x in, y out) with the x·y formula. */
export function replaySandwich(x: number, y: number, phi: number, f: number, victimIn: number): Sandwiched {
  const frontOut = f > 0 ? xyOut(f, x, y, phi) : 0;
  const x1 = x + f;
  const y1 = y - frontOut;
  const victimOut = xyOut(victimIn, x1, y1, phi);
  const backOut = frontOut > 0 ? xyOut(frontOut, y1 - victimOut, x1 + victimIn, phi) : 0;
  return { frontOut, victimOut, backOut, profit: backOut - f };
}

/** Replay [front f, victim receiving exactly `victimOut`, back] on reserves (x in, y out) with the x·y formulas. */
export function replaySandwichExactOut(x: number, y: number, phi: number, f: number, victimOut: number): Sandwiched & { victimIn: number } {
  const frontOut = f > 0 ? xyOut(f, x, y, phi) : 0;
  const x1 = x + f;
  const y1 = y - frontOut;
  const victimIn = xyIn(victimOut, x1, y1, phi);
  const backOut = frontOut > 0 ? xyOut(frontOut, y1 - victimOut, x1 + victimIn, phi) : 0;
  return { frontOut, victimIn, victimOut, backOut, profit: backOut - f };
}

/** Brute force: the largest f (to ~1e-15 relative) for which `ok` holds, given it holds at 0 and fails further out, by doubling then bisection. */
export function largestBy(ok: (f: number) => boolean, x: number): number {
  if (!ok(0)) return 0;
  let lo = 0;
  let hi = x * 1e-12;
  while (ok(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > 1e30) return Infinity;
  }
  for (let i = 0; i < 200 && hi - lo > lo * 1e-16; i++) {
    const mid = (lo + hi) / 2;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The largest front-run that leaves the victim at least `minOut`. */
export function boundByBisection(x: number, y: number, phi: number, victimIn: number, minOut: number): number {
  return largestBy((f) => replaySandwich(x, y, phi, f, victimIn).victimOut >= minOut, x);
}

/** Floating triad forge: "1" received k·(√(u·v) − √((u+du)(v+dv))). */
export function forgeOne(u: number, v: number, du: number, dv: number, k: number): number {
  return k * (Math.sqrt(u * v) - Math.sqrt((u + du) * (v + dv)));
}

/** |actual/expected − 1| ≤ tol (absolute when expected is 0). */
export function expectRel(actual: number, expected: number, tol: number, what: string): void {
  const err = expected === 0 ? Math.abs(actual) : Math.abs(actual / expected - 1);
  expect(err, `${what}: ${actual} vs ${expected} (relative error ${err})`).toBeLessThanOrEqual(tol);
}

export const lp = (): Agent =>
  createAgent({ kind: 'scripted', id: 'lp', balances: { ETH: POOL_ETH, USD: POOL_USD }, actions: [{ do: 'addLiquidity', venue: 'pool', amounts: [POOL_ETH, POOL_USD], genesis: true }] });

/** A victim that, before block `block`, pays `amount` of `pay` for at least `minOut`, arriving 1 s later (visible before the next block). */
export function victim(opts: { block: number; pay?: 'USD' | 'ETH'; amount: number; minOut: number; private?: boolean; id?: string; priorityFee?: number }): Agent {
  const pay = opts.pay ?? 'USD';
  return createAgent({
    kind: 'scripted',
    id: opts.id ?? 'victim',
    balances: { ETH: 10 + (pay === 'ETH' ? opts.amount : 0), USD: pay === 'USD' ? opts.amount : 0 },
    latency: { network: 1 },
    actions: [{ do: 'swap', venue: 'pool', pay, amount: opts.amount, minOut: opts.minOut, block: opts.block, ...(opts.private ? { private: true } : {}), ...(opts.priorityFee !== undefined ? { priorityFee: opts.priorityFee } : {}) }],
  });
}

/** A victim that, before block `block`, receives exactly `amount` of `receive` for at most `maxIn`, arriving 1 s later. */
export function exactOutVictim(opts: { block: number; receive?: 'USD' | 'ETH'; amount: number; maxIn: number; balance?: number; id?: string }): Agent {
  const receive = opts.receive ?? 'ETH';
  const pay = receive === 'ETH' ? 'USD' : 'ETH';
  return createAgent({
    kind: 'scripted',
    id: opts.id ?? 'victim',
    balances: { ETH: 10, [pay]: (pay === 'ETH' ? 10 : 0) + (opts.balance ?? opts.maxIn) },
    latency: { network: 1 },
    actions: [{ do: 'swapExactOut', venue: 'pool', receive, amount: opts.amount, maxIn: opts.maxIn, block: opts.block }],
  });
}

export const searcher = (spec: Omit<Extract<AgentSpec, { kind: 'searcher' }>, 'kind' | 'id'> & { id?: string }): Agent =>
  createAgent({ kind: 'searcher', id: 'mev', balances: { ETH: 100, USD: 1_000_000 }, ...spec });

export interface WorldOptions {
  blocks?: number;
  seed?: number;
  chain?: Partial<ChainConfig>;
  market?: MarketConfig;
  venues?: VenueConfig[];
  tokens?: SimConfig['tokens'];
}

/** 12 s blocks, base fee fixed at 10 gwei, priority ordering, ETH at a constant $2000, the 30 bp ETH/USD pool. */
export function world(agents: Agent[], o: WorldOptions = {}): SimConfig {
  return {
    seed: o.seed ?? 1,
    blocks: o.blocks ?? 3,
    chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: BASE_FEE, mode: 'fixed' }, ordering: 'priority', ...o.chain },
    market: o.market ?? { assets: [{ id: 'ETH', process: { kind: 'constant', price: ETH_USD } }] },
    tokens: o.tokens ?? [{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }],
    venues: o.venues ?? [{ kind: 'cpmm', id: 'pool', tokens: ['ETH', 'USD'], feeBps: 30 }],
    agents,
    checkInvariants: true,
  };
}

/** A floating triad T (unit U, "1" at $1) and ETH for gas. */
export function triadWorld(agents: Agent[], o: WorldOptions & { protected?: boolean } = {}): SimConfig {
  return world(agents, { ...o, tokens: [{ id: 'ETH' }], venues: [{ kind: 'triad', id: 'T', unit: 'U', ...(o.protected ? { protected: true } : {}) }] });
}

export interface Run {
  result: SimResult;
  /** Every final transaction after genesis, in receipt order. */
  txs: TxRecord[];
  /** The genesis calls. */
  genesis: TxRecord[];
}

export function run(config: SimConfig): Run {
  const sim = new Simulation(config);
  const txs: TxRecord[] = [];
  const genesis: TxRecord[] = [];
  recordTransactions(sim, (t) => (t.block === 0 ? genesis : txs).push(t));
  return { result: sim.run().result(), txs, genesis };
}

/** Included and reverted transactions in execution order (block, then position). */
export const executed = (r: Run): TxRecord[] => r.txs.filter((t) => t.position >= 0).sort((a, b) => a.block - b.block || a.position - b.position);

export function agent(r: Run, id: string): AgentResult {
  const a = r.result.agents.find((x) => x.id === id);
  if (a === undefined) throw new Error(`no agent ${id}`);
  return a;
}

/** Records of one agent (optionally with one tag). */
export const txsOf = (r: Run, id: string, tag?: string): TxRecord[] => r.txs.filter((t) => t.agent === id && (tag === undefined || t.tag === tag));

/** The one record of an agent with a tag; fails the test if there is not exactly one. */
export function one(r: Run, id: string, tag?: string): TxRecord {
  const list = txsOf(r, id, tag);
  expect(list, `records of ${id}${tag ? ` tagged ${tag}` : ''}`).toHaveLength(1);
  return list[0]!;
}

/**
 * Zero-sum at constant reference prices: every trade is a transfer, so the agents' P&L, the builder's
 * priority fees and the burned base fees add to 0 — searchers' profit, victims' losses and builder
 * revenue included. `outside` takes out what an agent settles with the world outside the chain (an
 * options desk). Tolerance 1e-12 of `scale` (the largest value in play).
 */
export function expectZeroSum(r: Run, scale: number, outside: (a: AgentResult) => number = () => 0): void {
  const agents = r.result.agents.reduce((s, a) => s + a.pnl.total - outside(a), 0);
  const b = r.result.builder;
  expect(b.priorityFeesUsd).toBeGreaterThan(0);
  expect(Math.abs(agents + b.priorityFeesUsd + b.burnedUsd), `Σ P&L ${agents}, priority ${b.priorityFeesUsd}, burned ${b.burnedUsd}`).toBeLessThan(1e-12 * scale);
}

/** Priority fees a record paid, USD: effective priority × gas used × the native price. */
export const priorityUsd = (t: TxRecord, nativeUsd = ETH_USD): number => t.effectivePriorityFee * t.gasUsed * GWEI * nativeUsd;
