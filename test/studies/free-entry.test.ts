/**
 * The free-entry study on a case argued analytically (scenarios/studies/lp-entry.yaml): n equal LPs
 * on a pool whose flow is exogenous (noise traders, undone by an arbitrageur at a constant market
 * price) share what the flow pays the pool, F − LVR (LVR ≈ 0, here slightly negative: the noise's
 * price impact), so each earns (F − LVR)/n, and one enters while that is at least its outside
 * return r·C·T. F is fixed by the flow up to the arbitrageur's share of the volume, which falls as the
 * pool deepens (≈ 15 % from n = 1 to 6 at --quick), so n* = F/(r·C·T) within one count.
 * Also: bisection finds the same n*, a SIGKILLed study resumes byte-identical, located errors.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hedgesim, readJson, ROOT, tempDirs } from '../cli/helpers';
import { CLEAN_ENV, csvObjects, differing, journalLines, RESULT_FILES, startAndKill } from '../batch/fixtures';
import { readFileSync } from 'node:fs';

const temp = tempDirs();
const STUDY = join(ROOT, 'scenarios/studies/lp-entry.yaml');
const BASE = readFileSync(join(ROOT, 'scenarios/studies/lp-entry-base.yaml'), 'utf8');
const ENTRY = readFileSync(STUDY, 'utf8');

type Row = Record<string, string>;
const n = (r: Row, k: string): number => Number(r[k]);

describe('free-entry study: LPs sharing an exogenous flow', () => {
  let d: string;
  let rows: Row[];
  let json: { result: { nStar: number; capped: boolean; incumbents: { id: string; payoff: { value: number } }[] } };
  const r = 0.05;
  const C = 5_000_000;
  const T = 2 / (365 * 24); // --quick: 2 hours, in years
  beforeAll(() => {
    d = temp({ 'lp-entry-base.yaml': BASE, 'lp-entry.yaml': ENTRY, 'bisect.yaml': ENTRY.replace('search: sequential', 'search: bisect').replace('name: lp-entry', 'name: lp-bisect') });
    const res = hedgesim(['study', 'lp-entry.yaml', '--quick', '-q', '--out', 'seq'], { cwd: d, env: CLEAN_ENV });
    expect(res.code, res.stderr).toBe(0);
    rows = csvObjects(readFileSync(join(d, 'seq', 'entry.csv'), 'utf8'));
    json = readJson(join(d, 'seq'), 'study.json');
  }, 120_000);

  it('each of n LPs earns (F − LVR)/n: the flow shared equally', () => {
    for (const row of rows) {
      const k = n(row, 'n');
      expect(n(row, 'entrant_payoff')).toBeCloseTo((n(row, 'fees_mean') - n(row, 'lvr_mean')) / k, 6);
      expect(n(row, 'outside')).toBeCloseTo(r * C * T, 9);
    }
    const atStar = json.result.incumbents.map((c) => c.payoff.value);
    expect(atStar).toHaveLength(json.result.nStar);
    for (const v of atStar) expect(v).toBeCloseTo(atStar[0]!, 9);
  });

  it('stops at the first LP that does not beat its outside return; n* = F/(r·C·T) within one count', () => {
    const { nStar, capped } = json.result;
    expect(capped).toBe(false);
    expect(rows.map((x) => n(x, 'n'))).toEqual(Array.from({ length: nStar + 1 }, (_, i) => i + 1));
    for (const row of rows) expect(row.enters).toBe(n(row, 'n') <= nStar ? 'true' : 'false');
    const F1 = n(rows[0]!, 'fees_mean');
    const Fstar = n(rows[nStar - 1]!, 'fees_mean');
    expect(Math.abs(Fstar / F1 - 1)).toBeLessThan(0.2); // F fixed by the flow, within 20 %
    expect(Math.abs(nStar - F1 / (r * C * T))).toBeLessThanOrEqual(1);
    expect(Math.abs(nStar - Fstar / (r * C * T))).toBeLessThanOrEqual(1);
    expect(nStar).toBeGreaterThanOrEqual(3);
  });

  it('reports pool TVL and the other agents across n, with paired differences from n*', () => {
    for (const row of rows) expect(n(row, 'tvl_mean')).toBeGreaterThan(n(row, 'n') * C * 0.99);
    const star = rows.find((x) => n(x, 'n') === json.result.nStar)!;
    expect(n(star, 'fees_diff_vs_nstar')).toBe(0);
    // The arbitrageur's take falls as the pool deepens (each noise swap moves the price less).
    expect(n(rows[0]!, 'arb_take_mean')).toBeGreaterThan(n(star, 'arb_take_mean'));
    const html = readFileSync(join(d, 'seq', 'study.html'), 'utf8');
    expect(html).toContain(`n* = ${json.result.nStar} (`);
    expect(html).toContain('<svg');
  });

  it("the answer sentence names the marginal entrant and the next copy by number (no '5-th', 'a 8-th') with entry.csv's figures", () => {
    const html = readFileSync(join(d, 'seq', 'study.html'), 'utf8');
    const answer = /<p class="answer">([^<]*)<\/p>/.exec(html)![1]!;
    const k = json.result.nStar;
    expect(answer).not.toMatch(/\d-th/);
    const m = new RegExp(`^n\\* = ${k} \\([^)]*\\)\\. The marginal entrant, copy ${k} of lp, earns (-?[\\d.]+) .*; copy ${k + 1} would earn (-?[\\d.]+) `).exec(answer);
    expect(m, answer).not.toBeNull();
    const net = (c: number): number => n(rows.find((x) => n(x, 'n') === c)!, 'net_objective');
    expect(Number(m![1])).toBeCloseTo(net(k), 2);
    expect(Number(m![2])).toBeCloseTo(net(k + 1), 2);
  });

  it('the counts consistent with the data: from the largest whose entrant\'s net CI is wholly above 0 to the largest whose CI reaches 0', () => {
    const res = json.result as unknown as { nStar: number; nLow: number; nHigh: number; counts: { n: number; significant: boolean }[] };
    const lowFromCsv = Math.max(0, ...rows.filter((x) => n(x, 'net_ci_low') > 0).map((x) => n(x, 'n')));
    const highFromCsv = Math.max(0, ...rows.filter((x) => n(x, 'net_ci_high') >= 0).map((x) => n(x, 'n')));
    expect([res.nLow, res.nHigh]).toEqual([lowFromCsv, highFromCsv]);
    // The point rule's answer lies within (its entrant's net ≥ 0 puts its CI's upper end above 0).
    expect(res.nLow).toBeLessThanOrEqual(res.nStar);
    expect(res.nHigh).toBeGreaterThanOrEqual(res.nStar);
    for (const row of rows) expect(row.significant, row.n).toBe(n(row, 'net_ci_low') > 0 || n(row, 'net_ci_high') < 0 ? 'true' : 'false');
    // With 4 replicates the fee share's CI is wide: some count near n* is not significant either way.
    expect(rows.some((x) => x.significant === 'false')).toBe(true);
    const html = readFileSync(join(d, 'seq', 'study.html'), 'utf8');
    const answer = /<p class="answer">([^<]*)<\/p>/.exec(html)![1]!;
    const last = Math.max(...rows.map((x) => n(x, 'n')));
    const range = res.nLow === res.nHigh ? `only n = ${res.nLow} is` : `counts from ${res.nLow} to ${res.nHigh}${res.nHigh === last ? ' or more' : ''} are`;
    expect(answer).toContain(`n* = ${res.nStar} (${range} consistent with the data at 95 %; counts evaluated: 1 to ${last}).`);
  });

  it('bisection on the count finds the same n*', () => {
    const res = hedgesim(['study', 'bisect.yaml', '--quick', '-q', '--out', 'bis'], { cwd: d, env: CLEAN_ENV });
    expect(res.code, res.stderr).toBe(0);
    expect(readJson<{ result: { nStar: number } }>(join(d, 'bis'), 'study.json').result.nStar).toBe(json.result.nStar);
  }, 120_000);

  it('an outside option given as a metric of the run (here the same 5 %/year, written out) gives the same n*', () => {
    const alt = ENTRY.replace('name: lp-entry', 'name: lp-alt').replace('outside: { rate: 0.05 }', 'outside: { metric: alt }').replace('metrics:\n', 'metrics:\n  alt: 0.05 * agents.lp-1.initialValue * simulatedSeconds / 31536000\n');
    const d2 = temp({ 'lp-entry-base.yaml': BASE, 'alt.yaml': alt });
    const res = hedgesim(['study', 'alt.yaml', '--quick', '-q', '--out', 'alt'], { cwd: d2, env: CLEAN_ENV });
    expect(res.code, res.stderr).toBe(0);
    expect(readJson<{ result: { nStar: number } }>(join(d2, 'alt'), 'study.json').result.nStar).toBe(json.result.nStar);
    const altRows = csvObjects(readFileSync(join(d2, 'alt', 'entry.csv'), 'utf8'));
    altRows.forEach((row, i) => expect(n(row, 'net_objective')).toBeCloseTo(n(rows[i]!, 'net_objective'), 6));
  }, 120_000);

  it('resumes after SIGKILL to exactly the files of an uninterrupted study', async () => {
    const journals = (): number => (existsSync(join(d, 'killed', 'stages')) ? readdirSync(join(d, 'killed', 'stages')).filter((f) => !f.endsWith('.json')).reduce((k, f) => k + journalLines(join(d, 'killed', 'stages', f)).length, 0) : 0);
    const killed = await startAndKill(['study', 'lp-entry.yaml', '--quick', '-q', '--out', 'killed'], d, () => journals() >= 9, 'SIGKILL');
    expect(killed.killed).toBe(true);
    expect(journals()).toBeLessThan(readJson<{ runs: number }>(join(d, 'seq'), 'study.json').runs);
    expect(hedgesim(['study', 'lp-entry.yaml', '--quick', '-q', '--out', 'killed', '--resume'], { cwd: d, env: CLEAN_ENV }).code).toBe(0);
    expect(differing(join(d, 'seq'), join(d, 'killed'), ['study.json', 'study.html', 'entry.csv', 'entry.parquet', 'incumbents.csv', 'incumbents.parquet', 'study-plan.json'])).toEqual([]);
    for (const s of readdirSync(join(d, 'seq', 'stages')).filter((f) => !f.endsWith('.json'))) expect(differing(join(d, 'seq', 'stages', s), join(d, 'killed', 'stages', s), RESULT_FILES), s).toEqual([]);
  }, 120_000);

  it('a template that is not one, or a payoff path that names nothing, is a located error', () => {
    const bad = temp({ 'lp-entry-base.yaml': BASE, 'a.yaml': ENTRY.replace('template: lp', 'template: noise'), 'b.yaml': ENTRY.replace('payoff: pnl.total', 'payoff: pnl.totl') });
    const a = hedgesim(['study', 'a.yaml'], { cwd: bad, env: CLEAN_ENV });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/a\.yaml:\d+:\d+: template: 'noise' names no agent template/);
    const b = hedgesim(['study', 'b.yaml'], { cwd: bad, env: CLEAN_ENV });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/b\.yaml:\d+:\d+: payoff: /);
    expect(existsSync(join(bad, 'out'))).toBe(false);
  });
});
