/** Loading and checking a sweep file: schema, base scenario, points, baseline, metric paths. */
import { dirname, resolve } from 'node:path';
import { loadScenarioFile, type LoadedScenario } from '../scenarios';
import { ScenarioError, type ScenarioProblem } from '../scenarios/errors';
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
}

export function loadSweepFile(file: string): LoadedSweep {
  const { data: sweep, locate } = parseYaml(readText(file, 'sweep file'), file, sweepSchema, {
    needs: 'a sweep needs at least name, scenario and metrics',
    fields: 'name, scenario, parameters, metrics, …',
  });
  const problem = (path: (string | number)[], message: string, at: 'node' | 'key' = 'node'): ScenarioProblem => ({ ...locate(path, at), path: path.join('.'), message });
  const scenarioFile = resolve(dirname(file), sweep.scenario);
  const base = loadScenarioFile(scenarioFile, sweep.set);
  const problems: ScenarioProblem[] = [];
  const random = Object.entries(sweep.parameters).filter(([, p]) => !('values' in p));
  if (random.length > 0 && sweep.samples === undefined) problems.push(problem(['parameters', random[0]![0]], `a ${Object.keys(random[0]![1])[0]} parameter needs 'samples' (how many draws) at the top level`));
  const plan = planSweep(sweep);
  // Every point's scenario must be valid before anything runs.
  const seen = new Set<string>();
  for (const p of plan.points) {
    try {
      variant(base.scenario, p.values);
    } catch (e) {
      if (!(e instanceof VariantError)) throw e;
      if (seen.has(e.parameter)) continue;
      seen.add(e.parameter);
      const inParams = e.parameter in sweep.parameters;
      problems.push(problem(inParams ? ['parameters', e.parameter] : ['points'], `at point ${p.id} (${JSON.stringify(p.values)}): ${e.message}`, inParams ? 'key' : 'node'));
    }
  }
  if (sweep.baseline !== undefined && plan.baseline < 0) problems.push(problem(['baseline'], `the baseline ${JSON.stringify(sweep.baseline)} is not one of the sweep's points`));
  for (const [name, path] of Object.entries(sweep.metrics)) {
    const [head = '', id] = path.split('.');
    const pool = head === 'agents' ? Object.keys(base.scenario.agents ?? {}) : head === 'venues' ? Object.keys(base.scenario.venues ?? {}) : null;
    if (pool !== null && (id === undefined || !pool.includes(id))) problems.push(problem(['metrics', name], `'${path}' names no ${head.slice(0, -1)} '${id ?? ''}'${id ? didYouMean(id, pool) : ''}; ${head}: ${pool.join(', ')}`));
    else if (pool === null && !['builder', 'prices', 'blocks', 'simulatedSeconds', 'finalBaseFee'].includes(head ?? '')) problems.push(problem(['metrics', name], `'${path}' must start with agents.<id>, venues.<id>, builder, prices, blocks, simulatedSeconds or finalBaseFee`));
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  return { file, sweep, base, scenarioFile, plan };
}
