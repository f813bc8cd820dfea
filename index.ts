/** hedgesim's public library API: run simulations, load scenarios, build agents. */
export { simulate, Simulation } from './sim/simulation';
export type { SimulateOptions } from './sim/simulation';
export type { SimConfig, ChainConfig, CexConfig, TokenConfig, VenueConfig, Ordering } from './sim/config';
export type { SimResult, AgentResult, VenueResult, PnlBreakdown } from './sim/result';
export type { Agent, View, Outbox, SetupContext, Schedule, Latency, TxView, TxDraft, VenueInfo } from './sim/agent';
export type { BlockInfo, SimEvents } from './sim/kernel';
export { ConfigError, SimulationFault } from './sim/errors';
export { Op, Revert, REVERT_NAMES, TxStatus } from './sim/tx';
export { createAgent } from './agents';
export type { AgentSpec, AgentKind } from './agents';
export { loadScenarioFile, parseScenario, buildConfig, scenarioJsonSchema, scenarioHash, ScenarioError } from './scenarios';
export type { Scenario, LoadedScenario, ScenarioProblem } from './scenarios';
export { recordBlocks, recordTransactions, blockColumns } from './sim/record';
export type { TxRecord } from './sim/record';
