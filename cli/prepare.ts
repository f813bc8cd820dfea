/**
 * From a scenario file to a simulation ready to start, for `run` and `validate` alike, so both
 * reject the same inputs. Engine configuration errors (found when the world is built or at genesis,
 * after the file passed validation) are placed in the scenario file like every other problem.
 */
import { buildConfig, loadScenarioFile, ScenarioError, type LoadedScenario, type PathSeg } from '../scenarios';
import { pathText } from '../scenarios/source';
import type { SimConfig } from '../sim/config';
import { ConfigError } from '../sim/errors';
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
  const place = (e: unknown): unknown => (e instanceof ConfigError ? locateConfigError(e, loaded, config) : e);
  try {
    return { loaded, config, sim: new Simulation(config), place };
  } catch (e) {
    throw place(e);
  }
}

/** `agents[0].balances.ETH` → `agents.lp.balances.ETH`, at its place in the file. */
export function locateConfigError(e: ConfigError, loaded: LoadedScenario, config: SimConfig): ScenarioError {
  const path: PathSeg[] = [];
  for (const m of e.path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) path.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  // The engine's lists are the scenario's maps in file order: name their entries by id.
  const list = path[0] === 'agents' ? config.agents : path[0] === 'venues' ? config.venues : path[0] === 'tokens' ? config.tokens : undefined;
  if (list !== undefined && typeof path[1] === 'number') path[1] = list[path[1]]?.id ?? path[1];
  const message = e.path !== '' && e.message.startsWith(`${e.path}: `) ? e.message.slice(e.path.length + 2) : e.message;
  return new ScenarioError([{ ...loaded.locate(path), path: pathText(path), message }]);
}
