/**
 * The free-entry study: copies of an agent template enter one by one (or the count is bisected)
 * while the marginal entrant — copy n at count n — earns at least its outside option: a return per
 * year on its capital (`initialValue`), or the payoff of a named alternative in the same run. The
 * answer is n*, the largest count whose marginal entrant enters. Each count is one stage (its
 * count set in the stage's overrides), every stage with the same seeds, so how a metric changes
 * with n is read from paired differences (common random numbers).
 */
import { objective, objectiveName, pairedTest, type Objective } from './objectives';
import type { Table } from './outputs';
import type { Evaluator, PointValues } from './study';
import { num, pairDiff, rate, toObjective, type StudyOutcome } from './study-kinds';
import { chartSvg, esc, fmt, htmlTable } from './study-page';
import type { FreeEntryStudy } from './study-schema';

const YEAR = 365 * 86_400;
/** Prefix of the metrics a free-entry stage adds (the study's own may not use it). */
export const ENTRY_PREFIX = 'entry_';

/** Copy i's outside option, as an expression over the run's summary. */
function outsideExpr(study: FreeEntryStudy, i: number): string {
  if ('rate' in study.outside) return `${study.outside.rate} * agents.${study.template}-${i}.initialValue * simulatedSeconds / ${YEAR}`;
  return `(${study.metrics[study.outside.metric]!})`;
}

/** The metrics of the stage at count n: every copy's payoff and outside option, and the marginal one's net. */
export function entryMetrics(study: FreeEntryStudy, n: number): Record<string, string> {
  const m: Record<string, string> = {};
  for (let i = 1; i <= n; i++) {
    m[`${ENTRY_PREFIX}payoff_${i}`] = `agents.${study.template}-${i}.${study.payoff}`;
    m[`${ENTRY_PREFIX}outside_${i}`] = outsideExpr(study, i);
  }
  m[`${ENTRY_PREFIX}net`] = `agents.${study.template}-${n}.${study.payoff} - ${outsideExpr(study, n)}`;
  return m;
}

