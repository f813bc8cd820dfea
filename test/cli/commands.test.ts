/**
 * The other commands — validate, list, schema — and what every command prints for --help; colour
 * only on a terminal and never with NO_COLOR; a reader that stops early is not an error; progress
 * (a bar on a terminal, plain lines otherwise).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANSI, CLI, edit, FAULT, hedgesim, MINIMAL, ROOT, snapshot, tempDirs, TINY } from './helpers';

const temp = tempDirs();

describe('hedgesim validate', () => {
  it('prints the resolved scenario as JSON — defaults filled in, durations in seconds — and writes nothing', () => {
    const dir = temp();
    const r = hedgesim(['validate', MINIMAL], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const s = JSON.parse(r.stdout) as Record<string, any>;
    expect(s).toMatchObject({ name: 'minimal', seed: 1, duration: 86400, numeric: 'float', checkInvariants: false });
    expect(s.chain).toMatchObject({ blockTime: 12, gasLimit: 30_000_000, ordering: 'priority', baseFee: { initial: 2, mode: 'fixed', min: 0 } });
    expect(s.agents.noise).toMatchObject({ kind: 'noise', meanInterval: 60, medianUsd: 2000, slippage: 0.01 });
    expect(Object.keys(s.agents)).toEqual(['lp', 'noise', 'arb']);
    expect(snapshot(dir)).toEqual({});
  });

  it('applies --set', () => {
    const r = hedgesim(['validate', MINIMAL, '--set', 'seed=9', '--set', 'agents.arb.bid.share=0.3']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Record<string, any>;
    expect([s.seed, s.agents.arb.bid.share]).toEqual([9, 0.3]);
  });

  it('prints what the JSON Schema of `schema` accepts', () => {
    const schema = JSON.parse(hedgesim(['schema']).stdout) as object;
    const check = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    const s = JSON.parse(hedgesim(['validate', MINIMAL]).stdout) as unknown;
    expect(check(s), JSON.stringify(check.errors)).toBe(true);
  });
});

describe('hedgesim list', () => {
  const bundled = [
    ...readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).map((f) => `scenarios/${f}`),
    ...readdirSync(join(ROOT, 'scenarios', 'library')).filter((f) => f.endsWith('.yaml')).map((f) => `scenarios/library/${f}`),
  ].sort();

  it('lists every bundled scenario with its description, one line each', () => {
    const r = hedgesim(['list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0]).sort()).toEqual(bundled);
    expect(bundled.length).toBeGreaterThanOrEqual(9);
    for (const line of lines) {
      const [path, ...desc] = line.split(/\s{2,}/);
      expect(readFileSync(join(ROOT, path!), 'utf8')).toContain(desc.join('  '));
    }
  });

  it('gives paths relative to the current folder, each of which validates from there', () => {
    const dir = temp();
    const paths = hedgesim(['list'], { cwd: dir }).stdout.trimEnd().split('\n').map((l) => l.split(/\s{2,}/)[0]!);
    expect(paths).toHaveLength(bundled.length);
    for (const p of paths) {
      const r = hedgesim(['validate', p], { cwd: dir });
      // exact-vectors' test-vector pools sit off the reference on purpose: its warnings are expected.
      expect(p.endsWith('exact-vectors.yaml') ? r.stderr.replace(/^warning: .*\n/gm, '') : r.stderr, p).toBe('');
      expect(r.code, p).toBe(0);
    }
  });
});

describe('hedgesim schema', () => {
  it('prints a JSON Schema (draft 2020-12) of scenario files', () => {
    const r = hedgesim(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { $schema: string; type: string; properties: Record<string, unknown>; required: string[] };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['name', 'seed', 'blocks', 'duration', 'chain', 'market', 'tokens', 'venues', 'agents']));
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'chain', 'market', 'tokens']));
  });

  it('stops quietly when the reader closes the pipe early (hedgesim schema | head)', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" schema | head -c 20`], { encoding: 'utf8' });
    expect(r.stdout).toBe('{\n  "$schema": "http');
    expect(r.stderr).toBe('');
  });
});

describe('--help', () => {
  const helps: [string, string[], string][] = [
    ['hedgesim --help', ['--help'], 'Usage: hedgesim [options] [command]'],
    ['hedgesim help', ['help'], 'Usage: hedgesim [options] [command]'],
    ['hedgesim run --help', ['run', '--help'], 'Usage: hedgesim run [options] <file>'],
    ['hedgesim help run', ['help', 'run'], 'Usage: hedgesim run [options] <file>'],
    ['hedgesim validate --help', ['validate', '--help'], 'Usage: hedgesim validate [options] <file>'],
    ['hedgesim list --help', ['list', '--help'], 'Usage: hedgesim list [options]'],
    ['hedgesim schema -h', ['schema', '-h'], 'Usage: hedgesim schema [options]'],
  ];

  it.each(helps)('%s exits 0 with usage and examples on stdout', (_name, args, usage) => {
    const r = hedgesim(args);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n')[0]).toBe(usage);
    expect(r.stdout).toMatch(/\nExamples:\n {2}hedgesim /);
  });

  it('run --help names every flag and the record levels', () => {
    const out = hedgesim(['run', '--help']).stdout;
    for (const flag of ['--out <dir>', '--seed <n>', '--set <path=value>', '--record <level>', '--quiet', '--json']) expect(out).toContain(flag);
    expect(out).toContain('choices: "summary", "blocks", "full"');
  });

  it('the top-level help names the commands and the exit codes', () => {
    const out = hedgesim(['--help']).stdout;
    for (const cmd of ['run [options] <file>', 'validate [options] <file>', 'list', 'schema']) expect(out).toContain(cmd);
    expect(out).toContain('Exit codes: 0 success, 2 invalid input (nothing written), 3 simulation fault (nothing written; for\nsweep: every run failed, outputs written), 1 a bug in hedgesim (please report it; HEDGESIM_DEBUG=1\nprints the stack trace), 130/143/129 interrupted by SIGINT/SIGTERM/SIGHUP (previous outputs kept).');
  });

  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(hedgesim(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('colour', () => {
  it('is never used when stderr is not a terminal', () => {
    const dir = temp({ 's.yaml': edit('blockTime: 12', 'blockTime: -2') });
    for (const args of [['run', 's.yaml'], ['run', 'nope.yaml'], ['run', '--bogus', 's.yaml'], ['run', MINIMAL, '--out', 'o']]) {
      const r = hedgesim(args, { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
      expect(r.stderr + r.stdout).not.toMatch(ANSI);
    }
  });

  // On a terminal (a pseudo-terminal from script(1), where available): red without NO_COLOR, none with it.
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  const onTerminal = (command: string, env: Record<string, string | undefined>, cwd: string): string => {
    // stdout goes to /dev/null inside the terminal: what script captures is stderr.
    const r = spawnSync('script', ['-qec', `"${process.execPath}" "${CLI}" ${command} > /dev/null`, '/dev/null'], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
    return r.stdout;
  };

  it.skipIf(!hasScript)('on a terminal, errors are red unless NO_COLOR is set', () => {
    const dir = temp({ 's.yaml': edit('blockTime: 12', 'blockTime: -2') });
    const red = onTerminal('run s.yaml', { NO_COLOR: undefined }, dir);
    expect(red).toContain('\u001b[31minvalid scenario\u001b[0m');
    const plain = onTerminal('run s.yaml', { NO_COLOR: '1' }, dir);
    expect(plain).toContain('s.yaml:5:14: chain.blockTime: must be > 0 seconds, found -2');
    expect(plain).not.toMatch(ANSI);
  });

  it.skipIf(!hasScript)('on a terminal with NO_COLOR, a simulation fault and a short run print no ANSI escapes', () => {
    const dir = temp({ 'tiny.yaml': TINY, 'overflow.yaml': FAULT });
    expect(onTerminal('run overflow.yaml', { NO_COLOR: undefined }, dir)).toContain('\u001b[31msimulation fault\u001b[0m');
    const fault = onTerminal('run overflow.yaml', { NO_COLOR: '1' }, dir);
    expect(fault).toContain('simulation fault: NEGATIVE_RESERVE at block 2, transaction 2');
    expect(fault).not.toMatch(ANSI);
    expect(onTerminal('run tiny.yaml --out o', { NO_COLOR: '1' }, dir)).not.toMatch(ANSI);
  });
});

describe('progress on stderr', () => {
  // The timing comes from HEDGESIM_PROGRESS_INTERVAL / HEDGESIM_PROGRESS_DELAY, so a 50-block run
  // shows what a long one shows every 5 s (plain lines) or after 1 s (the bar).
  const LINE = /^block (\d+)\/50 \((\d+)%\), sim (.+), ([\d,]+) blocks\/s, ETA (.+)$/;

  it('off a terminal: a plain line with block, share, simulated time, blocks/s and ETA at each report', () => {
    const dir = temp({ 'tiny.yaml': TINY });
    const r = hedgesim(['run', 'tiny.yaml', '--out', 'o'], { cwd: dir, env: { HEDGESIM_PROGRESS_INTERVAL: '0' } });
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    // 50 blocks are stepped one at a time (about 200 steps for any run): one line per step.
    expect(lines).toHaveLength(50);
    lines.forEach((line, i) => {
      const m = LINE.exec(line);
      expect(m, line).not.toBeNull();
      expect([Number(m![1]), Number(m![2])]).toEqual([i + 1, Math.round((100 * (i + 1)) / 50)]);
    });
    // Simulated time at 12 s a block; no block left at the end.
    expect(LINE.exec(lines[0]!)![3]).toBe('12 s');
    expect(LINE.exec(lines[49]!)![3]).toBe('10.0 min');
    expect(LINE.exec(lines[49]!)![5]).toBe('0 s');
    expect(r.stderr).not.toMatch(ANSI);
  });

  it('off a terminal: nothing for a run shorter than the interval (5 s by default)', () => {
    const dir = temp({ 'tiny.yaml': TINY });
    expect(hedgesim(['run', 'tiny.yaml', '--out', 'o'], { cwd: dir, env: { HEDGESIM_PROGRESS_INTERVAL: undefined } })).toMatchObject({ code: 0, stderr: '' });
  });

  it('nothing with --quiet or --json, however often it is due', () => {
    const dir = temp({ 'tiny.yaml': TINY });
    for (const flag of ['--quiet', '--json']) {
      expect(hedgesim(['run', 'tiny.yaml', '--out', 'o', flag], { cwd: dir, env: { HEDGESIM_PROGRESS_INTERVAL: '0', HEDGESIM_PROGRESS_DELAY: '0' } })).toMatchObject({ code: 0, stderr: '' });
    }
  });

  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  const onTerminal = (command: string, env: Record<string, string | undefined>, cwd: string): string =>
    spawnSync('script', ['-qec', `"${process.execPath}" "${CLI}" ${command} > /dev/null`, '/dev/null'], { cwd, encoding: 'utf8', env: { ...process.env, ...env } }).stdout;

  it.skipIf(!hasScript)('on a terminal: a bar with block, simulated time, blocks/s and ETA, once the run has lasted HEDGESIM_PROGRESS_DELAY', () => {
    const dir = temp({ 'tiny.yaml': TINY });
    const bar = onTerminal('run tiny.yaml --out o', { HEDGESIM_PROGRESS_DELAY: '0', NO_COLOR: '1' }, dir);
    expect(bar).toMatch(/█+ 100% \| block 50\/50 \| sim 10\.0 min \| [\d,]+ blocks\/s \| ETA 0s/);
    // Drawn over itself: the partial bars come before the full one.
    expect(bar).toMatch(/░.*block \d+\/50 /s);
    expect(bar).not.toMatch(LINE);
    // The default delay of a second: a short run gets no bar.
    expect(onTerminal('run tiny.yaml --out o', { HEDGESIM_PROGRESS_DELAY: undefined, NO_COLOR: '1' }, dir)).not.toContain('blocks/s');
  });
});
