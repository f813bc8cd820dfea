/**
 * The study kinds: `optimise` (grid over one agent's strategy space, then golden-section search on
 * the objective or successive halving over replicates) and `best-response` (iterated best responses
 * to a fixed point or a cycle). Each returns its result as JSON, tables and page sections.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { compareStrategies, objective, objectiveName, pairedTest, scores, type Objective, type Paired } from './objectives';
import type { Table } from './outputs';
import type { Values } from './plan';
import type { Evaluator, PointValues } from './study';
import { grid } from './study-load';
import type { BestResponseStudy, ObjectiveSpec, OptimiseStudy } from './study-schema';
import { chartSvg, esc, fmt, htmlTable } from './study-page';
import { parseMetric } from './expression';
import { fictitiousPlay, type FictitiousOutcome, type FictitiousStep } from './study-fictitious';

export interface StudyOutcome {
  json: Record<string, unknown>;
  tables: Record<string, Table>;
  /** HTML sections of study.html, in order. */
  sections: string[];
}

export function toObjective(o: Omit<ObjectiveSpec, 'metric'>): Objective {
  if (o.kind === 'meanVariance') return { kind: 'meanVariance', lambda: o.lambda ?? 0 };
  if (o.kind === 'cvar') return { kind: 'cvar', level: o.level ?? 0.05 };
  return { kind: o.kind };
}

