/**
 * `hedgesim run FILE --fork-from DIR --at-block N --set …`: a what-if at block N (docs/forks.md).
 * The original run is replayed deterministically from its own scenario (FILE with the overrides its
 * run.json records, checked against its summary's scenario hash) to the end of block N; then the
 * fork's changes are applied to the live objects — chain, market, existing agents (their
 * `reconfigure` hook) and new agents (set up from the start, dormant, admitted at N) — and the run
 * goes on. Loaded only when --fork-from is given.
 */
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { buildConfig, loadScenarioFile, ScenarioError, scenarioHash, type LoadedScenario, type PathSeg, type Scenario } from '../scenarios';
import { parseOverride } from '../scenarios/overrides';
import { pathText } from '../scenarios/source';
import type { SourcePos } from '../scenarios/errors';
import type { SimConfig } from '../sim/config';
import { ConfigError } from '../sim/errors';
import { Simulation } from '../sim/simulation';
import { dataFiles, dataHashes } from './data-files';
import { UsageError } from './output';
import { locateConfigError, type Prepared } from './prepare';

/** Where a fork comes from, as summary.json and run.json record it. */
export interface ForkedFrom {
  /** The original's output folder, by name. */
  run: string;
  /** The original's scenario hash (its summary's `scenarioHash`). */
  scenarioHash: string;
  /** The last block the fork shares with the original. */
  block: number;
  /** The overrides the original ran with (its run.json's), which the fork's own `--set` follow. */
  overrides: string[];
}

export interface PreparedFork extends Prepared {
  forkedFrom: ForkedFrom;
  /** Apply the fork's changes to the simulation, which has just produced block `forkedFrom.block`. */
  apply(sim: Simulation): void;
}

/** Chain fields a fork may change: those the engine reads afresh each block and no agent read at setup. */
const CHAIN_LIVE = ['gasLimit', 'baseFee.mode', 'baseFee.min', 'baseFee.max', 'baseFee.elasticity', 'baseFee.maxChangeDenominator'];
/** Price processes whose parameters may change (they keep no state and draw only the asset's shock stream). */
const PROCESS_LIVE = ['gbm', 'ou'];

function readJson(dir: string, name: string): Record<string, unknown> {
  const path = join(dir, name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`--fork-from: '${dir}' is not a run's output folder (it has no ${name}); give the folder \`hedgesim run\` wrote`);
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw new UsageError(`--fork-from: ${path} is not a JSON object (a damaged or foreign folder)`);
}

/** Leaf paths at which two resolved scenarios differ (arrays compared whole). */
function differences(a: unknown, b: unknown, path: PathSeg[] = [], out: PathSeg[][] = []): PathSeg[][] {
  const isMap = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (isMap(a) && isMap(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) differences(a[k], b[k], [...path, k], out);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) out.push(path);
  return out;
}

