/**
 * Simulation faults exit 3 with a diagnostic naming the block and the transaction and write
 * nothing; an existing output folder is replaced only by a run that succeeds, and an interrupted
 * run leaves nothing behind (after SIGKILL, which no handler sees, the next run cleans up).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, edit, FAULT, hedgesim, MINIMAL, OVERFLOWING, read, snapshot, tempDirs, TINY } from './helpers';

/** Blocks full of outside demand: the base fee rises 12.5 % a block from 10 gwei. */
const TINY_BUSY = `name: busy\nblocks: 100\nchain: { blockTime: 12, nativeToken: ETH, baseFee: { initial: 10 }, background: { meanGas: 30000000, sdGas: 0 } }\nmarket:\n  assets: { ETH: { kind: constant, price: 2500 } }\ntokens: { ETH: {}, USD: { usd: 1 } }\nvenues:\n  pool: { kind: cpmm, tokens: [ETH, USD], feeBps: 30 }\nagents:\n  lp: { kind: lp, venue: pool, balances: { ETH: 100, USD: 250000 } }\n`;

const temp = tempDirs();

describe('a simulation fault', () => {
  it('exits 3 naming the fault, the block and the transaction, and writes nothing (not even out/)', () => {
    const dir = temp({ 'overflow.yaml': FAULT });
    const before = snapshot(dir);
    const r = hedgesim(['run', 'overflow.yaml'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe('simulation fault: NEGATIVE_RESERVE at block 2, transaction 2: pool pool reserves 1.7e+308, -Infinity');
    expect(JSON.parse(lines.slice(1, -2).join('\n'))).toEqual({ venue: 'pool', reserve0: 1.7e308, reserve1: null });
    expect(lines.at(-2)).toBe('No output was written.');
    expect(snapshot(dir)).toEqual(before);
  });

  it('does not leave the parent folders it made for --out', () => {
    const dir = temp({ 'overflow.yaml': FAULT });
    const r = hedgesim(['run', 'overflow.yaml', '--out', 'runs/today/overflow', '--record', 'full'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(readdirSync(dir)).toEqual(['overflow.yaml']);
  });

  it('keeps parent folders that existed before', () => {
    const dir = temp({ 'overflow.yaml': FAULT, 'runs/keep.txt': 'mine' });
    expect(hedgesim(['run', 'overflow.yaml', '--out', 'runs/overflow'], { cwd: dir }).code).toBe(3);
    expect(snapshot(dir)).toEqual({ 'overflow.yaml': FAULT, 'runs/': '', 'runs/keep.txt': 'mine' });
  });
});

describe('numbers out of range', () => {
  it('a holding worth more than float64 holds at genesis is an input error located at the agent (exit 2, nothing written)', () => {
    const dir = temp({ 'rich.yaml': edit('price: 1 }', 'price: 2500 }', FAULT) });
    const before = snapshot(dir);
    const r = hedgesim(['run', 'rich.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    // The whale's balances are on line 13 of the file.
    expect(r.stderr).toContain("rich.yaml:13:15: agents.whale.balances: agent 'whale' holds Infinity USD at genesis prices, past float64's range");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a genesis deposit whose shares overflow is an input error located at the agent, not a fault', () => {
    const dir = temp({ 'deep.yaml': edit('balances: { ETH: 1e150, USD: 1e150 }', 'balances: { ETH: 1e200, USD: 1e200 }', FAULT) });
    const r = hedgesim(['run', 'deep.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/deep\.yaml:\d+:\d+: agents\.lp: genesis call of agent 'lp' failed: OVERFLOW: pool pool: /);
  });

  it('a P&L that overflows during the run stops it with exit 3 naming the block and the quantity, never an empty cell', () => {
    // The whale's 1e300 ETH is worth 1e300 USD at genesis; ETH then grows ×45 a block (μ = 1e7 a year).
    const dir = temp({ 'ovf.yaml': OVERFLOWING });
    const blocks = hedgesim(['run', 'ovf.yaml', '--out', 'o'], { cwd: dir });
    expect(blocks.code).toBe(3);
    expect(blocks.stderr.split('\n')[0]).toBe('simulation fault: OVERFLOW at block 5: pnl_whale is Infinity');
    const summary = hedgesim(['run', 'ovf.yaml', '--out', 'o', '--record', 'summary'], { cwd: dir });
    expect(summary.code).toBe(3);
    expect(summary.stderr.split('\n')[0]).toBe('simulation fault: OVERFLOW at block 10: agents.whale.pnl.total is Infinity');
    expect(readdirSync(dir)).toEqual(['ovf.yaml']);
  });

  it('a σ so large the price underflows to 0 stops the run with exit 3 naming the block and the price', () => {
    const dir = temp({ 'sigma.yaml': edit('kind: gbm, price: 1, mu: 10000000, sigma: 0.1', 'kind: gbm, price: 2500, sigma: 1000000', OVERFLOWING) });
    const r = hedgesim(['run', 'sigma.yaml', '--out', 'o'], { cwd: dir });
    expect(r.code).toBe(3);
    // Its pool starts off the new reference price: preflight warns first.
    expect(r.stderr.replace(/^warning: .*\n/gm, '').split('\n')[0]).toBe('simulation fault: UNDERFLOW at block 1: the reference price of ETH is 0 USD (its process left float64\'s range)');
    expect(readdirSync(dir)).toEqual(['sigma.yaml']);
  });

  it('a base fee under demand held above the target stops at its cap: the run completes, every cell a number', () => {
    const dir = temp({ 'busy.yaml': TINY_BUSY });
    const r = hedgesim(['run', 'busy.yaml', '--out', 'o', '-q', '--set', 'chain.baseFee.max=1000'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const rows = read(dir, 'o/blocks.csv').trimEnd().split('\n');
    const fee = rows[0]!.split(',').indexOf('base_fee_gwei');
    expect(rows.slice(1).map((l) => Number(l.split(',')[fee]))).toContain(1000);
    expect(rows.slice(1).every((l) => l.split(',').every((c) => c !== '' && Number.isFinite(Number(c))))).toBe(true);
    expect(JSON.parse(read(dir, 'o/summary.json')).finalBaseFee).toBe(1000);
  });
});

describe('an existing output folder', () => {
  it('is left exactly as it was by a run that faults, and replaced as a whole by one that succeeds', () => {
    const dir = temp({ 'overflow.yaml': FAULT });
    expect(hedgesim(['run', MINIMAL, '--out', 'o', '--record', 'full', '-q'], { cwd: dir }).code).toBe(0);
    const previous = snapshot(dir);
    expect(Object.keys(previous)).toContain('o/transactions.jsonl');

    expect(hedgesim(['run', 'overflow.yaml', '--out', 'o', '--record', 'full'], { cwd: dir }).code).toBe(3);
    expect(snapshot(dir)).toEqual(previous);

    // A successful run with less to record replaces the folder: no stale blocks.csv or log remain.
    expect(hedgesim(['run', MINIMAL, '--out', 'o', '--record', 'summary', '-q'], { cwd: dir }).code).toBe(0);
    expect(readdirSync(join(dir, 'o')).sort()).toEqual(['mev.csv', 'report.html', 'run.json', 'summary.json', 'transfers.csv']);
    expect(readdirSync(dir).sort()).toEqual(['o', 'overflow.yaml']);
  });

  it('is left exactly as it was by invalid input', () => {
    const dir = temp({ 'overflow.yaml': FAULT });
    expect(hedgesim(['run', MINIMAL, '--out', 'o', '-q'], { cwd: dir }).code).toBe(0);
    const previous = snapshot(dir);
    expect(hedgesim(['run', MINIMAL, '--out', 'o', '--set', 'chain.blockTime=-1'], { cwd: dir }).code).toBe(2);
    expect(snapshot(dir)).toEqual(previous);
  });
});

describe('an interrupted run', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('on %s exits 128 + signal, writes nothing and keeps the previous output', async (signal) => {
    const dir = temp({ 'tiny.yaml': TINY });
    expect(hedgesim(['run', 'tiny.yaml', '--out', 'o', '-q'], { cwd: dir }).code).toBe(0);
    const previous = snapshot(dir);
    // Long enough to be interrupted (several seconds), stopped as soon as its temporary folder exists.
    const child = spawn(process.execPath, [CLI, 'run', 'tiny.yaml', '--out', 'o', '-q', '--set', 'blocks=20000000'], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 20_000;
    while (!readdirSync(dir).some((f) => f.startsWith('.o.tmp-')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    child.kill(signal);
    expect(await exited).toBe(signal === 'SIGINT' ? 130 : 143);
    expect(stderr).toContain(`Interrupted (${signal}): no output was written (any previous outputs are as they were).`);
    expect(snapshot(dir)).toEqual(previous);
    expect(existsSync(join(dir, 'o', 'summary.json'))).toBe(true);
  });

  it('by SIGKILL leaves its temporary folder, which the next run into the same folder removes (only those of dead processes)', async () => {
    const dir = temp({ 'tiny.yaml': TINY });
    expect(hedgesim(['run', 'tiny.yaml', '--out', 'o', '-q'], { cwd: dir }).code).toBe(0);
    const child = spawn(process.execPath, [CLI, 'run', 'tiny.yaml', '--out', 'o', '-q', '--set', 'blocks=20000000'], { cwd: dir });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const left = `.o.tmp-${child.pid}`;
    const deadline = Date.now() + 20_000;
    while (!existsSync(join(dir, left)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // No handler runs on SIGKILL: the half-written folder stays.
    expect(existsSync(join(dir, left, 'blocks.csv'))).toBe(true);
    // Another target's folder stays; a dead process's `.old` (killed while committing) goes too,
    // since o/ is in place.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    for (const d of [`.o.tmp-${dead}.old`, `.other.tmp-${dead}`]) mkdirSync(join(dir, d));
    expect(hedgesim(['run', 'tiny.yaml', '--out', 'o', '-q'], { cwd: dir }).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([`.other.tmp-${dead}`, 'o', 'tiny.yaml'].sort());
    // A live process's folder (this test's own pid: a run in progress) stays, and the run is
    // refused: two runs must not write one folder.
    const live = `.o.tmp-${process.pid}`;
    mkdirSync(join(dir, live));
    const r = hedgesim(['run', 'tiny.yaml', '--out', 'o', '-q'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([2, `error: --out: 'o' is being written by another hedgesim process (pid ${process.pid}); wait for it to finish, or give another --out\n`]);
    expect(readdirSync(dir).sort()).toEqual([live, `.other.tmp-${dead}`, 'o', 'tiny.yaml'].sort());
  });
});
