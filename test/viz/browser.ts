/**
 * Headless Debian chromium driven by playwright-core (no browser download): the flags this machine
 * needs (no sandbox as root, no background network) and a fresh profile per launch.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.HEDGESIM_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

export interface Session {
  browser: Browser;
  close(): Promise<void>;
}

/** Chromium with a fresh, empty profile (playwright makes a new temporary user-data dir per launch). */
export async function launch(): Promise<Session> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return { browser, close: () => browser.close() };
}

/**
 * A new page of the given size that records the page's errors, its console errors (e.g. an SVG
 * attribute the browser rejects: `<path> attribute d: Expected number`) and dialogs (alert would
 * mean script injection).
 */
export async function newPage(s: Session, width = 1280, height = 900): Promise<{ page: Page; errors: string[]; consoleErrors: string[]; dialogs: string[] }> {
  const page = await s.browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // The browser's own request for /favicon.ico (a served folder has none) is not the page's doing.
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) consoleErrors.push(`${m.text()}${m.location().url ? ` (${m.location().url})` : ''}`);
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { page, errors, consoleErrors, dialogs };
}

/** Wait for the viewer to finish its first render (or show its error), returning the attribute. */
export async function rendered(page: Page, timeout = 20_000): Promise<string> {
  await page.waitForSelector('#app[data-rendered]', { timeout });
  return (await page.getAttribute('#app', 'data-rendered')) ?? '';
}

/** A fresh page at `target` (a report's file URL), once the viewer has drawn it. */
export async function openRendered(s: Session, target: string): Promise<Awaited<ReturnType<typeof newPage>>> {
  const p = await newPage(s);
  await p.page.goto(target);
  await rendered(p.page);
  return p;
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}

/** The tests' title when chromium is missing: they are skipped, and the title says why. */
export const SKIP_NOTE = hasChromium ? '' : ` (skipped: ${CHROMIUM} is not installed; apt-get install chromium)`;
if (!hasChromium) console.warn(`Browser tests skipped: ${CHROMIUM} is not installed (apt-get install chromium).`);
