/**
 * What report.html and sweep.html must show truly, in headless chromium on real outputs: P&L led
 * by edge (retail the loser it is in the default scenario), every block panel and the overview on
 * one block axis to the pixel, one axis per unit, the mempool in arrival order to the millisecond,
 * the gas target and the simulation's own gas, the sampling step said, the phone layout, keys bound
 * to the page's focus, export of panels and tables, and the sweep's log axis and baseline.
 * Screenshots of the desk and phone views go to test-artifacts/ (and, with HEDGESIM_DOCS_IMG=1, to
 * docs/img/, which docs/viewer.md shows).
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hedgesim, ROOT, tempDirs } from '../cli/helpers';
import { ARTIFACTS, hasChromium, launch, newPage, rendered, screenshot, SKIP_NOTE, type Session } from './browser';
import { canvasColumn, countColour, linear, rowsOf, ticks } from './canvas';
import { blocksCsv, pnlCsv, run, url, write } from './fixtures';

const temp = tempDirs();
let session: Session;
let day: string; // the default scenario as it is: one day, --record blocks
let full: string; // two hours of it at --record full

beforeAll(async () => {
  if (!hasChromium) return;
  day = run('scenarios/default.yaml', temp());
  full = run('scenarios/default.yaml', temp(), ['--record', 'full', '--set', 'duration=2h']);
  session = await launch();
});
afterAll(async () => {
  await session?.close();
});

async function open(target: string, width = 1280, height = 900): Promise<{ page: Page; errors: string[] }> {
  const p = await newPage(session, width, height);
  await p.page.goto(target);
  await rendered(p.page, 60_000);
  return p;
}

const attr = async (page: Page, selector: string, name: string): Promise<string> => (await page.getAttribute(selector, name)) ?? '';

const CHARTS = ['#timeline .main', '#timeline .overview', '#gas .gas-chart', '#gas .sim-gas-chart', '#pnl .pnl-chart', '#decomposition .decomp-chart'];

/** Page x of `block` in each chart, read through its block axis's ticks as drawn. */
async function blockX(page: Page, chart: string, block: number): Promise<number> {
  const box = (await page.locator(chart).boundingBox())!;
  return box.x + linear(await ticks(page, `${chart} .axis-bottom`))(block);
}

function summaryOf(dir: string): { agents: { id: string; kind: string; pnl: { edge: number; hold: number; total: number } }[] } {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
}

/**
 * The screenshots docs/viewer.md shows are these artefacts, copied to docs/img/ when asked
 * (HEDGESIM_DOCS_IMG=1), so that an ordinary test run leaves the tree clean.
 */
function toDocs(name: string): void {
  if (process.env.HEDGESIM_DOCS_IMG !== '1') return;
  mkdirSync(join(ROOT, 'docs', 'img'), { recursive: true });
  copyFileSync(join(ARTIFACTS, `${name}.png`), join(ROOT, 'docs', 'img', `${name}.png`));
}

