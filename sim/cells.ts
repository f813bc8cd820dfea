/** Accounting cells per agent (offsets from `World.agentCells(i)`), kept in the ledger's journaled aux space. */
export const AgentCell = {
  GasBaseUsd: 0,
  GasPriorityUsd: 1,
  CexCostUsd: 2,
  FeesUsd: 3,
  LvrUsd: 4,
  /** Σ (execution − the same trade at the top of the block), USD: positive when the agent did better. */
  MevUsd: 5,
  /** OTC cash received (negative: paid), USD at the time. */
  OtcUsd: 6,
} as const;
export const AGENT_CELLS = 8;
