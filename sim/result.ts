/**
 * The run's result: per-agent P&L with its decomposition, per-venue state, builder revenue, final
 * prices. Every agent is marked in USD at reference prices, from one measurement point
 * (`measureFrom`, default before genesis), and its P&L splits, the same for every kind, into
 *   total = hold + trading + fees + lvr + swapFees + gas + cex + mev + options
 * where `hold` is what its holdings at the measurement point, looked through to reference tokens,
 * gained by being held, and `edge` = total − hold is what its activity earned against holding.
 * Each line but `trading` is an exact flow or revaluation; `trading` is the rest. docs/outputs.md
 * defines each line once.
 */
import type { Kernel } from './kernel';
import { PoolCell, totalShares } from './venues/cpmm';
import { unitPrice } from './venues/triad';
import { AgentCell, BURN, CEX, PROPOSER, type World } from './world';
import { AGENT_CELLS } from './cells';
import { checkConservation, type ConservationResult } from './invariants';
import type { MevTally } from './mev';
import type { PreflightWarning } from './preflight';
import { summarizeTransfers, type AgentTransfers, type TransferMatrix } from './transfers-summary';

/** Version of the summary's layout (summary.json's `format`); docs/outputs.md. */
export const SUMMARY_FORMAT = 'hedgesim.summary/3';

export interface PnlBreakdown {
  total: number;
  /** total − hold: what the agent's activity earned against holding its measured holdings. */
  edge: number;
  /** Its holdings at the measurement point, looked through, at end prices less at start prices. */
  hold: number;
  trading: number;
  fees: number;
  lvr: number;
  /** AMM fees paid as a trader (≤ 0). */
  swapFees: number;
  gas: number;
  cex: number;
  mev: number;
  options: number;
}

/** The lines of the decomposition, in the order summaries and tables give them. */
export const PNL_LINES: readonly (keyof PnlBreakdown)[] = ['total', 'edge', 'hold', 'trading', 'fees', 'lvr', 'swapFees', 'gas', 'cex', 'mev', 'options'];

export interface AgentResult {
  id: string;
  kind: string;
  pnl: PnlBreakdown;
  /** USD value of wallet, CEX account and off-ledger positions at the measurement point, and at the end. */
  initialValue: number;
  finalValue: number;
  /** Its holdings at the measurement point, looked through to reference tokens, valued at end prices. */
  hodlValue: number;
  txs: { sent: number; included: number; reverted: number; dropped: number };
  gasPaid: { baseUsd: number; priorityUsd: number };
  balances: Record<string, number>;
  cexBalances: Record<string, number>;
  /** Exact-integer mode only: wallet balances in wei, as decimal integer strings. */
  balancesWei?: Record<string, string>;
  metrics: Record<string, number>;
  /** What it paid and received, and to and from whom (sim/transfers.ts). */
  transfers: AgentTransfers;
}
export type VenueResult =
  | {
      id: string;
      kind: 'cpmm';
      tokens: [string, string];
      reserves: [number, number];
      /** Price of token0 in token1; NaN while the pool is empty (left out of summary.json). */
      price: number;
      totalShares: number;
      feesUsd: number;
      lvrUsd: number;
      volumeUsd: number;
      swaps: number;
      /** Exact-integer mode only: reserves in wei. */
      reservesWei?: [string, string];
    }
  | {
      id: string;
      kind: 'triad';
      tokens: [string, string];
      /** Supplies of U and 1/U. */
      supplies: [number, number];
      k: number;
      /** Marginal prices of U and 1/U in "1"; NaN while nothing is issued (left out of summary.json). */
      prices: [number, number];
      /** Exact-integer mode only: supplies in wei. */
      suppliesWei?: [string, string];
    };