export async function runFreeEntry(ev: Evaluator, study: FreeEntryStudy): Promise<StudyOutcome> {
  const o: Objective = toObjective(study.objective);
  const countPath = `agents.${study.template}.count`;
  const data = new Map<number, { values: PointValues; stage: string }>();
  const at = async (n: number): Promise<number> => {
    const label = `n${n}`;
    const [values] = await ev.evaluate(label, [{ [countPath]: n }], undefined, { set: [`${countPath}=${n}`], metrics: entryMetrics(study, n) });
    data.set(n, { values: values!, stage: label });
    return objective(values![`${ENTRY_PREFIX}net`]!.filter(Number.isFinite), o);
  };
  const { from, to } = study.counts;
  let nStar: number;
  let capped = false;
  if (study.search === 'sequential') {
    nStar = to;
    capped = true;
    for (let n = from; n <= to; n++)
      if (!((await at(n)) >= 0)) {
        nStar = n - 1;
        capped = false;
        break;
      }
  } else if (!((await at(from)) >= 0)) nStar = from - 1;
  else if ((await at(to)) >= 0) {
    nStar = to;
    capped = true;
  } else {
    // The marginal entrant enters at lo and not at hi: halve the gap.
    let lo = from;
    let hi = to;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if ((await at(mid)) >= 0) lo = mid;
      else hi = mid;
    }
    nStar = lo;
  }
  const counts = [...data.keys()].sort((a, b) => a - b);
  const tracked = Object.keys(study.metrics);
  const ref = data.get(nStar) ?? data.get(counts[0]!)!;
  const meanO: Objective = { kind: 'mean' };
  const rows = counts.map((n) => {
    const d = data.get(n)!;
    const net = rate(d.values[`${ENTRY_PREFIX}net`]!, o);
    const payoff = rate(d.values[`${ENTRY_PREFIX}payoff_${n}`]!, meanO);
    const outside = rate(d.values[`${ENTRY_PREFIX}outside_${n}`]!, meanO);
    const metrics = tracked.map((m) => ({ ...rate(d.values[m]!, meanO), vs: n === nStar ? null : pairedTest(pairDiff(d.values[m]!, ref.values[m]!)) }));
    return { n, stage: d.stage, net, payoff, outside, enters: net.value >= 0, significant: net.ciLow > 0 || net.ciHigh < 0, metrics };
  });
  // The counts consistent with the data: n* decides on point estimates; with wide CIs the answer
  // could lie anywhere from the largest count whose marginal entrant surely enters (its net CI
  // wholly above 0) to the largest whose entrant may enter (its CI's upper end ≥ 0). Over the counts
  // evaluated only: a sequential search stops at n* + 1, a bisection skips counts.
  const largest = (ok: (r: (typeof rows)[number]) => boolean): number => rows.reduce((b, r) => (ok(r) ? Math.max(b, r.n) : b), from - 1);
  const nLow = largest((r) => r.net.ciLow > 0);
  const nHigh = largest((r) => r.net.ciHigh >= 0);
  const highOpen = nHigh === counts.at(-1) && nHigh < to;
  const columns = ['n', 'stage', 'replicates', 'entrant_payoff', 'entrant_payoff_ci_low', 'entrant_payoff_ci_high', 'outside', 'net_objective', 'net_ci_low', 'net_ci_high', 'enters', 'significant', ...tracked.flatMap((m) => [`${m}_mean`, `${m}_ci_low`, `${m}_ci_high`, `${m}_diff_vs_nstar`, `${m}_diff_ci_low`, `${m}_diff_ci_high`])];
  const table: Table = {
    columns,
    integers: ['n', 'replicates'],
    rows: rows.map((r) => [r.n, r.stage, r.net.n, num(r.payoff.value), num(r.payoff.ciLow), num(r.payoff.ciHigh), num(r.outside.value), num(r.net.value), num(r.net.ciLow), num(r.net.ciHigh), r.enters ? 'true' : 'false', r.significant ? 'true' : 'false', ...r.metrics.flatMap((m) => [num(m.value), num(m.ciLow), num(m.ciHigh), num(m.vs?.mean ?? (r.n === nStar ? 0 : NaN)), num(m.vs?.ciLow ?? NaN), num(m.vs?.ciHigh ?? NaN)])]),
  };
  // Every incumbent at n*: its payoff and net of its outside option, with CIs.
  const incumbents = nStar >= 1 && data.has(nStar)
    ? Array.from({ length: nStar }, (_, k) => {
        const i = k + 1;
        const d = data.get(nStar)!.values;
        const net = d[`${ENTRY_PREFIX}payoff_${i}`]!.map((x, r) => x - d[`${ENTRY_PREFIX}outside_${i}`]![r]!);
        return { id: `${study.template}-${i}`, payoff: rate(d[`${ENTRY_PREFIX}payoff_${i}`]!, meanO), outside: rate(d[`${ENTRY_PREFIX}outside_${i}`]!, meanO), net: rate(net, o) };
      })
    : [];
  const incTable: Table = {
    columns: ['agent', 'payoff', 'payoff_ci_low', 'payoff_ci_high', 'outside', 'net_objective', 'net_ci_low', 'net_ci_high'],
    integers: [],
    rows: incumbents.map((c) => [c.id, num(c.payoff.value), num(c.payoff.ciLow), num(c.payoff.ciHigh), num(c.outside.value), num(c.net.value), num(c.net.ciLow), num(c.net.ciHigh)]),
  };
  const star = rows.find((r) => r.n === nStar);
  const next = rows.find((r) => r.n === nStar + 1);
  const outsideText = 'rate' in study.outside ? `a return of ${study.outside.rate} per year on its capital` : `the payoff ${study.outside.metric}`;
  const evaluatedText = counts.every((c, i) => i === 0 || c === counts[i - 1]! + 1) ? `${counts[0]} to ${counts.at(-1)}` : counts.join(', ');
  const rangeText = `${nLow === nHigh ? `only n = ${nLow} is` : `counts from ${nLow} to ${nHigh}${highOpen ? ' or more' : ''} are`} consistent with the data at 95 %; counts evaluated: ${evaluatedText}`;
  const answer =
    `n* = ${nStar}${capped ? ` (or more: every count up to ${to} enters)` : ''} (${rangeText}). ` +
    (star !== undefined ? `The marginal entrant, copy ${nStar} of ${study.template}, earns ${fmt(star.net.value)} (95 % CI ${fmt(star.net.ciLow)} to ${fmt(star.net.ciHigh)}) beyond ${outsideText}` : `Not even copy ${from} beats ${outsideText}`) +
    (next !== undefined ? `; copy ${nStar + 1} would earn ${fmt(next.net.value)} (95 % CI ${fmt(next.net.ciLow)} to ${fmt(next.net.ciHigh)}) and stays out.` : '.');
  const json = {
    objective: { ...study.objective, name: objectiveName(o) },
    template: study.template,
    payoff: study.payoff,
    outside: study.outside,
    search: study.search,
    nStar,
    capped,
    nLow,
    nHigh,
    counts: rows.map((r) => ({ n: r.n, stage: r.stage, entrant: r.payoff, outside: r.outside.value, net: r.net, enters: r.enters, significant: r.significant, metrics: Object.fromEntries(tracked.map((m, j) => [m, { mean: r.metrics[j]!.value, ciLow: r.metrics[j]!.ciLow, ciHigh: r.metrics[j]!.ciHigh, vsNStar: r.metrics[j]!.vs }])) })),
    incumbents: incumbents.map((c) => ({ id: c.id, payoff: c.payoff, outside: c.outside.value, net: c.net })),
  };
  const point = (n: number, v: { value: number; ciLow: number; ciHigh: number }): { x: number; y: number; lo: number; hi: number; mark: string } => ({ x: n, y: v.value, lo: v.ciLow, hi: v.ciHigh, mark: n === nStar ? 'best' : '' });
  const sections = [
    `<h2>Answer</h2><p class="answer">${esc(answer)}</p><p>The marginal entrant is copy n at count n; its net payoff is its ${esc(study.payoff)} minus ${esc(outsideText)}, rated by ${esc(objectiveName(o))} over ${ev.loaded.replicates} replicates; it enters while that is ≥ 0 (search: ${study.search}). n* follows the point estimates; the counts consistent with the data run from the largest count whose marginal entrant's net CI lies wholly above 0 (it surely enters) to the largest whose CI reaches 0 or above (it may enter), among the counts evaluated (<code>significant</code> in the table: the CI excludes 0).</p>`,
    `<h2>The marginal entrant's net payoff against n</h2>${chartSvg(rows.map((r) => point(r.n, r.net)), 'n', 'net payoff of copy n', undefined, study.chart)}`,
    ...tracked.map((m, j) => `<h3>${esc(m)} against n</h3><p>Its mean with a 95 % CI; the paired differences from n* (common random numbers) are in the table.</p>${chartSvg(rows.map((r) => point(r.n, r.metrics[j]!)), 'n', m, undefined, study.chart)}`),
    `<h2>Every count evaluated</h2>${htmlTable(table)}`,
    `<h2>Incumbents at n* = ${nStar}</h2>${incumbents.length > 0 ? htmlTable(incTable) : '<p>None.</p>'}`,
  ];
  return { json, tables: { entry: table, incumbents: incTable }, sections };
}
