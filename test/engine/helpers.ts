/**
 * Shared builders for engine tests: a small world (one ETH/USD pool seeded at genesis), a custom
 * agent whose hooks are closures, and a runner that records every receipt and block as plain data
 * (the engine reuses its objects, so observers must copy what they keep).
 */
import { expect } from 'vitest';
import { createAgent } from '../../agents';
import type { Agent, AgentLatencies, Outbox, Schedule, SetupContext, TxView, View } from '../../sim/agent';
import type { ChainConfig, SimConfig } from '../../sim/config';
import type { BlockInfo } from '../../sim/kernel';
import type { MarketConfig } from '../../sim/market/market';
import type { SimResult } from '../../sim/result';
import { Simulation } from '../../sim/simulation';
import { REVERT_NAMES, TX_STATUS_NAMES, type Tx } from '../../sim/tx';

/** Indices fixed by the world below: tokens in config order, then the pool's LP token. */
export const ETH = 0;
export const USD = 1;
export const POOL = 0;
/** Swap sides: the token paid. */
export const PAY_ETH = 0;
export const PAY_USD = 1;

export const POOL_ETH = 100;
export const POOL_USD = 200_000;
/** φ = 1 − 30 bp: the part of the input that enters x·y. */
export const PHI = 0.997;
export const ETH_USD = 2000;
export const GWEI = 1e-9;
export const SWAP_GAS = 110_000;
/** Intrinsic 21,000 + revert 30,000. */
export const REVERT_GAS = 51_000;

/** Uniswap v2 output for an exact input, written out: Δout = y·φΔin / (x + φΔin). */
export function amountOut(amountIn: number, reserveIn: number, reserveOut: number): number {
  const inWithFee = PHI * amountIn;
  return (reserveOut * inWithFee) / (reserveIn + inWithFee);
}

/** Relative closeness, for float results computed along a different path than the engine's. */
export function expectClose(actual: number, expected: number, rel = 1e-12): void {
  const tol = rel * Math.max(Math.abs(expected), 1e-300);
  if (!(Math.abs(actual - expected) <= tol)) expect(actual).toBe(expected);
}

export interface Hooks {
  setup?(ctx: SetupContext): void;
  act?(view: View, out: Outbox): void;
  onMempool?(view: View, out: Outbox, tx: TxView): void;
  onReceipt?(view: View, out: Outbox, tx: TxView): void;
}

export interface TestAgentSpec extends Hooks {
  schedule?: Schedule;
  balances?: Record<string, number>;
  latency?: AgentLatencies;
  priorityFee?: number;
}

/** An agent whose behaviour is given as closures; hooks not given are absent (the kernel checks for them). */
export class TestAgent implements Agent {
  readonly kind = 'test';
  readonly schedule: Schedule;
  readonly balances: Record<string, number> | undefined;
  readonly latency: AgentLatencies | undefined;
  readonly priorityFee: number | undefined;
  setup?: (ctx: SetupContext) => void;
  act?: (view: View, out: Outbox) => void;
  onMempool?: (view: View, out: Outbox, tx: TxView) => void;
  onReceipt?: (view: View, out: Outbox, tx: TxView) => void;

  constructor(readonly id: string, spec: TestAgentSpec) {
    this.schedule = spec.schedule ?? { kind: 'never' };
    this.balances = spec.balances;
    this.latency = spec.latency;
    this.priorityFee = spec.priorityFee;
    if (spec.setup) this.setup = spec.setup;
    if (spec.act) this.act = spec.act;
    if (spec.onMempool) this.onMempool = spec.onMempool;
    if (spec.onReceipt) this.onReceipt = spec.onReceipt;
  }
}

/** Wakes once, at simulated time `t` (not a block time), and runs `fn`. */
export function at(t: number): Schedule {
  return { kind: 'interval', seconds: 1e9, offset: t };
}

/** An agent that, at time `t`, sends one swap built by `send` (which may adjust the draft's fees). */
export function swapAt(
  id: string,
  t: number,
  send: (out: Outbox, view: View) => void,
  extra: Omit<TestAgentSpec, 'schedule' | 'act'> = {},
): TestAgent {
  return new TestAgent(id, { balances: { ETH: 10, USD: 100_000 }, ...extra, schedule: at(t), act: (view, out) => send(out, view) });
}

/** The LP that seeds the pool at genesis: 100 ETH and 200,000 USD. */
export function poolSeeder(): Agent {
  return createAgent({
    kind: 'scripted',
    id: 'lp',
    balances: { ETH: POOL_ETH, USD: POOL_USD },
    actions: [{ do: 'addLiquidity', venue: 'pool', amounts: [POOL_ETH, POOL_USD], genesis: true }],
  });
}

