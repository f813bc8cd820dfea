/**
 * Shared builders for the hedger tests: a floating triad T (U = √A, kept there by a tracker that is
 * large next to the hedger), gas priced so that one forge costs exactly $5, a runner that records
 * every transaction and every block's base fee, and the test's own random numbers and normal CDF
 * (so that expected values never come from the code under test).
 */
import { createAgent, type AgentSpec } from '../../agents';
import type { Agent } from '../../sim/agent';
import type { ChainConfig, SimConfig } from '../../sim/config';
import type { PriceProcessConfig } from '../../sim/market/processes';
import { recordTransactions, type TxRecord } from '../../sim/record';
import type { AgentResult, SimResult } from '../../sim/result';
import { Simulation } from '../../sim/simulation';

export const BLOCK = 12;
/** 100,000 gas × 25 gwei × $2000 per ETH = $5: one forge. */
export const FORGE_USD = 5;
export const FORGE_GAS = 100_000;
export const INTRINSIC_GAS = 21_000;
export const SECONDS_PER_YEAR = 365 * 24 * 3600;

/** A step path for A: A = `a` from the start of block `block` on (block b is built at t = 12·b). */
export function steps(points: readonly (readonly [number, number])[], blockTime = BLOCK): PriceProcessConfig {
  return { kind: 'path', points: [[0, 1], ...points.map(([block, a]) => [block * blockTime, a] as const)] };
}

/** The tracker that keeps triad `venue` at U = √A, with `supply` of each side and a "1" buffer. */
export function tracker(venue = 'T', supply = 1e6, id = `tracker-${venue}`): AgentSpec {
  // The buffer: a zero-cost move can round to a tiny negative amount of "1", which the forge charges.
  return { kind: 'tracker', id, venue, target: { assets: { A: 0.5 } }, initial: [supply, supply], balances: { '1': 2 * supply + 1000, ETH: 1000 } };
}

export interface TriadWorld {
  agents: (AgentSpec | Agent)[];
  blocks: number;
  /** Process of A (default constant 1). */
  a?: PriceProcessConfig;
  chain?: Partial<ChainConfig>;
  triads?: string[];
  seed?: number;
}

/** ETH at $2000 pays gas (25 gwei fixed unless overridden); triads named `triads` (units U, U2, …). */
export function triadWorld(o: TriadWorld): SimConfig {
  const triads = o.triads ?? ['T'];
  return {
    seed: o.seed ?? 1,
    blocks: o.blocks,
    chain: { blockTime: BLOCK, nativeToken: 'ETH', baseFee: { initial: 25, mode: 'fixed' }, ...o.chain },
    market: { assets: [{ id: 'ETH', process: { kind: 'constant', price: 2000 } }, { id: 'A', process: o.a ?? { kind: 'constant', price: 1 } }] },
    tokens: [{ id: 'ETH' }],
    venues: triads.map((id, i) => ({ kind: 'triad' as const, id, unit: i === 0 ? 'U' : `U${i + 1}` })),
    agents: o.agents.map((a) => ('schedule' in a ? a : createAgent(a))),
    checkInvariants: true,
  };
}

export interface Run {
  r: SimResult;
  txs: TxRecord[];
  /** Base fee each block was built at, by block number (gwei). */
  fees: number[];
}

export function run(config: SimConfig): Run {
  const sim = new Simulation(config);
  const txs: TxRecord[] = [];
  const fees: number[] = [];
  recordTransactions(sim, (t) => txs.push(t));
  sim.events.on('block', (b) => {
    fees[b.number] = b.baseFee;
  });
  return { r: sim.run().result(), txs, fees };
}

/** Blocks of an agent's 'rebalance'-tagged transactions after genesis (entry at a block included). */
export const rebalanceBlocks = (txs: TxRecord[], id: string): number[] => txs.filter((t) => t.agent === id && t.tag === 'rebalance' && t.block > 0).map((t) => t.block);

export function agent(r: SimResult, id: string): AgentResult {
  const a = r.agents.find((x) => x.id === id);
  if (a === undefined) throw new Error(`no agent ${id}`);
  return a;
}

/** Seeded uniform [0, 1) (mulberry32) and standard normals by Box–Muller: the test's own randomness. */
export function normals(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    let t = (a = (a + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Φ(x) from the everywhere-convergent series erf(z) = (2/√π)·e^{−z²}·Σ 2ⁿ z^{2n+1} / (1·3·…·(2n+1)),
 * all terms positive (no cancellation); |x| ≤ 12 is all the tests need.
 */
export function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  let term = z;
  let sum = z;
  for (let n = 1; n < 2000 && term > 1e-17 * sum; n++) {
    term *= (2 * z * z) / (2 * n + 1);
    sum += term;
  }
  const erf = Math.min(1, ((2 / Math.sqrt(Math.PI)) * Math.exp(-z * z) * sum));
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Black–Scholes (r = 0) call: d1, delta Φ(d1) and price S·Φ(d1) − K·Φ(d2), written out. */
export function call(s: number, k: number, years: number, sigma: number): { delta: number; price: number } {
  const sd = sigma * Math.sqrt(years);
  const d1 = (Math.log(s / k) + 0.5 * sd * sd) / sd;
  return { delta: phi(d1), price: s * phi(d1) - k * phi(d1 - sd) };
}
