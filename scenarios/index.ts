/** Scenario files: schema, loading (YAML/JSON, `--set` overrides), building the engine config. */
export { buildConfig, scenarioHash } from './build';
export { ScenarioError, formatProblem, type ScenarioProblem, type SourcePos } from './errors';
export { canonicalScenarioJson } from './hash';
export { scenarioJsonSchema } from './json-schema';
export { loadScenarioFile, parseScenario, type LoadedScenario } from './load';
export { parseOverride } from './overrides';
export { scenarioBlocks, scenarioSchema, type Scenario, type ScenarioInput } from './schema';
export type { Locate, PathSeg } from './source';