export interface SimResult {
  /** Layout version: SUMMARY_FORMAT. */
  format: string;
  seed: number | string;
  blocks: number;
  simulatedSeconds: number;
  agents: AgentResult[];
  venues: VenueResult[];
  builder: { priorityFeesNative: number; priorityFeesUsd: number; burnedNative: number; burnedUsd: number };
  finalBaseFee: number;
  /** The block's gas limit and the gas the base fee aims at (limit / elasticity; absent when the fee is fixed). */
  chain: { gasLimit: number; gasTarget?: number };
  prices: Record<string, number>;
  invariantsChecked: boolean;
  /** The end-of-run conservation check, made whatever `checkInvariants` says. */
  conservation: ConservationResult;
  /** The measurement point: block -1 is before genesis, 0 right after it; its simulated time. */
  measureFrom: { block: number; time: number };
  /** Bundles with victims, and the bundle identity W2's terms summed over them (sim/mev.ts). */
  mev: MevTally;
  /** What the configuration gets wrong, found after genesis (sim/preflight.ts); empty when nothing. */
  warnings: PreflightWarning[];
  /** Who paid whom over the window (sim/transfers.ts). */
  transfers: TransferMatrix;
}

/** Where P&L is measured from, and the values recorded there. */
export interface Baseline {
  /** Block of the measurement point: -1 before genesis, 0 right after it, else the end of that block. */
  block: number;
  time: number;
  /** Per agent: USD value of wallet, CEX account and off-ledger positions. */
  value: Float64Array;
  /** Per agent: USD value of off-ledger positions. */
  offLedger: Float64Array;
  /** Per agent: its accounting cells, and the LP fees and LVR accrued to it. */
  cells: Float64Array[];
  lpFees: Float64Array;
  lpLvr: Float64Array;
  /** Per agent: H, its wallet and CEX holdings looked through to reference tokens, by token index. */
  held: Float64Array[];
  /** Per agent: H at the measurement point's prices. */
  heldValue: Float64Array;
  /** The same for everything outside the agents (burn, proposer, CEX desk), for the world identity. */
  outsideHeld: Float64Array;
}

/** Accounts outside the agents that are not looked through by any token: burn, proposer, CEX desk. */
export const OUTSIDE_ACCOUNTS = [BURN, PROPOSER, CEX] as const;

export function baseline(k: Kernel, block: number): Baseline {
  const w = k.world;
  const n = w.ledger.tokenCount;
  const held = k.agents.map((_, i) => {
    const h = new Float64Array(n);
    w.lookThroughAccount(w.agentAccount(i), h);
    w.lookThroughAccount(w.cexAccount(i), h);
    return h;
  });
  const outsideHeld = new Float64Array(n);
  for (const a of OUTSIDE_ACCOUNTS) w.lookThroughAccount(a, outsideHeld);
  const lp = k.agents.map((_, i) => w.lpAccrued(i));
  return {
    block,
    time: k.time,
    value: Float64Array.from(k.agents, (_, i) => agentValue(k, i)),
    offLedger: Float64Array.from(k.agents, (_, i) => offLedger(k, i)),
    cells: k.agents.map((_, i) => w.ledger.bal.slice(w.agentCells(i), w.agentCells(i) + AGENT_CELLS)),
    lpFees: Float64Array.from(lp, (x) => x.fees),
    lpLvr: Float64Array.from(lp, (x) => x.lvr),
    held,
    heldValue: Float64Array.from(held, (h) => heldValue(w, h)),
    outsideHeld,
  };
}

/** USD value of an agent's off-ledger positions, by its own model (0 for most agents). */
function offLedger(k: Kernel, i: number): number {
  const a = k.agents[i]!;
  if (!a.offLedgerValue) return 0;
  k.view.self = i;
  return a.offLedgerValue(k.view);
}

/** Wallet + CEX account at marks, plus off-ledger positions. */
export function agentValue(k: Kernel, i: number): number {
  const w = k.world;
  return w.accountValue(w.agentAccount(i)) + w.accountValue(w.cexAccount(i)) + offLedger(k, i);
}

