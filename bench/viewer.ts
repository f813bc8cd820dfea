/**
 * `npm run bench:viewer`: how long a 100,000-block report takes to open. It runs minimal.yaml for
 * 100,000 blocks (12 s blocks) at `--record blocks` and `--record full`, and the default scenario
 * (2 s blocks, every agent kind, ~10× the transactions) for 100,000 blocks at `--record full`; opens
 * each report.html in headless chromium several times (fresh page each time) and reports the time
 * from navigation to the viewer's first full render (every panel drawn and a frame painted: the
 * page sets data-rendered on #app), median and range, then the time of a zoom step (a wheel event
 * until every panel is redrawn). Target: ≤ 2 s to open.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { CHROMIUM, hasChromium, launch } from '../test/viz/browser';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const reps = Number(process.env.BENCH_REPS ?? 5);
const BLOCKS = 100_000;

interface Sample {
  /** From page.goto to #app[data-rendered], measured outside the page. */
  wall: number;
  /** data-rendered: milliseconds since navigation start, measured by the page. */
  page: number;
  timing: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Wheel-zoom the timeline a few steps in and out: each step's time from the wheel event until the
 * range is redrawn (driving the page from outside adds the browser's round trip), and the time the
 * page spent redrawing every panel.
 */
async function zoomSteps(page: Page): Promise<{ step: number; redraw: number }[]> {
  const box = await page.locator('#timeline .main rect.zoom').boundingBox();
  if (box === null) return [];
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  const out: { step: number; redraw: number }[] = [];
  for (const dy of [-300, -300, -300, 300, 300, 300]) {
    const before = await page.getAttribute('#timeline', 'data-domain');
    const t0 = performance.now();
    await page.mouse.wheel(0, dy);
    await page.waitForFunction((b) => document.querySelector('#timeline')?.getAttribute('data-domain') !== b, before);
    const step = performance.now() - t0;
    out.push({ step, redraw: Number(await page.getAttribute('html', 'data-redraw-ms')) });
  }
  return out;
}

async function main(): Promise<void> {
  if (!hasChromium) {
    process.stderr.write(`bench:viewer needs ${CHROMIUM} (apt-get install chromium)\n`);
    process.exit(1);
  }
  const work = mkdtempSync(join(tmpdir(), 'hedgesim-bench-viewer-'));
  const session = await launch();
  try {
    process.stdout.write(`Viewer: time to first full render of a ${BLOCKS.toLocaleString('en-US')}-block report in headless chromium (${reps} opens each)\n\n`);
    process.stdout.write('| report | size | median | min | max | in the page (median): HTML parsed / data read / panels drawn | zoom step: wheel to redrawn / redraw in the page (median) |\n| --- | --- | --- | --- | --- | --- | --- |\n');
    const cases = [
      ['minimal.yaml', 'library/minimal.yaml', 12, 'blocks'],
      ['minimal.yaml', 'library/minimal.yaml', 12, 'full'],
      ['default.yaml', 'default.yaml', 2, 'full'],
    ] as const;
    for (const [name, scenario, blockTime, record] of cases) {
      const out = join(work, `${name}-${record}`);
      execFileSync(process.execPath, [join(root, 'dist', 'hedgesim.cjs'), 'run', join(root, 'scenarios', scenario), '--set', `duration=${BLOCKS * blockTime}s`, '--record', record, '--out', out, '-q']);
      const file = join(out, 'report.html');
      const samples: Sample[] = [];
      const zooms: { step: number; redraw: number }[] = [];
      for (let i = 0; i <= reps; i++) {
        const page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } });
        const t0 = performance.now();
        await page.goto(pathToFileURL(file).href, { waitUntil: 'commit' });
        await page.waitForSelector('#app[data-rendered]', { timeout: 60_000 });
        const wall = performance.now() - t0;
        const rendered = (await page.getAttribute('#app', 'data-rendered')) ?? '';
        if (rendered === 'error') throw new Error(`the report did not render: ${await page.textContent('#app')}`);
        const timing = (await page.getAttribute('#app', 'data-timing')) ?? '';
        if (i > 0) zooms.push(...(await zoomSteps(page)));
        await page.close();
        if (i > 0) samples.push({ wall, page: Number(rendered), timing }); // the first open warms the browser up
      }
      const walls = samples.map((s) => s.wall);
      const parts = ['parsed', 'loaded', 'drawn'].map((k) => median(samples.map((s) => Number(new RegExp(`${k}=(\\d+)`).exec(s.timing)?.[1] ?? NaN))));
      const mib = (statSync(file).size / 2 ** 20).toFixed(1);
      process.stdout.write(`| ${name}, --record ${record} | ${mib} MiB | ${(median(walls) / 1000).toFixed(2)} s | ${(Math.min(...walls) / 1000).toFixed(2)} s | ${(Math.max(...walls) / 1000).toFixed(2)} s | ${parts.map((p) => `${Math.round(p)} ms`).join(' / ')} | ${Math.round(median(zooms.map((z) => z.step)))} ms / ${Math.round(median(zooms.map((z) => z.redraw)))} ms |\n`);
    }
    process.stdout.write('\nTarget: ≤ 2 s from opening to first full render.\n');
  } finally {
    await session.close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
