/**
 * The sweep page in headless chromium (heatmap, CI lines, pickers, tooltips), and `hedgesim view`
 * serving a run folder and a sweep folder over HTTP: the viewer loads the files and draws the same
 * panels; the server prints its URL and stops on SIGINT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, FAULT, hedgesim, ROOT, tempDirs } from '../cli/helpers';
import { hasChromium, launch, newPage, rendered, screenshot, SKIP_NOTE, type Session } from './browser';
import { run, url, write } from './fixtures';

const temp = tempDirs();
let session: Session;
let sweepDir: string;
const children: ChildProcess[] = [];

const SWEEP = `name: tiny-sweep
scenario: ${JSON.stringify(join(ROOT, 'scenarios', 'library', 'minimal.yaml'))}
set: [duration=1h]
seed: 1
replicates: 3
parameters:
  agents.arb.bid.share: { values: [0.3, 0.6] }
  agents.noise.medianUsd: { values: [1000, 2000, 3000] }
metrics:
  arb_total: agents.arb.pnl.total
  lp_fees: agents.lp.pnl.fees
baseline: { agents.arb.bid.share: 0.3, agents.noise.medianUsd: 1000 }
`;

beforeAll(async () => {
  if (!hasChromium) return;
  const dir = temp();
  const file = write(dir, 'tiny.yaml', SWEEP);
  sweepDir = join(dir, 'out');
  const r = hedgesim(['sweep', file, '--out', sweepDir, '--workers', '2', '-q']);
  expect(r.code, r.stderr).toBe(0);
  session = await launch();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await session?.close();
});

/** Start `hedgesim view DIR --port 0` and resolve with its URL. */
function serve(dir: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; out: () => string }> {
  const child = spawn(process.execPath, [CLI, 'view', dir, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((ok, fail) => {
    const timer = setInterval(() => {
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m !== null) {
        clearInterval(timer);
        ok({ child, url: m[0], out: () => out });
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        fail(new Error(`hedgesim view exited: ${out}`));
      }
    }, 20);
  });
}

const stopped = (child: ChildProcess): Promise<number | null> => new Promise((ok) => (child.exitCode !== null ? ok(child.exitCode) : child.once('exit', (code) => ok(code))));

describe.skipIf(!hasChromium)(`sweep.html${SKIP_NOTE}`, () => {
  it('draws a heatmap cell per point and one CI line per value of the other parameter, with exact tooltips', async () => {
    const { page, errors } = await newPage(session);
    await page.goto(url(sweepDir, 'sweep.html'));
    await rendered(page);
    // With a baseline, the paired difference comes first; the means are a pick away.
    expect(await page.locator('select.which').inputValue()).toBe('diff');
    await page.selectOption('select.which', 'mean');
    expect(await page.locator('rect.cell').count()).toBe(6);
    expect(Number(await page.getAttribute('svg.line-chart', 'data-lines'))).toBe(3);
    expect(await page.locator('svg.line-chart path.ci-band').count()).toBe(3);
    const summary = readFileSync(join(sweepDir, 'summary.csv'), 'utf8').trim().split('\n');
    const header = summary[0]!.split(',');
    const first = summary[1]!.split(',');
    const mean = first[header.indexOf('arb_total_mean')]!;
    const cell = page.locator('rect.cell[data-point="0"]');
    expect(await cell.getAttribute('data-mean')).toBe(mean);
    await cell.hover();
    const tip = await page.locator('.tooltip div').allTextContents();
    expect(tip).toContain(`arb_total: mean ${mean} USD`);
    expect(tip).toContain(`95% CI [${first[header.indexOf('arb_total_ci_low')]}, ${first[header.indexOf('arb_total_ci_high')]}]`);
    // Axes name the parameters' units (from the scenario schema, through sweep.json).
    expect(await page.locator('svg.line-chart .axis-label').allTextContents()).toEqual(['agents.arb.bid.share (fraction in [0, 1])', 'arb_total (USD)']);
    expect(await page.locator('svg.heatmap > text.axis-label').allTextContents()).toEqual(['agents.arb.bid.share (fraction in [0, 1])', '↑ agents.noise.medianUsd (USD)']);
    expect(await page.locator('.sweep-legend .legend-item').allTextContents()).toEqual(['agents.noise.medianUsd (USD) = 1,000', 'agents.noise.medianUsd (USD) = 2,000', 'agents.noise.medianUsd (USD) = 3,000']);
    await screenshot(page, 'sweep');
    // x and y never take the same parameter: x's is not offered for y, and y moves aside when x takes it.
    expect(await page.locator('select.param-y option[value="agents.arb.bid.share"]').evaluate((o) => (o as HTMLOptionElement).disabled)).toBe(true);
    await page.selectOption('select.param-x', 'agents.noise.medianUsd');
    expect(await page.locator('select.param-y').inputValue()).toBe('agents.arb.bid.share');
    expect(await page.locator('select.param-y option[value="agents.noise.medianUsd"]').evaluate((o) => (o as HTMLOptionElement).disabled)).toBe(true);
    expect(await page.locator('svg.line-chart .axis-label').first().textContent()).toBe('agents.noise.medianUsd (USD)');
    expect(await page.locator('rect.cell').count()).toBe(6);
    expect(Number(await page.getAttribute('svg.line-chart', 'data-lines'))).toBe(2);
    // Pickers: another metric, and the paired differences against the baseline.
    await page.selectOption('select.metric', 'lp_fees');
    await page.selectOption('select.which', 'diff');
    expect(await page.locator('rect.cell[data-point="0"]').getAttribute('data-mean')).toBe('0');
    expect(errors).toEqual([]);
  });

  it('a sweep with nothing to chart (no parameter varies) says so instead of drawing empty axes', async () => {
    const html = readFileSync(join(sweepDir, 'sweep.html'), 'utf8');
    const re = /(<script type="application\/json" id="hedgesim-sweep">)(.*?)(<\/script>)/s;
    const data = JSON.parse(re.exec(html)![2]!) as { points: Record<string, unknown>[] };
    data.points = data.points.map(() => data.points[0]!);
    const file = write(temp(), 'flat.html', html.replace(re, (_m, open: string, _json: string, close: string) => `${open}${JSON.stringify(data).replace(/</g, '\\u003c')}${close}`));
    const { page, errors } = await newPage(session);
    await page.goto(`file://${file}`);
    expect(await rendered(page)).not.toBe('error');
    expect(await page.locator('#app .note').textContent()).toBe('Nothing to chart: the sweep has no metric or no parameter that varies. See summary.csv.');
    expect(await page.locator('svg').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('a truncated sweep.html shows a message', async () => {
    const html = readFileSync(join(sweepDir, 'sweep.html'), 'utf8');
    const file = write(temp(), 'cut.html', html.slice(0, html.indexOf('id="hedgesim-sweep"') + 60));
    const { page } = await newPage(session);
    await page.goto(`file://${file}`);
    expect(await rendered(page)).toBe('error');
    expect(await page.locator('.error p').textContent()).toMatch(/malformed or truncated/);
  });
});

/**
 * Points whose runs all fail: the whale's swap of 1.7e308 ETH overflows the pool when it happens
 * (blocks 2 and 3), and never happens at blocks 6 and 7 (after the run's 5 blocks).
 */
const FAILING = `name: failing
scenario: overflow.yaml
replicates: 2
parameters:
  agents.whale.actions[0].block: { values: [2, 3, 6, 7] }
  agents.whale.actions[0].amount: { values: [1, 1.7e308] }
metrics:
  volume: venues.pool.volumeUsd
`;

describe.skipIf(!hasChromium)(`a sweep with failed points${SKIP_NOTE}`, () => {
  let failing: string;
  beforeAll(() => {
    const dir = temp();
    write(dir, 'overflow.yaml', FAULT);
    write(dir, 'failing.yaml', FAILING);
    write(dir, 'all-failed.yaml', FAILING.replace('values: [2, 3, 6, 7]', 'values: [2, 3]').replace('values: [1, 1.7e308]', 'values: [1.7e308, 1.6e308]'));
    failing = join(dir, 'failing');
    const r = hedgesim(['sweep', join(dir, 'failing.yaml'), '--out', failing, '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(hedgesim(['sweep', join(dir, 'all-failed.yaml'), '--out', join(dir, 'all-failed'), '-q']).code).toBe(3);
    expect(hedgesim(['sweep', join(dir, 'failing.yaml'), '--out', join(dir, 's0'), '--shard', '0/2', '-q']).code).toBe(0);
    expect(hedgesim(['merge', join(dir, 's0'), '--out', join(dir, 'half'), '--allow-partial', '-q']).code).toBe(0);
  });

  /** The points whose runs all failed, from summary.csv. */
  const failedPoints = (): number[] => {
    const [header, ...rows] = readFileSync(join(failing, 'summary.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    return rows.filter((r) => r[header!.indexOf('failed')] === r[header!.indexOf('runs')]).map((r) => Number(r[0]));
  };

  it.each([['sweep.html', false], ['the served folder', true]])('%s: lines broken at the failed points, which are marked "no data" (no dots, no coloured cells), without console errors', async (_name, served) => {
    const dead = failedPoints();
    expect(dead).toHaveLength(2);
    const { page, errors, consoleErrors } = await newPage(session);
    const s = served ? await serve(failing) : undefined;
    await page.goto(s?.url ?? url(failing, 'sweep.html'));
    expect(await rendered(page)).not.toBe('error');
    // Two lines (amount 1 and 1.7e308), eight points: six with a value, two without.
    expect(Number(await page.getAttribute('svg.line-chart', 'data-lines'))).toBe(2);
    expect(await page.locator('svg.line-chart circle.mean-point').count()).toBe(6);
    expect(await page.locator('svg.line-chart path.no-data').count()).toBe(2);
    expect(await page.locator('.no-data-key').textContent()).toBe('× on the x axis: 2 points without a value (every run failed, or none has this metric); hover for why.');
    for (const d of await page.locator('svg.line-chart path.mean-line').evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? ''))) {
      expect(d).toMatch(/^M[\d.,]+L/);
      expect(d).not.toMatch(/NaN/);
    }
    // Heatmap: six coloured cells, two hatched 'no data' ones at the failed points.
    expect(await page.locator('rect.cell').count()).toBe(6);
    expect((await page.locator('rect.no-data').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-point'))))).sort()).toEqual(dead);
    expect(await page.locator('text.cell-value', { hasText: 'no data' }).count()).toBe(2);
    await page.locator(`rect.no-data[data-point="${dead[0]}"]`).hover();
    expect(await page.locator('.tooltip div').allTextContents()).toContain('volume: no data: all 2 runs failed (errors in runs.csv)');
    expect(await page.locator('.run-facts').textContent()).toBe('8 points × 2 replicates = 16 runs (4 failed); means with 95% confidence intervals (Student t) over the successful runs.');
    await screenshot(page, served ? 'view-sweep-failed-points' : 'sweep-failed-points');
    expect(errors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    if (s !== undefined) {
      s.child.kill('SIGINT');
      await stopped(s.child);
    }
  });

  it('says so when every run failed, instead of drawing empty axes', async () => {
    const { page, errors, consoleErrors } = await newPage(session);
    await page.goto(url(join(failing, '..', 'all-failed'), 'sweep.html'));
    expect(await rendered(page)).not.toBe('error');
    expect(await page.locator('.all-failed').textContent()).toBe("Every run failed (8 of 8): there is nothing to chart. Each run's error is in runs.csv.");
    expect(await page.locator('svg').count()).toBe(0);
    expect([...errors, ...consoleErrors]).toEqual([]);
  });

  it('a partial merge says how many runs are missing rather than claiming them all', async () => {
    const { page, consoleErrors } = await newPage(session);
    await page.goto(url(join(failing, '..', 'half'), 'sweep.html'));
    expect(await rendered(page)).not.toBe('error');
    const done = readFileSync(join(failing, '..', 'half', 'runs.csv'), 'utf8').trim().split('\n').length - 1;
    expect(done).toBe(8);
    expect(await page.locator('.run-facts').textContent()).toMatch(/^8 points × 2 replicates = 16 runs \(\d failed, 8 missing \(a partial result: 8 of 16 runs finished\)\)/);
    expect(consoleErrors).toEqual([]);
  });
});

describe.skipIf(!hasChromium)(`hedgesim view${SKIP_NOTE}`, () => {
  it('serves a run folder: the viewer loads its files and draws the panels; SIGINT stops the server', async () => {
    const dir = run('scenarios/default.yaml', temp(), ['--record', 'full', '--set', 'duration=30m']);
    const s = await serve(dir);
    expect(s.out()).toContain(`Serving ${dir} at ${s.url} (Ctrl-C to stop)`);
    const { page, errors } = await newPage(session);
    await page.goto(s.url);
    expect(await rendered(page)).not.toBe('error');
    expect(await page.locator('#timeline .price-legend .legend-item').count()).toBe(3);
    expect(await page.locator('#summary tbody tr').count()).toBe(9);
    expect(await page.locator('#inspector table.txs tr.tx').count()).toBeGreaterThan(0);
    expect(Number(await page.getAttribute('#timeline g.markers[data-kind="sandwich"]', 'data-total'))).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await screenshot(page, 'view-run');
    s.child.kill('SIGINT');
    expect(await stopped(s.child)).toBe(0);
    expect(s.out()).toContain('Stopped.');
  });

  it('a truncated file in a served folder is reported by name', async () => {
    const dir = run('scenarios/library/minimal.yaml', temp(), ['--record', 'full', '--set', 'duration=30m']);
    const txs = readFileSync(join(dir, 'transactions.jsonl'), 'utf8');
    write(dir, 'transactions.jsonl', txs.slice(0, txs.length - 40));
    const s = await serve(dir);
    const { page } = await newPage(session);
    await page.goto(s.url);
    expect(await rendered(page)).toBe('error');
    expect(await page.locator('.error p').textContent()).toMatch(/^transactions\.jsonl: line \d+ is not valid JSON \(is the file truncated\?\)$/);
    s.child.kill('SIGINT');
    await stopped(s.child);
  });

  it('serves a sweep folder with the sweep viewer', async () => {
    const s = await serve(sweepDir);
    const { page } = await newPage(session);
    await page.goto(s.url);
    expect(await rendered(page)).not.toBe('error');
    expect(await page.locator('rect.cell').count()).toBe(6);
    // The units come from the served sweep.json as well.
    expect(await page.locator('svg.line-chart .axis-label').first().textContent()).toBe('agents.arb.bid.share (fraction in [0, 1])');
    await screenshot(page, 'view-sweep');
    s.child.kill('SIGINT');
    await stopped(s.child);
  });

  it.skipIf(process.platform !== 'linux')('--open hands the URL to the system opener (xdg-open)', async () => {
    const bin = temp();
    const log = join(bin, 'opened.txt');
    chmodSync(write(bin, 'xdg-open', `#!/bin/sh\necho "$@" > ${JSON.stringify(log)}\n`), 0o755);
    const s = await serve(sweepDir, ['--open'], { PATH: `${bin}:${process.env.PATH ?? ''}` });
    await expect.poll(() => (existsSync(log) ? readFileSync(log, 'utf8').trim() : '')).toBe(s.url);
    s.child.kill('SIGINT');
    await stopped(s.child);
  });

  it('refuses a folder that is not an output folder (exit 2)', () => {
    const r = hedgesim(['view', temp({ 'notes.txt': 'x' })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a run or sweep output folder/);
    expect(hedgesim(['view', join(temp(), 'missing')]).stderr).toMatch(/does not exist/);
    expect(hedgesim(['view', temp(), '--port', 'abc']).code).toBe(2);
  });
});
