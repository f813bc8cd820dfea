/**
 * A fork's report.html says it is one: the header names the original and block N (summary.json's
 * forkedFrom), and every chart over blocks marks N with a dashed rule — where the selection rule
 * stands when block N is selected. An ordinary run's report has neither.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../cli/helpers';
import { hasChromium, launch, openRendered, screenshot, SKIP_NOTE, type Session } from './browser';
import { run, url } from './fixtures';

const temp = tempDirs();
const N = 20;
let session: Session;
let original = '';
let fork = '';

beforeAll(async () => {
  if (!hasChromium) return;
  const dir = temp();
  original = run('scenarios/library/minimal.yaml', join(dir, 'original'), ['--set', 'duration=10m', '--record', 'full']);
  fork = run('scenarios/library/minimal.yaml', join(dir, 'what-if'), ['--fork-from', original, '--at-block', String(N), '--set', 'market.assets.ETH.sigma=1.6', '--record', 'full']);
  session = await launch();
}, 60_000);
afterAll(async () => {
  await session?.close();
});

describe.skipIf(!hasChromium)(`report.html of a fork${SKIP_NOTE}`, () => {
  it('names the original and block N in the header, and marks N on every chart over blocks', async () => {
    const { page, errors } = await openRendered(session, `${url(fork)}#block=${N}`);
    expect(await page.textContent('p.fork')).toBe(`fork of original at block ${N}: blocks up to ${N} are the original's, the changes act from block ${N + 1} (dashed line on the charts)`);
    // Each chart's fork rule stands where its selection rule does with block N selected.
    const rules = await page.$$eval('svg', (svgs) =>
      svgs
        .map((s) => ({ fork: s.querySelector('line.fork'), selected: s.querySelector('line.selected') }))
        .filter((r) => r.fork !== null)
        .map((r) => ({ fork: Number(r.fork!.getAttribute('x1')), shown: (r.fork as SVGLineElement).style.display !== 'none', selected: r.selected === null ? null : Number(r.selected.getAttribute('x1')) })),
    );
    // Timeline (price), P&L, gas (two frames), decomposition if any, and the overview.
    expect(rules.length).toBeGreaterThanOrEqual(5);
    for (const r of rules) {
      expect(r.shown).toBe(true);
      if (r.selected !== null) expect(r.fork).toBeCloseTo(r.selected, 6);
    }
    expect(rules.filter((r) => r.selected !== null).length).toBeGreaterThanOrEqual(4);
    await screenshot(page, 'report-fork', false);
    expect(errors).toEqual([]);
  });

  it('an ordinary run: no fork line in the header, no fork rule', async () => {
    const { page } = await openRendered(session, url(original));
    expect(await page.locator('p.fork').count()).toBe(0);
    expect(await page.locator('line.fork').count()).toBe(0);
  });
});
