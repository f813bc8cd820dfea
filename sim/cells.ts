/** Accounting cells per agent (offsets from `World.agentCells(i)`), kept in the ledger's journaled aux space. */
export const enum AgentCell {
  GasBaseUsd = 0,
  GasPriorityUsd = 1,
  CexCostUsd = 2,
  FeesUsd = 3,
  LvrUsd = 4,
  /**
   * MEV at execution, USD at the block's reference prices: for an agent that extracts it, what its
   * transactions captured (gas excluded); for a victim, minus its loss against its transactions
   * alone (sim/mev.ts).
   */
  MevUsd = 5,
  /** OTC cash received (negative: paid), USD at the time. */
  OtcUsd = 6,
  /** AMM fees paid as a trader, USD at the swap's block (positive here; reported as ≤ 0). */
  SwapFeesUsd = 7,
}
export const AGENT_CELLS = 8;

/** Kinds of value transfer (sim/transfers.ts), in the order of its matrices. */
export const TRANSFER_KINDS = ['fee', 'price', 'gas', 'mev', 'options'] as const;
/** Parties of the transfer ledger that are not agents, after the agents, in this order. */
export const OUTSIDE_PARTIES = ['builder', 'burn', 'cex'] as const;
/** Pseudo-venues after the scenario's venues: gas, CEX fills, OTC settlements. */
export const OUTSIDE_VENUES = ['chain', 'cex', 'otc'] as const;

/** Auxiliary ledger cells the transfer ledger needs: holdings, Σ Δh, Σ Δh·price, gross, whether it holds derived tokens, each agent's gas booked so far, and two pair matrices. */
export function transferCells(agents: number, tokens: number, venues: number): number {
  const p = agents + OUTSIDE_PARTIES.length;
  const channels = (venues + OUTSIDE_VENUES.length) * TRANSFER_KINDS.length;
  return 3 * p * tokens + 2 * p + 4 * agents + 2 * p * p * channels;
}
