/**
 * Forks (`hedgesim run FILE --fork-from DIR --at-block N --set …`, docs/forks.md): a fork shares
 * blocks 0..N with the original and differs only after; untouched consumers of randomness draw the
 * same numbers; bad forks are refused with a located message and nothing written.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hedgesim, read, readJson, ROOT, tempDirs } from './helpers';

const tempDir = tempDirs();
const library = (name: string): string => join(ROOT, 'scenarios', 'library', `${name}.yaml`);

function run(args: string[]): void {
  const r = hedgesim(['run', ...args, '-q']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

/** blocks.csv as rows of cells, with the header. */
function table(dir: string): string[][] {
  return read(dir, 'blocks.csv').trimEnd().split('\n').map((l) => l.split(','));
}

function column(rows: string[][], name: string): string[] {
  const c = rows[0]!.indexOf(name);
  expect(c, name).toBeGreaterThanOrEqual(0);
  return rows.slice(1).map((r) => r[c]!);
}

/** The amounts one agent sent, in order (its draws, priced at the reference market). */
function sentAmounts(dir: string, agent: string): number[] {
  return read(dir, 'transactions.jsonl')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { agent: string; block: number; calls: { a: number }[] })
    .filter((t) => t.agent === agent && t.block > 0)
    .map((t) => t.calls[0]!.a);
}

describe('a fork without changes', () => {
  // Between them every agent kind that keeps state: tracker, static and rebalancing hedgers,
  // speculators; arbitrageur, delta hedger, LP, searcher; noise; scripted.
  it.each([
    ['who-pays', 'duration=30m'],
    ['adversarial-trigger', 'duration=10m'],
    ['minimal', 'duration=1h'],
    ['triad-pool', 'duration=1h'],
  ])('writes every output of %s as the original does, byte for byte (forkedFrom aside)', (name, set) => {
    const dir = tempDir();
    const original = join(dir, 'original');
    run([library(name), '--set', set, '--record', 'full', '--out', original]);
    const blocks = readJson<{ blocks: number }>(original, 'summary.json').blocks;
    const at = Math.floor(blocks / 3);
    const fork = join(dir, 'fork');
    // The original's overrides come from its run.json: the fork's own --set list is empty.
    run([library(name), '--fork-from', original, '--at-block', String(at), '--record', 'full', '--out', fork]);
    const files = readdirSync(original).filter((f) => f !== 'report.html' && f !== 'run.json' && f !== 'summary.json');
    expect(files.sort()).toEqual(['blocks.csv', 'mempool.jsonl', 'mev.csv', 'pnl.csv', 'transactions.jsonl', 'transfers-blocks.csv', 'transfers.csv']);
    for (const f of files) expect(read(fork, f) === read(original, f), f).toBe(true);
    const { forkedFrom, ...summary } = readJson(fork, 'summary.json');
    expect(summary).toEqual(readJson(original, 'summary.json'));
    expect(forkedFrom).toEqual({ run: 'original', scenarioHash: readJson(original, 'summary.json').scenarioHash, block: at });
    const runJson = readJson<{ overrides: string[]; forkedFrom: { overrides: string[]; block: number } }>(fork, 'run.json');
    expect(runJson.overrides).toEqual([]);
    expect(runJson.forkedFrom.overrides).toEqual([set]);
  });
});

