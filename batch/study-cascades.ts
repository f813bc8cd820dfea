/**
 * The cascades study: a sweep (e.g. rebalancer count × band) whose every run counts its chain
 * reactions (batch/cascade.ts: events per block, the largest same-block cluster, events triggered
 * within `window` blocks by another agent's event on the same venue, the longest chain), compared
 * across the points with CIs and paired differences against the first point (common random numbers).
 */
import { objectiveName, pairedTest, type Objective } from './objectives';
import type { Table } from './outputs';
import type { Evaluator } from './study';
import { CASCADE_BLOCK_FIELDS, CASCADE_FIELDS } from './cascade';
import { grid } from './study-load';
import { num, pairDiff, rate, toObjective, type StudyOutcome } from './study-kinds';
import { chartSvg, esc, fmt, htmlTable } from './study-page';
import type { CascadesStudy } from './study-schema';

/** The counts every run of a cascades study yields, as metrics `cascade_<field>`. */
export const cascadeMetrics = (): Record<string, string> => Object.fromEntries(CASCADE_FIELDS.map((f) => [`cascade_${f}`, `cascade.${f}`]));

export async function runCascades(ev: Evaluator, study: CascadesStudy): Promise<StudyOutcome> {
  const o: Objective = toObjective(study.objective);
  const points = grid(study.sweep);
  const params = Object.keys(study.sweep);
  const data = await ev.evaluate('sweep', points, undefined, { metrics: cascadeMetrics(), sweep: { cascadeWindow: study.window } });
  // Every count is rated per point; a block number (where the largest cluster was) stays per run,
  // in the stage's runs.csv.
  const blockFields = new Set(CASCADE_BLOCK_FIELDS.map((f) => `cascade_${f}`));
  const names = [...Object.keys(cascadeMetrics()).filter((m) => !blockFields.has(m)), ...Object.keys(study.metrics)];
  const rows = points.map((values, i) => ({
    values,
    metrics: names.map((m) => ({ ...rate(data[i]![m]!, o), vs: i === 0 ? null : pairedTest(pairDiff(data[i]![m]!, data[0]![m]!)) })),
  }));
  const table: Table = {
    columns: [...params, 'replicates', ...names.flatMap((m) => [m, `${m}_ci_low`, `${m}_ci_high`, `${m}_diff_vs_first`, `${m}_diff_ci_low`, `${m}_diff_ci_high`])],
    integers: ['replicates'],
    rows: rows.map((r) => [...params.map((p) => (typeof r.values[p] === 'number' ? (r.values[p] as number) : JSON.stringify(r.values[p]))), r.metrics[0]!.n, ...r.metrics.flatMap((m) => [num(m.value), num(m.ciLow), num(m.ciHigh), num(m.vs?.mean ?? (r === rows[0] ? 0 : NaN)), num(m.vs?.ciLow ?? NaN), num(m.vs?.ciHigh ?? NaN)])]),
  };
  const at = (m: string): number => names.indexOf(m);
  const biggest = rows.reduce((b, r) => (r.metrics[at('cascade_maxCluster')]!.value > b.metrics[at('cascade_maxCluster')]!.value ? r : b), rows[0]!);
  const label = (v: Record<string, unknown>): string => params.map((p) => `${p} = ${fmt(v[p])}`).join(', ');
  const json = {
    objective: { ...study.objective, name: objectiveName(o) },
    window: study.window,
    parameters: params,
    points: rows.map((r) => ({ values: r.values, metrics: Object.fromEntries(names.map((m, j) => [m, { value: r.metrics[j]!.value, ciLow: r.metrics[j]!.ciLow, ciHigh: r.metrics[j]!.ciHigh, vsFirst: r.metrics[j]!.vs }])) })),
  };
  const m0 = biggest.metrics[at('cascade_maxCluster')]!;
  const answer = `The largest same-block cluster of events is at ${label(biggest.values)}: ${fmt(m0.value)} events (95 % CI ${fmt(m0.ciLow)} to ${fmt(m0.ciHigh)}); there ${fmt(biggest.metrics[at('cascade_triggeredShare')]!.value)} of the events follow another agent's event on their venue within ${study.window} blocks.`;
  const numeric = params.length === 1 && points.every((p) => typeof p[params[0]!] === 'number');
  const charts = numeric
    ? ['cascade_maxCluster', 'cascade_triggered', 'cascade_longestChain', 'cascade_events'].map((m) => `<h3>${esc(m)} against ${esc(params[0]!)}</h3>${chartSvg(rows.map((r) => ({ x: r.values[params[0]!] as number, y: r.metrics[at(m)]!.value, lo: r.metrics[at(m)]!.ciLow, hi: r.metrics[at(m)]!.ciHigh, mark: r === biggest && m === 'cascade_maxCluster' ? 'best' : '' })), params[0]!, m, undefined, study.chart)}`)
    : [];
  const sections = [
    `<h2>Answer</h2><p class="answer">${esc(answer)}</p><p>Events: included rebalances (tag rebalance), LP exits (a remove-liquidity call) and liquidation-like transactions (tag liquidate or liquidation). Each count is rated by ${esc(objectiveName(o))} over ${ev.loaded.replicates} replicates, with 95 % CIs; differences from the first point are paired (common random numbers).</p>`,
    ...charts,
    `<h2>Every point</h2>${htmlTable(table)}`,
  ];
  return { json, tables: { cascades: table }, sections };
}
