/**
 * report.html in headless chromium: the charts drawn from the default scenario (counts and exact
 * values), brush and zoom, picking a block by click and by keys, a sandwich in the inspector, a
 * damaged file, and hostile names shown as text. Screenshots go to test-artifacts/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportHtml } from '../../cli/report';
import { tempDirs } from '../cli/helpers';
import { hasChromium, launch, newPage, rendered, screenshot, SKIP_NOTE, type Session } from './browser';
import { blocksCsv, reportData, run, transactions, url, write, type TxLine } from './fixtures';

const temp = tempDirs();
let session: Session;
let def: string;

beforeAll(async () => {
  if (!hasChromium) return;
  def = run('scenarios/default.yaml', temp(), ['--record', 'full', '--set', 'duration=2h']);
  session = await launch();
});
afterAll(async () => {
  await session?.close();
});

async function open(target: string): Promise<{ page: Page; errors: string[]; dialogs: string[] }> {
  const p = await newPage(session);
  await p.page.goto(target);
  await rendered(p.page);
  return p;
}

const attr = async (page: Page, selector: string, name: string): Promise<string> => (await page.getAttribute(selector, name)) ?? '';
const domain = async (page: Page): Promise<[number, number]> => (await attr(page, '#timeline', 'data-domain')).split(',').map(Number) as [number, number];

/** The marker kind of a transaction (the rule the timeline's lanes follow). */
function kind(t: TxLine): string | undefined {
  if (t.block < 1 || t.status === 'dropped') return undefined;
  if (t.status === 'reverted') return 'revert';
  if (t.tag === 'rebalance') return 'rebalance';
  if (t.tag.startsWith('sandwich-')) return 'sandwich';
  if (t.tag === 'arbitrage' || t.tag === 'backrun') return 'arbitrage';
  return undefined;
}

