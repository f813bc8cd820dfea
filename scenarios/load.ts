/**
 * Loading a scenario file: read, parse as YAML (JSON is YAML too) keeping source positions, apply
 * `--set` overrides, validate against the schema and check references — then either the resolved
 * scenario, or one ScenarioError listing every problem with file, line, column and field path.
 */
import { dirname } from 'node:path';
import { checkScenario } from './checks';
import { hashScenario } from './hash';
import { scenarioSchema, type Scenario } from './schema';
import type { Locate } from './source';
import { parseYaml, readText } from './yaml-file';

export interface LoadedScenario {
  /** The file as given. */
  file: string;
  /** Folder relative paths in the file (CSV prices) are resolved against. */
  baseDir: string;
  /** The validated scenario: defaults filled in, overrides applied, durations in seconds. */
  scenario: Scenario;
  /** sha256 of the canonical resolved scenario (see `canonicalScenarioJson`). */
  hash: string;
  /** Position of a field in the file (or in `--set`), for problems found later (e.g. in CSV files). */
  locate: Locate;
}

/** Read, validate and resolve a scenario file. Throws ScenarioError. */
export function loadScenarioFile(file: string, overrides: readonly string[] = []): LoadedScenario {
  return parseScenario(readText(file, 'scenario file'), file, overrides);
}

const NEEDS = 'a scenario needs at least name, blocks or duration, chain, market and tokens';

/** Validate and resolve scenario text; `file` names it in messages and anchors relative paths. */
export function parseScenario(text: string, file: string, overrides: readonly string[] = []): LoadedScenario {
  const { data, locate } = parseYaml(text, file, scenarioSchema, { overrides, check: checkScenario, needs: NEEDS, fields: 'name, chain, market, …', otherKind: sweepFile(file) });
  locators.set(data, locate);
  return { file, baseDir: dirname(file), scenario: data, hash: hashScenario(data), locate };
}

/** A sweep file (a base `scenario` with `metrics` or `parameters`) given where a scenario is expected. */
function sweepFile(file: string): (keys: readonly string[]) => { key: string; message: string } | undefined {
  return (keys) => (keys.includes('scenario') && (keys.includes('metrics') || keys.includes('parameters')) ? { key: 'scenario', message: `${file} is a sweep file: use \`hedgesim sweep ${file}\`` } : undefined);
}

const locators = new WeakMap<Scenario, Locate>();

/** Where the fields of a scenario this module loaded are in its file (for problems found later). */
export function locatorOf(scenario: Scenario): Locate | undefined {
  return locators.get(scenario);
}