export interface WorldOptions {
  agents: Agent[];
  blocks?: number;
  seed?: number | string;
  chain?: Partial<ChainConfig>;
  market?: MarketConfig;
  /** Put the pool seeder first (default true). */
  seedPool?: boolean;
  checkInvariants?: boolean;
}

/** 12 s blocks, fixed base fee 10 gwei, priority ordering, ETH at a constant $2000, one 30 bp ETH/USD pool. */
export function world(o: WorldOptions): SimConfig {
  return {
    seed: o.seed ?? 1,
    blocks: o.blocks ?? 3,
    chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: 10, mode: 'fixed' }, ordering: 'priority', ...o.chain },
    market: o.market ?? { assets: [{ id: 'ETH', process: { kind: 'constant', price: ETH_USD } }] },
    tokens: [{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }],
    venues: [{ kind: 'cpmm', id: 'pool', tokens: ['ETH', 'USD'], feeBps: 30 }],
    agents: o.seedPool === false ? o.agents : [poolSeeder(), ...o.agents],
    checkInvariants: o.checkInvariants ?? true,
  };
}

/** A receipt as plain data. */
export interface TxRecord {
  id: number;
  agent: string;
  nonce: number;
  callCount: number;
  status: string;
  revert: string;
  block: number;
  position: number;
  gasUsed: number;
  gasLimit: number;
  maxFee: number;
  priorityFee: number;
  effectivePriority: number;
  baseFee: number;
  submitTime: number;
  arrivalTime: number;
  isPrivate: boolean;
  /** First call's results: amount received / amount paid for a swap. */
  outA: number;
  outB: number;
}

export interface Run {
  result: SimResult;
  txs: TxRecord[];
  blocks: BlockInfo[];
  sim: Simulation;
}

export function record(sim: Simulation): { txs: TxRecord[]; blocks: BlockInfo[] } {
  const txs: TxRecord[] = [];
  const blocks: BlockInfo[] = [];
  const ids = sim.config.agents.map((a) => a.id);
  sim.events.on('tx', (v: TxView) => {
    const tx = v as Tx;
    txs.push({
      id: tx.id,
      agent: ids[tx.agent]!,
      nonce: tx.nonce,
      callCount: tx.callCount,
      status: TX_STATUS_NAMES[tx.status]!,
      revert: REVERT_NAMES[tx.revert]!,
      block: tx.block,
      position: tx.position,
      gasUsed: tx.gasUsed,
      gasLimit: tx.gasLimit,
      maxFee: tx.maxFee,
      priorityFee: tx.priorityFee,
      effectivePriority: tx.effectivePriority,
      baseFee: tx.baseFee,
      submitTime: tx.submitTime,
      arrivalTime: tx.arrivalTime,
      isPrivate: tx.isPrivate,
      outA: tx.calls[0]?.outA ?? NaN,
      outB: tx.calls[0]?.outB ?? NaN,
    });
  });
  sim.events.on('block', (b) => blocks.push({ ...b }));
  return { txs, blocks };
}

/** Run a configuration to the end, recording receipts (genesis ones excluded) and blocks. */
export function run(config: SimConfig): Run {
  const sim = new Simulation(config);
  const rec = record(sim);
  const result = sim.run().result();
  return { result, txs: rec.txs.filter((t) => t.block !== 0), blocks: rec.blocks, sim };
}

/** Compute once, on first use inside a test (so a throwing run fails that test, not the file's collection). */
export function lazy<T>(f: () => T): () => T {
  let value: { v: T } | null = null;
  return () => (value ??= { v: f() }).v;
}

/** Receipts of one agent, in receipt order. */
export function txsOf(r: Run, agent: string): TxRecord[] {
  return r.txs.filter((t) => t.agent === agent);
}

/** The single receipt of an agent (fails the test if there is not exactly one). */
export function only(r: Run, agent: string): TxRecord {
  const list = txsOf(r, agent);
  expect(list, `receipts of ${agent}`).toHaveLength(1);
  return list[0]!;
}

/** Included or reverted receipts of a block, in execution order: the agent ids. */
export function blockOrder(r: Run, block: number): string[] {
  return r.txs
    .filter((t) => t.block === block && t.position >= 0)
    .sort((a, b) => a.position - b.position)
    .map((t) => t.agent);
}

export function agentResult(r: Run, id: string): SimResult['agents'][number] {
  const a = r.result.agents.find((x) => x.id === id);
  if (a === undefined) throw new Error(`no agent ${id}`);
  return a;
}

export function reserves(r: Run): [number, number] {
  const v = r.result.venues[0];
  if (v === undefined || v.kind !== 'cpmm') throw new Error('venue 0 is not the pool');
  return v.reserves;
}
