/**
 * Loading a scenario file: read, parse as YAML (JSON is YAML too) keeping source positions, apply
 * `--set` overrides, validate against the schema and check references — then either the resolved
 * scenario, or one ScenarioError listing every problem with file, line, column and field path (the
 * CSV price files' included, which a valid scenario's run reads when it is built).
 */
import { dirname } from 'node:path';
import { checkScenario } from './checks';
import { readBaseFeeCsv } from './base-fee-csv';
import { readCsvAsset } from './csv';
import type { ScenarioProblem } from './errors';
import { hashScenario } from './hash';
import { parseOverride } from './overrides';
import { chainSchema, scenarioBlocks, scenarioSchema, type Scenario } from './schema';
import { csvProcessSchema } from './schema-market';
import { isRecord } from './schema-walk';
import type { Locate } from './source';
import { expandTemplates, registerTemplates, type Expansion, type Template } from './templates';
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
  const baseDir = dirname(file);
  // Top-level fields given by `--set`: a conflict they cause is explained in terms of `--set`.
  const set = new Set(overrides.map((o) => parseOverride(o)).flatMap((p) => ('path' in p && typeof p.path[0] === 'string' ? [p.path[0]] : [])));
  let templates: Record<string, Template> = {};
  const expand = (raw: Record<string, unknown>): Expansion => {
    const e = expandTemplates(raw);
    templates = e.templates;
    return e;
  };
  const { data, locate } = parseYaml(text, file, scenarioSchema, { overrides, check: (d) => checkScenario(d, set), needs: NEEDS, fields: 'name, chain, market, …', otherKind: sweepFile(file), alsoWhenInvalid: (raw, at) => csvProblems(raw, baseDir, at), expand });
  locators.set(data, locate);
  registerTemplates(data, templates);
  return { file, baseDir, scenario: data, hash: hashScenario(data), locate };
}

/**
 * The problems of the CSV price and base fee files of a scenario that has problems elsewhere: so that
 * they are reported with the others, not after those are fixed, every `csv` asset (and a `csv` base
 * fee) whose own entry is valid has its file read (a valid scenario's are read when its run is built, see buildConfig). Whether
 * the prices cover the run is checked when its length is valid too.
 */
function csvProblems(raw: Record<string, unknown>, baseDir: string, locate: Locate): ScenarioProblem[] {
  const assets = isRecord(raw.market) && isRecord(raw.market.assets) ? raw.market.assets : {};
  const problems: ScenarioProblem[] = [];
  const blockTime = chainSchema.shape.blockTime.safeParse(isRecord(raw.chain) ? raw.chain.blockTime : undefined);
  const blockTimes = chainSchema.shape.blockTimes.safeParse(isRecord(raw.chain) ? raw.chain.blockTimes : undefined);
  const length = scenarioSchema.pick({ blocks: true, duration: true }).safeParse({ blocks: raw.blocks, duration: raw.duration });
  const known = blockTime.success && blockTimes.success && length.success && (length.data.blocks === undefined) !== (length.data.duration === undefined);
  const run = known ? { blocks: scenarioBlocks({ ...length.data, chain: { blockTime: blockTime.data } }), blockTime: blockTime.data, exponential: blockTimes.data === 'exponential' } : undefined;
  for (const [id, spec] of Object.entries(assets)) {
    const p = csvProcessSchema().safeParse(spec);
    if (p.success) readCsvAsset(id, p.data, baseDir, locate, run, problems);
  }
  const fee = chainSchema.shape.baseFee.safeParse(isRecord(raw.chain) ? raw.chain.baseFee : undefined);
  if (fee.success && fee.data.mode === 'csv' && fee.data.file !== undefined) readBaseFeeCsv({ file: fee.data.file, column: fee.data.column, timeColumn: fee.data.timeColumn }, baseDir, locate, run, problems);
  return problems;
}

/** A sweep file (a base `scenario` with `metrics` or `parameters`) given where a scenario is expected. */
function sweepFile(file: string): (keys: readonly string[]) => { key: string; message: string } | undefined {
  return (keys) => {
    if (!keys.includes('scenario')) return undefined;
    // A study file has a kind (optimise, best-response, …); a sweep file has none. (Not the
    // objective: free-entry, cascades and best-response files may leave it out.)
    if (keys.includes('kind')) return { key: 'kind', message: `${file} is a study file: use \`hedgesim study ${file}\`` };
    return keys.includes('metrics') || keys.includes('parameters') ? { key: 'scenario', message: `${file} is a sweep file: use \`hedgesim sweep ${file}\`` } : undefined;
  };
}

const locators = new WeakMap<Scenario, Locate>();

/** Where the fields of a scenario this module loaded are in its file (for problems found later). */
export function locatorOf(scenario: Scenario): Locate | undefined {
  return locators.get(scenario);
}
