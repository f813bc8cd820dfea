/**
 * One sweep run, the same wherever it runs (in the main thread or a worker): load the base scenario
 * (cached per process), derive the point's variant, run it, read the metrics.
 */
import { buildConfig, loadScenarioFile } from '../scenarios';
import type { Scenario } from '../scenarios/schema';
import type { PreflightWarning } from '../sim/preflight';
import { simulate } from '../sim/simulation';
import type { Values } from './plan';
import { metricOf } from './expression';
import { variant } from './variant';
import { CascadeCounter } from './cascade';

export interface RunTask {
  id: number;
  scenarioFile: string;
  baseDir: string;
  set: readonly string[];
  values: Values;
  seed: number;
  metrics: Record<string, string>;
  /** Blocks within which an event counts as triggered by another's (batch/cascade.ts); cascade.* metrics are collected only when a metric names one. */
  cascadeWindow?: number;
}

export interface RunOutcome {
  id: number;
  status: 'ok' | 'failed';
  /** By metric name; null when the run has no finite value for it (NaN, or a name it could not resolve). */
  metrics: Record<string, number | null>;
  /** Why the run failed; for a run that succeeded, the metrics it could not resolve (null when none). */
  error: string | null;
  wallSeconds: number;
  /** The run's preflight warnings (sim/preflight.ts), when it has any. */
  warnings?: PreflightWarning[];
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
    let cascade: CascadeCounter | undefined;
    const wantsCascade = Object.values(task.metrics).some((m) => m.includes('cascade.'));
    const result = simulate(buildConfig(scenario, task.baseDir), wantsCascade ? {
      observe: (sim) => {
        const k = sim.kernel;
        const c = (cascade = new CascadeCounter(task.cascadeWindow ?? 3, k.world.venues.length, (t) => k.tags[t] ?? '', sim.config.measureFrom));
        sim.events.on('tx', (tx) => c.onTx(tx));
        if (sim.config.measureFrom !== undefined) sim.events.on('block', (b) => c.blockEnded(b.number, b.time));
      },
    } : {});
    const summary = { scenario: scenario.name, ...result, ...(cascade !== undefined ? { cascade: cascade.summary() } : {}) };
    // Each metric on its own: one that this run cannot resolve (a name its configuration does not
    // produce, e.g. an option hedge's premium for a hedger without options) empties its own cell only.
    const metrics: Record<string, number | null> = {};
    const unresolved: string[] = [];
    for (const [name, path] of Object.entries(task.metrics)) {
      try {
        const v = metricOf(summary, path);
        metrics[name] = Number.isFinite(v) ? v : null;
        // An empty cell must say why: the value is there, but not a number a table can hold.
        if (!Number.isFinite(v)) unresolved.push(`metric ${name} (${path}) is ${String(v)}, not a finite number`);
      } catch (e) {
        metrics[name] = null;
        unresolved.push(`metric ${name} (${path}): ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return { id: task.id, status: 'ok', metrics, error: unresolved.length > 0 ? unresolved.join('; ') : null, wallSeconds: (performance.now() - t0) / 1000, ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}) };
  } catch (e) {
    return { id: task.id, status: 'failed', metrics: {}, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), wallSeconds: (performance.now() - t0) / 1000 };
  }
}
