/**
 * Issue 11, "tests that keep it so": fast-check mutates the bundled scenarios — a leaf replaced by a
 * value of the wrong type, an extreme number, a hostile string; a field or entry deleted or
 * duplicated; a key renamed; a line of the file deleted or repeated — and every case must end as
 * the command line would end it with exit 0, 2 or 3: 2 with every problem located (file:line:col),
 * 3 naming the block; never a stack trace, never a partial output folder; and a run that succeeds
 * writes no null, NaN or empty cell. The cases run in-process through `runCommand` and the
 * classification of cli/failure.ts (the code path of `hedgesim run`), each cut to a few blocks; a
 * sample also goes through the built command line.
 */
import { emptyAllowed } from '../../cli/finite';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { describeFailure } from '../../cli/failure';
import { runCommand } from '../../cli/run';
import { hedgesim, ROOT } from './helpers';

const LIBRARY = join(ROOT, 'scenarios', 'library');
const SCENARIOS = [join(ROOT, 'scenarios', 'default.yaml'), ...readdirSync(LIBRARY).filter((f) => f.endsWith('.yaml')).map((f) => join(LIBRARY, f))];
/** Each bundled scenario cut to a few blocks (so hundreds of cases run in seconds). */
const BASES = SCENARIOS.map((file) => {
  const data = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  delete data.duration;
  data.blocks = 12;
  return { name: file.slice(ROOT.length), data };
});
const MAX_BLOCKS = 200;

type Path = (string | number)[];

/** Every path into the data: maps' keys and lists' indices, inner nodes and leaves. */
function paths(node: unknown, at: Path = []): Path[] {
  if (Array.isArray(node)) return [at, ...node.flatMap((x, i) => paths(x, [...at, i]))];
  if (node !== null && typeof node === 'object') return [at, ...Object.entries(node).flatMap(([k, v]) => paths(v, [...at, k]))];
  return [at];
}

const clone = <T>(x: T): T => structuredClone(x);

function parentOf(root: unknown, path: Path): { parent: Record<string | number, unknown>; key: string | number } | undefined {
  if (path.length === 0) return undefined;
  let node = root as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  return { parent: node, key: path[path.length - 1]! };
}

/** Set an own property, `__proto__` included (a plain assignment would set the prototype). */
function put(obj: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

const HOSTILE_STRINGS = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'prototype', '', ' ', 'NaN', 'Infinity', '-Infinity', '1e999', '-0', '0x1f', '1_000', '∞', '𝔘/𝟙', 'ünïcödé', '\u202e', '\u0000', 'x'.repeat(5000), '{ a: 1 }', '- 1', '*alias', '&anchor', "'quoted'", '#', '12s', '90d', '-5m'];
const EXTREMES = [1e308, -1e308, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -0, 0, -1, 1, 0.5, 2 ** 53 + 2, -(2 ** 53), 1e21, 1e300, 1e-300, 12345678901234567890, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...EXTREMES),
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(true, false, null, [], {}, [1, 'x'], { kind: 'unknown' }, [[1, 2], [3]]),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 30 }),
);

type Mutation =
  | { op: 'replace'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'duplicate'; at: number; key: string }
  | { op: 'rename'; at: number; key: string }
  | { op: 'line'; at: number; action: 'delete' | 'repeat' };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), key: fc.constantFrom('copy', '__proto__', 'constructor', 'x'.repeat(300), '∞') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rename' as const), at: fc.nat(), key: fc.constantFrom(...HOSTILE_STRINGS.slice(0, 12)) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('line' as const), at: fc.nat(), action: fc.constantFrom('delete' as const, 'repeat' as const) }) },
);

/** The scenario text after the mutations, each applied to a path (or line) chosen by its index. */
function mutate(base: Record<string, unknown>, ms: readonly Mutation[]): string {
  const data = clone(base);
  let lineOps: Extract<Mutation, { op: 'line' }>[] = [];
  for (const m of ms) {
    if (m.op === 'line') {
      lineOps = [...lineOps, m];
      continue;
    }
    const all = paths(data);
    const path = all[m.at % all.length]!;
    const slot = parentOf(data, path);
    if (slot === undefined) continue;
    const { parent, key } = slot;
    if (m.op === 'replace') put(parent, key, clone(m.value));
    else if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (m.op === 'duplicate') {
      if (Array.isArray(parent)) parent.push(clone(parent[key as number]));
      else put(parent, m.key, clone(parent[key]));
    } else if (!Array.isArray(parent)) {
      const v = parent[key];
      delete parent[key];
      put(parent, m.key, v);
    }
  }
  // Runs stay short: a mutation may lengthen them only up to MAX_BLOCKS.
  if (typeof data.blocks === 'number' && Number.isInteger(data.blocks) && data.blocks > MAX_BLOCKS) data.blocks = MAX_BLOCKS;
  let lines = stringify(data, { lineWidth: 0 }).split('\n');
  for (const l of lineOps) {
    const i = l.at % lines.length;
    lines = l.action === 'delete' ? [...lines.slice(0, i), ...lines.slice(i + 1)] : [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)];
  }
  return lines.join('\n');
}