/** Looked-through holdings (by token index) at current marks. */
export function heldValue(w: World, held: Float64Array): number {
  let v = 0;
  for (let t = 0; t < held.length; t++) if (held[t] !== 0) v += held[t]! * w.markPrice(t);
  return v;
}

/** An agent's P&L now, read-only (LP fees accrued but not yet settled are included). */
export function agentPnl(k: Kernel, i: number, base: Baseline): PnlBreakdown {
  const w = k.world;
  const bal = w.ledger.bal;
  const c = w.agentCells(i);
  const c0 = base.cells[i]!;
  // Accounting cells count from the measurement point, like the values.
  const cell = (f: number): number => bal[c + f]! - c0[f]!;
  const lp = w.lpAccrued(i);
  const total = agentValue(k, i) - base.value[i]!;
  const hold = heldValue(w, base.held[i]!) - base.heldValue[i]!;
  // `0 - x` rather than `-x`: a component that is zero reads +0, not −0.
  const gas = 0 - (cell(AgentCell.GasBaseUsd) + cell(AgentCell.GasPriorityUsd));
  const cex = 0 - cell(AgentCell.CexCostUsd);
  const fees = lp.fees - base.lpFees[i]!;
  const lvr = 0 - (lp.lvr - base.lpLvr[i]!);
  const swapFees = 0 - cell(AgentCell.SwapFeesUsd);
  const mev = cell(AgentCell.MevUsd);
  const options = cell(AgentCell.OtcUsd) + offLedger(k, i) - base.offLedger[i]!;
  const trading = total - hold - fees - lvr - swapFees - gas - cex - mev - options;
  return { total, edge: total - hold, hold, trading, fees, lvr, swapFees, gas, cex, mev, options };
}

/**
 * The world identity W1's two sides, in USD at current prices (docs/outputs.md): Σ agents' total +
 * the change of everything outside the agents (burn, proposer, CEX desk: now, less what they held at
 * the measurement point, at current prices) − off-ledger options at the agents' marks (their change
 * since the measurement point: all that is open, when it is before genesis), and
 * Σ agents' hold. Pool reserves and a triad's custody are not counted on their own: LP shares and
 * units look through to them. `scale` is Σ |value at the measurement point|.
 */
export function worldIdentity(k: Kernel, base: Baseline): { lhs: number; rhs: number; scale: number } {
  const w = k.world;
  let lhs = 0;
  let rhs = 0;
  let scale = 0;
  k.agents.forEach((_, i) => {
    const p = agentPnl(k, i, base);
    lhs += p.total - (offLedger(k, i) - base.offLedger[i]!);
    rhs += p.hold;
    scale += Math.abs(base.value[i]!);
  });
  for (const a of OUTSIDE_ACCOUNTS) lhs += w.accountValue(a);
  lhs -= heldValue(w, base.outsideHeld);
  return { lhs, rhs, scale };
}

function holdings(w: World, account: number): Record<string, number> {
  const out: Record<string, number> = {};
  const L = w.ledger;
  for (let t = 0; t < L.tokenCount; t++) {
    const b = L.get(account, t);
    if (b !== 0) out[L.tokens[t]!] = b;
  }
  return out;
}

function holdingsWei(w: World, account: number): Record<string, string> {
  const out: Record<string, string> = {};
  const L = w.ledger;
  for (let t = 0; t < L.tokenCount; t++) {
    const b = L.xget(account, t);
    if (b !== 0n) out[L.tokens[t]!] = b.toString();
  }
  return out;
}

