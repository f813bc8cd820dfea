/** The canonical form of a resolved scenario, and its hash (to tell runs of the same scenario apart). */
import { createHash } from 'node:crypto';
import { scenarioBlocks, type Scenario } from './schema';

/**
 * The resolved scenario as JSON: defaults filled in, `duration` turned into `blocks`, fields in
 * schema order, maps (agents, venues, …) in file order — which the engine depends on — and no
 * `$schema`. Two files that differ only in layout, comments, key order or spelling of numbers
 * (1e3, 1000) give the same text. The contents of CSV price files are not part of it.
 */
export function canonicalScenarioJson(scenario: Scenario): string {
  const { $schema: _schema, duration: _duration, blocks: _blocks, ...rest } = scenario;
  return JSON.stringify({ blocks: scenarioBlocks(scenario), ...rest });
}

/** sha256 hex of `canonicalScenarioJson`. */
export function hashScenario(scenario: Scenario): string {
  return createHash('sha256').update(canonicalScenarioJson(scenario)).digest('hex');
}
