/**
 * Issue 11, "every error is a message, never a stack trace": each input that used to end in a stack
 * trace, a silently wrong run or a hung process is refused with one located line and exit 2, before
 * anything runs or is written; an unexpected error is one line and exit 1 asking for a report.
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../cli/failure';
import { BASE, CLEAN_ENV, edit as editSweep, SWEEP } from '../batch/fixtures';
import { edit, hedgesim, snapshot, tempDirs, TINY } from './helpers';

const temp = tempDirs();

/** Exit 2, stderr exactly `invalid scenario` and `line` (no stack trace), and the folder untouched. */
function refused(files: Record<string, string | Buffer>, args: string[], lines: string[], header = 'invalid scenario'): void {
  const dir = temp();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const before = snapshot(dir);
  const r = hedgesim(args, { cwd: dir, env: CLEAN_ENV });
  expect([r.code, r.stderr.split('\n')], args.join(' ')).toEqual([2, header === '' ? [...lines, ''] : [header, ...lines, '']]);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(snapshot(dir)).toEqual(before);
}

describe('scenario values the engine cannot hold', () => {
  it.each(['', '\nnumeric: exact'])('chain.baseFee.initial 1e300 (exact mode: %j) is refused at the field, not a BigInt RangeError', (mode) => {
    const s = edit('baseFee: { initial: 2, mode: fixed }', 'baseFee: { initial: 1e300, mode: fixed }') + mode;
    refused({ 's.yaml': s }, ['run', 's.yaml', '--out', 'o'], ['s.yaml:7:23: chain.baseFee.initial: must be below 1e299 gwei (in wei, × 1e9, it would exceed the largest number, about 1.8e308), found 1e+300']);
  });

  it('a swept base fee of 1e300 is refused at the parameter, before any run', () => {
    const sweep = editSweep(SWEEP, 'agents.arb.bid.share: { values: [0.2, 0.8] }', 'chain.baseFee.initial: { values: [1, 1e300] }');
    const dir = temp({ 'base.yaml': BASE, 'sw.yaml': sweep });
    const r = hedgesim(['sweep', 'sw.yaml', '--out', 'o', '-q'], { cwd: dir, env: CLEAN_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sw\.yaml:\d+:\d+: parameters\.chain\.baseFee\.initial: at point \d+ .*must be below 1e299 gwei/m);
  });
});

describe('ids that JavaScript objects already carry', () => {
  const cases: [string, string, string, string][] = [
    ['an agent', '  lp: { kind: lp', '  __proto__: { kind: lp', 's.yaml:17:3: agents.__proto__'],
    ['an agent', '  lp: { kind: lp', '  constructor: { kind: lp', 's.yaml:17:3: agents.constructor'],
    ['an agent', '  lp: { kind: lp', '  hasOwnProperty: { kind: lp', 's.yaml:17:3: agents.hasOwnProperty'],
    ['a token', '  USD: { usd: 1 }', '  USD: { usd: 1 }\n  __proto__: {}', 's.yaml:14:3: tokens.__proto__'],
    ['a venue', '  pool: { kind: cpmm', '  toString: { kind: cpmm', 's.yaml:15:3: venues.toString'],
    ['an asset', '    ETH: { kind: gbm', '    __proto__: { kind: constant, price: 1 }\n    ETH: { kind: gbm', 's.yaml:10:5: market.assets.__proto__'],
  ];
  it.each(cases)('%s with a reserved name is refused at its key (once silently dropped): %s → %s', (_what, from, to, at) => {
    const name = /(\w+): \{/.exec(to.split('\n').find((l) => !l.includes('USD') && !l.includes('ETH: {'))!)![1]!;
    refused({ 's.yaml': edit(from, to) }, ['run', 's.yaml', '--out', 'o'], [`${at}: '${name}' cannot be used as a name: JavaScript objects already have a property of that name; rename it`]);
  });

  it('in a --set path too', () => {
    refused({ 's.yaml': TINY }, ['run', 's.yaml', '--out', 'o', '--set', 'agents.__proto__.kind=lp'], ["--set:1:8: '__proto__' cannot be used as a name: JavaScript objects already have a property of that name; rename it (in --set agents.__proto__.kind=lp)"]);
  });
});

describe('a triad whose unit is its own anchor or invariant token', () => {
  const triad = edit('venues:\n', 'venues:\n  t: { kind: triad, unit: X, one: X }\n');
  it('one: the unit', () => refused({ 's.yaml': triad }, ['run', 's.yaml', '--out', 'o'], [`s.yaml:15:35: venues.t.one: the triad's unit 'X' cannot be its own invariant token "one": give the unit (or one) another name`]));
  it('anchor: the unit', () => {
    const s = edit('venues:\n', 'venues:\n  t: { kind: triad, unit: X, anchor: X }\n');
    refused({ 's.yaml': s }, ['run', 's.yaml', '--out', 'o'], [`s.yaml:15:38: venues.t.anchor: the triad's unit 'X' cannot be its own anchor (U wraps its anchor 1:1); anchor it to another token, or leave anchor out for a floating unit`]);
  });
});

describe('text that is not UTF-8, or too large to read inline', () => {
  it('a scenario file: the line and column of the first bad byte', () => {
    const [head, tail] = edit('name: tiny', 'name: tiny\ndescription: caf<E9> au lait').split('<E9>') as [string, string];
    const s = Buffer.concat([Buffer.from(head), Buffer.from([0xe9]), Buffer.from(tail)]);
    refused({ 's.yaml': s }, ['validate', 's.yaml'], ['s.yaml:3:17: the scenario file is not valid UTF-8: byte 90 (0xe9) starts no UTF-8 character; save the file as UTF-8']);
  });

  it('a CSV price file', () => {
    const s = edit('    ETH: { kind: gbm, price: 2500, sigma: 0.8 }', '    ETH: { kind: csv, file: p.csv }');
    const csv = Buffer.concat([Buffer.from('time,ETH\n0,2500\n600,25'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    refused({ 's.yaml': s, 'p.csv': csv }, ['run', 's.yaml', '--out', 'o'], ['p.csv:3:7: market.assets.ETH: the CSV file is not valid UTF-8: byte 22 (0xc3) starts no UTF-8 character; save the file as UTF-8']);
  });

  it('a sweep file', () => {
    const sw = Buffer.concat([Buffer.from('name: small\n# r'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('\n'), Buffer.from(SWEEP.replace('name: small\n', ''))]);
    refused({ 'base.yaml': BASE, 'sw.yaml': sw }, ['sweep', 'sw.yaml', '--out', 'o'], ['sw.yaml:2:4: the sweep file is not valid UTF-8: byte 15 (0xed) starts no UTF-8 character; save the file as UTF-8']);
  });

  it('a scenario over 16 MiB is refused unread, pointing to CSV price files', () => {
    const pad = `# ${'x'.repeat(1000)}\n`.repeat(17 * 1024);
    refused({ 's.yaml': TINY + pad }, ['validate', 's.yaml'], ['s.yaml:1:1: the scenario file is 16.7 MiB, over the 16 MiB that YAML is read inline: put long price series in a CSV price file (a `kind: csv` asset, see docs/scenarios.md)']);
  });
});

describe('a sweep too large to expand', () => {
  it('is refused with its size before any point is built', () => {
    const values = `[${Array.from({ length: 1000 }, (_, i) => i + 1).join(', ')}]`;
    const sweep = editSweep(editSweep(SWEEP, 'venues.pool.feeBps: { values: [5, 30, 100] }', `venues.pool.feeBps: { values: ${values} }\n  agents.noise.medianUsd: { values: ${values} }`), 'points:\n  - { agents.noise.medianUsd: 1000 }\n  - { agents.noise.medianUsd: 3000 }\n', '').replace(', agents.noise.medianUsd: 1000 }', ' }').replace('replicates: 3', 'replicates: 1000');
    const dir = temp({ 'base.yaml': BASE, 'sw.yaml': sweep });
    const t0 = performance.now();
    const r = hedgesim(['sweep', 'sw.yaml', '--out', 'o', '-q'], { cwd: dir, env: CLEAN_ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sw\.yaml:7:1: parameters: the sweep expands to 2,000,000 points × 1000 replicates = 2,000,000,000 runs, about \d+\.\d GiB to hold \(more than 1 GiB\): use fewer values, samples or replicates, or split it into several sweeps$/m);
    expect(performance.now() - t0).toBeLessThan(30_000);
  });
});

describe('--out where no folder can be written: refused before any run (once a stack trace or a hang)', () => {
  const world = (): string => {
    const dir = temp({ 'tiny.yaml': TINY, 'base.yaml': BASE, 'sw.yaml': SWEEP, 'a-file': 'x' });
    symlinkSync('loop-b', join(dir, 'loop-a'));
    symlinkSync('loop-a', join(dir, 'loop-b'));
    return dir;
  };
  const commands = (out: string): string[][] => [
    ['run', 'tiny.yaml', '--out', out, '-q'],
    ['sweep', 'sw.yaml', '--out', out, '-q'],
    ['merge', 'sw-done', '--out', out, '-q'],
  ];
  const cases: [string, string, RegExp][] = [
    ['a loop of symbolic links', 'loop-a', /^error: --out: 'loop-a' leads into a loop of symbolic links$/],
    ['a folder under a loop', 'loop-a/x', /^error: --out: 'loop-a\/x' leads into a loop of symbolic links/],
    ['under a file', 'a-file/x', /^error: --out: 'a-file\/x' is under .*a-file, which is a file: no folder can be made there$/],
    ['in /proc', '/proc/hedgesim-out', /^error: --out: '\/proc\/hedgesim-out' is on \/proc, a proc pseudo-filesystem, which holds no ordinary files: give a folder on a disk, e\.g\. out\/run-1$/],
    ['in /sys', '/sys/hedgesim-out', /^error: --out: '\/sys\/hedgesim-out' is on \/sys, a sysfs pseudo-filesystem/],
  ];
  it.each(cases)('%s: run, sweep and merge exit 2 at once', (_what, out, message) => {
    const dir = world();
    expect(hedgesim(['sweep', 'sw.yaml', '--out', 'sw-done', '-q'], { cwd: dir, env: CLEAN_ENV }).code).toBe(0);
    const before = snapshot(dir);
    for (const args of commands(out)) {
      const t0 = performance.now();
      // Bounded: sweep and merge used to spin forever in /proc.
      const r = hedgesim(args, { cwd: dir, env: CLEAN_ENV, timeout: 30_000 });
      expect([r.code, r.stderr.trimEnd()], args.join(' ')).toEqual([2, expect.stringMatching(message)]);
      expect(performance.now() - t0).toBeLessThan(20_000);
    }
    expect(snapshot(dir)).toEqual(before);
  });

  // Root writes anywhere: the read-only case runs as the user nobody when the tests run as root.
  const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  it('a read-only folder: run, sweep and merge exit 2 at once', () => {
    const dir = world();
    expect(hedgesim(['sweep', 'sw.yaml', '--out', 'sw-done', '-q'], { cwd: dir, env: CLEAN_ENV }).code).toBe(0);
    mkdirSync(join(dir, 'ro'));
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'ro'), 0o555);
    for (const f of ['tiny.yaml', 'base.yaml', 'sw.yaml']) chmodSync(join(dir, f), 0o644);
    for (const args of commands('ro/out')) {
      const r = hedgesim(args, { cwd: dir, env: CLEAN_ENV, ...unprivileged });
      expect([r.code, r.stderr.trimEnd()], args.join(' ')).toEqual([2, `error: --out: 'ro/out' cannot be written: ${join(dir, 'ro')}, where it would be made, is read-only for this user`]);
    }
  });
});

describe('an unexpected error', () => {
  const bug = new TypeError("Cannot read properties of undefined (reading 'x')\nmore");
  it('is one line asking for a report, exit 1, no stack trace', () => {
    const f = describeFailure(bug, (s) => s, {});
    expect(f.code).toBe(1);
    expect(f.text.split('\n')).toEqual([
      "internal error: TypeError: Cannot read properties of undefined (reading 'x') — this is a bug in hedgesim; please report it with the command and its input files (HEDGESIM_DEBUG=1 prints the stack trace)",
      '',
    ]);
  });
  it('prints its stack trace with HEDGESIM_DEBUG=1', () => {
    const f = describeFailure(bug, (s) => s, { HEDGESIM_DEBUG: '1' });
    expect(f.text).toContain(bug.stack!);
  });
});