export function summarize(k: Kernel, base: Baseline, mev: MevTally, warnings: readonly PreflightWarning[] = []): SimResult {
  const w = k.world;
  const L = w.ledger;
  // First: a ledger that lost or made tokens has no result worth reporting (a fault, exit 3).
  const conservation = checkConservation(w);
  const transfers = summarizeTransfers(k.transfers);
  const agents: AgentResult[] = k.agents.map((a, i) => {
    const c = w.agentCells(i);
    const view = k.view;
    view.self = i;
    return {
      id: a.id,
      kind: a.kind,
      pnl: agentPnl(k, i, base),
      initialValue: base.value[i]!,
      finalValue: agentValue(k, i),
      hodlValue: heldValue(w, base.held[i]!),
      txs: { sent: k.sent[i]!, included: k.included[i]!, reverted: k.reverted[i]!, dropped: k.dropped[i]! },
      gasPaid: { baseUsd: L.bal[c + AgentCell.GasBaseUsd]!, priorityUsd: L.bal[c + AgentCell.GasPriorityUsd]! },
      balances: holdings(w, w.agentAccount(i)),
      cexBalances: holdings(w, w.cexAccount(i)),
      ...(L.exact !== null ? { balancesWei: holdingsWei(w, w.agentAccount(i)) } : {}),
      metrics: a.metrics ? a.metrics(view) : {},
      transfers: transfers.agents[i]!,
    };
  });
  const venues: VenueResult[] = w.venues.map((v) => {
    if (v.kind === 'cpmm') {
      const x = L.bal[v.r0]!;
      const y = L.bal[v.r1]!;
      const c = v.cells;
      return {
        id: v.id,
        kind: 'cpmm',
        tokens: [L.tokens[v.token0]!, L.tokens[v.token1]!],
        reserves: [x, y],
        price: x > 0 && y > 0 ? y / x : NaN,
        totalShares: totalShares(w, v),
        feesUsd: L.bal[c + PoolCell.FeesUsd]!,
        lvrUsd: L.bal[c + PoolCell.LvrUsd]!,
        volumeUsd: L.bal[c + PoolCell.VolumeUsd]!,
        swaps: L.bal[c + PoolCell.Swaps]!,
        ...(L.exact !== null ? { reservesWei: [L.exact.bal[v.r0]!.toString(), L.exact.bal[v.r1]!.toString()] as [string, string] } : {}),
      };
    }
    const u = L.supply[v.unit]!;
    const s = L.supply[v.reciprocal]!;
    const pu = u > 0 && s > 0 ? unitPrice(w, v) : NaN;
    return {
      id: v.id,
      kind: 'triad',
      tokens: [L.tokens[v.unit]!, L.tokens[v.reciprocal]!],
      supplies: [u, s],
      k: v.k,
      prices: [pu, (v.k * v.k) / 4 / pu],
      ...(L.exact !== null ? { suppliesWei: [L.exact.supply[v.unit]!.toString(), L.exact.supply[v.reciprocal]!.toString()] as [string, string] } : {}),
    };
  });
  let priorityUsd = 0;
  let burnedUsd = 0;
  k.agents.forEach((_, i) => {
    priorityUsd += L.bal[w.agentCells(i) + AgentCell.GasPriorityUsd]!;
    burnedUsd += L.bal[w.agentCells(i) + AgentCell.GasBaseUsd]!;
  });
  const prices: Record<string, number> = {};
  k.market.ids.forEach((id, i) => (prices[id] = k.market.price[i]!));
  return {
    format: SUMMARY_FORMAT,
    seed: k.config.seed,
    blocks: k.blockNumber,
    simulatedSeconds: k.time,
    agents,
    venues,
    builder: {
      priorityFeesNative: L.get(PROPOSER, w.native),
      priorityFeesUsd: priorityUsd,
      burnedNative: L.get(BURN, w.native),
      burnedUsd,
    },
    finalBaseFee: k.baseFee,
    chain: { gasLimit: k.gasLimit, ...(k.gasTarget === null ? {} : { gasTarget: k.gasTarget }) },
    prices,
    invariantsChecked: k.config.checkInvariants === true,
    conservation,
    measureFrom: { block: base.block, time: base.time },
    mev: { ...mev },
    warnings: [...warnings],
    transfers: transfers.matrix,
  };
}
