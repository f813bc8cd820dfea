/**
 * report.html in headless chromium, the parts about MEV and every actor: the adversary's lanes have
 * marks at its pushes and reversals; the MEV table's totals equal summary.json's per-agent `mev`; a
 * row opens its block in the inspector, which names the victim or target; the inspector's asset
 * changes for a sandwich victim are the transaction log's, in USD. Real reports, made by the CLI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../cli/helpers';
import { ARTIFACTS, hasChromium, launch, openRendered, screenshot, SKIP_NOTE, type Session } from './browser';
import { blocksCsv, run, url } from './fixtures';
import type { Tx } from '../../viz/data/types';

const temp = tempDirs();
let session: Session;
let adv: string;
let fr: string;

const log = (dir: string): Tx[] =>
  readFileSync(join(dir, 'transactions.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Tx);
const summary = (dir: string): { agents: { id: string; pnl: Record<string, number> }[] } => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

beforeAll(async () => {
  if (!hasChromium) return;
  adv = run('scenarios/library/adversarial-trigger.yaml', temp(), ['--record', 'full', '--set', 'duration=4h']);
  fr = run('scenarios/library/front-running.yaml', temp(), ['--record', 'full']);
  session = await launch();
}, 120_000);
afterAll(async () => {
  await session?.close();
});

const open = (target: string) => openRendered(session, target);

const attr = async (page: Page, selector: string, name: string): Promise<string> => (await page.getAttribute(selector, name)) ?? '';

describe.skipIf(!hasChromium)(`report.html of adversarial-trigger.yaml${SKIP_NOTE}`, () => {
  it('the push and reversal lanes count the adversary’s landed pushes and reversals, at their blocks', async () => {
    const txs = log(adv);
    const { page, errors } = await open(url(adv));
    const pushes = txs.filter((t) => t.tag === 'adversary-push' && t.status === 'included');
    const reversals = txs.filter((t) => t.tag === 'adversary-reversal' && t.status === 'included');
    expect(pushes.length).toBeGreaterThan(3);
    expect(Number(await attr(page, '#timeline g.markers[data-kind="push"]', 'data-total'))).toBe(pushes.length);
    expect(Number(await attr(page, '#timeline g.markers[data-kind="reversal"]', 'data-total'))).toBe(reversals.length);
    // blocks.csv's push count is 1 exactly at the pushes' blocks.
    const csv = blocksCsv(adv);
    const j = csv.header.indexOf('push_txs');
    const marked = csv.rows.filter((r) => r[j]! > 0).map((r) => r[0]);
    expect(marked).toEqual([...new Set(pushes.map((t) => t.block))].sort((a, b) => a - b));
    // Hovering the lane at the first push's block names it.
    const [a, b] = (await attr(page, '#timeline', 'data-domain')).split(',').map(Number) as [number, number];
    const lane = (await page.locator('#timeline g.markers[data-kind="push"] rect.lane').boundingBox())!;
    const first = pushes[0]!.block;
    await page.mouse.move(lane.x + ((first - a) / (b - a)) * lane.width, lane.y + lane.height / 2);
    const tip = await page.locator('.tooltip div').allTextContents();
    expect(tip[0]).toMatch(/^push: \d+ adversary push(es)?$/);
    expect(tip[1]).toMatch(new RegExp(`block[s]? ${first}\\b`));
    expect(errors).toEqual([]);
  });

  it('the MEV table’s totals equal summary.json’s mev per agent; a row opens its block, whose inspector names the target', async () => {
    const s = summary(adv);
    const { page, errors } = await open(url(adv));
    const searchers = page.locator('#mev table.mev-by-searcher tbody tr');
    expect(await searchers.count()).toBeGreaterThan(0);
    for (const tr of await searchers.all()) {
      const id = (await tr.getAttribute('data-agent'))!;
      const gross = Number(await tr.locator('td[data-col="gross_usd"]').getAttribute('title'));
      const mev = s.agents.find((x) => x.id === id)!.pnl['mev']!;
      expect(Math.abs(gross - mev), id).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(mev)) + 1e-6);
      expect(Number(await tr.locator('td[data-col="agents-mev"]').getAttribute('title'))).toBe(mev);
    }
    // A reversal: its bundle runs the vault's transaction first, tagged target, and names it.
    await page.selectOption('#mev select.mev-kind', 'reversal');
    const row = page.locator('#mev table.mev-rows tbody tr').first();
    const block = Number(await row.getAttribute('data-block'));
    expect(await row.locator('td[data-col="victim"]').textContent()).toBe('vault');
    await row.click();
    expect(await attr(page, '#inspector', 'data-block')).toBe(String(block));
    const target = page.locator('#inspector tbody.bundle tr.tx').filter({ has: page.locator('.tag[data-tag="target"]') });
    expect(await target.count()).toBeGreaterThan(0);
    expect(await target.first().locator('.sender').textContent()).toBe('vault');
    expect(await page.locator('#inspector tr.tx:has(.tag[data-tag="adversary-reversal"]) .aims').first().getAttribute('data-target')).toBe('vault');
    // A push names its target too.
    await page.selectOption('#mev select.mev-kind', 'push');
    const push = page.locator('#mev table.mev-rows tbody tr').first();
    await push.click();
    expect(await attr(page, '#inspector', 'data-block')).toBe(await push.getAttribute('data-block'));
    expect(await page.locator('#inspector tr.tx:has(.tag[data-tag="adversary-push"]) .aims').getAttribute('data-target')).toBe('vault');
    await screenshot(page, 'report-mev-adversary');
    expect(errors).toEqual([]);
  });
});

describe.skipIf(!hasChromium)(`report.html of front-running.yaml${SKIP_NOTE}`, () => {
  it('sorting and filtering the MEV table; the totals reconcile for the searcher and the victim', async () => {
    const s = summary(fr);
    const { page } = await open(url(fr));
    const mev = (id: string): number => s.agents.find((x) => x.id === id)!.pnl['mev']!;
    const gross = Number(await page.locator('#mev table.mev-by-searcher tr[data-agent="searcher"] td[data-col="gross_usd"]').getAttribute('title'));
    expect(gross).toBeCloseTo(mev('searcher'), 6);
    const loss = Number(await page.locator('#mev table.mev-by-victim tr[data-agent="public"] td[data-col="victim_loss_usd"]').getAttribute('title'));
    expect(loss).toBeCloseTo(-mev('public'), 6);
    // Sorted by block, ascending on a second click.
    await page.click('#mev table.mev-rows th[data-key="block"] button');
    await page.click('#mev table.mev-rows th[data-key="block"] button');
    const blocks = (await page.locator('#mev table.mev-rows tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-block')))));
    expect(blocks).toEqual([...blocks].sort((a, b) => a - b));
    await page.fill('#mev input.mev-filter', 'nobody-has-this-name');
    expect(await page.locator('#mev table.mev-rows tbody tr').count()).toBe(0);
  });

  it('the inspector’s asset changes of a sandwich victim are the log’s, in tokens and USD', async () => {
    const txs = log(fr);
    const byId = new Map(txs.map((t) => [t.id, t]));
    const { page, errors } = await open(url(fr));
    const row = page.locator('#mev table.mev-rows tbody tr').first();
    await row.click();
    const block = Number(await attr(page, '#inspector', 'data-block'));
    const front = txs.find((t) => t.block === block && t.tag === 'sandwich-front' && t.status === 'included')!;
    const victim = byId.get(front.victim!)!;
    // Format 3 logs every transaction's asset changes.
    expect(victim.assetChanges).not.toBeNull();
    const changes = victim.assetChanges!;
    expect(changes.length).toBeGreaterThan(0);
    const shown = await page.locator(`#inspector table.asset-changes tr[data-id="${victim.id}"] .change`).evaluateAll((spans) =>
      spans.map((s) => ({ token: s.getAttribute('data-token'), amount: Number(s.getAttribute('data-amount')), usd: Number(s.getAttribute('data-usd')) })),
    );
    expect([...shown].sort((a, b) => a.token!.localeCompare(b.token!))).toEqual([...changes].sort((a, b) => a.token.localeCompare(b.token)));
    const net = Number(await page.locator(`#inspector table.asset-changes tr[data-id="${victim.id}"] td.net`).getAttribute('data-usd'));
    expect(net).toBeCloseTo(changes.reduce((x, c) => x + c.usd, 0), 9);
    await screenshot(page, 'report-asset-changes');
    await page.locator('#inspector').screenshot({ path: join(ARTIFACTS, 'report-asset-changes-inspector.png') });
    await page.locator('#mev').screenshot({ path: join(ARTIFACTS, 'report-mev-table.png') });
    expect(errors).toEqual([]);
  });
});
