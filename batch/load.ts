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
import { parseYaml, readText } from '../scenarios/yaml-file';
import { planSweep, type Plan } from './plan';
import { tableColumns } from './outputs';
import { metricProblems as expressionProblems } from './metric-check';
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
    // A scenario file (chain, agents, venues, … and no base scenario) given to `sweep`.
    otherKind: (keys) => {
      if (keys.includes('kind') && keys.includes('objective')) return { key: 'kind', message: `${file} is a study file: use \`hedgesim study ${file}\`` };
      const key = keys.find((k) => ['chain', 'market', 'tokens', 'venues', 'agents'].includes(k));
      return key !== undefined && !keys.includes('scenario') ? { key, message: `${file} is a scenario file: use \`hedgesim run ${file}\`` } : undefined;
    },
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
  /**
   * Metrics are expressions over numbers of the run summary (expression.ts, summary-layout.ts): each
   * problem at its column within the metric's text in the file.
   */
  const metricProblems = (): ScenarioProblem[] =>
    Object.entries(sweep.metrics).flatMap(([name, text]) =>
      expressionProblems(text, base.scenario).map((p) => {
        const at = problem(['metrics', name], p.message);
        const node = doc.getIn(['metrics', name], true);
        // Into the text: a plain scalar starts at its first character, a quoted one after the quote.
        const shift = !isScalar(node) ? 0 : node.type === 'PLAIN' ? p.offset : node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? p.offset + 1 : 0;
        return { ...at, column: at.column + shift };
      }),
    );
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
  // The size before the points are built: a grid of a few long axes crossed with samples and
  // replicates can ask for more memory than there is, and would die slowly instead of saying so.
  const size = expansionBytes(sweep);
  if (size.bytes > MAX_EXPANSION_BYTES) {
    const where: (string | number)[] = Object.keys(sweep.parameters).length > 0 ? ['parameters'] : sweep.points !== undefined ? ['points'] : ['replicates'];
    throw new ScenarioError([...problems, problem(where, `the sweep expands to ${size.points.toLocaleString('en-US')} points × ${sweep.replicates} replicates = ${size.runs.toLocaleString('en-US')} runs, about ${(size.bytes / 2 ** 30).toFixed(1)} GiB to hold (more than ${MAX_EXPANSION_BYTES / 2 ** 30} GiB): use fewer values, samples or replicates, or split it into several sweeps`, where[0] === 'replicates' ? 'node' : 'key')]);
  }
  const plan = planSweep(sweep);
  problems.push(...columnClashes(plan.parameters, sweep, problem));
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

/** A sweep whose expansion would take more memory than this is refused before it is expanded. */
export const MAX_EXPANSION_BYTES = 2 ** 30;

/**
 * Points, runs and an estimate of the memory they take, from the sweep file alone: per point its
 * values (an object, each value's JSON text) and its row of summary.csv; per run its plan entry, its
 * outcome and its row of runs.csv (about 400 bytes together, measured on the bundled sweeps).
 */
export function expansionBytes(sweep: SweepFile): { points: number; runs: number; bytes: number } {
  const grid = Object.values(sweep.parameters).filter((p) => 'values' in p) as { values: unknown[] }[];
  const drawn = Object.keys(sweep.parameters).length - grid.length;
  const explicit = sweep.points ?? [{}];
  const combos = grid.reduce((n, p) => n * p.values.length, explicit.length);
  const points = combos * (drawn > 0 ? (sweep.samples ?? 0) : 1);
  const runs = points * sweep.replicates;
  const jsonBytes = (v: unknown): number => JSON.stringify(v)?.length ?? 4;
  // Each grid axis's values, on average; drawn values are numbers; an explicit point's own values.
  const gridValue = grid.reduce((n, p) => n + 48 + p.values.reduce((m: number, v) => m + jsonBytes(v), 0) / p.values.length, 0);
  const explicitValue = explicit.reduce((n, pt) => n + jsonBytes(pt) + 48 * Object.keys(pt).length, 0) / explicit.length;
  const perPoint = 200 + gridValue + explicitValue + 64 * drawn;
  return { points, runs, bytes: points * perPoint + runs * 400 };
}

/**
 * A metric whose column in runs.csv or summary.csv has the name of another column there (a fixed
 * one such as `seed` or `status`, a parameter's, another metric's: `x_diff` and `x`'s
 * `x_diff_mean`) would make the table ambiguous: refused at the metric's name.
 */
function columnClashes(parameters: readonly string[], sweep: SweepFile, problem: (path: (string | number)[], message: string, at?: 'node' | 'key') => ScenarioProblem): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  const fixed = tableColumns(parameters, [], true);
  const whose = (c: string): string => (parameters.includes(c) ? `parameter '${c}'` : 'table');
  const owners = { runs: new Map(fixed.runs.map((c) => [c, whose(c)])), summary: new Map(fixed.summary.map((c) => [c, whose(c)])) };
  for (const m of Object.keys(sweep.metrics)) {
    const own = { runs: [m], summary: tableColumns([], [m], true, sweep.quantiles).summary.filter((c) => !fixed.summary.includes(c)) };
    const clashes = (['runs', 'summary'] as const).flatMap((t) => own[t].filter((c) => owners[t].has(c)).map((c) => ({ t, c, by: owners[t].get(c)! })));
    const first = clashes[0];
    if (first !== undefined) {
      const by = first.by === 'table' ? 'a column of its own' : `the ${first.by}'s column too`;
      out.push(problem(['metrics', m], `the metric name '${m}' gives ${first.t}.csv a column '${first.c}', which is ${by}: rename the metric`, 'key'));
    }
    for (const t of ['runs', 'summary'] as const) for (const c of own[t]) if (!owners[t].has(c)) owners[t].set(c, `metric '${m}'`);
  }
  return out;
}
