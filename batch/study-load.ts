/**
 * Loading and checking a study file before anything runs: schema, base scenario (with `set`, and
 * the `quick` overrides under --quick), metric expressions, the objective's and payoffs' metric
 * names, every strategy value applied to the base scenario, the refine step's needs — each problem
 * at its file:line:col.
 */
import { dirname, resolve } from 'node:path';
import { isScalar } from 'yaml';
import { loadScenarioFile, type LoadedScenario } from '../scenarios';
import { ScenarioError, type ScenarioProblem } from '../scenarios/errors';
import { parseOverride } from '../scenarios/overrides';
import { didYouMean } from '../scenarios/suggest';
import { parseYaml, readText } from '../scenarios/yaml-file';
import { metricProblems } from './metric-check';
import { ExpressionError, parseMetric } from './expression';
import type { Values } from './plan';
import { studySchema, type FreeEntryStudy, type StudyFile } from './study-schema';
import { ENTRY_PREFIX } from './study-entry';
import { templatesOf } from '../scenarios/templates';
import { variant, VariantError } from './variant';

export interface LoadedStudy {
  file: string;
  study: StudyFile;
  base: LoadedScenario;
  scenarioFile: string;
  /** Overrides of the base scenario: `set`, then `quick.set` under --quick. */
  set: string[];
  replicates: number;
  quick: boolean;
}

/** The crossed grid of a strategy space, the first parameter varying slowest. */
export function grid(space: Record<string, { values: unknown[] }>): Values[] {
  let out: Values[] = [{}];
  for (const [path, { values }] of Object.entries(space)) out = out.flatMap((p) => values.map((v) => ({ ...p, [path]: v })));
  return out;
}