/** The objective with a 95 % CI: the mean of the per-run scores ± t·sd/√n. */
export function rate(xs: readonly number[], o: Objective): { n: number; value: number; ciLow: number; ciHigh: number; metricMean: number; metricSd: number } {
  const finite = xs.filter(Number.isFinite);
  const n = finite.length;
  const s = scores(finite, o);
  const value = objective(finite, o);
  const mean = (a: readonly number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
  const sdOf = (a: readonly number[]): number => (a.length < 2 ? NaN : Math.sqrt(a.reduce((x, y) => x + (y - mean(a)) ** 2, 0) / (a.length - 1)));
  const half = n < 2 ? NaN : tQuantile(0.975, n - 1) * (sdOf(s) / Math.sqrt(n));
  return { n, value, ciLow: value - half, ciHigh: value + half, metricMean: n === 0 ? NaN : mean(finite), metricSd: sdOf(finite) };
}

export const num = (x: number): number | string => (Number.isFinite(x) ? x : '');
const cell = (v: unknown): string | number => (typeof v === 'number' ? num(v) : typeof v === 'string' ? v : JSON.stringify(v));

// ---------------------------------------------------------------------------------------------
// optimise

const PHI = (Math.sqrt(5) - 1) / 2;

export async function runOptimise(ev: Evaluator, study: OptimiseStudy): Promise<StudyOutcome> {
  const o = toObjective(study.objective);
  const metric = study.objective.metric;
  const R = ev.loaded.replicates;
  const params = Object.keys(study.strategy);
  const candidates = grid(study.strategy);
  // Every evaluation at the full replicates, in the order made: the objective curve.
  const evaluated: { values: Values; data: PointValues; stage: string }[] = [];
  const full = async (label: string, points: Values[]): Promise<PointValues[]> => {
    const data = await ev.evaluate(label, points, R);
    points.forEach((values, i) => {
      if (!evaluated.some((e) => JSON.stringify(e.values) === JSON.stringify(values))) evaluated.push({ values, data: data[i]!, stage: label });
    });
    return data;
  };
  const halving: { round: number; replicates: number; kept: number }[] = [];
  if (study.refine.method === 'halving') {
    // Successive halving: all candidates at few replicates, the better half at twice as many, …, the last at R.
    let alive = candidates;
    const rounds = study.refine.rounds;
    for (let k = 0; k <= rounds; k++) {
      const r = k === rounds ? R : Math.max(2, Math.floor(R / 2 ** (rounds - k)));
      const data = k === rounds ? await full(`halving-${k}`, alive) : await ev.evaluate(`halving-${k}`, alive, r);
      halving.push({ round: k, replicates: r, kept: alive.length });
      if (k === rounds) break;
      const order = alive.map((v, i) => ({ v, f: objective(data[i]![metric]!.filter(Number.isFinite), o), i })).sort((a, b) => (b.f - a.f) || a.i - b.i);
      alive = order.slice(0, Math.max(1, Math.ceil(alive.length / 2))).map((x) => x.v).sort((a, b) => candidates.indexOf(a) - candidates.indexOf(b));
    }
  } else await full('grid', candidates);
  const f = (d: PointValues): number => objective(d[metric]!.filter(Number.isFinite), o);
  const golden: { a: number; b: number; c: number; d: number }[] = [];
  if (study.refine.method === 'golden') {
    // Between the neighbours of the best grid value: golden-section search for the maximum.
    const p = params[0]!;
    const xs = (study.strategy[p]!.values as number[]).slice().sort((a, b) => a - b);
    const best = evaluated.reduce((b, e) => (f(e.data) > f(b.data) ? e : b), evaluated[0]!);
    const i = xs.indexOf(best.values[p] as number);
    let a = xs[Math.max(0, i - 1)]!;
    let b = xs[Math.min(xs.length - 1, i + 1)]!;
    let c = b - PHI * (b - a);
    let d = a + PHI * (b - a);
    let [fc, fd] = (await full('golden-0', [{ [p]: c }, { [p]: d }])).map(f) as [number, number];
    for (let k = 1; k <= study.refine.iterations; k++) {
      golden.push({ a, b, c, d });
      if (fc >= fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - PHI * (b - a);
        fc = f((await full(`golden-${k}`, [{ [p]: c }]))[0]!);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + PHI * (b - a);
        fd = f((await full(`golden-${k}`, [{ [p]: d }]))[0]!);
      }
    }
    golden.push({ a, b, c, d });
  }
  // The curve in parameter order; the best, and the points indistinguishable from it (paired, Holm).
  const curve = evaluated.slice().sort((x, y) => compareValues(x.values, y.values, params));
  const cmp = compareStrategies(curve.map((e) => e.data[metric]!), o, study.alpha);
  const bestIndex = cmp.best;
  const rows = curve.map((e, i) => {
    const r = rate(e.data[metric]!, o);
    const vs = cmp.comparisons[i]!.vsBest;
    return { values: e.values, stage: e.stage, ...r, vsBest: vs, vsBestHolm: cmp.comparisons[i]!.vsBestHolm, indistinguishable: cmp.comparisons[i]!.indistinguishable, best: i === bestIndex };
  });
  const optimum = rows[bestIndex];
  const columns = [...params, 'stage', 'n', 'objective', 'ci_low', 'ci_high', `${metric}_mean`, `${metric}_sd`, 'diff_vs_best', 'diff_ci_low', 'diff_ci_high', 'diff_ci_low_holm', 'diff_ci_high_holm', 'p_vs_best', 'indistinguishable', 'best'];
  const table: Table = {
    columns,
    integers: ['n'],
    rows: rows.map((r) => [...params.map((p) => cell(r.values[p])), r.stage, r.n, num(r.value), num(r.ciLow), num(r.ciHigh), num(r.metricMean), num(r.metricSd), num(r.vsBest?.mean ?? NaN), num(r.vsBest?.ciLow ?? NaN), num(r.vsBest?.ciHigh ?? NaN), num(r.vsBestHolm?.ciLow ?? NaN), num(r.vsBestHolm?.ciHigh ?? NaN), num(r.vsBest?.p ?? NaN), r.indistinguishable ? 'true' : 'false', r.best ? 'true' : 'false']),
  };
  const json = {
    objective: { ...study.objective, name: objectiveName(o) },
    parameters: params,
    refine: study.refine,
    optimum: optimum === undefined ? null : { values: optimum.values, n: optimum.n, objective: optimum.value, ciLow: optimum.ciLow, ciHigh: optimum.ciHigh, metricMean: optimum.metricMean, metricSd: optimum.metricSd },
    indistinguishable: rows.filter((r) => r.indistinguishable).map((r) => r.values),
    curve: rows.map((r) => ({ values: r.values, stage: r.stage, n: r.n, objective: r.value, ciLow: r.ciLow, ciHigh: r.ciHigh, vsBest: r.vsBest, vsBestHolm: r.vsBestHolm, indistinguishable: r.indistinguishable })),
    ...(golden.length > 0 ? { golden } : {}),
    ...(halving.length > 0 ? { halving } : {}),
  };
  const closed = study.closedForm === undefined || optimum === undefined ? undefined : closedForm(study, optimum.values[params[0]!] as number, curve[bestIndex]!.data, rows.map((r) => r.values[params[0]!] as number));
  if (closed !== undefined) (json as Record<string, unknown>).closedForm = { label: study.closedForm!.label, optimum: closed.x, ratio: closed.x / (optimum!.values[params[0]!] as number), ...(closed.curve.length > 0 ? { curve: closed.curve } : {}) };
  const sections: string[] = [];
  const what = optimum === undefined ? 'no strategy has a finite objective' : `${params.map((p) => `${p} = ${fmt(optimum.values[p])}`).join(', ')}: ${objectiveName(o)} of ${metric} ${fmt(optimum.value)} (95 % CI ${fmt(optimum.ciLow)} to ${fmt(optimum.ciHigh)}, ${optimum.n} replicates)`;
  const closedText = closed === undefined ? '' : `<p class="answer">Closed form ${esc(study.closedForm!.label)}: ${esc(params[0]!)} = ${esc(fmt(closed.x))} (${esc(fmt(closed.x / (optimum!.values[params[0]!] as number)))} × the optimum found).</p>`;
  sections.push(`<h2>Optimum</h2><p class="answer">${esc(what)}</p>${closedText}<p>${rows.filter((r) => r.indistinguishable).length} of ${rows.length} evaluated strategies are statistically indistinguishable from it (paired t-test on common random numbers, ${study.alpha * 100} %, Holm's correction). In the table, <code>diff_ci_low</code>/<code>diff_ci_high</code> are each difference's unadjusted 95 % CI; <code>diff_ci_low_holm</code>/<code>diff_ci_high_holm</code> its Holm-consistent interval (at the level of the Holm step that decided it), which contains 0 exactly when the strategy is indistinguishable.</p>`);
  if (params.length === 1 && rows.every((r) => typeof r.values[params[0]!] === 'number'))
    // The paired differences against the optimum, not the objectives: with common random numbers
    // they are far tighter than the objectives' own CIs, which the market's noise dominates.
    sections.push(
      `<h2>Objective curve</h2><p>Each strategy's ${esc(objectiveName(o))} of ${esc(metric)} minus the optimum's, paired replicate by replicate, with its unadjusted 95 % CI (not corrected for the number of comparisons: a bar may miss 0 at a strategy still indistinguishable after Holm's correction; the Holm-consistent intervals are in the table; the objectives themselves, with their wider CIs, are in the table).${closed !== undefined && closed.curve.length > 0 ? ' The closed form is drawn as its own difference from its value at the optimum found.' : ''}</p>${chartSvg(rows.map((r) => ({ x: r.values[params[0]!] as number, y: r.vsBest?.mean ?? 0, lo: r.vsBest?.ciLow ?? 0, hi: r.vsBest?.ciHigh ?? 0, mark: r.best ? 'best' : r.indistinguishable ? 'same' : '' })), params[0]!, `difference from the optimum`, closed === undefined ? undefined : { label: `closed form ${study.closedForm!.label}`, x: closed.x, curve: closed.curve }, study.chart)}`,
    );
  sections.push(`<h2>Every strategy evaluated</h2>${htmlTable(table)}`);
  return { json, tables: { curve: table }, sections };
}

/**
 * The closed form of an optimise study: its optimum, and its objective curve as a difference from
 * its value at the optimum found, over the metrics' means at that optimum (and x, the parameter).
 */
function closedForm(study: OptimiseStudy, xBest: number, data: PointValues, xs: readonly number[]): { x: number; curve: { x: number; y: number }[] } {
  const cf = study.closedForm!;
  const env: Record<string, number> = {};
  for (const [m, v] of Object.entries(data)) {
    const f = v.filter(Number.isFinite);
    env[m] = f.length === 0 ? NaN : f.reduce((a, b) => a + b, 0) / f.length;
  }
  const at = (text: string, x?: number): number => {
    try {
      return parseMetric(text).evaluate(x === undefined ? env : { ...env, x });
    } catch {
      return NaN;
    }
  };
  const x = at(cf.optimum);
  if (cf.curve === undefined) return { x, curve: [] };
  const lo = Math.min(...xs, Number.isFinite(x) ? x : Infinity);
  const hi = Math.max(...xs, Number.isFinite(x) ? x : -Infinity);
  const ref = at(cf.curve, xBest);
  const curve = Array.from({ length: 61 }, (_, i) => (lo > 0 ? lo * (hi / lo) ** (i / 60) : lo + ((hi - lo) * i) / 60)).map((v) => ({ x: v, y: at(cf.curve!, v) - ref }));
  return { x, curve };
}

function compareValues(a: Values, b: Values, params: readonly string[]): number {
  for (const p of params) {
    const x = a[p];
    const y = b[p];
    if (typeof x === 'number' && typeof y === 'number' && x !== y) return x - y;
    const sx = JSON.stringify(x);
    const sy = JSON.stringify(y);
    if (sx !== sy) return sx < sy ? -1 : 1;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// best-response

export async function runBestResponse(ev: Evaluator, study: BestResponseStudy): Promise<StudyOutcome> {
  const o = toObjective(study.objective);
  const ids = Object.keys(study.players);
  const spaces = ids.map((id) => grid(study.players[id]!.strategies));
  const payoff = (p: number): string => study.players[ids[p]!]!.payoff;
  const profileValues = (profile: readonly number[]): Values => Object.assign({}, ...profile.map((s, p) => spaces[p]![s]!));
  const deviations = (profile: readonly number[], p: number): Values[] => spaces[p]!.map((_, s) => profileValues(profile.map((x, q) => (q === p ? s : x))));
  /** Player p's best answer to `profile` (its current strategy on an exact tie), from evaluated deviations. */
  const answer = (data: PointValues[], p: number, current: number): { best: number; value: number } => {
    const fs = data.map((d) => objective(d[payoff(p)]!.filter(Number.isFinite), o));
    let best = current;
    fs.forEach((v, s) => {
      if (v > fs[best]! || (!Number.isFinite(fs[best]!) && Number.isFinite(v))) best = s;
    });
    return { best, value: fs[best]! };
  };
  let profile = ids.map((id) => study.players[id]!.start);
  if (study.symmetric) profile = profile.map(() => profile[0]!);
  const path: { round: number; player: string; from: number; to: number; objective: number }[] = [];
  const seen = new Map<string, number>([[JSON.stringify(profile), 0]]);
  let status: 'fixed point' | 'cycle' | 'max rounds' = 'max rounds';
  let cycle: number[][] = [];
  const history: number[][] = [profile.slice()];
  let fp: FictitiousOutcome | null = null;
  if (study.update === 'fictitious') {
    fp = await fictitiousPlay(ev, { ids, spaces, payoff, deviations, symmetric: study.symmetric }, profile, study.maxRounds, o);
    profile = fp.profile;
    status = fp.status;
    history.splice(0, history.length, ...fp.history);
    path.push(...fp.path);
  }
  for (let round = 1; fp === null && round <= study.maxRounds; round++) {
    const before = profile.slice();
    if (study.symmetric) {
      const data = await ev.evaluate(`r${round}`, deviations(profile, 0));
      const a = answer(data, 0, profile[0]!);
      path.push({ round, player: ids[0]!, from: profile[0]!, to: a.best, objective: a.value });
      profile = profile.map(() => a.best);
    } else if (study.update === 'simultaneous') {
      const all = ids.flatMap((_, p) => deviations(profile, p));
      const data = await ev.evaluate(`r${round}`, all);
      let at = 0;
      const next = profile.slice();
      ids.forEach((id, p) => {
        const a = answer(data.slice(at, at + spaces[p]!.length), p, profile[p]!);
        at += spaces[p]!.length;
        path.push({ round, player: id, from: profile[p]!, to: a.best, objective: a.value });
        next[p] = a.best;
      });
      profile = next;
    } else
      for (let p = 0; p < ids.length; p++) {
        const data = await ev.evaluate(`r${round}-${ids[p]}`, deviations(profile, p));
        const a = answer(data, p, profile[p]!);
        path.push({ round, player: ids[p]!, from: profile[p]!, to: a.best, objective: a.value });
        profile[p] = a.best;
      }
    history.push(profile.slice());
    if (JSON.stringify(profile) === JSON.stringify(before)) {
      status = 'fixed point';
      break;
    }
    const k = JSON.stringify(profile);
    const first = seen.get(k);
    if (first !== undefined) {
      status = 'cycle';
      cycle = history.slice(first, round);
      break;
    }
    seen.set(k, round);
  }
  // The payoff table against the final profile: every player's every strategy, paired with its
  // strategy in the profile; the set indistinguishable from each player's best.
  const players = study.symmetric ? [0] : ids.map((_, p) => p);
  const all = players.flatMap((p) => deviations(profile, p));
  const data = await ev.evaluate('payoffs', all);
  const params = [...new Set(ids.flatMap((id) => Object.keys(study.players[id]!.strategies)))];
  const rows: (string | number)[][] = [];
  const payoffs: Record<string, unknown>[] = [];
  let at = 0;
  for (const p of players) {
    const mine = data.slice(at, at + spaces[p]!.length);
    at += spaces[p]!.length;
    const m = payoff(p);
    const cmp = compareStrategies(mine.map((d) => d[m]!), o, study.alpha);
    const eq = profile[p]!;
    const eqScores = scoresByReplicate(mine[eq]![m]!, o);
    mine.forEach((d, s) => {
      const r = rate(d[m]!, o);
      const vsEq: Paired | null = s === eq ? null : pairedTest(pairDiff(scoresByReplicate(d[m]!, o), eqScores));
      const c = cmp.comparisons[s]!;
      const strategy = spaces[p]![s]!;
      rows.push([ids[p]!, s, ...params.map((q) => (q in strategy ? cell(strategy[q]) : '')), r.n, num(r.value), num(r.ciLow), num(r.ciHigh), num(vsEq?.mean ?? NaN), num(vsEq?.ciLow ?? NaN), num(vsEq?.ciHigh ?? NaN), num(c.vsBest?.mean ?? NaN), num(c.vsBestHolm?.ciLow ?? NaN), num(c.vsBestHolm?.ciHigh ?? NaN), num(c.vsBest?.p ?? NaN), c.indistinguishable ? 'true' : 'false', s === eq ? 'true' : 'false', s === cmp.best ? 'true' : 'false']);
      payoffs.push({ player: ids[p], strategy: s, values: strategy, n: r.n, objective: r.value, ciLow: r.ciLow, ciHigh: r.ciHigh, vsProfile: vsEq, vsBest: c.vsBest, vsBestHolm: c.vsBestHolm, pVsBest: c.vsBest?.p ?? null, indistinguishable: c.indistinguishable, inProfile: s === eq, best: s === cmp.best });
    });
  }
  const table: Table = {
    columns: ['player', 'strategy', ...params, 'n', 'objective', 'ci_low', 'ci_high', 'diff_vs_profile', 'diff_ci_low', 'diff_ci_high', 'diff_vs_best', 'diff_ci_low_holm', 'diff_ci_high_holm', 'p_vs_best', 'indistinguishable', 'in_profile', 'best'],
    integers: ['strategy', 'n'],
    rows,
  };
  const pathTable: Table = {
    columns: ['round', 'player', 'from', 'to', 'objective', ...(fp ? ['ci_low', 'ci_high', 'frequency'] : []), ...params],
    integers: ['round', 'from', 'to'],
    rows: path.map((s, i) => {
      const strategy = spaces[ids.indexOf(s.player)]![s.to]!;
      const f = fp?.path[i];
      return [s.round, s.player, s.from, s.to, num(s.objective), ...(f ? [num(f.ciLow), num(f.ciHigh), num(f.frequency)] : []), ...params.map((q) => (q in strategy ? cell(strategy[q]) : ''))];
    }),
  };
  // Fictitious play: how often each player played each strategy, over the start and every round.
  const frequencies = fp === null ? [] : players.flatMap((p) => spaces[p]!.map((strategy, s) => ({ player: ids[p]!, strategy: s, values: strategy, count: fp.counts[p]![s]!, frequency: fp.counts[p]![s]! / fp.history.length })));
  const freqTable: Table = {
    columns: ['player', 'strategy', ...params, 'count', 'frequency'],
    integers: ['strategy', 'count'],
    rows: frequencies.map((f) => [f.player, f.strategy, ...params.map((q) => (q in f.values ? cell(f.values[q]) : '')), f.count, f.frequency]),
  };
  const named = (pr: readonly number[]): Record<string, Values> => Object.fromEntries(ids.map((id, p) => [id, spaces[p]![pr[p]!]!]));
  const json = {
    objective: { ...study.objective, name: objectiveName(o) },
    update: study.update === 'fictitious' ? 'fictitious' : study.symmetric ? 'symmetric' : study.update,
    ...(study.update === 'fictitious' && study.symmetric ? { symmetric: true } : {}),
    status,
    rounds: history.length - 1,
    profile: named(profile),
    ...(cycle.length > 0 ? { cycle: cycle.map(named) } : {}),
    path: path.map((s, i) => ({ ...(fp ? fp.path[i]! : s), strategy: spaces[ids.indexOf(s.player)]![s.to] })),
    ...(fp ? { frequencies } : {}),
    payoffs,
  };
  const answerText = `${status === 'fixed point' ? 'Equilibrium (a fixed point of best responses)' : status === 'cycle' ? `No equilibrium found: best responses cycle through ${cycle.length} profiles` : `No fixed point within ${study.maxRounds} rounds`}: ${ids.map((id, p) => `${id} plays ${Object.entries(spaces[p]![profile[p]!]!).map(([k, v]) => `${k} = ${fmt(v)}`).join(', ')}`).join('; ')}.`;
  // Each player's payoff in the answer, with its CI: against the final profile (fictitious play:
  // the last answer's against the mixture of every profile played).
  const lastStep = (p: number): FictitiousStep | undefined => fp?.path.filter((st) => st.player === ids[p]).at(-1);
  const ci = players.map((p) => {
    const f = lastStep(p);
    const row = payoffs.find((x) => x.player === ids[p] && x.inProfile === true) as { objective: number; ciLow: number; ciHigh: number } | undefined;
    const v = f ?? row;
    return v === undefined ? '' : `${ids[p]}'s ${objectiveName(o)} of ${payoff(p)} ${fmt(v.objective)} (95 % CI ${fmt(v.ciLow)} to ${fmt(v.ciHigh)})${f ? ' against the mixture' : ''}`;
  });
  const freqText = fp === null ? '' : `Fictitious play over ${fp.history.length - 1} rounds${fp.status === 'fixed point' ? ', ending at a pure equilibrium' : ''}: empirical frequencies (of the start and every round's profile) ${players.map((p) => `${ids[p]} (${Object.keys(spaces[p]![0]!).join('/')}): ${spaces[p]!.map((st, s) => `${fmt(fp!.counts[p]![s]! / fp!.history.length)} at ${Object.values(st).map(fmt).join('/')}`).join(', ')}`).join('; ')}. `;
  const answerLine = fp === null ? `${answerText} ${ci.filter((c) => c !== '').join('; ')}.` : `${freqText}Last answers: ${ids.map((id, p) => `${id} ${Object.values(spaces[p]![profile[p]!]!).map(fmt).join('/')}`).join(', ')}; ${ci.filter((c) => c !== '').join('; ')}.`;
  const sections = [
    `<h2>Answer</h2><p class="answer">${esc(answerLine)}</p><p>Payoffs: ${esc(objectiveName(o))} of each player's payoff metric over ${ev.loaded.replicates} replicates with common random numbers; "indistinguishable" = not significantly below the player's best (paired t-test, ${study.alpha * 100} %, Holm's correction across its strategies). In the table, <code>diff_ci_low</code>/<code>diff_ci_high</code> are the unadjusted 95 % CI of <code>diff_vs_profile</code>; <code>diff_ci_low_holm</code>/<code>diff_ci_high_holm</code> the Holm-consistent interval of <code>diff_vs_best</code> (the same difference when the player's strategy in the profile is its best, as at a fixed point), which contains 0 exactly when the strategy is indistinguishable.</p>`,
    `<h2>Payoffs against the final profile</h2>${htmlTable(table)}`,
    ...(fp ? [`<h2>Empirical frequencies</h2>${htmlTable(freqTable)}`] : []),
    `<h2>Path</h2>${htmlTable(pathTable)}`,
  ];
  return { json, tables: { payoffs: table, path: pathTable, ...(fp ? { frequencies: freqTable } : {}) }, sections };
}

/** Scores by replicate (NaN kept in place), for pairing across strategies. */
function scoresByReplicate(xs: readonly number[], o: Objective): number[] {
  const s = scores(xs.filter(Number.isFinite), o);
  let k = 0;
  return xs.map((x) => (Number.isFinite(x) ? s[k++]! : NaN));
}

export function pairDiff(a: readonly number[], b: readonly number[]): number[] {
  const d: number[] = [];
  a.forEach((x, r) => {
    const y = b[r];
    if (Number.isFinite(x) && y !== undefined && Number.isFinite(y)) d.push(x - y);
  });
  return d;
}
