/**
 * report.html in headless chromium: the charts drawn from the default scenario (lines where
 * blocks.csv and pnl.csv put them on the canvas, counts, exact values in tooltips), brush, zoom and
 * pan, picking a block by click, marker, keys and the block field, legend toggles, the symlog P&L
 * scale, a sandwich in the inspector, a run recorded without transactions, a damaged file, and
 * hostile names shown as text. Screenshots go to test-artifacts/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportHtml } from '../../cli/report';
import { tempDirs } from '../cli/helpers';
import { hasChromium, launch, openRendered, screenshot, SKIP_NOTE, type Session } from './browser';
import { canvasColumn, countColour, linear, rowsOf, ticks } from './canvas';
import { blocksCsv, mempool, pnlCsv, reportData, run, transactions, url, write, type TxLine } from './fixtures';
import { clock, num } from '../../viz/ui/format';

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

const open = (target: string) => openRendered(session, target);

const attr = async (page: Page, selector: string, name: string): Promise<string> => (await page.getAttribute(selector, name)) ?? '';
const domain = async (page: Page): Promise<[number, number]> => (await attr(page, '#timeline', 'data-domain')).split(',').map(Number) as [number, number];

/** A column of blocks.csv by name. */
function csvColumn(csv: ReturnType<typeof blocksCsv>, name: string): number[] {
  const j = csv.header.indexOf(name);
  expect(j, name).toBeGreaterThanOrEqual(0);
  return csv.rows.map((r) => r[j]!);
}

