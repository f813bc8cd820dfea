/**
 * The who-paid-whom panel of report.html in headless chromium: its cells are summary.json's
 * transfer matrix (every non-zero flow, in the right row and column), the kind buttons show that
 * kind's matrix, and a summary from before format 3 (no `transfers`) opens without the panel.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportHtml } from '../../cli/report';
import { tempDirs } from '../cli/helpers';
import { hasChromium, launch, openRendered, screenshot, SKIP_NOTE, type Session } from './browser';
import { reportData, run, url, write } from './fixtures';

const temp = tempDirs();
let session: Session;
let dir: string;

interface Matrix {
  parties: string[];
  paid: number[][];
  byKind: Record<string, number[][]>;
}

beforeAll(async () => {
  if (!hasChromium) return;
  dir = run('scenarios/default.yaml', temp(), ['--set', 'duration=2h']);
  session = await launch();
});
afterAll(async () => {
  await session?.close();
});

const open = (target: string) => openRendered(session, target);

/** The table as shown: row party → column party → the cell's exact value (its title), 0 when empty. */
async function shown(page: Page): Promise<Map<string, number>> {
  const cells = await page.locator('#transfers tbody td[title]').evaluateAll((tds) => tds.map((td) => td.getAttribute('title') ?? ''));
  const out = new Map<string, number>();
  for (const t of cells) {
    const m = /^(.*) paid (.*) (\S+) USD$/.exec(t)!;
    out.set(`${m[1]}→${m[2]}`, Number(m[3]));
  }
  return out;
}

describe.skipIf(!hasChromium)(`report.html: who paid whom${SKIP_NOTE}`, () => {
  it('shows summary.json’s matrix, and each kind’s on its button', async () => {
    const { page, errors } = await open(url(dir));
    const t = (reportData(dir) as { summary: { transfers: Matrix } }).summary.transfers;
    const check = async (m: number[][]): Promise<void> => {
      const cells = await shown(page);
      let nonZero = 0;
      t.parties.forEach((from, i) =>
        t.parties.forEach((to, j) => {
          const v = m[i]![j]!;
          if (v !== 0) nonZero++;
          const cell = cells.get(`${from}→${to}`);
          // A party with no flow of any kind has no row or column.
          if (cell === undefined) expect(v, `${from}→${to}`).toBe(0);
          else expect(cell, `${from}→${to}`).toBe(v);
        }),
      );
      return void expect(nonZero).toBeGreaterThan(0);
    };
    await check(t.paid);
    expect(await page.locator('#transfers tbody tr[data-party="retail"] td').count()).toBeGreaterThan(1);
    for (const kind of ['fee', 'gas']) {
      await page.click(`#transfers button[data-kind="${kind}"]`);
      expect(await page.getAttribute(`#transfers button[data-kind="${kind}"]`, 'aria-pressed')).toBe('true');
      await check(t.byKind[kind]!);
    }
    expect(errors).toEqual([]);
    await screenshot(page, 'report-transfers');
  });

  it('a summary without transfers (format 2) opens without the panel', async () => {
    const data = reportData(dir) as { summary: Record<string, unknown> };
    delete data.summary.transfers;
    const file = write(dir, 'old-summary.html', reportHtml('hedgesim — old', data as never));
    const { page, errors } = await open(`file://${file}`);
    expect(await page.locator('#transfers').count()).toBe(0);
    expect(await page.locator('#summary tbody tr').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
