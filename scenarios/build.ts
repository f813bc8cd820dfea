/**
 * From a validated scenario to the engine's SimConfig: maps become arrays in file order, a
 * `duration` becomes blocks, agent specs become Agent instances, `csv` price processes are read
 * into scripted paths, a `csv` base fee into a replay. Problems with CSV files are ScenarioErrors naming the CSV file and line.
 */
import { createAgent } from '../agents';
import type { SimConfig, TokenConfig, VenueConfig } from '../sim/config';
import type { PriceProcessConfig } from '../sim/market/processes';
import { readBaseFeeCsv } from './base-fee-csv';
import { readCsvAsset } from './csv';
import { ScenarioError, type ScenarioProblem } from './errors';
import { hashScenario } from './hash';
import { locatorOf, parseScenario } from './load';
import { scenarioBlocks, type Scenario } from './schema';
import type { Locate } from './source';

/**
 * The engine configuration of a scenario. `baseDir` anchors relative CSV paths (the scenario
 * file's folder); `locate` places problems in the scenario file (found automatically for
 * scenarios from `loadScenarioFile`/`parseScenario`).
 */
export function buildConfig(scenario: Scenario, baseDir: string, locate: Locate | undefined = locatorOf(scenario)): SimConfig {
  const blocks = scenarioBlocks(scenario);
  const problems: ScenarioProblem[] = [];
  const run = { blocks, blockTime: scenario.chain.blockTime, exponential: scenario.chain.blockTimes === 'exponential' };
  const assets = Object.entries(scenario.market.assets).map(([id, p]): { id: string; process: PriceProcessConfig } => {
    if (p.kind !== 'csv') return { id, process: p };
    const points = readCsvAsset(id, p, baseDir, locate, run, problems);
    return { id, process: { kind: 'path', points: points ?? [], interpolate: p.interpolate } };
  });
  const fee = scenario.chain.baseFee;
  const replay = fee.mode === 'csv' ? readBaseFeeCsv({ file: fee.file!, column: fee.column, timeColumn: fee.timeColumn }, baseDir, locate, run, problems) : undefined;
  if (problems.length > 0) throw new ScenarioError(problems);

  const { cex, correlation, tick } = scenario.market;
  const chain = scenario.chain;
  return {
    seed: scenario.seed,
    blocks,
    numeric: scenario.numeric,
    checkInvariants: scenario.checkInvariants,
    ...(scenario.measureFrom !== undefined ? { measureFrom: scenario.measureFrom } : {}),
    chain: {
      blockTime: chain.blockTime,
      blockTimes: chain.blockTimes,
      gasLimit: chain.gasLimit,
      // A replayed fee overrides the rule; the engine's rule is then only its first value.
      baseFee: replay === undefined ? { initial: fee.initial, mode: fee.mode === 'csv' ? 'fixed' : fee.mode, min: fee.min, max: fee.max, elasticity: fee.elasticity, maxChangeDenominator: fee.maxChangeDenominator } : { initial: replay.fees[0]!, mode: 'fixed', min: 0, max: Infinity, elasticity: fee.elasticity, maxChangeDenominator: fee.maxChangeDenominator },
      ...(replay !== undefined ? { baseFeeReplay: replay } : {}),
      ordering: chain.ordering,
      nativeToken: chain.nativeToken,
      gas: chain.gas,
      ...(chain.background ? { background: chain.background } : {}),
      replacementBump: chain.replacementBump,
      ...(chain.mempoolTtl !== undefined ? { mempoolTtl: chain.mempoolTtl } : {}),
    },
    market: { assets, ...(tick !== undefined ? { tick } : {}), ...(correlation ? { correlation } : {}), ...(cex ? { cex } : {}) },
    tokens: Object.entries(scenario.tokens).map(([id, t]): TokenConfig => {
      if (t.usd !== undefined) return { id, price: { usd: t.usd } };
      return t.asset !== undefined ? { id, price: { asset: t.asset } } : { id };
    }),
    venues: Object.entries(scenario.venues).map(([id, v]): VenueConfig => ({ ...v, id })),
    agents: Object.entries(scenario.agents).map(([id, spec]) => createAgent({ ...spec, id })),
  };
}

/**
 * sha256 hex of the canonical resolved scenario (see `canonicalScenarioJson`): of a validated
 * scenario, or of scenario file text (validated first; throws ScenarioError).
 */
export function scenarioHash(scenario: Scenario | string): string {
  return hashScenario(typeof scenario === 'string' ? parseScenario(scenario, '<scenario>').scenario : scenario);
}