/** Drag on the overview from block `lo` to block `hi` (a run of blocks 1…`last`); resolves with the new range. */
async function brushTo(page: Page, lo: number, hi: number, last: number): Promise<[number, number]> {
  const ov = (await page.locator('#timeline .overview g.brush rect.overlay').boundingBox())!;
  const at = (b: number): number => ov.x + ((b - 1) / (last - 1)) * ov.width;
  const before = await attr(page, '#timeline', 'data-domain');
  await page.mouse.move(at(lo), ov.y + ov.height / 2);
  await page.mouse.down();
  await page.mouse.move((at(lo) + at(hi)) / 2, ov.y + ov.height / 2, { steps: 4 });
  await page.mouse.move(at(hi), ov.y + ov.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction((b) => document.querySelector('#timeline')?.getAttribute('data-domain') !== b, before);
  return domain(page);
}

/** Hover a chart at a fraction of its width: the tooltip's lines, and the block they are about. */
async function hoverMiddle(page: Page, chart: string, at = 0.5): Promise<{ block: number; tip: string[] }> {
  await page.locator(`${chart} rect.zoom`).scrollIntoViewIfNeeded();
  const box = (await page.locator(`${chart} rect.zoom`).boundingBox())!;
  await page.mouse.move(box.x + box.width * at, box.y + box.height / 2);
  const tip = await page.locator('.tooltip div').allTextContents();
  return { block: Number(/block ([\d,]+)/.exec(tip[0]!)![1]!.replace(/,/g, '')), tip };
}

/**
 * A decomposition band path (d3.area, straight segments): its upper edge, one point per sample,
 * then its lower edge back; returns the upper edge's y pixels.
 */
function upperEdge(d: string): number[] {
  const pts = [...d.matchAll(/[ML]([-\d.e]+),([-\d.e]+)/g)].map((m) => Number(m[2]));
  return pts.slice(0, pts.length / 2);
}

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
    const summary = JSON.parse(readFileSync(join(def, 'summary.json'), 'utf8')) as { agents: { id: string; pnl: { total: number; edge: number; hold: number } }[] };
    const csv = blocksCsv(def);
    // Prices: the reference, the pool and the triad, with units on the axes.
    expect(await page.locator('#timeline .price-legend .legend-item').allTextContents()).toEqual(['reference ETH', 'pool (cpmm)', 'triad (triad marginal price)']);
    expect(await attr(page, '#timeline .main canvas', 'data-series')).toBe('3');
    expect(await page.locator('#timeline .main .axis-label').allTextContents()).toEqual(['block', 'price (USD per ETH)', 'price ("1" per sqrtETH)']);
    expect(await page.locator('#gas .gas-chart .axis-label').allTextContents()).toEqual(['block', 'base fee (gwei per gas)', 'gas per block (gas)']);
    expect(await page.locator('#gas .sim-gas-chart .axis-label').allTextContents()).toEqual(['block', 'simulation (gas)']);
    // Block axes: whole blocks with separators (1,000, never 1k or 1.5k).
    const blockLabels = await page.locator('#timeline .main .axis-bottom .tick text').allTextContents();
    expect(blockLabels.some((l) => l.includes(','))).toBe(true);
    for (const l of blockLabels) expect(l).toMatch(/^\d{1,3}(,\d{3})*$/);
    // The reference line is on the canvas where blocks.csv puts it, read through the axes as drawn:
    // in the plot, each sampled column holds the reference colour only around its price.
    const xs = linear(await ticks(page, '#timeline .main .axis-bottom'));
    const yTicks = await ticks(page, '#timeline .main .axis-left');
    const ys = linear(yTicks);
    const ref = csvColumn(csv, 'ref_ETH');
    const [plotTop, plotBottom] = [Math.min(...yTicks.map((t) => t.px)), Math.max(...yTicks.map((t) => t.px))];
    for (const b of [400, 1200, 2000, 2800, 3400]) {
      const rows = rowsOf(await canvasColumn(page, '#timeline .main canvas', Math.round(xs(b))), '#0072B2').filter((y) => y >= plotTop && y <= plotBottom);
      expect(rows.length, `block ${b}`).toBeGreaterThan(0);
      for (const y of rows) expect(Math.abs(y - ys(ref[b - 1]!)), `block ${b}`).toBeLessThanOrEqual(6);
    }
    // Marker lanes: as many transactions of each kind as the log has.
    const txs = transactions(def);
    for (const k of ['rebalance', 'sandwich', 'arbitrage', 'revert']) {
      const expected = txs.filter((t) => kind(t) === k).length;
      expect(Number(await attr(page, `#timeline g.markers[data-kind="${k}"]`, 'data-total')), k).toBe(expected);
    }
    expect(txs.filter((t) => kind(t) === 'sandwich').length).toBeGreaterThan(0);
    // P&L: one line and one legend item per agent, best edge first.
    const ids = [...summary.agents].sort((a, b) => b.pnl.edge - a.pnl.edge).map((a) => a.id);
    expect(await page.locator('#pnl .pnl-legend .legend-item').allTextContents()).toEqual(ids);
    expect((await attr(page, '#pnl canvas', 'data-agents')).split('\n')).toEqual(ids);
    expect(await attr(page, '#decomposition', 'data-agent')).toBe('holder');
    // Summary table: one row per agent, sorted by edge, led by edge and hold, then the total, each the summary's to the last digit (in the title).
    expect(await page.locator('#summary tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-agent')))).toEqual(ids);
    const byId = new Map(summary.agents.map((a) => [a.id, a]));
    const column = (n: number) => page.locator(`#summary tbody tr td:nth-child(${n})`).evaluateAll((tds) => tds.map((td) => td.getAttribute('title')));
    expect(await column(3)).toEqual(ids.map((id) => String(byId.get(id)!.pnl.edge)));
    expect(await column(4)).toEqual(ids.map((id) => String(byId.get(id)!.pnl.hold)));
    expect(await column(5)).toEqual(ids.map((id) => String(byId.get(id)!.pnl.total)));
    // Tooltips: the values of the block under the pointer as the tables write them (separators,
    // six significant digits, units), the block's time and clock, on the prices, the gas and the P&L.
    const at = (b: number, name: string): number => csv.rows[b - 1]![csv.header.indexOf(name)]!;
    const head = (b: number): string => `block ${num(b)}, t = ${num(at(b, 'time'))} s (${clock(at(b, 'time'))})`;
    const main = await hoverMiddle(page, '#timeline .main');
    expect(main.tip[0]).toBe(head(main.block));
    expect(main.tip[0]).toMatch(/^block [\d,]+, t = [\d,]+ s \(\d+d \d\d:\d\d:\d\d\)$/);
    expect(main.tip).toContain(`reference ETH: ${num(at(main.block, 'ref_ETH'))} USD per ETH`);
    expect(main.tip).toContain(`pool (cpmm): ${num(at(main.block, 'pool_price'))} USD per ETH`);
    expect(num(at(main.block, 'ref_ETH'))).toMatch(/^\d,\d{3}\.\d{1,2}$/);
    const gas = await hoverMiddle(page, '#gas .gas-chart', 0.3);
    const total = at(gas.block, 'gas_used') + at(gas.block, 'background_gas');
    expect(gas.tip).toEqual([
      head(gas.block),
      `base fee: ${num(at(gas.block, 'base_fee_gwei'))} gwei per gas`,
      `gas used by the simulation: ${num(at(gas.block, 'gas_used'))} gas`,
      `background gas: ${num(at(gas.block, 'background_gas'))} gas`,
      `block gas: ${num(total)} gas (${num((100 * total) / 15e6)} % of the target)`,
    ]);
    // Edge (from pnl.csv, every block for a run this short) by default.
    const p = pnlCsv(def);
    const pc = (name: string): number => p.header.indexOf(name);
    const pnl = await hoverMiddle(page, '#pnl', 0.7);
    const edgeAt = (id: string, b: number): number => p.rows.find((r) => r[pc('agent')] === id && r[pc('block')] === b)![pc('edge')] as number;
    expect(pnl.tip).toEqual([head(pnl.block), ...ids.map((id) => `${id}: edge ${num(edgeAt(id, pnl.block))} USD`)]);
    await screenshot(page, 'report-default');
    expect(errors).toEqual([]);
  });

  it('decomposes an LP’s edge as pnl.csv does: trading, fees and LVR stacked (hold a line of its own), the stack’s top the sum of the positive parts', async () => {
    const { page } = await open(url(def));
    await page.selectOption('#decomposition select.agent-select', 'lp');
    await page.waitForSelector('#decomposition[data-agent="lp"]');
    const pnl = pnlCsv(def);
    const col = (name: string): number => pnl.header.indexOf(name);
    const rows = pnl.rows.filter((r) => r[col('agent')] === 'lp') as number[][];
    const parts = ['hold', 'trading', 'fees', 'lvr', 'swapFees', 'gas', 'cex', 'mev', 'options'];
    // The stack is the edge's: the activity's parts, not the holding (a line of its own, off at first).
    const active = parts.filter((c) => c !== 'hold' && rows.some((r) => r[col(c)] !== 0));
    expect(active).toEqual(expect.arrayContaining(['trading', 'fees', 'lvr']));
    expect(rows.some((r) => r[col('hold')] !== 0)).toBe(true);
    expect(await attr(page, '#decomposition', 'data-components')).toBe(active.join(' '));
    expect(await attr(page, '#decomposition', 'data-lines')).toBe('edge');
    expect(await page.locator('#decomposition .decomp-legend .legend-item').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-key')))).toEqual(['edge', ...active, 'hold', 'total']);
    expect(await page.locator('#decomposition .sampling').textContent()).toMatch(/^From pnl\.csv, every block\./);
    /** The top of the stack at each sample, as drawn, against the sum of the positive parts shown. */
    const checkTop = async (shown: string[]): Promise<void> => {
      const bands = page.locator('#decomposition path.band');
      expect(await bands.evaluateAll((ps) => ps.map((p) => p.getAttribute('data-component')))).toEqual(shown);
      const edges = (await bands.evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? ''))).map(upperEdge);
      const ys = linear(await ticks(page, '#decomposition .axis-left'));
      for (const e of edges) expect(e).toHaveLength(rows.length);
      rows.forEach((r, i) => {
        const positive = shown.reduce((s, c) => s + Math.max(0, r[col(c)]!), 0);
        const top = Math.min(...edges.map((e) => e[i]!));
        // Within a pixel: d3's axis offsets its ticks by half a pixel for crisp lines.
        expect(Math.abs(top - ys(positive)), `sample ${i} (block ${r[col('block')]})`).toBeLessThanOrEqual(1);
      });
    };
    await checkTop(active);
    // The tooltip gives the sampled block's exact parts.
    const { tip } = await hoverMiddle(page, '#decomposition', 0.6);
    const block = Number(/^block ([\d,]+), t = /.exec(tip[0]!)![1]!.replace(/,/g, ''));
    const row = rows.find((r) => r[col('block')] === block)!;
    const usdOf = (v: number): string => `${num(v)} USD`;
    expect(tip.slice(1)).toEqual([
      'lp',
      `edge: ${usdOf(row[col('edge')]!)}`,
      ...active.map((c) => `${{ trading: 'trading / hedge P&L', fees: 'fees', lvr: 'LVR', swapFees: 'swap fees paid', gas: 'gas', cex: 'CEX costs', mev: 'MEV', options: 'options' }[c]}: ${usdOf(row[col(c)]!)}`),
      `hold: ${usdOf(row[col('hold')]!)}`,
      `total: ${usdOf(row[col('total')]!)}`,
    ]);
    // Legend: hiding the fees takes their band off the stack.
    await page.click('#decomposition .legend-item[data-key="fees"]');
    await page.waitForFunction(() => !(document.querySelector('#decomposition')?.getAttribute('data-components') ?? 'fees').includes('fees'));
    await checkTop(active.filter((c) => c !== 'fees'));
    await screenshot(page, 'report-decomposition-lp', false);
  });

  it('brushing the overview, zooming and dragging the chart change the block range of every panel', async () => {
    const { page } = await open(url(def));
    expect(await domain(page)).toEqual([1, 3600]);
    const [a, b] = await brushTo(page, 1 + 0.3 * 3599, 1 + 0.5 * 3599, 3600);
    expect(a).toBeCloseTo(1 + 0.3 * 3599, -1);
    expect(b).toBeCloseTo(1 + 0.5 * 3599, -1);
    // Every panel redraws for the new range: its domain, and the block ticks on its axis.
    const followed = async (range: string): Promise<void> => {
      await page.waitForFunction((r) => ['#gas', '#pnl', '#decomposition'].every((s) => document.querySelector(s)?.getAttribute('data-domain') === r), range);
      const [lo, hi] = range.split(',').map(Number) as [number, number];
      for (const panel of ['#gas', '#pnl', '#decomposition']) {
        const t = (await ticks(page, `${panel} .axis-bottom`)).map((x) => x.value);
        expect(t.length, panel).toBeGreaterThan(1);
        expect(Math.min(...t), panel).toBeGreaterThanOrEqual(lo);
        expect(Math.max(...t), panel).toBeLessThanOrEqual(hi);
      }
    };
    await followed(await attr(page, '#timeline', 'data-domain'));
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
    const ov = (await page.locator('#timeline .overview g.brush rect.overlay').boundingBox())!;
    const sel = (await page.locator('#timeline .overview g.brush rect.selection').boundingBox())!;
    expect(sel.width).toBeLessThan(ov.width * 0.2);
    await followed(await attr(page, '#timeline', 'data-domain'));
    await screenshot(page, 'report-zoomed');
    // Drag to pan: 200 px to the right shows the blocks 200 px' worth earlier, same width.
    await page.mouse.move(main.x + main.width / 2, main.y + main.height / 2);
    await page.mouse.down();
    await page.mouse.move(main.x + main.width / 2 + 100, main.y + main.height / 2, { steps: 4 });
    await page.mouse.move(main.x + main.width / 2 + 200, main.y + main.height / 2, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction((w) => document.querySelector('#timeline')?.getAttribute('data-domain') !== w, `${c},${d}`);
    const [e, f] = await domain(page);
    const shift = (200 * (d - c)) / main.width;
    expect(Math.abs(e - (c - shift))).toBeLessThan(1);
    expect(Math.abs(f - (d - shift))).toBeLessThan(1);
    await followed(await attr(page, '#timeline', 'data-domain'));
  });

  it('clicking a block shows its transactions in execution order with their tags; arrow keys, Home and End step', async () => {
    const txs = transactions(def);
    const byBlock = new Map<number, TxLine[]>();
    for (const t of txs) if (t.block > 0) byBlock.set(t.block, [...(byBlock.get(t.block) ?? []), t]);
    // A block with at least three transactions, one of them reverted, and no bundle.
    const [block, list] = [...byBlock].find(([b, l]) => b > 30 && b < 3570 && l.length >= 3 && l.some((t) => t.status === 'reverted') && l.every((t) => t.bundle === null))!;
    const { page } = await open(url(def));
    // Brush a narrow range around it, then click it on the main chart.
    const [a, b] = await brushTo(page, block - 15, block + 15, 3600);
    const main = (await page.locator('#timeline .main rect.zoom').boundingBox())!;
    await page.mouse.click(main.x + ((block - a) / (b - a)) * main.width, main.y + main.height / 2);
    await page.waitForSelector(`#inspector[data-block="${block}"]`);
    const rows = page.locator('#inspector table.txs tr.tx');
    const sorted = [...list].sort((x, y) => x.position - y.position);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-position'))))).toEqual(sorted.map((t) => t.position));
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-tags')))).toEqual(sorted.map((t) => [t.tag, ...(t.status === 'reverted' ? ['revert'] : [])].join(' ')));
    expect(await page.locator('#inspector table.txs td.sender').allTextContents()).toEqual(sorted.map((t) => t.agent));
    expect(await page.locator('#inspector table.txs .tag[data-tag="revert"]').count()).toBe(sorted.filter((t) => t.status === 'reverted').length);
    // Gas as a whole number with separators, the exact value in the title.
    const full = JSON.parse(readFileSync(join(def, 'transactions.jsonl'), 'utf8').split('\n').find((l) => l.includes(`"id":${sorted[0]!.id},`))!) as { gasUsed: number };
    expect(await rows.first().locator('td.gas').getAttribute('title')).toBe(String(full.gasUsed));
    expect(await rows.first().locator('td.gas').textContent()).toBe(full.gasUsed.toLocaleString('en-US'));
    expect(await page.locator('#inspector table.mempool tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, 'report-inspector');
    // Keys: → one block, Shift+→ the next block with transactions, ← back, End and Home.
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector(`#inspector[data-block="${block + 1}"]`);
    const busy = [...byBlock.keys()].sort((x, y) => x - y);
    const next = busy.find((x) => x > block + 1)!;
    await page.keyboard.press('Shift+ArrowRight');
    await page.waitForSelector(`#inspector[data-block="${next}"]`);
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector(`#inspector[data-block="${next - 1}"]`);
    expect(new URL(page.url()).hash).toBe(`#block=${next - 1}`);
    await page.keyboard.press('End');
    await page.waitForSelector('#inspector[data-block="3600"]');
    // The selected block is kept in view: the range moves to show it.
    await page.waitForFunction(() => document.querySelector('#timeline')?.getAttribute('data-domain')?.endsWith(',3600'));
    await page.keyboard.press('Home');
    await page.waitForSelector('#inspector[data-block="1"]');
    await page.waitForFunction(() => document.querySelector('#timeline')?.getAttribute('data-domain')?.startsWith('1,'));
  });

  it('a marker opens its block: the lane’s tooltip gives the block and count, a click selects it', async () => {
    const txs = transactions(def);
    const front = txs.find((t) => t.tag === 'sandwich-front' && t.status === 'included' && t.block > 30 && t.block < 3570)!;
    const legs = txs.filter((t) => t.block === front.block && kind(t) === 'sandwich').length;
    const { page } = await open(url(def));
    const [a, b] = await brushTo(page, front.block - 15, front.block + 15, 3600);
    const lane = (await page.locator('#timeline g.markers[data-kind="sandwich"] rect.lane').boundingBox())!;
    const x = lane.x + ((front.block - a) / (b - a)) * lane.width;
    await page.mouse.move(x, lane.y + lane.height / 2);
    expect(await page.locator('.tooltip div').allTextContents()).toEqual([`sandwich: ${legs} transaction${legs === 1 ? '' : 's'}`, `block ${front.block}`, 'click to inspect']);
    await page.mouse.click(x, lane.y + lane.height / 2);
    await page.waitForSelector(`#inspector[data-block="${front.block}"]`);
    expect(await page.locator(`#inspector tbody.bundle[data-bundle="${front.bundle}"] .tag[data-tag="sandwich-front"]`).count()).toBe(1);
  });

  it('the inspector says when a block has no transaction, and when the builder saw none', async () => {
    const busy = new Set(transactions(def).map((t) => t.block));
    const emptyBlock = [...Array(3600).keys()].map((i) => i + 1).find((b) => b > 100 && !busy.has(b))!;
    const seen = mempool(def);
    const emptyMempool = seen.find((m) => m.block > 100 && m.block !== emptyBlock && m.txs.length === 0)!.block;
    const { page } = await open(url(def));
    await page.fill('#inspector .block-input', String(emptyBlock));
    await page.press('#inspector .block-input', 'Enter');
    await page.waitForSelector(`#inspector[data-block="${emptyBlock}"]`);
    expect(await page.locator('#inspector .empty-block').textContent()).toBe('No transaction of the simulation in this block.');
    expect(await page.locator('#inspector table.txs').count()).toBe(0);
    await page.fill('#inspector .block-input', String(emptyMempool));
    await page.press('#inspector .block-input', 'Enter');
    await page.waitForSelector(`#inspector[data-block="${emptyMempool}"]`);
    expect(await page.locator('#inspector .empty-mempool').textContent()).toBe('The builder had no pending transaction of the simulation before this block.');
    expect(await page.locator('#inspector table.mempool').count()).toBe(0);
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

  it('legend toggles, the kind filter and the symlog scale change what is drawn', async () => {
    const { page } = await open(url(def));
    const csv = blocksCsv(def);
    // The P&L on a symmetric log scale: ticks at signed powers of ten, and the tracker's line
    // (thousands of USD, next to millions) where its pnl column puts it on that scale.
    await page.click('#pnl .pnl-lines .legend-item[data-key="edge"]');
    await page.click('#pnl .pnl-lines .legend-item[data-key="total"]');
    await page.waitForSelector('#pnl canvas[data-lines="total"]');
    await page.selectOption('#pnl select.pnl-scale', 'symlog');
    await page.waitForSelector('#pnl canvas[data-scale="symlog"]');
    const yt = await ticks(page, '#pnl .axis-left');
    for (const t of yt) expect(t.value === 0 || Number.isInteger(Math.log10(Math.abs(t.value))), String(t.value)).toBe(true);
    const zero = yt.find((t) => t.value === 0)!;
    const topTick = yt.at(-1)!;
    const ys = (v: number): number => zero.px + ((topTick.px - zero.px) * Math.sign(v) * Math.log1p(Math.abs(v))) / Math.log1p(topTick.value);
    const xs = linear(await ticks(page, '#pnl .axis-bottom'));
    // The tracker's total (its line on), thousands of USD next to millions.
    const tracker = csvColumn(csv, 'pnl_tracker');
    for (const b of [1000, 2500]) {
      const rows = rowsOf(await canvasColumn(page, '#pnl canvas', Math.round(xs(b))), '#56B4E9');
      expect(rows.length, `block ${b}`).toBeGreaterThan(0);
      expect(Math.min(...rows.map((y) => Math.abs(y - ys(tracker[b - 1]!)))), `block ${b}`).toBeLessThanOrEqual(2);
    }
    await screenshot(page, 'report-pnl-symlog', false);
    await page.click('#pnl .legend-item[data-key="retail"]');
    expect(await attr(page, '#pnl .legend-item[data-key="retail"]', 'aria-pressed')).toBe('false');
    expect(await attr(page, '#pnl canvas', 'data-agents')).not.toContain('retail');
    await page.selectOption('#pnl select.kind-filter', 'arbitrageur');
    // Listed by edge, best first.
    const edges = JSON.parse(readFileSync(join(def, 'summary.json'), 'utf8')) as { agents: { id: string; kind: string; pnl: { edge: number } }[] };
    const arbs = edges.agents.filter((a) => a.kind === 'arbitrageur').sort((a, b) => b.pnl.edge - a.pnl.edge).map((a) => a.id);
    expect([...arbs].sort()).toEqual(['arb-1', 'arb-2']);
    expect((await attr(page, '#pnl canvas', 'data-agents')).split('\n')).toEqual(arbs);
    // The triad's line (see-through, like every venue's) leaves the plot when toggled off (the
    // rebalance lane above it shares its colour).
    const plot = (await ticks(page, '#timeline .main .axis-left')).map((t) => t.px);
    const triad = (): Promise<number> => countColour(page, '#timeline .main canvas', '#009E73', 40, 100, [Math.min(...plot), Math.max(...plot)]);
    expect(await triad()).toBeGreaterThan(100);
    await page.click('#timeline .legend-item[data-key="triad_price"]');
    await page.waitForFunction(() => document.querySelector('#timeline .main canvas')?.getAttribute('data-series') === '2');
    expect(await triad()).toBe(0);
    // Gas: hiding the simulation's gas and then the background gas takes their bars off the canvas.
    const sim = '#0072B2';
    const back = '#BBBBBB';
    const gasCanvas = '#gas .gas-chart canvas';
    expect(await countColour(page, gasCanvas, sim)).toBeGreaterThan(0);
    expect(await countColour(page, gasCanvas, back)).toBeGreaterThan(100);
    await page.click('#gas .legend-item[data-key="sim"]');
    await page.click('#gas .legend-item[data-key="back"]');
    expect(await attr(page, '#gas .legend-item[data-key="back"]', 'aria-pressed')).toBe('false');
    expect(await countColour(page, gasCanvas, sim)).toBe(0);
    expect(await countColour(page, gasCanvas, back)).toBe(0);
    expect(await countColour(page, gasCanvas, '#D55E00')).toBeGreaterThan(0); // the base fee stays
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

  it('at --record blocks, every event lane is complete (blocks.csv’s counts) and the inspector says what needs --record full', async () => {
    // The same run as the --record full one: its lanes must count what the transaction log does.
    const dir = run('scenarios/default.yaml', temp(), ['--set', 'duration=2h']);
    const csv = blocksCsv(dir);
    const txs = transactions(def);
    const { page, errors } = await open(url(dir));
    const columns = { rebalance: 'rebalance_txs', sandwich: 'sandwich_txs', arbitrage: 'arbitrage_txs', revert: 'reverted' };
    for (const [k, c] of Object.entries(columns)) {
      const total = Number(await attr(page, `#timeline g.markers[data-kind="${k}"]`, 'data-total'));
      expect(total, k).toBe(csvColumn(csv, c).reduce((a, b) => a + b, 0));
      expect(total, k).toBe(txs.filter((t) => kind(t) === k).length);
      expect(total, k).toBeGreaterThan(0);
    }
    expect(await page.locator('#timeline .lane-note').count()).toBe(0);
    // The inspector: the block's facts and counts, each exact in its title, and a note instead of
    // the transactions and the mempool.
    const block = Number(await attr(page, '#inspector', 'data-block'));
    const names = ['time', 'base_fee_gwei', 'gas_used', 'background_gas', 'tx_count', 'reverted', 'rebalance_txs', 'sandwich_txs', 'arbitrage_txs'];
    const values = page.locator('#inspector .block-facts .value');
    expect(await values.evaluateAll((vs) => vs.map((v) => v.getAttribute('title')))).toEqual(names.map((n) => String(csvColumn(csv, n)[block - 1])));
    const fee = csvColumn(csv, 'base_fee_gwei')[block - 1]!;
    const feeText = (await values.nth(1).textContent())!;
    expect(feeText.replace(/[^\d]/g, '').replace(/^0+/, '').length).toBeLessThanOrEqual(6);
    expect(Number(feeText.replace(/,/g, ''))).toBeCloseTo(fee, 6);
    expect(await page.locator('#inspector .not-recorded').textContent()).toMatch(/--record full/);
    expect(await page.locator('#inspector h3').allTextContents()).toEqual(['Venue state', 'Transactions, in execution order']);
    // Shift+→ still finds the next block with transactions (from tx_count).
    const count = csvColumn(csv, 'tx_count');
    const next = count.findIndex((n, i) => i + 1 > block && n > 0) + 1;
    await page.keyboard.press('Shift+ArrowRight');
    await page.waitForSelector(`#inspector[data-block="${next}"]`);
    expect(errors).toEqual([]);
    await screenshot(page, 'report-record-blocks');
  });

  it('an output folder without the count columns (an older hedgesim) says which lanes it cannot fill; --record summary still opens', async () => {
    const dir = run('scenarios/default.yaml', temp(), ['--set', 'duration=30m']);
    const data = reportData(dir) as { blocks: { columns: string[]; data: unknown[] } };
    const drop = ['rebalance_txs', 'sandwich_txs', 'arbitrage_txs'];
    const keep = data.blocks.columns.map((c, j) => [c, j] as const).filter(([c]) => !drop.includes(c));
    expect(keep).toHaveLength(data.blocks.columns.length - 3);
    data.blocks = { ...data.blocks, columns: keep.map(([c]) => c), data: keep.map(([, j]) => data.blocks.data[j]) };
    const file = write(dir, 'old.html', reportHtml('hedgesim — old', data as never));
    const { page } = await open(`file://${file}`);
    expect(await page.locator('#timeline .lane-note').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-kind')))).toEqual(['rebalance', 'sandwich', 'arbitrage']);
    expect(await page.locator('#timeline .lane-note').first().textContent()).toMatch(/--record full/);
    expect(Number(await attr(page, '#timeline g.markers[data-kind="revert"]', 'data-total'))).toBe(csvColumn(blocksCsv(dir), 'reverted').reduce((a, b) => a + b, 0));
    const summaryOnly = run('scenarios/library/minimal.yaml', temp(), ['--set', 'duration=1h', '--record', 'summary']);
    const s = await open(url(summaryOnly));
    expect(await s.page.locator('#timeline').count()).toBe(0);
    expect(await s.page.locator('#summary tbody tr').count()).toBe(3);
  });

  it('a run over 50,000 blocks opens from its reduction: a note saying so, every event counted, the kept blocks in the inspector', async () => {
    const dir = run('scenarios/library/minimal.yaml', temp(), ['--record', 'full', '--set', 'duration=720000s']);
    const data = reportData(dir) as { blocks: { length: number }; reduced: { blocks: number; buckets: number } };
    expect(data.reduced).toMatchObject({ blocks: 60_000, buckets: 3000 });
    expect(data.blocks.length).toBeLessThan(30_000);
    const csv = blocksCsv(dir);
    const { page, errors } = await open(url(dir));
    expect(await page.locator('#reduced').textContent()).toMatch(/^This run has 60,000 blocks: .*`hedgesim view <folder>` shows them all\.$/);
    for (const [k, c] of Object.entries({ arbitrage: 'arbitrage_txs', revert: 'reverted' })) {
      expect(Number(await attr(page, `#timeline g.markers[data-kind="${k}"]`, 'data-total')), k).toBe(csvColumn(csv, c).reduce((a, b) => a + b, 0));
    }
    // Shift+→ goes to the next kept busy block: its transactions and its mempool are listed, whole.
    const before = Number(await attr(page, '#inspector', 'data-block'));
    await page.keyboard.press('Shift+ArrowRight');
    await page.waitForFunction((b) => Number(document.querySelector('#inspector')?.getAttribute('data-block')) > b, before);
    const busy = Number(await attr(page, '#inspector', 'data-block'));
    const inBlock = transactions(dir).filter((t) => t.block === busy).length;
    expect(inBlock).toBeGreaterThan(0);
    expect(await page.locator('#inspector table.txs tbody tr').count()).toBe(inBlock);
    expect(errors).toEqual([]);
    await screenshot(page, 'report-reduced');
  });
});
