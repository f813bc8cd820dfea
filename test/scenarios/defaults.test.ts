/**
 * Defaults, three ways: every schema field with a default is documented in docs/scenarios.md with
 * that value, in the section of its kind; `hedgesim validate` prints every one of them; and every
 * other field whose description speaks of a default is named in the docs' list of defaults that
 * are left out. The schema is walked generically, so a field added with a default is covered.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hedgeSchema, triggerSchema } from '../../scenarios/schema-hedgers';
import { scenarioSchema } from '../../scenarios/schema';
import { commonAgentFields } from '../../scenarios/schema-parts';
import { alternatives, isRecord, literalOf, unwrap } from '../../scenarios/schema-walk';
import { hedgesim, ROOT } from '../cli/helpers';
import { FIXTURES } from './helpers';

type Schema = z.ZodType;

const kindsOf = (u: Schema): Set<unknown> => new Set((unwrap(u) as z.ZodDiscriminatedUnion).options.map((o) => literalOf(o as Schema, 'kind')));
const HEDGE_KINDS = kindsOf(hedgeSchema);
const TRIGGER_KINDS = kindsOf(triggerSchema);

/** A field with a default, or one whose description speaks of a default it does not fill in. */
interface Field {
  /** Where its documentation lives: `chain`, `agents.<arbitrageur>`, `hedge.<option>`, `trigger`, … */
  area: string;
  /** Its path inside that area, e.g. ['bid', 'jitter']. */
  rel: string[];
  filled: boolean;
  value?: unknown;
  /** A duration (seconds, or a number with a unit). */
  duration: boolean;
  description: string;
}

const keyOf = (f: Pick<Field, 'area' | 'rel'>): string => `${f.area}:${f.rel.join('.')}`;

/** As keyOf, but the fields every agent has (latency, …) count once for all agent kinds. */
const coverageKey = (f: Pick<Field, 'area' | 'rel'>): string => (f.area.startsWith('agents.') && Object.hasOwn(commonAgentFields, f.rel[0]!) ? `agents.<*>:${f.rel.join('.')}` : keyOf(f));

function description(s: Schema): string {
  for (let x: Schema | undefined = s; x !== undefined; ) {
    if (x.description !== undefined) return x.description;
    const def: { innerType?: Schema } = (x as unknown as { def: { innerType?: Schema } }).def;
    x = def.innerType ?? (x instanceof z.ZodOptional ? (x.unwrap() as Schema) : undefined);
  }
  return '';
}

function isDuration(s: Schema): boolean {
  const def = (s as unknown as { def: { innerType?: Schema } }).def;
  const inner = s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional ? def.innerType! : s;
  return inner instanceof z.ZodPipe;
}

/**
 * Walk `schema` (with `data`: only the branches the data takes, calling `seen` for every object
 * with the keys it has) and report every field with a default or a described one.
 */
function walk(schema: Schema, area: string, rel: string[], data: unknown, out: (f: Field) => void, seen?: (f: Field, present: boolean) => void, visited = new Set<string>()): void {
  const withData = seen !== undefined;
  const options = withData ? alternatives(schema, data) : alternatives(schema, undefined);
  for (const s of options) {
    if (s instanceof z.ZodObject) {
      if (withData && !isRecord(data)) continue;
      let here = area;
      let path = rel;
      const kind = literalOf(s, 'kind');
      if (literalOf(s, 'do') !== undefined) [here, path] = ['action', []];
      else if (area === 'agents' || area === 'venues' || area === 'market.assets') [here, path] = [`${area}.<${String(kind)}>`, []];
      else if (HEDGE_KINDS.has(kind) && area.startsWith('agents.')) [here, path] = [`hedge.<${String(kind)}>`, []];
      else if (TRIGGER_KINDS.has(kind)) [here, path] = [`trigger.<${String(kind)}>`, []];
      const id = `${here}|${path.join('.')}|${Object.keys(s.shape).join(',')}`;
      if (!withData && visited.has(id)) continue;
      visited.add(id);
      for (const [key, f] of Object.entries(s.shape as Record<string, Schema>)) {
        if (key === 'kind' || key === 'do') continue;
        const field = { area: here, rel: [...path, key], duration: isDuration(f), description: description(f) };
        const filled = f instanceof z.ZodDefault || f instanceof z.ZodPrefault;
        if (filled) {
          const r: Field = { ...field, filled, value: (f.def as { defaultValue: unknown }).defaultValue };
          out(r);
          seen?.(r, Object.hasOwn(data as object, key));
        } else if (/\bDefault\b/.test(field.description)) out({ ...field, filled });
        const child = withData ? (data as Record<string, unknown>)[key] : undefined;
        if (withData && child === undefined) continue;
        // Sections of their own: chain and market at the top level.
        const [a, p] = area === 'top' && (key === 'chain' || key === 'market') ? [key, []] : [here, [...path, key]];
        walk(f, a, p, child, out, seen, visited);
      }
    } else if (s instanceof z.ZodRecord) {
      const name = area === 'top' ? rel.join('.') : area === 'market' ? `market.${rel.join('.')}` : '';
      const sub = ['agents', 'venues', 'market.assets'].includes(name) ? name : area;
      const value = s.def.valueType as Schema;
      if (!withData) walk(value, sub, sub === area ? rel : [], undefined, out, seen, visited);
      else if (isRecord(data)) for (const v of Object.values(data)) walk(value, sub, sub === area ? rel : [], v, out, seen, visited);
    } else if (s instanceof z.ZodArray) {
      if (!withData) walk(s.element as Schema, area, rel, undefined, out, seen, visited);
      else if (Array.isArray(data)) for (const v of data) walk(s.element as Schema, area, rel, v, out, seen, visited);
    }
  }
}