describe.skipIf(!hasChromium)(`report.html of the default scenario${SKIP_NOTE}`, () => {
  it('draws every panel with the right series, markers, agents and exact values', async () => {
    const { page, errors } = await open(url(def));
    const summary = JSON.parse(readFileSync(join(def, 'summary.json'), 'utf8')) as { agents: { id: string; pnl: { total: number } }[] };
    // Prices: the reference, the pool and the triad, with units on the axes.
    expect(await page.locator('#timeline .price-legend .legend-item').allTextContents()).toEqual(['reference ETH', 'pool (cpmm)', 'triad (triad marginal price)']);
    expect(await attr(page, '#timeline .main canvas', 'data-series')).toBe('3');
    expect(Number(await attr(page, '#timeline .main canvas', 'data-points'))).toBeGreaterThan(1000);
    expect(await page.locator('#timeline .main .axis-label').allTextContents()).toEqual(['block', 'price (USD per ETH)', 'price ("1" per sqrtETH)']);
    expect(await page.locator('#gas .axis-label').allTextContents()).toEqual(['block', 'base fee (gwei per gas)', 'gas per block (gas)']);
    // Marker lanes: as many transactions of each kind as the log has.
    const txs = transactions(def);
    for (const k of ['rebalance', 'sandwich', 'arbitrage', 'revert']) {
      const expected = txs.filter((t) => kind(t) === k).length;
      expect(Number(await attr(page, `#timeline g.markers[data-kind="${k}"]`, 'data-total')), k).toBe(expected);
    }
    expect(txs.filter((t) => kind(t) === 'sandwich').length).toBeGreaterThan(0);
    // P&L: one line and one legend item per agent; the decomposition of a hedger.
    const ids = summary.agents.map((a) => a.id);
    expect(await page.locator('#pnl .legend-item').allTextContents()).toEqual(ids);
    expect((await attr(page, '#pnl canvas', 'data-agents')).split('\n')).toEqual(ids);
    expect(await attr(page, '#decomposition', 'data-agent')).toBe('holder');
    expect(await page.locator('#decomposition path.band').count()).toBe((await attr(page, '#decomposition', 'data-components')).split(' ').length);
    // Summary table: one row per agent, each total the summary's to the last digit (in the title).
    expect(await page.locator('#summary tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-agent')))).toEqual(ids);
    const totals = await page.locator('#summary tbody tr td:nth-child(3)').evaluateAll((tds) => tds.map((td) => td.getAttribute('title')));
    expect(totals).toEqual(summary.agents.map((a) => String(a.pnl.total)));
    // Tooltip: the exact values of the block under the pointer.
    const box = (await page.locator('#timeline .main rect.zoom').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const tip = await page.locator('.tooltip div').allTextContents();
    const block = Number(/^block (\d+)/.exec(tip[0]!)![1]);
    const csv = blocksCsv(def);
    const row = csv.rows[block - 1]!;
    expect(tip).toContain(`reference ETH: ${row[csv.header.indexOf('ref_ETH')]} USD per ETH`);
    expect(tip).toContain(`pool (cpmm): ${row[csv.header.indexOf('pool_price')]} USD per ETH`);
    await screenshot(page, 'report-default');
    expect(errors).toEqual([]);
  });

  it('brushing the overview and zooming the chart change the block range of every panel', async () => {
    const { page } = await open(url(def));
    expect(await domain(page)).toEqual([1, 3600]);
    const ov = (await page.locator('#timeline .overview g.brush rect.overlay').boundingBox())!;
    const y = ov.y + ov.height / 2;
    await page.mouse.move(ov.x + ov.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(ov.x + ov.width * 0.4, y, { steps: 4 });
    await page.mouse.move(ov.x + ov.width * 0.5, y, { steps: 4 });
    await page.mouse.up();
    const [a, b] = await domain(page);
    expect(a).toBeCloseTo(1 + 0.3 * 3599, -1);
    expect(b).toBeCloseTo(1 + 0.5 * 3599, -1);
    // Every panel follows: the P&L chart's first tick is inside the new range.
    await page.waitForFunction(() => true);
    const firstTick = Number((await page.locator('#pnl .axis-bottom .tick text').first().textContent())!.replace(/,/g, ''));
    expect(firstTick).toBeGreaterThanOrEqual(a);
    // Wheel zoom on the main chart narrows the range around the pointer; the brush follows.
    const main = (await page.locator('#timeline .main rect.zoom').boundingBox())!;
    await page.mouse.move(main.x + main.width / 2, main.y + main.height / 2);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction(([w]) => {
      const [lo, hi] = (document.querySelector('#timeline')!.getAttribute('data-domain') ?? '').split(',').map(Number);
      return hi! - lo! < w! * 0.8;
    }, [b - a]);
    const [c, d] = await domain(page);
    expect(c).toBeGreaterThan(a);
    expect(d).toBeLessThan(b);
    const sel = (await page.locator('#timeline .overview g.brush rect.selection').boundingBox())!;
    expect(sel.width).toBeLessThan(ov.width * 0.2);
    await screenshot(page, 'report-zoomed');
  });

  it('clicking a block shows its transactions in execution order with their tags; arrow keys step', async () => {
    const txs = transactions(def);
    const byBlock = new Map<number, TxLine[]>();
    for (const t of txs) if (t.block > 0) byBlock.set(t.block, [...(byBlock.get(t.block) ?? []), t]);
    // A block with at least three transactions, one of them reverted, and no bundle.
    const [block, list] = [...byBlock].find(([b, l]) => b > 30 && b < 3570 && l.length >= 3 && l.some((t) => t.status === 'reverted') && l.every((t) => t.bundle === null))!;
    const { page } = await open(url(def));
    // Brush a narrow range around it, then click it on the main chart.
    const ov = (await page.locator('#timeline .overview g.brush rect.overlay').boundingBox())!;
    const at = (b: number): number => ov.x + ((b - 1) / 3599) * ov.width;
    await page.mouse.move(at(block - 15), ov.y + 10);
    await page.mouse.down();
    await page.mouse.move(at(block + 15), ov.y + 10, { steps: 5 });
    await page.mouse.up();
    const [a, b] = await domain(page);
    const main = (await page.locator('#timeline .main rect.zoom').boundingBox())!;
    await page.mouse.click(main.x + ((block - a) / (b - a)) * main.width, main.y + main.height / 2);
    await page.waitForSelector(`#inspector[data-block="${block}"]`);
    const rows = page.locator('#inspector table.txs tr.tx');
    const sorted = [...list].sort((x, y) => x.position - y.position);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-position'))))).toEqual(sorted.map((t) => t.position));
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-tags')))).toEqual(sorted.map((t) => [t.tag, ...(t.status === 'reverted' ? ['revert'] : [])].join(' ')));
    expect(await page.locator('#inspector table.txs td.sender').allTextContents()).toEqual(sorted.map((t) => t.agent));
    expect(await page.locator('#inspector table.txs .tag[data-tag="revert"]').count()).toBe(sorted.filter((t) => t.status === 'reverted').length);
    expect(await page.locator('#inspector table.mempool tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, 'report-inspector');
    // Keys: → one block, Shift+→ the next block with transactions, ← back.
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector(`#inspector[data-block="${block + 1}"]`);
    const busy = [...byBlock.keys()].sort((x, y) => x - y);
    const next = busy.find((x) => x > block + 1)!;
    await page.keyboard.press('Shift+ArrowRight');
    await page.waitForSelector(`#inspector[data-block="${next}"]`);
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector(`#inspector[data-block="${next - 1}"]`);
    expect(new URL(page.url()).hash).toBe(`#block=${next - 1}`);
  });

  it('sorts the agents table by a column', async () => {
    const { page } = await open(url(def));
    const summary = JSON.parse(readFileSync(join(def, 'summary.json'), 'utf8')) as { agents: { id: string; pnl: { total: number } }[] };
    await page.click('#summary th[data-key="total"] button');
    const order = [...summary.agents].sort((x, y) => y.pnl.total - x.pnl.total).map((x) => x.id);
    expect(await page.locator('#summary tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-agent')))).toEqual(order);
    expect(await attr(page, '#summary th[data-key="total"]', 'aria-sort')).toBe('descending');
    await page.click('#summary th[data-key="total"] button');
    expect(await page.locator('#summary tbody tr').first().getAttribute('data-agent')).toBe(order.at(-1));
  });

  it('legend toggles and the kind filter change the lines drawn', async () => {
    const { page } = await open(url(def));
    await page.click('#pnl .legend-item[data-key="retail"]');
    expect(await attr(page, '#pnl .legend-item[data-key="retail"]', 'aria-pressed')).toBe('false');
    expect(await attr(page, '#pnl canvas', 'data-agents')).not.toContain('retail');
    await page.selectOption('#pnl select.kind-filter', 'arbitrageur');
    expect((await attr(page, '#pnl canvas', 'data-agents')).split('\n')).toEqual(['arb-1', 'arb-2']);
    await page.click('#timeline .legend-item[data-key="triad_price"]');
    await page.waitForFunction(() => document.querySelector('#timeline .main canvas')?.getAttribute('data-series') === '2');
  });
});