describe('a fork with changes', () => {
  const dir = tempDir();
  const original = join(dir, 'original');
  const N = 120;
  run([library('minimal'), '--set', 'duration=1h', '--record', 'full', '--out', original]);
  const before = table(original);

  it('shares blocks 0..N with the original and differs after; the price path and the noise trader are untouched by an arbitrageur change', () => {
    const fork = join(dir, 'arb');
    run([library('minimal'), '--fork-from', original, '--at-block', String(N), '--set', 'agents.arb.minProfitUsd=200', '--record', 'full', '--out', fork]);
    const after = table(fork);
    expect(after[0]).toEqual(before[0]);
    expect(after.length).toBe(before.length);
    // Rows are the header and blocks 1..: block b is row b, and column(…)[b - 1].
    expect(after.slice(0, N + 1)).toEqual(before.slice(0, N + 1));
    expect(column(after, 'pnl_arb').slice(N)).not.toEqual(column(before, 'pnl_arb').slice(N));
    expect(column(after, 'ref_ETH')).toEqual(column(before, 'ref_ETH'));
    // The noise trader draws the same sizes and sides at the same times (priced at the same reference prices).
    const noise = sentAmounts(original, 'noise');
    expect(noise.length).toBeGreaterThan(20);
    expect(sentAmounts(fork, 'noise')).toEqual(noise);
  });

  it('halves a noise trader\u2019s mean interval after N: the wake-up queued at N stands, every wait after it is half the original\u2019s (the same uniform draws)', () => {
    const fork = join(dir, 'busier');
    run([library('minimal'), '--fork-from', original, '--at-block', String(N), '--set', 'agents.noise.meanInterval=30s', '--record', 'full', '--out', fork]);
    const arrivals = (d: string): number[] =>
      read(d, 'transactions.jsonl')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { agent: string; block: number; arrivalTime: number })
        .filter((t) => t.agent === 'noise' && t.block > 0)
        .map((t) => t.arrivalTime)
        .sort((x, y) => x - y);
    const was = arrivals(original);
    const now = arrivals(fork);
    // The first order after block N's time (12·N s) was queued before the change.
    const j = was.findIndex((t) => t > 12 * N);
    expect(j).toBeGreaterThan(10);
    expect(now.slice(0, j + 1)).toEqual(was.slice(0, j + 1));
    const gaps = (xs: number[], from: number, n: number): number[] => xs.slice(from + 1, from + 1 + n).map((t, m) => t - xs[from + m]!);
    const n = was.length - j - 1;
    expect(n).toBeGreaterThan(20);
    gaps(now, j, n).forEach((g, m) => expect(g).toBeCloseTo(gaps(was, j, n)[m]! / 2, 6));
  });

  it('changes the price process after N only: the same shocks at a higher sigma', () => {
    const fork = join(dir, 'sigma');
    run([library('minimal'), '--fork-from', original, '--at-block', String(N), '--set', 'market.assets.ETH.sigma=1.6', '--out', fork]);
    const ref = column(table(fork), 'ref_ETH').map(Number);
    const was = column(before, 'ref_ETH').map(Number);
    expect(ref.slice(0, N)).toEqual(was.slice(0, N));
    expect(ref[N]).not.toBe(was[N]);
    // GBM: ln(P_t/P_{t-1}) = (μ − σ²/2)dt + σ√dt·z with the same z, so (log return + σ²dt/2)/σ is the same.
    const dt = 12 / (365.25 * 86400);
    for (let b = N; b < ref.length; b++) {
      const z = (Math.log(was[b]! / was[b - 1]!) + 0.5 * 0.8 ** 2 * dt) / 0.8;
      const zFork = (Math.log(ref[b]! / ref[b - 1]!) + 0.5 * 1.6 ** 2 * dt) / 1.6;
      expect(zFork).toBeCloseTo(z, 9);
    }
  });

  it('changes the chain after N: a fixed base fee starts to follow EIP-1559', () => {
    const fork = join(dir, 'fee');
    run([library('minimal'), '--fork-from', original, '--at-block', String(N), '--set', 'chain.baseFee.mode=eip1559', '--out', fork]);
    const rows = table(fork);
    const fee = column(rows, 'base_fee_gwei').map(Number);
    const gas = column(rows, 'gas_used').map(Number);
    // Block N's fee rule set block N+1's fee: still the fixed 2 gwei.
    expect(new Set(fee.slice(0, N + 1))).toEqual(new Set([2]));
    // From block N+1 on, EIP-1559 (target 15M gas, at most ±1/8): fee' = fee · (1 + (used − target) / target / 8).
    for (let b = N; b < N + 20; b++) expect(fee[b + 1]).toBeCloseTo(fee[b]! * (1 + (gas[b]! - 15e6) / 15e6 / 8), 12);
    expect(fee.at(-1)).toBeLessThan(0.1);
  });

  it('moves the measurement point after N (measureFrom.block = M > N): each agent\u2019s P&L is the original\u2019s from M to the end', () => {
    const fork = join(dir, 'measured');
    const M = N + 30;
    run([library('minimal'), '--fork-from', original, '--at-block', String(N), '--set', `measureFrom.block=${M}`, '--record', 'full', '--out', fork]);
    const summary = readJson<{ measureFrom: { block: number }; agents: { id: string; pnl: { total: number } }[] }>(fork, 'summary.json');
    expect(summary.measureFrom.block).toBe(M);
    // Nothing else changed, so the run is the original's: P&L from M is the original's at the end minus at M.
    const pnlAt = (rows: string[][], id: string, b: number): number => Number(column(rows, `pnl_${id}`)[b - 1]);
    const last = before.length - 1;
    for (const a of summary.agents) expect(a.pnl.total, a.id).toBeCloseTo(pnlAt(before, a.id, last) - pnlAt(before, a.id, M), 6);
    // Before M a fork's P&L columns are empty (P&L is undefined before the measurement point); the rest of blocks 0..N is the original's.
    const after = table(fork);
    expect(column(after, 'pnl_lp').slice(0, M - 1).every((c) => c === '')).toBe(true);
    expect(column(after, 'pool_price')).toEqual(column(before, 'pool_price'));
  });

  it.each([
    [`measureFrom.block=${N}`, /^invalid scenario\n--set:1:19: measureFrom: at a fork the measurement point must lie after block 120, where the fork starts: measureFrom\.block from 121 to 300, or a time after block 120's \(got block 120\)/],
    ['measureFrom={time: 600}', /--set:1:\d+: measureFrom: at a fork the measurement point must lie after block 120, .*: time 600 s was reached by block 120/],
  ])('refuses a measurement point at or before N (%s): exit 2, located, nothing written', (set, message) => {
    const out = join(dir, 'early');
    const r = hedgesim(['run', library('minimal'), '--fork-from', original, '--at-block', String(N), '--set', set, '--out', out, '-q']);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('adds an agent at N without changing the others\u2019 draws', () => {
    const fork = join(dir, 'added');
    run([library('minimal'), '--fork-from', original, '--at-block', String(N), '--set', 'agents.noise2={kind: noise, venue: pool, meanInterval: 30s, medianUsd: 20000, balances: {ETH: 100, USD: 250000}}', '--record', 'full', '--out', fork]);
    const after = table(fork);
    expect(after[0]).toEqual([...before[0]!, 'pnl_noise2']);
    // The original's columns of blocks 0..N are the original's.
    expect(after.slice(0, N + 1).map((r) => r.slice(0, -1))).toEqual(before.slice(0, N + 1));
    expect(column(after, 'ref_ETH')).toEqual(column(before, 'ref_ETH'));
    expect(sentAmounts(fork, 'noise')).toEqual(sentAmounts(original, 'noise'));
    const added = read(fork, 'transactions.jsonl').trim().split('\n').map((l) => JSON.parse(l) as { agent: string; block: number }).filter((t) => t.agent === 'noise2');
    expect(added.length).toBeGreaterThan(5);
    expect(Math.min(...added.map((t) => t.block))).toBeGreaterThan(N);
    expect(column(after, 'pool_reserve0').slice(N)).not.toEqual(column(before, 'pool_reserve0').slice(N));
  });
});

describe('forks of an LP with an exit rule', () => {
  const dir = tempDir();
  const original = join(dir, 'original');
  // The LP leaves when its trailing edge is below 300 %/year (it does, at block 55) and comes back on the incumbents'.
  const exit = '{outsideRate: 3, window: 600, checkEvery: 5, hysteresis: 0}';
  run([library('minimal'), '--set', 'duration=2h', '--set', `agents.lp.exit=${exit}`, '--out', original]);
  const before = table(original);
  const lpMetrics = (d: string): Record<string, number> => readJson<{ agents: { id: string; metrics: Record<string, number> }[] }>(d, 'summary.json').agents.find((a) => a.id === 'lp')!.metrics;

  it('leaves the incumbent as it was up to N when another joins (the newcomer joins its cohort only at N)', () => {
    const N = 300;
    const fork = join(dir, 'joined');
    run([library('minimal'), '--fork-from', original, '--at-block', String(N), '--set', `agents.lp2={kind: lp, venue: pool, balances: {ETH: 1000, USD: 2500000}, exit: ${exit}}`, '--out', fork]);
    const after = table(fork);
    expect(after.slice(0, N + 1).map((r) => r.slice(0, -1))).toEqual(before.slice(0, N + 1));
    expect(column(after, 'pool_reserve0').slice(N)).not.toEqual(column(before, 'pool_reserve0').slice(N));
    expect(lpMetrics(original).exits).toBe(1);
  });

  it('retunes the rule at N: an LP told before its exit that the outside rate is far lower stays in', () => {
    const N = 30;
    const fork = join(dir, 'retuned');
    run([library('minimal'), '--fork-from', original, '--at-block', String(N), '--set', 'agents.lp.exit.outsideRate=-1000', '--out', fork]);
    const after = table(fork);
    expect(after.slice(0, N + 1)).toEqual(before.slice(0, N + 1));
    expect(lpMetrics(fork)).toMatchObject({ exits: 0, exitsAttempted: 0, inPool: 1 });
    const r = hedgesim(['run', library('minimal'), '--fork-from', original, '--at-block', String(N), '--set', 'agents.lp.exit.window=60', '--out', join(dir, 'x'), '-q']);
    expect(r.stderr).toMatch(/--set:1:\d+: agents\.lp\.exit\.window: cannot change at a fork: lp 'lp' changes live only exit\.outsideRate, exit\.hysteresis, exit\.reenter/);
    expect(r.code).toBe(2);
  });
});

describe('a fork that cannot be made', () => {
  const dir = tempDir();
  const original = join(dir, 'original');
  run([library('minimal'), '--set', 'duration=10m', '--out', original]);

  it.each([
    ['N past the end', ['--at-block', '60'], /--at-block: 60 is not before the end of the original run .* \(50 blocks\)/],
    // Block 50 is the original's last: nothing would run after it, so the last N is 49 (block 50 then runs the change).
    ['N at the original\u2019s last block', ['--at-block', '50'], /--at-block: 50 is not before the end of the original run .* \(50 blocks\): a fork goes on after block N, so N must be from 0 to 49/],
    ['N not a number', ['--at-block', '1e3'], /--at-block: must be a whole block number/],
    ['a folder without a run', ['--at-block', '5', '--fork-from', '.'], /--fork-from: '\.' is not a run's output folder \(it has no summary\.json\)/],
    ['another scenario', ['--at-block', '5', '--scenario', 'triad-pool'], /--fork-from: .*triad-pool\.yaml with the original's overrides \(duration=10m\) is not the scenario of .*: a fork starts from the same world/],
    ['a seed', ['--at-block', '5', '--set', 'seed=9'], /--set:1:6: seed: cannot change at a fork/],
    ['the block time', ['--at-block', '5', '--set', 'duration=10m', '--set', 'chain.blockTime=2'], /--set:2:17: chain\.blockTime: cannot change at a fork: the run is built on it/],
    ['an LP parameter', ['--at-block', '5', '--set', 'agents.lp.deposit=[1, 2500]'], /--set:1:19: agents\.lp\.deposit: cannot change at a fork: agent 'lp' \(lp\) has no parameters a fork can change/],
    ['an exit rule the LP did not have', ['--at-block', '5', '--set', 'agents.lp.exit={outsideRate: 1, window: 600}'], /--set:1:16: agents\.lp\.exit: cannot change at a fork: agent 'lp' \(lp\) has no parameters/],
    ['a noise trader\u2019s venue', ['--at-block', '5', '--set', 'agents.noise.venue=pool2'], /--set:1:\d+: agents\.noise\.venue/],
    ['a bid jitter the arbitrageur never had (refused at block N)', ['--at-block', '5', '--set', 'agents.arb.bid.jitter=0.1'], /^invalid scenario\n--set:1:23: agents\.arb: arbitrageur 'arb' had no bid jitter before the fork/],
    ['a new agent on a venue that is not there', ['--at-block', '5', '--set', 'agents.t2={kind: noise, venue: pool2, meanInterval: 30s, medianUsd: 10}'], /^invalid scenario\n--set:1:\d+: agents\.t2\.venue: unknown venue 'pool2'/],
    ['a price process kind', ['--at-block', '5', '--set', 'market.assets.ETH={kind: constant, price: 2500}'], /--set:1:\d+: market\.assets\.ETH\.kind: cannot change at a fork/],
  ])('%s: exit 2, located, nothing written', (_what, extra, message) => {
    const out = join(dir, 'fork');
    const args = [...extra];
    const s = args.indexOf('--scenario');
    const file = s < 0 ? library('minimal') : library(args.splice(s, 2)[1]!);
    const from = args.includes('--fork-from') ? [] : ['--fork-from', original];
    const r = hedgesim(['run', file, ...from, ...args, '--out', out, '-q']);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a price file changed since the original ran (its hash is in run.json), and replays one unchanged', () => {
    const data = read(join(ROOT, 'scenarios', 'library', 'data'), 'eth-hourly.csv');
    const scenario = read(join(ROOT, 'scenarios', 'library'), 'csv-backtest.yaml');
    const here = tempDir({ 'csv.yaml': scenario, 'data/eth-hourly.csv': data });
    const file = join(here, 'csv.yaml');
    run([file, '--set', 'duration=2h', '--out', join(here, 'original')]);
    expect(Object.keys(readJson<{ dataHashes: object }>(join(here, 'original'), 'run.json').dataHashes)).toEqual(['market.assets.ETH.file']);
    run([file, '--fork-from', join(here, 'original'), '--at-block', '100', '--out', join(here, 'same')]);
    expect(read(join(here, 'same'), 'blocks.csv') === read(join(here, 'original'), 'blocks.csv')).toBe(true);
    // One price changed in the second data row.
    const lines = data.split('\n');
    lines[2] = lines[2]!.replace(/\d(?=[^\d]*$)/, (d) => String((Number(d) + 1) % 10));
    expect(lines.join('\n')).not.toBe(data);
    writeFileSync(join(here, 'data', 'eth-hourly.csv'), lines.join('\n'));
    const r = hedgesim(['run', file, '--fork-from', join(here, 'original'), '--at-block', '100', '--out', join(here, 'fork'), '-q']);
    expect(r.stderr).toMatch(/--fork-from: the file .*eth-hourly\.csv \(market\.assets\.ETH\.file\) is not the one '.*original' ran with/);
    expect(r.code).toBe(2);
    expect(existsSync(join(here, 'fork'))).toBe(false);
  });

  it('refuses a damaged folder, and a fork of a fork', () => {
    const damaged = tempDir({ 'summary.json': '{"format": 1}', 'run.json': '{}' });
    let r = hedgesim(['run', library('minimal'), '--fork-from', damaged, '--at-block', '1', '--out', join(dir, 'x'), '-q']);
    expect(r.stderr).toMatch(/--fork-from: '.*' lacks what a fork replays from/);
    expect(r.code).toBe(2);
    const fork = join(dir, 'fork1');
    run([library('minimal'), '--fork-from', original, '--at-block', '5', '--out', fork]);
    r = hedgesim(['run', library('minimal'), '--fork-from', fork, '--at-block', '6', '--out', join(dir, 'x'), '-q']);
    expect(r.stderr).toMatch(/--fork-from: '.*fork1' is itself a fork \(of "original"\)/);
    expect(r.code).toBe(2);
    r = hedgesim(['run', library('minimal'), '--at-block', '6', '--out', join(dir, 'x'), '-q']);
    expect(r.stderr).toMatch(/--at-block: only with --fork-from/);
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});
