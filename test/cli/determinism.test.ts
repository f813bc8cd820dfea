/**
 * Same scenario and seed ⇒ byte-identical outputs (DESIGN §6), whatever the folder or the current
 * directory. run.json alone carries wall time and may differ: that is why it is a separate file.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hedgesim, MINIMAL, read, readJson, ROOT, tempDirs } from './helpers';

const temp = tempDirs();
const DETERMINISTIC = ['summary.json', 'blocks.csv', 'pnl.csv', 'mev.csv', 'transfers.csv', 'transfers-blocks.csv', 'transactions.jsonl', 'mempool.jsonl', 'report.html'];

describe('determinism of the outputs', () => {
  let a: string;
  let b: string;
  let c: string;
  beforeAll(() => {
    const one = temp();
    const two = temp();
    a = join(one, 'a');
    b = join(two, 'nested', 'b');
    c = join(one, 'seed-2');
    // The second run from another current folder, with a relative path to another folder name.
    expect(hedgesim(['run', MINIMAL, '--out', a, '--record', 'full', '-q'], { cwd: one }).code).toBe(0);
    expect(hedgesim(['run', MINIMAL, '--out', 'nested/b', '--record', 'full', '-q'], { cwd: two }).code).toBe(0);
    expect(hedgesim(['run', MINIMAL, '--out', c, '--record', 'full', '-q', '--seed', '2'], { cwd: one }).code).toBe(0);
  });

  it.each(DETERMINISTIC)('two runs with the same seed write byte-identical %s', (file) => {
    const first = read(a, file);
    expect(first.length).toBeGreaterThan(100);
    expect(read(b, file) === first).toBe(true);
  });

  it('run.json holds what may differ between identical runs: wall time and start time', () => {
    const ra = readJson(a, 'run.json');
    const rb = readJson(b, 'run.json');
    expect(Object.keys(ra).sort()).toEqual(Object.keys(rb).sort());
    expect(ra.wallSeconds).toBeTypeOf('number');
    expect(ra.startedAt).toBeTypeOf('string');
    const { wallSeconds: _w1, blocksPerSecond: _b1, startedAt: _s1, ...restA } = ra;
    const { wallSeconds: _w2, blocksPerSecond: _b2, startedAt: _s2, ...restB } = rb;
    expect(restA).toEqual(restB);
  });

  // minimal.yaml has no searcher: its mev.csv is the header alone whatever the seed (below, a run with MEV).
  it.each(DETERMINISTIC.filter((f) => f !== 'mev.csv'))('a different seed writes a different %s', (file) => {
    expect(read(c, file) === read(a, file)).toBe(false);
  });

  it('the summary names the seed and a scenario hash that changes with it', () => {
    const sa = readJson(a, 'summary.json');
    const sc = readJson(c, 'summary.json');
    expect([sa.seed, sc.seed]).toEqual([1, 2]);
    expect(sa.scenarioHash).toMatch(/^[0-9a-f]{64}$/);
    expect(sc.scenarioHash).not.toBe(sa.scenarioHash);
  });
});

describe('determinism of mev.csv in a run with MEV (default.yaml, 1 hour: a sandwicher)', () => {
  it('the same seed writes it byte-identical, another seed differently, and it has rows', () => {
    const dir = temp();
    const FRONT = join(ROOT, 'scenarios', 'default.yaml');
    for (const [out, seed] of [['a', '1'], ['b', '1'], ['c', '2']] as const) {
      expect(hedgesim(['run', FRONT, '--out', join(dir, out), '--record', 'summary', '-q', '--seed', seed, '--set', 'duration=1h'], { cwd: dir }).code).toBe(0);
    }
    const a = read(join(dir, 'a'), 'mev.csv');
    expect(a.trimEnd().split('\n').length).toBeGreaterThan(5);
    expect(read(join(dir, 'b'), 'mev.csv') === a).toBe(true);
    expect(read(join(dir, 'c'), 'mev.csv') === a).toBe(false);
  });
});
