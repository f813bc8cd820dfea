/**
 * study.html in a browser: the page states the optimum with its CI, draws one point per evaluated
 * strategy (the best marked), shows the tables, and shows a hostile description as text.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStudy } from '../../batch/study';
import { readFileSync } from 'node:fs';
import { ROOT } from '../cli/helpers';
import { hasChromium, launch, newPage, screenshot, SKIP_NOTE, type Session } from '../viz/browser';

const dir = mkdtempSync(join(tmpdir(), 'hedgesim-study-page-'));
let session: Session | undefined;
afterAll(async () => {
  await session?.close();
  rmSync(dir, { recursive: true, force: true });
});

const BASE = `name: fees
blocks: 60
chain: { blockTime: 2, nativeToken: ETH, ordering: fcfs, baseFee: { initial: 0.05, mode: fixed } }
market: { assets: { ETH: { kind: gbm, price: 2500, sigma: 0.8 } } }
tokens: { ETH: {}, USD: { usd: 1 } }
venues: { pool: { kind: cpmm, tokens: [ETH, USD], feeBps: 30 } }
agents:
  lp: { kind: lp, venue: pool, balances: { ETH: 1000, USD: 2500000 } }
  a: { kind: noise, venue: pool, meanInterval: 10s, medianUsd: 2000, balances: { ETH: 100, USD: 250000 } }
`;
const STUDY = `name: page
kind: optimise
description: "<img src=x onerror=alert(1)> fees"
scenario: base.yaml
replicates: 4
metrics: { a: agents.a.pnl.total }
objective: { metric: a }
strategy: { agents.a.priorityFee: { values: [0, 1, 2] } }
refine: { method: golden, iterations: 2 }
`;

describe.skipIf(!hasChromium)(`study.html${SKIP_NOTE}`, () => {
  beforeAll(async () => {
    writeFileSync(join(dir, 'base.yaml'), BASE);
    writeFileSync(join(dir, 'study.yaml'), STUDY);
    await runStudy(join(dir, 'study.yaml'), { out: join(dir, 'out'), pool: 'never' });
    // The closed form beside the optimum: a made-up one, x = 0.5 and a straight line.
    writeFileSync(join(dir, 'closed.yaml'), STUDY.replace('name: page', 'name: closed').replace('refine: { method: golden, iterations: 2 }', "closedForm: { label: 'a line', optimum: '0.25 + 0.25', curve: '-a / 1000 * x' }"));
    await runStudy(join(dir, 'closed.yaml'), { out: join(dir, 'closed'), pool: 'never' });
    for (const f of ['lp-entry-base.yaml', 'lp-entry.yaml']) writeFileSync(join(dir, f), readFileSync(join(ROOT, 'scenarios/studies', f), 'utf8'));
    await runStudy(join(dir, 'lp-entry.yaml'), { out: join(dir, 'entry'), quick: true, pool: 'never' });
    session = await launch();
  }, 120_000);

  it('states the optimum, draws the curve with the best marked, and shows hostile text as text', async () => {
    const { page, errors, consoleErrors, dialogs } = await newPage(session!);
    await page.goto(pathToFileURL(join(dir, 'out', 'study.html')).href);
    expect(await page.textContent('.answer')).toMatch(/^agents\.a\.priorityFee = 0: mean of a -?[\d.]+ \(95 % CI -?[\d.e+-]+ to -?[\d.e+-]+, 4 replicates\)$/);
    // 3 grid points + 2 golden-section starts + 2 steps.
    expect(await page.locator('svg circle').count()).toBe(7);
    expect(await page.locator('svg circle[fill="#c0392b"]').count()).toBe(1);
    expect(await page.locator('tr.best').count()).toBe(1);
    expect(await page.textContent('body')).toContain('<img src=x onerror=alert(1)> fees');
    await screenshot(page, 'study-optimise');
    expect([errors, consoleErrors, dialogs]).toEqual([[], [], []]);
  }, 60_000);

  it('draws a closed form beside the optimum: its curve dashed, its optimum dotted, stated in a sentence', async () => {
    const { page, errors, consoleErrors, dialogs } = await newPage(session!);
    await page.goto(pathToFileURL(join(dir, 'closed', 'study.html')).href);
    expect(await page.locator('.answer').nth(1).textContent()).toMatch(/^Closed form a line: agents\.a\.priorityFee = 0\.5 \(/);
    expect(await page.locator('svg path[stroke-dasharray="6 4"]').count()).toBe(1);
    expect(await page.locator('svg line[stroke-dasharray="2 3"]').count()).toBe(1);
    expect([errors, consoleErrors, dialogs]).toEqual([[], [], []]);
  }, 60_000);

  it('free entry: states n* with the CIs of the last entrant and the first that stays out, one chart per tracked metric', async () => {
    const { page, errors, consoleErrors, dialogs } = await newPage(session!);
    await page.goto(pathToFileURL(join(dir, 'entry', 'study.html')).href);
    expect(await page.textContent('.answer')).toMatch(/^n\* = (\d+) \((only n = \d+ is|counts from \d+ to \d+( or more)? are) consistent with the data at 95 %; counts evaluated: [^)]*\)\. The marginal entrant, copy \1 of lp, earns -?[\d.]+ \(95 % CI -?[\d.e+-]+ to -?[\d.e+-]+\) beyond a return of 0\.05 per year on its capital; copy \d+ would earn -[\d.]+ \(95 % CI/);
    // The net payoff, then fees, lp_fees, lvr, tvl, arb_take, noise_pnl.
    expect(await page.locator('svg').count()).toBe(7);
    expect(await page.locator('h2', { hasText: 'Incumbents at n*' }).count()).toBe(1);
    await screenshot(page, 'study-free-entry');
    expect([errors, consoleErrors, dialogs]).toEqual([[], [], []]);
  }, 60_000);
});