const work = mkdtempSync(join(tmpdir(), 'hedgesim-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Outcome {
  code: number;
  stderr: string;
  /** The entries of the case's folder afterwards (the scenario and data/ only, when it failed). */
  entries: string[];
  /** The output files, when it succeeded. */
  outputs: Record<string, string>;
}

let seq = 0;
/** `hedgesim run <text> --out o -q`, in-process: the exit code and the stderr the command would give. */
async function runCase(text: string): Promise<Outcome> {
  const dir = join(work, `case-${seq++}`);
  mkdirSync(dir);
  symlinkSync(join(LIBRARY, 'data'), join(dir, 'data'));
  writeFileSync(join(dir, 's.yaml'), text);
  let code = 0;
  let stderr = '';
  try {
    await runCommand(join(dir, 's.yaml'), { out: join(dir, 'o'), record: 'blocks', quiet: true, json: false }, '0.0.0-fuzz');
  } catch (e) {
    const f = describeFailure(e);
    code = f.code;
    stderr = f.text;
  }
  const entries = readdirSync(dir).sort();
  const outputs: Record<string, string> = {};
  if (code === 0) for (const f of readdirSync(join(dir, 'o'))) if (f !== 'report.html') outputs[f] = readFileSync(join(dir, 'o', f), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return { code, stderr, entries, outputs };
}

/** What every case must satisfy; returns a description of the first breach, or undefined. */
function breach(o: Outcome): string | undefined {
  if (/^\s+at /m.test(o.stderr)) return 'a stack trace';
  if (![0, 2, 3].includes(o.code)) return `exit ${o.code}`;
  if (o.code !== 0 && o.entries.join(',') !== 'data,s.yaml') return `a folder left behind: ${o.entries.join(', ')}`;
  if (o.code === 2) {
    const lines = o.stderr.trimEnd().split('\n');
    if (lines[0] !== 'invalid scenario') return 'exit 2 without "invalid scenario"';
    const unlocated = lines.slice(1).find((l) => !/^(\S*s\.yaml|\S+\.csv):\d+:\d+: /.test(l));
    if (unlocated !== undefined) return `an unlocated problem: ${unlocated}`;
  }
  if (o.code === 3 && !/^simulation fault: \w+ at block \d+/.test(o.stderr)) return `a fault that names no block: ${o.stderr.split('\n')[0]}`;
  if (o.code === 0) {
    for (const [name, text] of Object.entries(o.outputs)) {
      if (/\bNaN\b|\bnull\b|Infinity/.test(text)) return `${name} holds NaN, null or Infinity`;
      if (name.endsWith('.csv')) {
        // Empty only where a quantity has no value, by the documented rule (cli/finite.ts): an empty venue's price.
        const [head = '', ...rows] = text.trimEnd().split('\n');
        const allowed = emptyAllowed(head.split(','));
        if (rows.some((r) => r.split(',').some((c, j) => c === '' && allowed[j] !== true))) return `${name} has an empty cell`;
      }
    }
  }
  return undefined;
}

const RUNS = 300;
const counts = { 0: 0, 2: 0, 3: 0, other: 0 };

describe('mutated bundled scenarios', () => {
  it(`end in exit 0, 2 or 3 with a located message, no stack trace, no partial folder (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: BASES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (b, ms) => {
        const text = mutate(BASES[b]!.data, ms);
        const o = await runCase(text);
        const why = breach(o);
        if (o.code === 0 || o.code === 2 || o.code === 3) counts[o.code]++;
        else counts.other++;
        if (why !== undefined) throw new Error(`${BASES[b]!.name} ${JSON.stringify(ms)}: ${why}\n${o.stderr.slice(0, 2000)}`);
      }),
      { numRuns: RUNS },
    );
    console.info(`fuzz: ${RUNS} cases — exit 0: ${counts[0]}, exit 2: ${counts[2]}, exit 3: ${counts[3]}`);
    // The mutations reach successful runs too, not only the schema's refusals.
    expect(counts[0]).toBeGreaterThan(10);
    expect(counts[2]).toBeGreaterThan(100);
    expect(counts.other).toBe(0);
  });

  it('the same through the built command line, for a sample', () => {
    const samples = fc.sample(fc.tuple(fc.nat({ max: BASES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 })), { numRuns: 6, seed: 11 });
    for (const [b, ms] of samples) {
      const dir = join(work, `cli-${seq++}`);
      mkdirSync(dir);
      symlinkSync(join(LIBRARY, 'data'), join(dir, 'data'));
      writeFileSync(join(dir, 's.yaml'), mutate(BASES[b]!.data, ms));
      const r = hedgesim(['run', 's.yaml', '--out', 'o', '-q'], { cwd: dir });
      const entries = readdirSync(dir).sort();
      const outputs: Record<string, string> = {};
      if (r.code === 0) for (const f of readdirSync(join(dir, 'o'))) if (f !== 'report.html') outputs[f] = readFileSync(join(dir, 'o', f), 'utf8');
      const why = breach({ code: r.code ?? -1, stderr: r.stderr, entries, outputs });
      expect(why, `${BASES[b]!.name} ${JSON.stringify(ms)}\n${r.stderr}`).toBeUndefined();
    }
  });
});
