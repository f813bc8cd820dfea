/** Loading and checking a sweep file: schema, base scenario, points, baseline, metric paths. */
import { dirname, resolve } from 'node:path';
import { isScalar } from 'yaml';
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
  // Without samples there are no points at all: the baseline is not the problem then.
  if (sweep.baseline !== undefined && plan.baseline === -1 && plan.points.length > 0) problems.push(problem(['baseline'], `the baseline ${JSON.stringify(sweep.baseline)} is not one of the sweep's points`));
  if (sweep.baseline !== undefined && plan.baseline === -2) problems.push(problem(['baseline'], `the baseline ${JSON.stringify(sweep.baseline)} matches several points: name every parameter that varies`));
  for (const [name, path] of Object.entries(sweep.metrics)) {
    const [head = '', id] = path.split('.');
    const pool = head === 'agents' ? Object.keys(base.scenario.agents ?? {}) : head === 'venues' ? Object.keys(base.scenario.venues ?? {}) : null;
    if (pool !== null && (id === undefined || !pool.includes(id))) problems.push(problem(['metrics', name], `'${path}' names no ${head.slice(0, -1)} '${id ?? ''}'${id ? didYouMean(id, pool) : ''}; ${head}: ${pool.join(', ')}`));
    else if (pool === null && !['builder', 'prices', 'blocks', 'simulatedSeconds', 'finalBaseFee'].includes(head ?? '')) problems.push(problem(['metrics', name], `'${path}' must start with agents.<id>, venues.<id>, builder, prices, blocks, simulatedSeconds or finalBaseFee`));
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  return { file, sweep, base, scenarioFile, plan };
}
