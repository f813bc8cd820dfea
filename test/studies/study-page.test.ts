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
});
