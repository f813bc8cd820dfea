/**
 * study.html of every kind in a browser, from --quick runs of the shipped studies: the page states
 * the answer in a sentence whose numbers — the answer and its 95 % CI — are study.json's (parsed
 * from the text, compared to 5 significant digits, the page's precision), and its tables render
 * with one row per row of study.json. Kinds: optimise, best-response, best-response under
 * fictitious play, free-entry (with `chart: { x: log }`), cascades.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStudy } from '../../batch/study';
import { ROOT } from '../cli/helpers';
import { hasChromium, launch, newPage, screenshot, SKIP_NOTE, type Session } from '../viz/browser';

const dir = mkdtempSync(join(tmpdir(), 'hedgesim-study-kinds-'));
const LIB = join(ROOT, 'scenarios', 'studies');
let session: Session | undefined;
afterAll(async () => {
  await session?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Rated {
  objective?: number;
  value?: number;
  ciLow: number;
  ciHigh: number;
}
type Json = { result: Record<string, unknown> };
const json = (name: string): Json => JSON.parse(readFileSync(join(dir, name, 'study.json'), 'utf8')) as Json;
const val = (r: Rated): number => r.objective ?? r.value!;

/** Every number in a sentence (the page writes 5 significant digits, or x.xxxe±n). */
const numbers = (text: string): number[] => [...text.matchAll(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g)].map((m) => Number(m[0]));
/** Whether `x` is among the sentence's numbers, to the page's precision. */
const states = (text: string, x: number): boolean => numbers(text).some((y) => Math.abs(y - x) <= 5e-4 * Math.abs(x) + 1e-12);
function expectStated(text: string, r: Rated, what: string): void {
  for (const x of [val(r), r.ciLow, r.ciHigh]) expect(states(text, x), `${what}: ${x} in «${text}»`).toBe(true);
  expect(r.ciLow).toBeLessThanOrEqual(val(r));
  expect(r.ciHigh).toBeGreaterThanOrEqual(val(r));
  // Stated as an interval, in this order.
  expect(text).toContain('95 % CI');
}

async function open(name: string): Promise<{ answer: string; rows: number[]; page: Awaited<ReturnType<typeof newPage>>['page']; check: () => void }> {
  const { page, errors, consoleErrors, dialogs } = await newPage(session!);
  await page.goto(pathToFileURL(join(dir, name, 'study.html')).href);
  const answer = (await page.locator('.answer').first().textContent()) ?? '';
  // Rows per table, head row excluded; each must be visible on the page.
  const tables = page.locator('table');
  const rows: number[] = [];
  for (let i = 0; i < (await tables.count()); i++) {
    await expect(tables.nth(i).isVisible()).resolves.toBe(true);
    rows.push((await tables.nth(i).locator('tr').count()) - 1);
  }
  await screenshot(page, `study-kind-${name}`);
  return { answer, rows, page, check: () => expect([errors, consoleErrors, dialogs]).toEqual([[], [], []]) };
}

