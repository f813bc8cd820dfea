/**
 * The run's result: per-agent P&L with its decomposition, per-venue state, builder revenue, final
 * prices. Every agent is marked in USD at reference prices; its P&L splits into
 *   fees (LP fee income) + lvr (LP loss-versus-rebalancing, ≤ 0 against informed flow)
 *   + gas (base + priority, ≤ 0) + cex (spread, impact and fees, ≤ 0)
 *   + mev (searchers: their extraction — all they made beyond holding their starting inventory;
 *     others: their executions against the same trades at the top of their blocks, < 0 for a victim)
 *   + options (OTC premiums and payoffs, plus the change in value of positions held off-ledger)
 *   + trading (the rest: price moves of holdings and trade markouts)
 * and the parts sum to the total by construction of `trading`; each other part is an exact flow.
 */
import type { Kernel } from './kernel';
import { PoolCell, totalShares } from './venues/cpmm';
import { unitPrice } from './venues/triad';
import { AgentCell, BURN, PROPOSER, type World } from './world';
import { AGENT_CELLS } from './cells';
import { checkConservation, type ConservationResult } from './invariants';

export interface PnlBreakdown {
  total: number;
  trading: number;
  fees: number;
  lvr: number;
  gas: number;
  cex: number;
  mev: number;
  options: number;
}

export interface AgentResult {
  id: string;
  kind: string;
  pnl: PnlBreakdown;
  /** USD value of wallet and CEX account after genesis, and at the end. */
  initialValue: number;
  finalValue: number;
  /** The initial balances (before genesis calls) valued at final prices: buy-and-hold. */
  hodlValue: number;
  txs: { sent: number; included: number; reverted: number; dropped: number };
  gasPaid: { baseUsd: number; priorityUsd: number };
  balances: Record<string, number>;
  cexBalances: Record<string, number>;
  /** Exact-integer mode only: wallet balances in wei, as decimal integer strings. */
  balancesWei?: Record<string, string>;
  metrics: Record<string, number>;
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
  seed: number | string;
  blocks: number;
  simulatedSeconds: number;
  agents: AgentResult[];
  venues: VenueResult[];
  builder: { priorityFeesNative: number; priorityFeesUsd: number; burnedNative: number; burnedUsd: number };
  finalBaseFee: number;
  prices: Record<string, number>;
  invariantsChecked: boolean;
  /** The end-of-run conservation check, made whatever `checkInvariants` says. */
  conservation: ConservationResult;
}

/** Values recorded at the start of the run, to measure P&L against. */
export interface Baseline {
  initialValue: Float64Array;
  /** Per agent: USD value of off-ledger positions after genesis. */
  initialOffLedger: Float64Array;
  /** Per agent: its accounting cells after genesis (what genesis paid is in the starting value). */
  initialCells: Float64Array[];
  /** Per agent: initial balances by token index (wallet and CEX together). */
  initialHoldings: Float64Array[];
}

export function baseline(k: Kernel): Baseline {
  const w = k.world;
  const n = w.ledger.tokenCount;
  return {
    initialValue: Float64Array.from(k.agents, (_, i) => agentValue(k, i)),
    initialOffLedger: Float64Array.from(k.agents, (_, i) => offLedger(k, i)),
    initialCells: k.agents.map((_, i) => w.ledger.bal.slice(w.agentCells(i), w.agentCells(i) + AGENT_CELLS)),
    initialHoldings: k.agents.map((a) => {
      const h = new Float64Array(n);
      for (const book of [a.balances, a.cexBalances]) for (const [name, amt] of Object.entries(book ?? {})) h[w.ledger.tokens.indexOf(name)]! += Number(amt);
      return h;
    }),
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

/** Initial holdings (by token index) at current marks: buy-and-hold. */
function hodlValue(w: World, holdings: Float64Array): number {
  let v = 0;
  for (let t = 0; t < holdings.length; t++) if (holdings[t] !== 0) v += holdings[t]! * w.markPrice(t);
  return v;
}

/** An agent's P&L now, read-only (LP fees accrued but not yet settled are included). */
export function agentPnl(k: Kernel, i: number, base: Baseline): PnlBreakdown {
  const w = k.world;
  const bal = w.ledger.bal;
  const c = w.agentCells(i);
  const c0 = base.initialCells[i]!;
  // Accounting cells count from the end of genesis, like the values.
  const cell = (f: number): number => bal[c + f]! - c0[f]!;
  const lp = w.lpAccrued(i);
  const total = agentValue(k, i) - base.initialValue[i]!;
  // `0 - x` rather than `-x`: a component that is zero reads +0, not −0.
  const gas = 0 - (cell(AgentCell.GasBaseUsd) + cell(AgentCell.GasPriorityUsd));
  const cex = 0 - cell(AgentCell.CexCostUsd);
  const fees = lp.fees - c0[AgentCell.FeesUsd]!;
  const lvr = 0 - (lp.lvr - c0[AgentCell.LvrUsd]!);
  const options = cell(AgentCell.OtcUsd) + offLedger(k, i) - base.initialOffLedger[i]!;
  if (k.agents[i]!.extractsMev === true) {
    // A searcher's extraction is what it made beyond holding its starting inventory; the inventory's
    // own price move is its trading.
    const holding = hodlValue(w, base.initialHoldings[i]!) - base.initialValue[i]!;
    return { total, trading: holding, fees, lvr, gas, cex, mev: total - holding - fees - lvr - gas - cex - options, options };
  }
  const mev = cell(AgentCell.MevUsd);
  return { total, trading: total - fees - lvr - gas - cex - mev - options, fees, lvr, gas, cex, mev, options };
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

export function summarize(k: Kernel, base: Baseline): SimResult {
  const w = k.world;
  const L = w.ledger;
  // First: a ledger that lost or made tokens has no result worth reporting (a fault, exit 3).
  const conservation = checkConservation(w);
  const agents: AgentResult[] = k.agents.map((a, i) => {
    const c = w.agentCells(i);
    const hodl = hodlValue(w, base.initialHoldings[i]!);
    const view = k.view;
    view.self = i;
    return {
      id: a.id,
      kind: a.kind,
      pnl: agentPnl(k, i, base),
      initialValue: base.initialValue[i]!,
      finalValue: agentValue(k, i),
      hodlValue: hodl,
      txs: { sent: k.sent[i]!, included: k.included[i]!, reverted: k.reverted[i]!, dropped: k.dropped[i]! },
      gasPaid: { baseUsd: L.bal[c + AgentCell.GasBaseUsd]!, priorityUsd: L.bal[c + AgentCell.GasPriorityUsd]! },
      balances: holdings(w, w.agentAccount(i)),
      cexBalances: holdings(w, w.cexAccount(i)),
      ...(L.exact !== null ? { balancesWei: holdingsWei(w, w.agentAccount(i)) } : {}),
      metrics: a.metrics ? a.metrics(view) : {},
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
    prices,
    invariantsChecked: k.config.checkInvariants === true,
    conservation,
  };
}