export function prepareFork(file: string, sets: readonly string[], opts: { forkFrom: string; atBlock: string }): PreparedFork {
  const dir = opts.forkFrom;
  const summary = readJson(dir, 'summary.json');
  if ('sweep' in summary || 'runs' in summary) throw new UsageError(`--fork-from: '${dir}' holds a sweep's outputs, not one run's`);
  const run = readJson(dir, 'run.json');
  if (run.forkedFrom !== undefined) throw new UsageError(`--fork-from: '${dir}' is itself a fork (of ${JSON.stringify((run.forkedFrom as ForkedFrom).run)}); fork the original run, with every change in one --set list`);
  const hash = summary.scenarioHash;
  const blocks = summary.blocks;
  const overrides = run.overrides;
  if (typeof hash !== 'string' || typeof blocks !== 'number' || !Array.isArray(overrides) || !overrides.every((o) => typeof o === 'string')) {
    throw new UsageError(`--fork-from: '${dir}' lacks what a fork replays from (summary.json's scenarioHash and blocks, run.json's overrides); it was not written by \`hedgesim run\``);
  }
  const at = Number(opts.atBlock);
  if (!/^\d+$/.test(opts.atBlock.trim()) || !Number.isSafeInteger(at)) throw new UsageError(`--at-block: must be a whole block number, got '${opts.atBlock}'`);
  if (at >= blocks) throw new UsageError(`--at-block: ${at} is not before the end of the original run '${dir}' (${blocks} blocks): a fork goes on after block N, so N must be from 0 to ${blocks - 1}`);

  const original = loadScenarioFile(file, overrides as string[]);
  const originalHash = scenarioHash(original.scenario);
  if (originalHash !== hash) {
    const how = overrides.length === 0 ? 'as it is' : `with the original's overrides (${(overrides as string[]).join(' ')})`;
    throw new UsageError(`--fork-from: ${file} ${how} is not the scenario of '${dir}' (scenario hash ${originalHash.slice(0, 12)}…, the folder's is ${hash.slice(0, 12)}…): a fork starts from the same world; give the scenario file the original ran`);
  }
  // The hash covers the data files' names, not their contents: those are checked against run.json (when it records them).
  const recorded = run.dataHashes;
  if (typeof recorded === 'object' && recorded !== null) {
    const now = dataHashes(original);
    for (const [field, was] of Object.entries(recorded as Record<string, unknown>)) {
      if (now[field] !== was) throw new UsageError(`--fork-from: the file ${dataFiles(original)[field] ?? field} (${field}) is not the one '${dir}' ran with (its contents changed since): a fork starts from the same world`);
    }
  }
  const all = [...(overrides as string[]), ...sets];
  // The fork's own --set lines are numbered from 1; a problem in the original's overrides names its run.json.
  const renumberPos = <P extends SourcePos>(p: P): P => (p.file !== '--set' ? p : p.line > overrides.length ? { ...p, line: p.line - overrides.length } : { ...p, file: `${join(dir, 'run.json')} overrides` });
  const renumber = (e: unknown): unknown => (e instanceof ScenarioError ? new ScenarioError(e.problems.map(renumberPos)) : e);
  let loaded: LoadedScenario;
  try {
    loaded = loadScenarioFile(file, all);
  } catch (e) {
    throw renumber(e);
  }
  // Positions in the fork's own terms, for warnings and errors alike.
  const forked: LoadedScenario = { ...loaded, locate: (path, at) => renumberPos(loaded.locate(path, at)) };

  // Where a changed field was set: the last of the fork's --set at or inside it (or holding it).
  const setAt = (path: readonly PathSeg[]): { n: number; column: number } | undefined => {
    for (let n = sets.length - 1; n >= 0; n--) {
      const p = parseOverride(sets[n]!);
      if ('message' in p) continue;
      const k = Math.min(p.path.length, path.length);
      if (p.path.slice(0, k).every((seg, j) => String(seg) === String(path[j]))) return { n, column: p.valueCol + 1 };
    }
    return undefined;
  };
  const located = (path: readonly PathSeg[], message: string): ScenarioError => {
    const at = setAt(path);
    if (at === undefined) return new ScenarioError([{ ...forked.locate(path), path: pathText(path), message }]);
    return new ScenarioError([{ file: '--set', line: at.n + 1, column: at.column, path: pathText(path), message: `${message} (in --set ${sets[at.n]})` }]);
  };

  const origConfig = buildConfig(original.scenario, original.baseDir);
  const forkConfig = buildConfig(forked.scenario, forked.baseDir);
  const origAgents = new Map(origConfig.agents.map((a, i) => [a.id, i]));
  const changedAgents = new Set<string>();
  const newAgents = new Set<string>();
  const changedAssets = new Set<string>();
  let chainChanged = false;
  // The measurement point is accounting only (the baseline P&L is taken from; no agent reads it),
  // and the fork replays from block 0, so it may move anywhere after N: blocks 0..N run as before.
  let measureChanged = false;
  const refused: ScenarioError[] = [];
  const refuse = (path: PathSeg[], why: string): void => {
    refused.push(located(path, `cannot change at a fork: ${why}`));
  };
  for (const path of differences(original.scenario, forked.scenario)) {
    const [top, key, ...rest] = path.map(String);
    if (top === 'name' || top === 'description') continue;
    if (top === 'measureFrom') {
      measureChanged = true;
      continue;
    }
    if (top === 'chain') {
      const field = [key, ...rest].join('.');
      const fee = (s: Scenario): string => s.chain.baseFee.mode ?? '';
      if (!CHAIN_LIVE.includes(field)) refuse(path, `the run is built on it (live chain fields: ${CHAIN_LIVE.map((f) => `chain.${f}`).join(', ')})`);
      else if (fee(original.scenario) === 'csv' || fee(forked.scenario) === 'csv') refuse(path, 'a base fee replayed from a file cannot change its rule');
      else chainChanged = true;
    } else if (top === 'market' && key === 'assets' && rest.length >= 2) {
      const [asset, param] = rest as [string, string];
      const kind = original.scenario.market.assets[asset]?.kind;
      if (param === 'kind' || param === 'price' || kind === undefined || forked.scenario.market.assets[asset]?.kind !== kind) refuse(path, 'only the parameters of an existing asset\'s process may change (not its kind or start price)');
      else if (!PROCESS_LIVE.includes(kind)) refuse(path, `a ${kind} process keeps state or streams of its own; only ${PROCESS_LIVE.join(' and ')} processes change live`);
      else changedAssets.add(asset);
    } else if (top === 'agents' && key !== undefined) {
      const i = origAgents.get(key);
      if (i === undefined) {
        newAgents.add(key);
        continue;
      }
      const live = origConfig.agents[i]!.liveParams ?? [];
      const field = rest.join('.');
      if (live.some((p) => field === p || field.startsWith(`${p}.`))) changedAgents.add(key);
      else refuse(path, live.length === 0 ? `agent '${key}' (${origConfig.agents[i]!.kind}) has no parameters a fork can change` : `${origConfig.agents[i]!.kind} '${key}' changes live only ${live.join(', ')}`);
    } else refuse(path, 'the run is built on it (a fork may change chain fees and gas limit, the parameters of gbm and ou price processes, agents\' live parameters, and add agents)');
  }
  const after = `at a fork the measurement point must lie after block ${at}, where the fork starts: measureFrom.block from ${at + 1} to ${blocks}, or a time after block ${at}'s`;
  const measureFrom = forkConfig.measureFrom;
  if (measureChanged && (measureFrom === undefined || ('block' in measureFrom && measureFrom.block <= at))) refused.push(located(['measureFrom'], `${after}${measureFrom === undefined ? '' : ` (got block ${measureFrom.block})`}`));
  if (refused.length > 0) throw new ScenarioError(refused.flatMap((e) => e.problems));

  // The original's world, with the fork's new agents in it from the start (dormant until N).
  const config: SimConfig = {
    ...origConfig,
    measureFrom: measureChanged ? measureFrom : origConfig.measureFrom,
    agents: [...origConfig.agents, ...forkConfig.agents.filter((a) => newAgents.has(a.id))],
    dormant: [...newAgents],
  };
  // locateConfigError numbers the --set lines over all the overrides, the original's first.
  const place = (e: unknown): unknown => (e instanceof ConfigError ? renumber(locateConfigError(e, loaded, config, all)) : e);
  let sim: Simulation;
  try {
    sim = new Simulation(config);
  } catch (e) {
    throw place(e);
  }
  const apply = (s: Simulation): void => {
    const k = s.kernel;
    // A time-based point is placed by block times, known only now (they may be random).
    if (measureChanged && s.measuring) throw located(['measureFrom'], `${after}: time ${(measureFrom as { time: number }).time} s was reached by block ${at}`);
    if (chainChanged) {
      try {
        k.reconfigureChain(forkConfig.chain);
      } catch (e) {
        throw e instanceof ConfigError ? located(['chain'], e.message) : e;
      }
    }
    for (const id of changedAssets) {
      const a = k.market.assetId(id);
      k.market.reconfigure(a, forkConfig.market.assets[a]!.process);
    }
    for (const id of changedAgents) {
      const i = origAgents.get(id)!;
      const agent = k.agents[i]!;
      try {
        agent.reconfigure!({ ...forked.scenario.agents[id], id });
        k.reschedule(i);
      } catch (e) {
        throw located(['agents', id], e instanceof Error ? e.message : String(e));
      }
    }
    for (const id of newAgents) {
      try {
        k.admit(k.agents.findIndex((a) => a.id === id));
      } catch (e) {
        throw e instanceof ConfigError ? located(['agents', id], e.message.replace(/^agents\[\d+\]: /, '')) : e;
      }
    }
  };
  const forkedFrom: ForkedFrom = { run: basename(resolve(dir)), scenarioHash: hash, block: at, overrides: overrides as string[] };
  return { loaded: forked, config, sim, place, forkedFrom, apply };
}