describe.skipIf(!hasChromium)(`study.html of every kind${SKIP_NOTE}`, () => {
  beforeAll(async () => {
    const game = readFileSync(join(LIB, 'fee-game.yaml'), 'utf8').replace('scenario: l2-fees.yaml', `scenario: ${join(LIB, 'l2-fees.yaml')}`);
    writeFileSync(join(dir, 'fictitious.yaml'), game.replace('update: sequential', 'update: fictitious').replace('name: fee-game', 'name: fee-fictitious'));
    writeFileSync(join(dir, 'lp-entry-base.yaml'), readFileSync(join(LIB, 'lp-entry-base.yaml'), 'utf8'));
    writeFileSync(join(dir, 'entry.yaml'), `${readFileSync(join(LIB, 'lp-entry.yaml'), 'utf8')}\nchart: { x: log }\n`);
    const run = (file: string, out: string): Promise<unknown> => runStudy(file, { out: join(dir, out), quick: true, pool: 'never' });
    await run(join(LIB, 'fee-optimum.yaml'), 'optimise');
    await run(join(LIB, 'fee-game.yaml'), 'game');
    await run(join(dir, 'fictitious.yaml'), 'fictitious');
    await run(join(dir, 'entry.yaml'), 'entry');
    await run(join(LIB, 'triad-cascade.yaml'), 'cascades');
    session = await launch();
  }, 180_000);

  it('optimise: the optimum and its CI, the curve table a row per point', async () => {
    const p = await open('optimise');
    const r = json('optimise').result as { optimum: Rated; curve: unknown[] };
    expectStated(p.answer, r.optimum, 'optimum');
    expect(p.rows[0]).toBe(r.curve.length);
    p.check();
  }, 60_000);

  it('best-response: the equilibrium and each player\'s payoff in it with its CI; payoffs and path tables', async () => {
    const p = await open('game');
    const r = json('game').result as { status: string; payoffs: (Rated & { player: string; inProfile: boolean })[]; path: unknown[] };
    expect(p.answer).toMatch(/^Equilibrium \(a fixed point of best responses\): alice plays agents\.alice\.priorityFee = 0; bob plays agents\.bob\.priorityFee = 0\. /);
    for (const pl of r.payoffs.filter((x) => x.inProfile)) expectStated(p.answer, pl, pl.player);
    expect(p.rows).toEqual([r.payoffs.length, r.path.length]);
    p.check();
  }, 60_000);

  it('fictitious play: the empirical frequencies, each player\'s payoff against the mixture with its CI; the frequencies table', async () => {
    const p = await open('fictitious');
    const r = json('fictitious').result as { update: string; frequencies: { player: string; frequency: number }[]; path: (Rated & { player: string })[]; payoffs: unknown[] };
    expect(r.update).toBe('fictitious');
    expect(p.answer).toMatch(/^Fictitious play over \d+ rounds/);
    for (const f of r.frequencies) expect(states(p.answer, f.frequency), `${f.player} ${f.frequency}`).toBe(true);
    for (const id of ['alice', 'bob']) expectStated(p.answer, r.path.filter((s) => s.player === id).at(-1)!, id);
    expect(await p.page.locator('h2', { hasText: 'Empirical frequencies' }).count()).toBe(1);
    expect(p.rows).toEqual([r.payoffs.length, r.frequencies.length, r.path.length]);
    p.check();
  }, 60_000);

  it('free entry: n* and the net payoffs of copies n* and n* + 1 with their CIs; the charts on a log count axis', async () => {
    const p = await open('entry');
    const r = json('entry').result as { nStar: number; counts: { n: number; net: Rated }[]; incumbents: unknown[] };
    expect(p.answer.startsWith(`n* = ${r.nStar} (`)).toBe(true);
    for (const n of [r.nStar, r.nStar + 1]) {
      const c = r.counts.find((x) => x.n === n);
      if (c) expectStated(p.answer, c.net, `copy ${n}`);
    }
    expect(p.rows).toEqual([r.counts.length, r.incumbents.length]);
    const charts = await p.page.locator('svg').count();
    expect(charts).toBeGreaterThan(1);
    expect(await p.page.locator('svg[data-x-scale="log"]').count()).toBe(charts);
    p.check();
  }, 60_000);

  it('cascades: where the largest cluster is, with its CI; a row per point', async () => {
    const p = await open('cascades');
    const r = json('cascades').result as { points: { metrics: { cascade_maxCluster: Rated } }[] };
    const biggest = r.points.reduce((b, x) => (x.metrics.cascade_maxCluster.value! > b.metrics.cascade_maxCluster.value! ? x : b));
    expect(p.answer).toMatch(/^The largest same-block cluster of events is at /);
    expectStated(p.answer, biggest.metrics.cascade_maxCluster, 'largest cluster');
    expect(p.rows).toEqual([r.points.length]);
    p.check();
  }, 60_000);
});