export function loadStudyFile(file: string, quick = false): LoadedStudy {
  const { data: study, locate, doc } = parseYaml(readText(file, 'study file'), file, studySchema, {
    needs: 'a study needs at least name, kind, scenario, metrics and objective',
    fields: 'name, kind, scenario, metrics, objective, …',
    otherKind: (keys) => {
      if (keys.includes('kind')) return undefined;
      if (keys.includes('scenario') && keys.includes('metrics')) return { key: 'scenario', message: `${file} is a sweep file: use \`hedgesim sweep ${file}\`` };
      const key = keys.find((k) => ['chain', 'market', 'tokens', 'venues', 'agents'].includes(k));
      return key !== undefined ? { key, message: `${file} is a scenario file: use \`hedgesim run ${file}\`` } : undefined;
    },
  });
  const problem = (path: (string | number)[], message: string, at: 'node' | 'key' = 'node'): ScenarioProblem => ({ ...locate(path, at), path: path.join('.'), message });
  const scenarioFile = resolve(dirname(file), study.scenario);
  const set = [...study.set, ...(quick ? (study.quick?.set ?? []) : [])];
  let base: LoadedScenario;
  try {
    base = loadScenarioFile(scenarioFile, set);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    throw new ScenarioError(
      e.problems.map((p) => {
        if (p.file === '--set') {
          const i = p.line - 1;
          const at = i < study.set.length ? problem(['set', i], p.message) : problem(['quick', 'set', i - study.set.length], p.message);
          return { ...p, ...at, message: p.message.replace(/ \(in --set (.*)\)$/, ' (in set: $1)') };
        }
        if (p.file === scenarioFile && p.path === '' && p.message.startsWith('cannot read the scenario file')) return problem(['scenario'], p.message.replace('the scenario file', `the base scenario ${study.scenario}`));
        return p;
      }),
    );
  }
  const problems: ScenarioProblem[] = [];
  for (const [name, text] of Object.entries(study.metrics))
    for (const p of metricProblems(text, base.scenario)) {
      const at = problem(['metrics', name], p.message);
      const node = doc.getIn(['metrics', name], true);
      const shift = !isScalar(node) ? 0 : node.type === 'PLAIN' ? p.offset : node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? p.offset + 1 : 0;
      problems.push({ ...at, column: at.column + shift });
    }
  const names = Object.keys(study.metrics);
  const known = (path: (string | number)[], name: string): void => {
    if (!names.includes(name)) problems.push(problem(path, `'${name}' is not one of the study's metrics${didYouMean(name, names)}; metrics: ${names.join(', ')}`));
  };
  if (study.kind === 'optimise') known(['objective', 'metric'], study.objective.metric);
  if (study.kind === 'cascades') for (const name of names) if (name.startsWith('cascade_')) problems.push(problem(['metrics', name], 'metric names starting with cascade_ are the cascades study\'s own (its counts)', 'key'));
  if (study.kind === 'free-entry') entryProblems(study, base, () => loadScenarioFile(scenarioFile, [...set, `agents.${study.template}.count=1`]), problem, known, problems);
  // Every strategy value must make a valid scenario on its own (combinations are checked as they run).
  const spaces: [(string | number)[], Record<string, { values: unknown[] }>][] =
    study.kind === 'optimise' ? [[['strategy'], study.strategy]] : study.kind === 'free-entry' ? [] : study.kind === 'cascades' ? [[['sweep'], study.sweep]] : Object.entries(study.players).map(([id, p]) => [['players', id, 'strategies'], p.strategies]);
  for (const [at, space] of spaces)
    for (const [path, { values }] of Object.entries(space)) {
      const parsed = parseOverride(`${path}=0`);
      if ('message' in parsed) {
        problems.push(problem([...at, path], parsed.message, 'key'));
        continue;
      }
      if (parsed.path.length === 1 && parsed.path[0] === 'seed') {
        problems.push(problem([...at, path], "'seed' cannot be a strategy: the replicates set the seed", 'key'));
        continue;
      }
      values.forEach((v, i) => {
        try {
          variant(base.scenario, { [path]: v });
        } catch (e) {
          if (!(e instanceof VariantError)) throw e;
          problems.push(problem([...at, path, 'values', i], e.message));
        }
      });
    }
  if (study.kind === 'optimise' && study.refine.method === 'golden') {
    const params = Object.entries(study.strategy);
    const numeric = params.length === 1 && params[0]![1].values.length >= 2 && params[0]![1].values.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!numeric) problems.push(problem(['refine', 'method'], 'golden-section search refines one numeric parameter: give strategy exactly one parameter with at least two numbers'));
  }
  if (study.kind === 'optimise' && study.closedForm !== undefined) {
    const params = Object.entries(study.strategy);
    if (params.length !== 1 || !params[0]![1].values.every((v) => typeof v === 'number')) problems.push(problem(['closedForm'], 'a closed form is compared with one numeric parameter: give strategy exactly one parameter of numbers'));
    const cf = study.closedForm;
    for (const [field, text, allowed] of [['optimum', cf.optimum, names], ['curve', cf.curve, [...names, 'x']]] as const) {
      if (text === undefined) continue;
      try {
        for (const ref of parseMetric(text).paths) if (!allowed.includes(ref.path)) problems.push(problem(['closedForm', field], `'${ref.path}' is not one of the study's metrics${field === 'curve' ? ' (or x, the parameter)' : ''}${didYouMean(ref.path, [...allowed])}; metrics: ${names.join(', ')}`));
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        problems.push(problem(['closedForm', field], e.message));
      }
    }
  }
  if (study.kind === 'best-response') {
    const players = Object.entries(study.players);
    const sizes = players.map(([, p]) => grid(p.strategies).length);
    players.forEach(([id, p], i) => {
      known(['players', id, 'payoff'], p.payoff);
      if (p.start >= sizes[i]!) problems.push(problem(['players', id, 'start'], `start is an index into the ${sizes[i]} strategies: 0 to ${sizes[i]! - 1}`));
    });
    // Two players setting one field would silently override each other.
    const owner = new Map<string, string>();
    for (const [id, p] of players)
      for (const path of Object.keys(p.strategies)) {
        const other = owner.get(path);
        if (other !== undefined) problems.push(problem(['players', id, 'strategies', path], `'${path}' is also a strategy of player '${other}': a field belongs to one player`, 'key'));
        owner.set(path, id);
      }
    if (study.symmetric && new Set(sizes).size > 1) problems.push(problem(['symmetric'], `a symmetric game needs every player to have as many strategies (found ${sizes.join(', ')}): strategy i of each is the same strategy`));
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  const replicates = quick ? (study.quick?.replicates ?? study.replicates) : study.replicates;
  return { file, study, base, scenarioFile, set, replicates, quick };
}

/** A free-entry study's template, payoff path, outside metric and counts, checked against the base scenario. */
function entryProblems(study: FreeEntryStudy, base: LoadedScenario, withOne: () => LoadedScenario, problem: (path: (string | number)[], message: string, at?: 'node' | 'key') => ScenarioProblem, known: (path: (string | number)[], name: string) => void, problems: ScenarioProblem[]): void {
  for (const name of Object.keys(study.metrics)) if (name.startsWith(ENTRY_PREFIX)) problems.push(problem(['metrics', name], `metric names starting with ${ENTRY_PREFIX} are the free-entry study's own (the entrants' payoffs)`, 'key'));
  if ('metric' in study.outside) known(['outside', 'metric'], study.outside.metric);
  const templates = templatesOf(base.scenario);
  if (templates[study.template] === undefined) {
    const names = Object.keys(templates);
    problems.push(problem(['template'], `'${study.template}' names no agent template (an agent with a count)${didYouMean(study.template, names)}; templates: ${names.join(', ') || 'none'}`));
    return;
  }
  if (study.counts.from > study.counts.to) problems.push(problem(['counts'], `counts.from (${study.counts.from}) is above counts.to (${study.counts.to})`));
  // The payoff path, checked on copy 1 (every copy has the template's kind).
  const one = Object.hasOwn(base.scenario.agents, `${study.template}-1`) ? base : withOne();
  for (const p of metricProblems(`agents.${study.template}-1.${study.payoff}`, one.scenario)) problems.push(problem(['payoff'], p.message.replace(`agents.${study.template}-1.`, '')));
}