describe.skipIf(!hasChromium)(`report.html of a sandwich scenario${SKIP_NOTE}`, () => {
  it('shows the front leg, the victim and the back leg of a sandwich in order, grouped as one bundle', async () => {
    const dir = run('scenarios/library/front-running.yaml', temp(), ['--record', 'full']);
    const front = transactions(dir).find((t) => t.tag === 'sandwich-front' && t.status === 'included')!;
    const { page } = await open(`${url(dir)}#block=${front.block}`);
    expect(await attr(page, '#inspector', 'data-block')).toBe(String(front.block));
    const bundle = page.locator(`#inspector tbody.bundle[data-bundle="${front.bundle}"] tr.tx`);
    expect(await bundle.count()).toBe(3);
    const tags = await bundle.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('.tag'), (s) => s.textContent)));
    expect(tags[0]).toEqual(['sandwich-front']);
    expect(tags[1]).toContain('victim');
    expect(tags[2]).toEqual(['sandwich-back']);
    const senders = await bundle.evaluateAll((trs) => trs.map((tr) => tr.querySelector('.sender')!.textContent));
    expect(senders[0]).toBe(front.agent);
    expect(senders[2]).toBe(front.agent);
    expect(senders[1]).not.toBe(front.agent);
    await screenshot(page, 'report-sandwich');
  });
});

describe.skipIf(!hasChromium)(`report.html with damaged or hostile data${SKIP_NOTE}`, () => {
  it('a truncated or malformed file shows a clear message instead of a blank page', async () => {
    const html = readFileSync(join(def, 'report.html'), 'utf8');
    const dir = temp();
    const cut = write(dir, 'truncated.html', html.slice(0, Math.floor(html.length * 0.6)));
    const bad = write(dir, 'malformed.html', html.replace('"columns":["block"', '"columns":{["block"'));
    for (const [file, name] of [[cut, 'report-truncated'], [bad, 'report-malformed']] as const) {
      const { page, errors } = await open(`file://${file}`);
      expect(await attr(page, '#app', 'data-rendered')).toBe('error');
      const alert = page.locator('#app .error[role="alert"]');
      expect(await alert.locator('h2').textContent()).toBe('Cannot show this report');
      expect(await alert.locator('p').textContent()).toMatch(/malformed or truncated/);
      expect(errors).toEqual([]);
      await screenshot(page, name);
    }
  });

  it('an agent named <img src=x onerror=alert(1)> and a hostile tag are shown as text, never run', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const tag = '<script>alert(2)</script>';
    const json = JSON.stringify(reportData(def)).replaceAll('"retail"', JSON.stringify(hostile)).replaceAll('pnl_retail', `pnl_${hostile.replaceAll('"', '\\"')}`).replaceAll('"noise"', JSON.stringify(tag));
    const dir = temp();
    const file = write(dir, 'hostile.html', reportHtml('hedgesim — hostile', JSON.parse(json)));
    const noise = transactions(def).find((t) => t.agent === 'retail' && t.block > 0)!;
    const { page, errors, dialogs } = await open(`file://${file}#block=${noise.block}`);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#app script').count()).toBe(0);
    expect(await page.locator('#summary tbody tr td:first-child').allTextContents()).toContain(hostile);
    expect(await page.locator('#pnl .legend-item').allTextContents()).toContain(hostile);
    expect(await page.locator('#inspector td.sender').allTextContents()).toContain(hostile);
    expect(await page.locator('#inspector .tag').allTextContents()).toContain(tag);
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await screenshot(page, 'report-hostile');
  });

  it('a run recorded without transactions, or with the summary only, still opens', async () => {
    const blocksOnly = run('scenarios/library/minimal.yaml', temp(), ['--set', 'duration=1h']);
    const { page } = await open(url(blocksOnly));
    expect(await page.locator('#inspector .note').first().textContent()).toMatch(/--record full/);
    expect(Number(await attr(page, '#timeline g.markers[data-kind="revert"]', 'data-total'))).toBeGreaterThanOrEqual(0);
    const summaryOnly = run('scenarios/library/minimal.yaml', temp(), ['--set', 'duration=1h', '--record', 'summary']);
    const s = await open(url(summaryOnly));
    expect(await s.page.locator('#timeline').count()).toBe(0);
    expect(await s.page.locator('#summary tbody tr').count()).toBe(3);
  });
});