function schemaFields(): Map<string, Field> {
  const all = new Map<string, Field>();
  walk(scenarioSchema, 'top', [], undefined, (f) => all.set(keyOf(f), f));
  return all;
}

// ---- docs/scenarios.md, cut into the places each area is documented ----

const docs = readFileSync(join(ROOT, 'docs', 'scenarios.md'), 'utf8');
const lines = docs.split('\n');

function section(title: string): string[] {
  const start = lines.findIndex((l) => l === `## ${title}`);
  expect(start, `section ${title}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start, end < 0 ? undefined : end);
}

/** From the line starting with `from` to the line before the next starting with `to` (or a blank line). */
function between(from: string, to?: string): string[] {
  const start = lines.findIndex((l) => l.startsWith(from));
  expect(start, from).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && (to === undefined ? l === '' : l.startsWith(to)));
  return lines.slice(start, end);
}

/** The cells of a table row (`\|` is a bar inside a cell). */
const cells = (row: string): string[] => row.replace(/\\\|/g, '\u0000').split('|').slice(1, -1).map((c) => c.trim().replace(/\u0000/g, '|'));

/** The rows of a kinds table that belong to `kind`: its own and the continuation rows after it (empty first cell). */
function kindRows(region: string[], kind: string): string[] {
  const start = region.findIndex((l) => l.startsWith('|') && cells(l)[0] === `\`${kind}\``);
  if (start < 0) return [];
  const out = [region[start]!];
  for (let i = start + 1; i < region.length && region[i]!.startsWith('| |'); i++) out.push(region[i]!);
  // The header row, so that the columns can be named.
  const header = region.slice(0, start).reverse().find((l) => l.startsWith('| kind') || l.startsWith('| field'));
  return header === undefined ? out : [header, ...out];
}

function regionOf(area: string): string[] {
  const m = /^(\w[\w.]*?)(?:\.<(.+)>)?$/.exec(area)!;
  const [base, kind = ''] = [m[1]!, m[2]];
  const agents = section('`agents`');
  switch (base) {
    case 'top':
      return section('Top level');
    case 'chain':
      return section('`chain`');
    case 'market':
      return section('`market`');
    case 'market.assets':
      return kindRows(section('`market`'), kind);
    case 'venues':
      return kindRows(section('`venues`'), kind);
    case 'hedge':
      return kindRows(agents, kind);
    case 'trigger':
      return between('Triggers (`kind`)');
    case 'action':
      return between('Scripted actions:');
    case 'agents': {
      const common = between('Every agent has `kind`', '| kind |');
      const hedgers = kind.endsWith('hedger') ? [...between('Hedgers share'), ...kindRows(between('| kind | field |', 'Hedges (`kind`)').slice(1), kind)] : [];
      const searcher = kind === 'searcher' ? between('The MEV `searcher`', 'Scripted actions:') : [];
      return [...common, ...kindRows(between('| kind | field |', 'Hedgers share'), kind), ...hedgers, ...searcher];
    }
    default:
      throw new Error(`no documentation region for ${area}`);
  }
}

/** How a default may be written in the docs: `1`, `fixed`, `{ kind: share, share: 0.9 }`, `1d` for 86400 s. */
function spellings(f: Field): string[] {
  const flow = (v: unknown): string => {
    if (isRecord(v)) {
      const entries = Object.entries(v);
      return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${k}: ${flow(x)}`).join(', ')} }`;
    }
    return String(v);
  };
  const out = [flow(f.value)];
  if (f.duration && typeof f.value === 'number') {
    for (const [unit, s] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) if (f.value % s === 0 && f.value > 0) out.push(`${f.value / s}${unit}`);
  }
  return out.map((s) => `\`${s}\``);
}

