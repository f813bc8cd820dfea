/** Accounting cells per agent (offsets from `World.agentCells(i)`), kept in the ledger's journaled aux space. */
export const AgentCell = {
  GasBaseUsd: 0,
  GasPriorityUsd: 1,
  CexCostUsd: 2,
  FeesUsd: 3,
  LvrUsd: 4,
  /**
   * MEV at execution, USD at the block's reference prices: for an agent that extracts it, what its
   * transactions captured (gas excluded); for a victim, minus its loss against its transactions
   * alone (sim/mev.ts).
   */
  MevUsd: 5,
  /** OTC cash received (negative: paid), USD at the time. */
  OtcUsd: 6,
  /** AMM fees paid as a trader, USD at the swap's block (positive here; reported as ≤ 0). */
  SwapFeesUsd: 7,
} as const;
export const AGENT_CELLS = 8;
