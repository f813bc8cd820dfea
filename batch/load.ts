/**
 * Loading and checking a sweep file: schema, base scenario, parameter paths, points, baseline,
 * metric paths — every problem at its file:line:col before anything runs.
 */
import { dirname, resolve } from 'node:path';
import { isScalar } from 'yaml';
import { loadScenarioFile, type LoadedScenario } from '../scenarios';
import { ScenarioError, type ScenarioProblem } from '../scenarios/errors';
import { parseOverride } from '../scenarios/overrides';
import { scenarioBlocks } from '../scenarios/schema';
import { didYouMean } from '../scenarios/suggest';
import { parseYaml, readText } from '../scenarios/yaml-file';
import { planSweep, type Plan } from './plan';
import { sweepSchema, type SweepFile } from './sweep-schema';
import { variant, VariantError } from './variant';

export interface LoadedSweep {
  file: string;
  sweep: SweepFile;
  base: LoadedScenario;
  scenarioFile: string;
  plan: Plan;
  /** Simulated blocks of each point's runs (by point id): the sweep's work, before it runs. */
  blocks: number[];
}

export function loadSweepFile(file: string): LoadedSweep {
  const { data: sweep, locate, doc } = parseYaml(readText(file, 'sweep file'), file, sweepSchema, {
    needs: 'a sweep needs at least name, scenario and metrics',
    fields: 'name, scenario, parameters, metrics, …',
  });
  const problem = (path: (string | number)[], message: string, at: 'node' | 'key' = 'node'): ScenarioProblem => ({ ...locate(path, at), path: path.join('.'), message });
  const scenarioFile = resolve(dirname(file), sweep.scenario);
  let base: LoadedScenario;
  try {
    base = loadScenarioFile(scenarioFile, sweep.set);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    // Problems of the sweep's own fields belong in the sweep file: an unreadable base scenario at
    // `scenario:`, an override at its entry of `set:` (not at the `--set` pseudo-file of `run`).
    throw new ScenarioError(
      e.problems.map((p) => {
        if (p.file === '--set') {
          const node = doc.getIn(['set', p.line - 1], true);
          const at = locate(['set', p.line - 1]);
          const offset = isScalar(node) && node.type === 'PLAIN' ? p.column - 1 : 0;
          return { ...p, ...at, column: at.column + offset, message: p.message.replace(/ \(in --set (.*)\)$/, ' (in set: $1)') };
        }
        if (p.file === scenarioFile && p.path === '' && p.message.startsWith('cannot read the scenario file')) {
          return problem(['scenario'], p.message.replace('the scenario file', `the base scenario ${sweep.scenario}`));
        }
        return p;
      }),
    );
  }
  /** Metric paths must start at something the run summary has (agents and venues by id). */
  const metricProblems = (): ScenarioProblem[] => {
    const out: ScenarioProblem[] = [];
    for (const [name, path] of Object.entries(sweep.metrics)) {
      const [head = '', id] = path.split('.');
      const pool = head === 'agents' ? Object.keys(base.scenario.agents ?? {}) : head === 'venues' ? Object.keys(base.scenario.venues ?? {}) : null;
      if (pool !== null && (id === undefined || !pool.includes(id))) out.push(problem(['metrics', name], `'${path}' names no ${head.slice(0, -1)} '${id ?? ''}'${id ? didYouMean(id, pool) : ''}; ${head}: ${pool.join(', ')}`));
      else if (pool === null && !['builder', 'prices', 'blocks', 'simulatedSeconds', 'finalBaseFee'].includes(head ?? '')) out.push(problem(['metrics', name], `'${path}' must start with agents.<id>, venues.<id>, builder, prices, blocks, simulatedSeconds or finalBaseFee`));
    }
    return out;
  };
  const problems: ScenarioProblem[] = [];
  const random = Object.entries(sweep.parameters).filter(([, p]) => !('values' in p));
  if (random.length > 0 && sweep.samples === undefined) problems.push(problem(['parameters', random[0]![0]], `a ${Object.keys(random[0]![1])[0]} parameter needs 'samples' (how many draws) at the top level`));
  // The paths themselves, before any point is built from them.
  const paths: [(string | number)[], string][] = [
    ...Object.keys(sweep.parameters).map((k): [(string | number)[], string] => [['parameters', k], k]),
    ...(sweep.points ?? []).flatMap((pt, i) => Object.keys(pt).map((k): [(string | number)[], string] => [['points', i, k], k])),
    ...Object.keys(sweep.baseline ?? {}).map((k): [(string | number)[], string] => [['baseline', k], k]),
  ];
  let pathsOk = true;
  for (const [at, path] of paths) {
    const parsed = parseOverride(`${path}=0`);
    if ('message' in parsed) {
      pathsOk = false;
      problems.push(problem(at, parsed.message, 'key'));
    }
    // The variant's seed is the replicate's (seed + r): a swept seed would be silently replaced.
    else if (parsed.path.length === 1 && parsed.path[0] === 'seed') problems.push(problem(at, "'seed' cannot be swept: the replicates set the seed (replicate r runs with seed + r at every point); use seed and replicates at the top level", 'key'));
  }
  // A point's value for a parameter would be replaced by the parameter's own values.
  (sweep.points ?? []).forEach((pt, i) => {
    for (const k of Object.keys(pt)) if (k in sweep.parameters) problems.push(problem(['points', i, k], `'${k}' is also in parameters, whose values would replace this point's: set it in one place only`, 'key'));
  });
  // Drawn values cannot be named; each point is paired with the baseline point of its own draw.
  const drawnInBaseline = random.filter(([k]) => sweep.baseline !== undefined && k in sweep.baseline);
  for (const [k, spec] of drawnInBaseline) problems.push(problem(['baseline', k], `the baseline cannot name '${k}', a ${Object.keys(spec)[0]} parameter: its values are drawn, and each point is compared with the baseline point of its own draw`, 'key'));
  // Points cannot be built from malformed paths: report what is known so far.
  if (!pathsOk) throw new ScenarioError([...problems, ...metricProblems()]);
  const plan = planSweep(sweep);
  // Every point's scenario must be valid before anything runs.
  const seen = new Set<string>();
  const blocks: number[] = [];
  for (const p of plan.points) {
    try {
      blocks.push(scenarioBlocks(variant(base.scenario, p.values)));
    } catch (e) {
      if (!(e instanceof VariantError)) throw e;
      blocks.push(0);
      if (seen.has(e.parameter)) continue;
      seen.add(e.parameter);
      const inParams = e.parameter in sweep.parameters;
      problems.push(problem(inParams ? ['parameters', e.parameter] : ['points'], `at point ${p.id} (${JSON.stringify(p.values)}): ${e.message}`, inParams ? 'key' : 'node'));
    }
  }
  // Without samples there are no points at all: the baseline is not the problem then; nor when it
  // names a drawn parameter (already reported).
  const checkBaseline = sweep.baseline !== undefined && plan.points.length > 0 && drawnInBaseline.length === 0;
  if (checkBaseline && plan.baseline === -1) problems.push(problem(['baseline'], `the baseline ${JSON.stringify(sweep.baseline)} is not one of the sweep's points`));
  if (checkBaseline && plan.baseline === -2) problems.push(problem(['baseline'], `the baseline ${JSON.stringify(sweep.baseline)} matches several points: give a value for every grid parameter and every parameter of the explicit points`));
  problems.push(...metricProblems());
  if (problems.length > 0) throw new ScenarioError(problems);
  return { file, sweep, base, scenarioFile, plan, blocks };
}
