/**
 * `hedgesim run` on valid input, as a user runs it: the files it writes, what it prints with and
 * without --quiet and --json, the record levels, --set overrides and --seed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hedgesim, MINIMAL, read, readJson, ROOT, tempDirs, type CliResult } from './helpers';

const temp = tempDirs();
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Summary {
  seed: number | string;
  blocks: number;
  prices: Record<string, number>;
  agents: { id: string; kind: string; initialValue: number; pnl: { total: number; edge: number; hold: number } }[];
}
const agent = (s: Summary, id: string) => s.agents.find((a) => a.id === id)!;

describe('hedgesim run scenarios/library/minimal.yaml --out o --record full', () => {
  let dir: string;
  let r: CliResult;
  beforeAll(() => {
    dir = temp();
    r = hedgesim(['run', MINIMAL, '--out', 'o', '--record', 'full'], { cwd: dir });
  });

  it('exits 0 and writes summary.json, run.json, blocks.csv, pnl.csv, mev.csv, transfers.csv, transfers-blocks.csv, transactions.jsonl, mempool.jsonl and report.html', () => {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'o')).sort()).toEqual(['blocks.csv', 'mempool.jsonl', 'mev.csv', 'pnl.csv', 'report.html', 'run.json', 'summary.json', 'transactions.jsonl', 'transfers-blocks.csv', 'transfers.csv']);
  });

  it('leaves no temporary folder next to the output folder', () => {
    expect(readdirSync(dir)).toEqual(['o']);
  });

  it('prints a headline and a P&L table with one row per agent and one for the builder', () => {
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^minimal: 7,200 blocks \(1\.00 days simulated\) in \d+\.\d\d s, seed 1$/);
    const header = lines.findIndex((l) => l.startsWith('agent '));
    // Led by edge and hold; no column for mev, which nobody has without a searcher.
    expect(lines[header]!.split(/\s+/)).toEqual(['agent', 'kind', 'edge', 'hold', 'total', 'trading', 'fees', 'lvr', 'swapFees', 'gas', 'txs', 'reverted']);
    expect(lines[header + 1]).toMatch(/^─+( +─+)+$/);
    const rows = lines.slice(header + 2, header + 6).map((l) => l.split(/\s+/).slice(0, 2));
    // Sorted by edge, best first, as summary.json has them.
    const s = readJson<Summary>(join(dir, 'o'), 'summary.json');
    const byEdge = [...s.agents].sort((a, b) => b.pnl.edge - a.pnl.edge).map((a) => [a.id, a.kind]);
    expect(new Set(s.agents.map((a) => a.pnl.edge)).size).toBe(3);
    expect(rows).toEqual([...byEdge, ['builder', '(proposer)']]);
    expect(r.stdout).toContain(`P&L in USD. Outputs in ${join(dir, 'o')}/ (open report.html in a browser).`);
  });

  it('prints the figures of summary.json, rounded to whole dollars from $100,000', () => {
    const s = readJson<Summary>(join(dir, 'o'), 'summary.json');
    const money = (x: number): string => {
      const digits = Math.abs(x) >= 1e5 ? 0 : Math.abs(x) >= 100 ? 1 : 2;
      return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    };
    for (const id of ['lp', 'noise', 'arb']) {
      const p = agent(s, id).pnl;
      const row = r.stdout.split('\n').find((l) => l.startsWith(`${id} `))!;
      expect(row.split(/\s+/).slice(2, 5)).toEqual([money(p.edge), money(p.hold), money(p.total)]);
    }
  });

  it('records the versions, the record level and the overrides in run.json', () => {
    const run = readJson(join(dir, 'o'), 'run.json');
    expect(run).toMatchObject({ hedgesim: version, node: process.version, platform: `${process.platform}-${process.arch}`, record: 'full', overrides: [] });
    expect(run.wallSeconds).toBeGreaterThan(0);
    expect(Date.parse(run.startedAt as string)).not.toBeNaN();
  });
});

describe('what run prints', () => {
  it('prints nothing at all with --quiet, and still writes the outputs', () => {
    const dir = temp();
    const r = hedgesim(['run', MINIMAL, '--out', 'o', '--quiet'], { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(readdirSync(join(dir, 'o')).sort()).toEqual(['blocks.csv', 'mev.csv', 'pnl.csv', 'report.html', 'run.json', 'summary.json', 'transfers.csv']);
  });

  it('prints the summary as one line of JSON with --json: the content of summary.json', () => {
    const dir = temp();
    const r = hedgesim(['run', MINIMAL, '-o', 'o', '--json'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.endsWith('\n') && r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toEqual(readJson(join(dir, 'o'), 'summary.json'));
  });

  it('writes into out/<scenario name> of the current folder without --out', () => {
    const dir = temp();
    const r = hedgesim(['run', MINIMAL, '-q'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'out', 'minimal')).sort()).toEqual(['blocks.csv', 'mev.csv', 'pnl.csv', 'report.html', 'run.json', 'summary.json', 'transfers.csv']);
  });
});

describe('--record', () => {
  it('summary: writes summary.json, run.json, report.html and transfers.csv, no blocks.csv or transactions.jsonl', () => {
    const dir = temp();
    expect(hedgesim(['run', MINIMAL, '--out', 'o', '-q', '--record', 'summary'], { cwd: dir }).code).toBe(0);
    expect(readdirSync(join(dir, 'o')).sort()).toEqual(['mev.csv', 'report.html', 'run.json', 'summary.json', 'transfers.csv']);
  });

  it('blocks (the default): adds blocks.csv and pnl.csv but no transaction log', () => {
    const dir = temp();
    expect(hedgesim(['run', MINIMAL, '--out', 'o', '-q', '--record', 'blocks'], { cwd: dir }).code).toBe(0);
    expect(readdirSync(join(dir, 'o')).sort()).toEqual(['blocks.csv', 'mev.csv', 'pnl.csv', 'report.html', 'run.json', 'summary.json', 'transfers.csv']);
  });

  it('does not change the results: summary.json is the same at every level', () => {
    const dir = temp();
    for (const level of ['summary', 'blocks', 'full']) expect(hedgesim(['run', MINIMAL, '--out', level, '-q', '--record', level], { cwd: dir }).code).toBe(0);
    expect(read(join(dir, 'summary'), 'summary.json')).toBe(read(join(dir, 'full'), 'summary.json'));
    expect(read(join(dir, 'blocks'), 'summary.json')).toBe(read(join(dir, 'full'), 'summary.json'));
  });
});

describe('--set and --seed', () => {
  const dir = temp();
  const run = (out: string, ...args: string[]): Summary => {
    const r = hedgesim(['run', MINIMAL, '--out', out, '-q', '--record', 'summary', ...args], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return readJson<Summary>(join(dir, out), 'summary.json');
  };
  let base: Summary;
  beforeAll(() => {
    base = run('base');
  });

  it('a different seed changes the price path and every P&L', () => {
    const s = run('seed2', '--set', 'seed=2');
    expect(s.seed).toBe(2);
    expect(s.prices.ETH).not.toBe(base.prices.ETH);
    for (const a of s.agents) expect(a.pnl.total).not.toBe(agent(base, a.id).pnl.total);
  });

  it('a different volatility changes the result', () => {
    const s = run('calm', '--set', 'market.assets.ETH.sigma=0.1');
    expect(s.seed).toBe(1);
    expect(s.prices.ETH).not.toBe(base.prices.ETH);
    expect(agent(s, 'lp').pnl.total).not.toBe(agent(base, 'lp').pnl.total);
  });

  it("an override of the LP's balances shows in its initial value (all deposited, marked at $2,500 per ETH)", () => {
    expect(agent(base, 'lp').initialValue).toBeCloseTo(1000 * 2500 + 2_500_000, 6);
    expect(agent(run('lp1', '--set', 'agents.lp.balances.ETH=2000'), 'lp').initialValue).toBeCloseTo(2000 * 2500 + 2_500_000, 6);
    expect(agent(run('lp2', '--set', 'agents.lp.balances={ETH: 10, USD: 25000}'), 'lp').initialValue).toBeCloseTo(10 * 2500 + 25_000, 6);
  });

  it('applies repeated --set in order (the last one wins) and records them in run.json', () => {
    const s = run('twice', '--set', 'seed=5', '--set', 'seed=2');
    expect(s.seed).toBe(2);
    expect(read(join(dir, 'twice'), 'summary.json')).toBe(read(join(dir, 'seed2'), 'summary.json'));
    expect(readJson(join(dir, 'twice'), 'run.json').overrides).toEqual(['seed=5', 'seed=2']);
  });

  it('--seed N gives byte for byte the summary of --set seed=N', () => {
    run('seed7', '--seed', '7');
    run('set7', '--set', 'seed=7');
    expect(read(join(dir, 'seed7'), 'summary.json')).toBe(read(join(dir, 'set7'), 'summary.json'));
    expect(readJson(join(dir, 'seed7'), 'summary.json').seed).toBe(7);
    expect(read(join(dir, 'seed7'), 'summary.json')).not.toBe(read(join(dir, 'base'), 'summary.json'));
  });

  it('accepts a string seed', () => {
    expect(run('named', '--seed', 'alpha').seed).toBe('alpha');
    expect(existsSync(join(dir, 'named', 'summary.json'))).toBe(true);
  });
});
