/**
 * From a scenario file to a simulation ready to start, for `run` and `validate` alike, so both
 * reject the same inputs. Engine configuration errors (found when the world is built or at genesis,
 * after the file passed validation) are placed in the scenario file like every other problem.
 */
import { buildConfig, loadScenarioFile, ScenarioError, type LoadedScenario, type PathSeg } from '../scenarios';
import { parseOverride } from '../scenarios/overrides';
import { pathText } from '../scenarios/source';
import type { SimConfig } from '../sim/config';
import { ConfigError } from '../sim/errors';
import type { PreflightWarning } from '../sim/preflight';
import { Simulation } from '../sim/simulation';

export interface Prepared {
  loaded: LoadedScenario;
  config: SimConfig;
  sim: Simulation;
  /** A ConfigError as a ScenarioError with file, line and column; other errors as they are. */
  place(e: unknown): unknown;
}

export function prepare(file: string, overrides: readonly string[]): Prepared {
  const loaded = loadScenarioFile(file, overrides);
  const config = buildConfig(loaded.scenario, loaded.baseDir);
  const place = (e: unknown): unknown => (e instanceof ConfigError ? locateConfigError(e, loaded, config, overrides) : e);
  try {
    return { loaded, config, sim: new Simulation(config), place };
  } catch (e) {
    throw place(e);
  }
}

/**
 * `agents[0].balances.ETH` → `agents.lp.balances.ETH`, at its place in the file — or, when a `--set`
 * changed something inside that field (`--set agents.lp.balances.ETH=0` for a failing genesis of
 * agent `lp`), at that override (the last such one), which is the likelier cause.
 */
export function locateConfigError(e: ConfigError, loaded: LoadedScenario, config: SimConfig, overrides: readonly string[] = []): ScenarioError {
  const path: PathSeg[] = [];
  for (const m of e.path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) path.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  // The engine's lists are the scenario's maps in file order: name their entries by id.
  const list = path[0] === 'agents' ? config.agents : path[0] === 'venues' ? config.venues : path[0] === 'tokens' ? config.tokens : undefined;
  if (list !== undefined && typeof path[1] === 'number') path[1] = list[path[1]]?.id ?? path[1];
  const message = e.path !== '' && e.message.startsWith(`${e.path}: `) ? e.message.slice(e.path.length + 2) : e.message;
  const inside = (o: readonly PathSeg[]): boolean => path.length > 0 && o.length >= path.length && path.every((seg, j) => String(seg) === String(o[j]));
  for (let n = overrides.length - 1; n >= 0; n--) {
    const parsed = parseOverride(overrides[n]!);
    if ('message' in parsed || !inside(parsed.path)) continue;
    return new ScenarioError([{ file: '--set', line: n + 1, column: parsed.valueCol + 1, path: pathText(path), message: `${message} (in --set ${overrides[n]})` }]);
  }
  return new ScenarioError([{ ...loaded.locate(path), path: pathText(path), message }]);
}

/**
 * Preflight warnings as lines for stderr, each placed in the scenario file like an error
 * (`warning: file:line:col: path: message (CODE)`); a path the file does not spell out (a balance it
 * lacks) is placed at its nearest existing parent.
 */
export function warningLines(loaded: LoadedScenario, warnings: readonly PreflightWarning[]): string[] {
  return warnings.map((w) => {
    const at = loaded.locate(w.path.split('.'));
    return `warning: ${at.file}:${at.line}:${at.column}: ${w.path}: ${w.message} (${w.code})`;
  });
}