/** How a field may be named: `bid.jitter` or `jitter`; in chain and market also `chain.gas.swap`. */
function names(f: Pick<Field, 'area' | 'rel'>): string[] {
  const out = f.rel.map((_, i) => `\`${f.rel.slice(i).join('.')}\``);
  if (f.area === 'chain' || f.area === 'market') out.push(`\`${f.area}.${f.rel.join('.')}\``);
  return out;
}

/**
 * Whether `region` documents field `f` with its default: a table row whose field cell names it
 * has the default in its default column; otherwise a mention of the field is followed by the
 * default (in backticks) within the next 200 characters of the same table row or paragraph.
 */
function documents(region: string[], f: Field): boolean {
  const named = names(f);
  const values = spellings(f);
  let header: string[] = [];
  for (const line of region) {
    if (line.startsWith('| kind') || line.startsWith('| field')) header = cells(line);
    if (line.startsWith('|') && header.includes('default')) {
      const row = cells(line);
      if (named.includes(row[header.indexOf('field')] ?? '')) return values.some((v) => row[header.indexOf('default')]!.includes(v));
    }
  }
  // Table rows one by one; prose lines joined into paragraphs (a mention may wrap).
  const chunks: string[] = [];
  region.forEach((line, i) => {
    if (line.startsWith('|') || i === 0 || region[i - 1]!.startsWith('|') || region[i - 1] === '') chunks.push(line);
    else chunks[chunks.length - 1] += ` ${line}`;
  });
  return chunks.some((line) =>
    named.some((name) => {
      for (let i = line.indexOf(name); i >= 0; i = line.indexOf(name, i + 1)) {
        const after = line.slice(i + name.length, i + name.length + 200);
        if (values.some((v) => after.includes(v))) return true;
      }
      return false;
    }),
  );
}

describe('defaults', () => {
  const fields = schemaFields();
  const filled = [...fields.values()].filter((f) => f.filled);

  it('the walk finds the defaults of every part of the format', () => {
    // A sanity check of the walker itself: defaults of each kind of place it must reach.
    for (const key of ['top:seed', 'chain:baseFee.initial', 'market:cex.feeBps', 'market.assets.<gbm>:mu', 'venues.<triad>:protected', 'agents.<arbitrageur>:every', 'agents.<arbitrageur>:bid.jitter', 'agents.<searcher>:bid', 'agents.<searcher>:strategies.adversary.margin', 'agents.<delta-hedger>:batch', 'hedge.<triad-parity>:slippage', 'hedge.<option>:priceFrom', 'trigger.<vol-regime>:minBand', 'action:private', 'agents.<lp>:latency.network']) {
      expect(fields.get(key)?.filled, key).toBe(true);
    }
    expect(filled.length).toBeGreaterThan(60);
  });

  it('docs/scenarios.md gives every default, next to its field, in the place its kind is documented', () => {
    const undocumented = filled.filter((f) => !(isRecord(f.value) && Object.keys(f.value).length === 0 && f.area !== 'top')).filter((f) => !documents(regionOf(f.area), f));
    expect(undocumented.map((f) => `${keyOf(f)} = ${spellings(f)[0]}`)).toEqual([]);
  });

  it('docs/scenarios.md names, among the defaults left out, every field whose default is not one value', () => {
    const leftOut = section('Defaults').join('\n');
    const unnamed = [...fields.values()].filter((f) => !f.filled).filter((f) => !names(f).some((name) => leftOut.includes(name)));
    expect(unnamed.map((f) => `${keyOf(f)}: ${f.description}`)).toEqual([]);
  });

  it('no field describes a fixed default (a number, true or false) that validate would not fill in', () => {
    const plain = [...fields.values()].filter((f) => !f.filled && /\bDefault:? (-?\d[\d.]*|true|false)( \(.*\))?\.?$/.test(f.description));
    expect(plain.map((f) => `${keyOf(f)}: ${f.description}`)).toEqual([]);
  });

  it('hedgesim validate prints every default, for every agent, venue, process, hedge, trigger and action kind', () => {
    const covered = new Set<string>();
    const missing: string[] = [];
    for (const file of ['full.yaml', 'hedgers.yaml', 'more-kinds.yaml']) {
      const r = hedgesim(['validate', join(FIXTURES, file)]);
      // Preflight warnings (an LP with an exit rule depositing all its ETH, in full.yaml) are not errors.
      expect([r.code, r.stderr.replace(/^warning: .*\n/gm, '')], file).toEqual([0, '']);
      walk(scenarioSchema, 'top', [], JSON.parse(r.stdout), () => {}, (f, present) => {
        covered.add(coverageKey(f));
        if (!present) missing.push(`${file}: ${keyOf(f)}`);
      });
    }
    expect(missing).toEqual([]);
    // The three files between them reach every place a default can be.
    expect([...new Set(filled.map(coverageKey))].filter((k) => !covered.has(k))).toEqual([]);
  });
});
