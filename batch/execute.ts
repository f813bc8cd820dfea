/**
 * One sweep run, the same wherever it runs (in the main thread or a worker): load the base scenario
 * (cached per process), derive the point's variant, run it, read the metrics.
 */
import { buildConfig, loadScenarioFile } from '../scenarios';
import type { Scenario } from '../scenarios/schema';
import { simulate } from '../sim/simulation';
import type { Values } from './plan';
import { metricValue } from './metrics';
import { variant } from './variant';

export interface RunTask {
  id: number;
  scenarioFile: string;
  baseDir: string;
  set: readonly string[];
  values: Values;
  seed: number;
  metrics: Record<string, string>;
}

export interface RunOutcome {
  id: number;
  status: 'ok' | 'failed';
  metrics: Record<string, number>;
  error: string | null;
  wallSeconds: number;
}

const bases = new Map<string, Scenario>();

export function executeRun(task: RunTask): RunOutcome {
  const t0 = performance.now();
  try {
    const key = `${task.scenarioFile}\n${task.set.join('\n')}`;
    let base = bases.get(key);
    if (base === undefined) {
      base = loadScenarioFile(task.scenarioFile, task.set).scenario;
      bases.set(key, base);
    }
    const scenario = variant(base, { ...task.values, seed: task.seed });
    const result = simulate(buildConfig(scenario, task.baseDir));
    const summary = { scenario: scenario.name, ...result };
    const metrics: Record<string, number> = {};
    for (const [name, path] of Object.entries(task.metrics)) metrics[name] = metricValue(summary, path);
    return { id: task.id, status: 'ok', metrics, error: null, wallSeconds: (performance.now() - t0) / 1000 };
  } catch (e) {
    return { id: task.id, status: 'failed', metrics: {}, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), wallSeconds: (performance.now() - t0) / 1000 };
  }
}