/** The text of a download the click starts. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: readFileSync(path) };
}

describe.skipIf(!hasChromium)(`report.html tells the truth at a glance${SKIP_NOTE}`, () => {
  it('the default scenario leads with edge: retail the loser (≈ −0.76 M USD), not +26 M; hold a line of its own', async () => {
    const s = summaryOf(day);
    const retail = s.agents.find((a) => a.id === 'retail')!;
    expect(retail.pnl.edge).toBeLessThan(-0.7e6);
    expect(retail.pnl.edge).toBeGreaterThan(-0.8e6);
    expect(retail.pnl.total).toBeGreaterThan(20e6);
    const { page, errors } = await open(url(day));
    const byEdge = [...s.agents].sort((a, b) => b.pnl.edge - a.pnl.edge).map((a) => a.id);
    expect(byEdge.at(-1)).toBe('retail');
    // The table: sorted by edge, best first, its edge column first of the money.
    expect(await attr(page, '#summary th[data-key="edge"]', 'aria-sort')).toBe('descending');
    expect(await page.locator('#summary thead th').nth(2).getAttribute('data-key')).toBe('edge');
    expect(await page.locator('#summary tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-agent')))).toEqual(byEdge);
    const retailEdge = page.locator('#summary tbody tr[data-agent="retail"] td:nth-child(3)');
    expect(await retailEdge.getAttribute('title')).toBe(String(retail.pnl.edge));
    expect(await retailEdge.textContent()).toMatch(/^−758,\d{3}\.\d{2}$/);
    // The chart: edge lines by default, hold and total off, agents listed by edge.
    expect(await attr(page, '#pnl', 'data-order')).toBe(byEdge.join(' '));
    expect(await attr(page, '#pnl canvas', 'data-lines')).toBe('edge');
    expect(await page.locator('#pnl .axis-label-left').textContent()).toBe('edge (USD)');
    expect(await attr(page, '#pnl .pnl-lines .legend-item[data-key="hold"]', 'aria-pressed')).toBe('false');
    expect(await page.locator('#pnl .sampling').textContent()).toMatch(/sampled every 21 blocks/);
    // Retail's line ends where its edge is, below zero (read through the axes as drawn).
    const ys = linear(await ticks(page, '#pnl .axis-left'));
    const xs = linear(await ticks(page, '#pnl .axis-bottom'));
    const p = pnlCsv(day);
    const c = (n: string): number => p.header.indexOf(n);
    const rows = p.rows.filter((r) => r[c('agent')] === 'retail');
    const sample = rows[Math.floor(rows.length * 0.9)]!;
    const px = await canvasColumn(page, '#pnl canvas', Math.round(xs(sample[c('block')] as number)));
    const orange = rowsOf(px, '#E69F00'); // retail's colour (the summary's second agent)
    expect(orange.length).toBeGreaterThan(0);
    expect(Math.min(...orange.map((y) => Math.abs(y - ys(sample[c('edge')] as number))))).toBeLessThanOrEqual(2);
    expect(Math.min(...orange)).toBeGreaterThan(ys(0));
    // Hold, toggled on, is drawn too (and takes the axis to its millions).
    await page.click('#pnl .pnl-lines .legend-item[data-key="hold"]');
    await page.waitForSelector('#pnl canvas[data-lines="edge hold"]');
    expect(Math.max(...(await ticks(page, '#pnl .axis-left')).map((t) => t.value))).toBeGreaterThan(20e6);
    // The decomposition of retail: its edge and the activity's parts, hold off.
    await page.selectOption('#decomposition select.agent-select', 'retail');
    await page.waitForSelector('#decomposition[data-agent="retail"]');
    expect(await attr(page, '#decomposition', 'data-lines')).toBe('edge');
    expect((await attr(page, '#decomposition', 'data-components')).split(' ')).not.toContain('hold');
    expect(await page.locator('#decomposition .sampling').textContent()).toMatch(/sampled every 21 blocks/);
    expect(await attr(page, '#decomposition .sampling', 'data-step')).toBe('21');
    expect(errors).toEqual([]);
  });

  it('every block panel and the overview put the same block at the same x, to the pixel, and keep it zoomed', async () => {
    const { page } = await open(url(full));
    for (const b of [1, 900, 1800, 3600]) {
      const xs = await Promise.all(CHARTS.map((ch) => blockX(page, ch, b)));
      expect(Math.max(...xs) - Math.min(...xs), `block ${b}: ${xs.join(', ')}`).toBeLessThanOrEqual(1);
    }
    // The plot areas (zoom rectangles and the brush) share their left and right edges.
    const edges = await page.locator('rect.zoom, .overview rect.overlay').evaluateAll((rs) => rs.map((r) => [r.getBoundingClientRect().left, r.getBoundingClientRect().right]));
    expect(edges.length).toBe(CHARTS.length);
    for (const [l, r] of edges) {
      expect(Math.abs(l! - edges[0]![0]!)).toBeLessThanOrEqual(1);
      expect(Math.abs(r! - edges[0]![1]!)).toBeLessThanOrEqual(1);
    }
    // Zoomed, the panels (not the overview, which shows the whole run) still agree.
    await page.fill('#inspector .block-input', '2000');
    await page.press('#inspector .block-input', 'Enter');
    const main = (await page.locator('#timeline .main rect.zoom').boundingBox())!;
    await page.mouse.move(main.x + main.width / 2, main.y + main.height / 2);
    await page.mouse.wheel(0, -600);
    await page.waitForFunction(() => ['#gas', '#pnl', '#decomposition'].every((s) => document.querySelector(s)?.getAttribute('data-domain') === document.querySelector('#timeline')?.getAttribute('data-domain')));
    const [lo, hi] = (await attr(page, '#timeline', 'data-domain')).split(',').map(Number) as [number, number];
    const mid = Math.round((lo + hi) / 2);
    const xs = await Promise.all(CHARTS.filter((c) => !c.includes('overview')).map((ch) => blockX(page, ch, mid)));
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThanOrEqual(1);
  });

  it('the mempool table is in arrival order, to the millisecond', async () => {
    // A block whose log lists the candidates out of arrival order (a bundle's legs come last).
    const lines = readFileSync(join(full, 'mempool.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { block: number; txs: { id: number; arrivalTime: number }[] });
    const m = lines.find((x) => x.txs.some((t, i) => i > 0 && t.arrivalTime < x.txs[i - 1]!.arrivalTime))!;
    expect(m).toBeDefined();
    const { page } = await open(`${url(full)}#block=${m.block}`);
    const ids = await page.locator('#inspector table.mempool tbody tr').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-id'))));
    const sorted = [...m.txs].sort((a, b) => a.arrivalTime - b.arrivalTime || a.id - b.id);
    expect(ids).toEqual(sorted.map((t) => t.id));
    expect(ids).not.toEqual(m.txs.map((t) => t.id));
    const cells = await page.locator('#inspector table.mempool tbody tr td:first-child').allTextContents();
    expect(cells).toEqual(sorted.map((t) => t.arrivalTime.toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 })));
    for (const c of cells) expect(c).toMatch(/^\d{1,3}(,\d{3})*\.\d{3}$/);
    expect(await page.locator('#inspector table.mempool tbody tr td:nth-child(2)').first().textContent()).toMatch(/^\d+d \d\d:\d\d:\d\d\.\d{3}$/);
  });

  it('the gas panel shows the simulation’s own gas on its own axis and the gas target line', async () => {
    const { page } = await open(url(full));
    const csv = blocksCsv(full);
    const used = csv.rows.map((r) => r[csv.header.indexOf('gas_used')]!);
    const right = linear(await ticks(page, '#gas .gas-chart .axis-right'));
    const y = Number(await attr(page, '#gas line.gas-target', 'y1'));
    expect(Math.abs(y - right(15_000_000))).toBeLessThanOrEqual(1);
    expect(await page.locator('#gas .legend-item[data-key="target"]').textContent()).toBe('gas target (15,000,000 gas)');
    // Own axis: its top tick is of the simulation's gas (hundreds of thousands), not the block's millions.
    const ownTicks = await ticks(page, '#gas .sim-gas-chart .axis-left');
    const own = linear(ownTicks);
    const plotTop = 8; // the panel's top margin
    const plotBottom = Math.max(...ownTicks.map((t) => t.px));
    // The busiest block's bar reaches into the upper half of the panel (not a sliver at its foot).
    expect(own(Math.max(...used))).toBeGreaterThanOrEqual(plotTop - 1);
    expect(own(Math.max(...used))).toBeLessThan((plotTop + plotBottom) / 2);
    expect(await countColour(page, '#gas .sim-gas-chart canvas', '#0072B2')).toBeGreaterThan(2000);
  });

  it('a phone’s width: no sideways scroll, panels stacked, the inspector brought into view when a block is picked; keys only with the page focused', async () => {
    const { page, errors } = await open(url(full), 390, 844);
    const { sw, cw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
    expect(sw).toBeLessThanOrEqual(cw);
    for (const ch of CHARTS) expect((await page.locator(ch).boundingBox())!.width, ch).toBeLessThanOrEqual(390);
    // Block axes still aligned at this width.
    const xs = await Promise.all(CHARTS.map((ch) => blockX(page, ch, 1800)));
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThanOrEqual(1);
    await screenshot(page, 'viewer-phone');
    toDocs('viewer-phone');
    // Picking a block on the chart scrolls the inspector into view.
    const z = page.locator('#pnl rect.zoom');
    await z.scrollIntoViewIfNeeded();
    const box = (await z.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.4, box.y + box.height / 2);
    await page.waitForFunction(() => {
      const r = document.querySelector('#inspector')!.getBoundingClientRect();
      return r.top >= -1 && r.top < window.innerHeight / 2;
    });
    const picked = Number(await attr(page, '#inspector', 'data-block'));
    // Arrows: not while a picker has focus; again once the page has it.
    await page.focus('#pnl select.kind-filter');
    await page.keyboard.press('ArrowRight');
    expect(Number(await attr(page, '#inspector', 'data-block'))).toBe(picked);
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector(`#inspector[data-block="${picked + 1}"]`);
    expect(errors).toEqual([]);
  });

  it('charts reflow to the window, on the same blocks', async () => {
    const { page } = await open(`${url(full)}#block=1234`, 1280, 900);
    expect((await page.locator('#pnl .pnl-chart').boundingBox())!.width).toBeGreaterThan(1100);
    await page.setViewportSize({ width: 700, height: 900 });
    await page.waitForSelector('#app[data-reflowed]');
    expect((await page.locator('#pnl .pnl-chart').boundingBox())!.width).toBeLessThanOrEqual(700);
    expect(await attr(page, '#inspector', 'data-block')).toBe('1234');
    const xs = await Promise.all(CHARTS.map((ch) => blockX(page, ch, 1234)));
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThanOrEqual(1);
  });

  it('exports a panel as SVG and PNG and a table as CSV, in the browser', async () => {
    const { page } = await open(url(full));
    const svg = await downloaded(page, () => page.click('#pnl .export-svg'));
    expect(svg.name).toBe('default-pnl.svg');
    const text = svg.bytes.toString('utf8');
    expect(text).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(text).toContain('<image');
    expect(text).toContain('edge (USD)');
    const png = await downloaded(page, () => page.click('#timeline .export-png'));
    expect(png.name).toBe('default-timeline.png');
    expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    // Its size: the panel's charts (main, overview) at the screen's density.
    expect(png.bytes.readUInt32BE(16)).toBeGreaterThan(1000);
    expect(png.bytes.readUInt32BE(20)).toBeGreaterThan(400);
    const csv = await downloaded(page, () => page.click('#summary .export-csv'));
    expect(csv.name).toBe('default-agents.csv');
    const lines = csv.bytes.toString('utf8').trim().split('\n');
    const s = summaryOf(full);
    expect(lines).toHaveLength(s.agents.length + 1);
    expect(lines[0]).toMatch(/^agent,kind,edge \(USD\),hold \(USD\),total \(USD\),/);
    // Exact values, not the rounded text.
    const retail = lines.find((l) => l.startsWith('retail,'))!.split(',');
    expect(Number(retail[2])).toBe(s.agents.find((a) => a.id === 'retail')!.pnl.edge);
    const venue = await downloaded(page, () => page.click('#inspector .export-csv >> nth=0'));
    expect(venue.bytes.toString('utf8').split('\n')[0]).toBe('venue,field,before the block,after the block,change');
  });
});

describe.skipIf(!hasChromium)(`one axis, one unit${SKIP_NOTE}`, () => {
  it('seed-rebalancing: the triad’s price in "1" per U has its own panel, not the USD-per-ETH axis', async () => {
    const dir = run('scenarios/library/seed-rebalancing.yaml', temp());
    const { page, errors } = await open(url(dir), 1000);
    expect(await page.locator('#timeline .main .axis-label').allTextContents()).toEqual(['block', 'price (USD per A)', 'price (USD per ETH)']);
    expect(await attr(page, '#timeline .main canvas', 'data-series')).toBe('2');
    const panel = '#timeline .unit-panel[data-unit=\'"1" per U\']';
    expect(await page.locator(`${panel} .axis-label-left`).textContent()).toBe('price ("1" per U)');
    expect(await attr(page, `${panel} canvas`, 'data-series')).toBe('1');
    // The triad's line where its own axis puts its price (it moves with A: not flat).
    const csv = blocksCsv(dir);
    const triad = csv.rows.map((r) => r[csv.header.indexOf('triad_price')]!);
    expect(Math.max(...triad) / Math.min(...triad)).toBeGreaterThan(1.1);
    const ys = linear(await ticks(page, `${panel} .axis-left`));
    const xs = linear(await ticks(page, `${panel} .axis-bottom`));
    for (const b of [3, 5]) {
      const rows = rowsOf(await canvasColumn(page, `${panel} canvas`, Math.round(xs(b))), '#009E73', 60, 100);
      expect(rows.length, `block ${b}`).toBeGreaterThan(0);
      expect(Math.min(...rows.map((y) => Math.abs(y - ys(triad[b - 1]!)))), `block ${b}`).toBeLessThanOrEqual(2);
    }
    const xsAll = await Promise.all(['#timeline .main', panel, '#timeline .overview', '#pnl .pnl-chart'].map((ch) => blockX(page, ch, 5)));
    expect(Math.max(...xsAll) - Math.min(...xsAll)).toBeLessThanOrEqual(1);
    expect(errors).toEqual([]);
  });
});

describe.skipIf(!hasChromium)(`the desk view${SKIP_NOTE}`, () => {
  it('screenshot of the default scenario at a desk’s width', async () => {
    const { page, errors } = await open(url(day), 1280, 900);
    expect(errors).toEqual([]);
    await screenshot(page, 'viewer-desk');
    toDocs('viewer-desk');
  });
});

const SWEEP = (scenario: string): string => `name: log-sweep
scenario: ${JSON.stringify(scenario)}
set: [duration=30m]
seed: 1
replicates: 2
parameters:
  agents.noise.medianUsd: { values: [100, 1000, 10000] }
  agents.arb.bid.share: { values: [0.3, 0.6] }
metrics:
  lp_fees: agents.lp.pnl.fees
baseline: { agents.noise.medianUsd: 1000, agents.arb.bid.share: 0.3 }
`;

describe.skipIf(!hasChromium)(`sweep.html${SKIP_NOTE}`, () => {
  it('log-spaced values get a log axis; the paired difference is shown first; the baseline is marked', async () => {
    const dir = temp();
    const file = write(dir, 'log.yaml', SWEEP(join(ROOT, 'scenarios', 'library', 'minimal.yaml')));
    const out = join(dir, 'out');
    const r = hedgesim(['sweep', file, '--out', out, '--workers', '2', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const { page, errors } = await open(url(out, 'sweep.html'));
    expect(await page.locator('select.which').inputValue()).toBe('diff');
    await page.selectOption('select.param-x', 'agents.noise.medianUsd');
    const chart = page.locator('svg.line-chart');
    expect(await chart.getAttribute('data-x-scale')).toBe('log');
    expect(await chart.locator('.axis-label').first().textContent()).toMatch(/log scale$/);
    // Equal steps for equal ratios: 100 → 1,000 as wide as 1,000 → 10,000.
    const px = await chart.locator('circle.mean-point').evaluateAll((cs) => [...new Set(cs.map((c) => Number(c.getAttribute('cx'))))].sort((a, b) => a - b));
    expect(px).toHaveLength(3);
    expect(Math.abs(px[1]! - px[0]! - (px[2]! - px[1]!))).toBeLessThanOrEqual(0.5);
    // The baseline (medianUsd 1,000, share 0.3): ringed on its line, outlined in the heatmap.
    const sweep = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as { baseline: number };
    expect(await chart.locator('g.baseline-mark').getAttribute('data-point')).toBe(String(sweep.baseline));
    expect(await page.locator('svg.heatmap g.baseline-mark').getAttribute('data-point')).toBe(String(sweep.baseline));
    // A linear parameter stays linear.
    await page.selectOption('select.param-x', 'agents.arb.bid.share');
    expect(await page.locator('svg.line-chart').getAttribute('data-x-scale')).toBe('linear');
    await screenshot(page, 'sweep-log-axis');
    expect(errors).toEqual([]);
  });
});
