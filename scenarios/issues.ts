/**
 * zod issues → problems a person can act on: the field path, what was found, what is allowed
 * (types, ranges with units, enum options) and, for unknown names, the nearest valid one.
 */
import * as z from 'zod';
import { hints, patternWords } from './schema-parts';
import { alternatives, isRecord, schemasAt, unwrap } from './schema-walk';
import type { PathSeg } from './source';
import { nearest } from './suggest';

/** A problem before it is given a position: `at: 'key'` points at the key naming the field. */
export interface RawProblem {
  path: PathSeg[];
  message: string;
  at?: 'node' | 'key';
  suggestion?: string;
}

type Issue = z.core.$ZodIssue;

/** Turn the issues of `root.safeParse(data)` into problems. */
export function describeIssues(issues: readonly Issue[], data: unknown, root: z.ZodType): RawProblem[] {
  return tightest(issues).flatMap((issue) => describe(issue, [], data, root));
}

/**
 * A number can break several bounds at once (zod's `int()` adds the safe-integer range to ours):
 * keep only the tightest bound per field and direction, so a value is reported once, with its real limit.
 */
function tightest(issues: readonly Issue[]): Issue[] {
  const best = new Map<string, Issue>();
  const bound = (i: Issue): number => Number(i.code === 'too_big' ? (i as z.core.$ZodIssueTooBig).maximum : (i as z.core.$ZodIssueTooSmall).minimum);
  for (const i of issues) {
    if ((i.code !== 'too_big' && i.code !== 'too_small') || (i.origin !== 'number' && i.origin !== 'int')) continue;
    const key = `${i.code}\n${JSON.stringify(i.path)}`;
    const prev = best.get(key);
    if (prev === undefined || (i.code === 'too_big' ? bound(i) < bound(prev) : bound(i) > bound(prev))) best.set(key, i);
  }
  return issues.filter((i) => ((i.code !== 'too_big' && i.code !== 'too_small') || (i.origin !== 'number' && i.origin !== 'int') ? true : best.get(`${i.code}\n${JSON.stringify(i.path)}`) === i));
}

function describe(issue: Issue, prefix: PathSeg[], data: unknown, root: z.ZodType): RawProblem[] {
  const path = [...prefix, ...(issue.path as PathSeg[])];
  const value = valueAt(data, path);
  const unitOf = () => unitAt(root, path, data);
  switch (issue.code) {
    case 'invalid_type': {
      const integer = (schemasAt(root, path, data) ?? []).some((s) => { const u = unwrap(s); return u instanceof z.ZodNumber && u.isInt; });
      const expected = expectedText(issue.expected, value, integer);
      if (value === undefined && isRecord(valueAt(data, path.slice(0, -1)))) {
        return [{ path, message: `missing required field '${String(path[path.length - 1])}' (${expected}${unitOf()})` }];
      }
      return [{ path, message: `expected ${expected}${unitOf()}, found ${found(value, true)}` }];
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? (issue as z.core.$ZodIssueTooSmall).minimum : (issue as z.core.$ZodIssueTooBig).maximum;
      const inclusive = issue.inclusive !== false;
      if (issue.origin === 'array') {
        const n = Array.isArray(value) ? value.length : 0;
        return [{ path, message: `needs ${small ? 'at least' : 'at most'} ${num(Number(bound))} item${Number(bound) === 1 ? '' : 's'}, found ${n}` }];
      }
      if (issue.origin === 'string') return [{ path, message: `must not be empty` }];
      const op = small ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<';
      const unit = unitAt(root, path, data, true);
      return [{ path, message: `must be ${op} ${num(Number(bound))}${unit}, found ${found(value)}` }];
    }
    case 'invalid_value': {
      const options = issue.values.map(String);
      const suggestion = typeof value === 'string' ? nearest(value, options) : undefined;
      return [{ path, message: `found ${found(value)}, allowed: ${options.join(', ')}${mean(suggestion)}`, ...(suggestion ? { suggestion } : {}) }];
    }
    case 'invalid_format': {
      const source = issue.format === 'regex' && 'pattern' in issue ? String(issue.pattern).replace(/^\/|\/$/g, '') : '';
      const words = patternWords.get(source) ?? `the format ${issue.format}`;
      return [{ path, message: `found ${found(value)}, must be ${words}` }];
    }
    case 'unrecognized_keys': {
      const allowed = fieldsAt(root, path, data);
      return issue.keys.map((key) => {
        const suggestion = nearest(key, allowed);
        return { path: [...path, key], at: 'key' as const, message: `unknown field '${key}'${mean(suggestion)}; allowed: ${allowed.join(', ')}`, ...(suggestion ? { suggestion } : {}) };
      });
    }
    case 'invalid_key': {
      const inner = issue.issues[0];
      const words = inner && inner.code === 'invalid_format' && 'pattern' in inner ? patternWords.get(String(inner.pattern).replace(/^\/|\/$/g, '')) : undefined;
      return [{ path, at: 'key', message: `invalid name '${String(path[path.length - 1])}': must be ${words ?? 'a valid name'}` }];
    }
    case 'invalid_union':
      return describeUnion(issue, path, value, data, root);
    case 'custom':
      return [{ path, message: issue.message }];
    default:
      return [{ path, message: `${issue.message}, found ${found(value)}` }];
  }
}

function describeUnion(issue: z.core.$ZodIssueInvalidUnion, path: PathSeg[], value: unknown, data: unknown, root: z.ZodType): RawProblem[] {
  if (issue.errors.length === 0) {
    // A discriminated union whose tag matches no option; the path ends at the tag.
    const tag = String(issue.discriminator ?? path[path.length - 1]);
    const noun = tag === 'do' ? 'action' : tag;
    const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
    if (value === undefined) return [{ path, message: `missing required field '${tag}' (one of: ${options.join(', ')})` }];
    const suggestion = typeof value === 'string' ? nearest(value, options) : undefined;
    return [{ path, message: `unknown ${noun} ${found(value)}${mean(suggestion)}; allowed: ${options.join(', ')}`, ...(suggestion ? { suggestion } : {}) }];
  }
  // Branches that failed only because the value has another type say nothing about the mistake.
  const typeMismatch = (branch: readonly Issue[]) => branch.length === 1 && branch[0]!.code === 'invalid_type' && branch[0]!.path.length === 0;
  const wrongValue = (branch: readonly Issue[]) => branch.length === 1 && branch[0]!.code === 'invalid_value' && branch[0]!.path.length === 0;
  const informative = issue.errors.find((b) => !typeMismatch(b) && !wrongValue(b) && !(b.length === 1 && b[0]!.code === 'invalid_format' && typeof value !== 'string'));
  if (informative !== undefined) return informative.flatMap((i) => describe(i, path, data, root));
  const wants = issue.errors.map((b) => {
    const first = b[0]!;
    if (first.code === 'invalid_value') return first.values.map((v) => `'${String(v)}'`).join(' or ');
    return expectedText(first.code === 'invalid_type' ? first.expected : 'string', value) + (first.code === 'invalid_type' && first.expected === 'number' ? unitAt(root, path, data) : '');
  });
  const expected = expectAt(root, path, data) ?? [...new Set(wants)].join(' or ');
  if (value === undefined && isRecord(valueAt(data, path.slice(0, -1)))) return [{ path, message: `missing required field '${String(path[path.length - 1])}' (${expected})` }];
  return [{ path, message: `expected ${expected}, found ${found(value, true)}` }];
}

function expectedText(expected: string, value: unknown, integer = false): string {
  switch (expected) {
    case 'number':
      return typeof value === 'number' ? `a finite ${integer ? 'integer' : 'number'}` : integer ? 'an integer' : 'a number';
    case 'int':
      return 'an integer';
    case 'object':
    case 'record':
    case 'map':
      return 'a map';
    case 'array':
    case 'tuple':
      return 'a list';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    default:
      return expected;
  }
}

/** The unit the schema records for the numeric field at `path` (`seconds`, `gwei`), if any. */
export function fieldUnit(root: z.ZodType, path: readonly PathSeg[], data: unknown): string | undefined {
  const schemas = schemasAt(root, path, data);
  for (const alt of (schemas ?? []).flatMap((s) => [s, unwrap(s), ...alternatives(s, valueAt(data, path))])) {
    const unit = hints.get(alt)?.unit;
    if (unit !== undefined) return unit;
  }
  return undefined;
}

/** ` (seconds)` or `` — the unit of the numeric field at `path`; `bare` gives ` seconds` for ranges. */
function unitAt(root: z.ZodType, path: readonly PathSeg[], data: unknown, bare = false): string {
  const unit = fieldUnit(root, path, data);
  if (unit === undefined) return '';
  if (unit.startsWith('fraction')) return ` (a ${unit})`;
  return bare ? ` ${unit}` : ` (${unit})`;
}

/** The `expect` hint of the union at `path`, if it has one. */
function expectAt(root: z.ZodType, path: readonly PathSeg[], data: unknown): string | undefined {
  for (const s of schemasAt(root, path, data) ?? []) {
    const hint = hints.get(s)?.expect ?? hints.get(unwrap(s))?.expect;
    if (hint !== undefined) return hint;
  }
  return undefined;
}

/** Field names the object schema(s) at `path` allow. */
function fieldsAt(root: z.ZodType, path: readonly PathSeg[], data: unknown): string[] {
  const out: string[] = [];
  for (const s of schemasAt(root, path, data) ?? []) {
    for (const alt of alternatives(s, valueAt(data, path))) {
      if (alt instanceof z.ZodObject) for (const k of Object.keys(alt.shape)) if (!out.includes(k)) out.push(k);
    }
  }
  return out;
}

export function valueAt(data: unknown, path: readonly PathSeg[]): unknown {
  let here = data;
  for (const seg of path) {
    if (Array.isArray(here) && typeof seg === 'number') here = here[seg];
    else if (isRecord(here) && Object.hasOwn(here, String(seg))) here = here[String(seg)];
    else return undefined;
  }
  return here;
}

/** How a found value reads in a message: `-3`, `.inf`, `'abc'` (`the string 'abc'` for type errors). */
export function found(value: unknown, typed = false): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'number') return num(value);
  if (typeof value === 'string') return typed ? `the string '${value}'` : `'${value}'`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return 'a map';
}

export function num(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  if (Number.isInteger(x) && Math.abs(x) >= 1e5 && Math.abs(x) < 1e21) return x.toLocaleString('en-US');
  return String(x);
}

function mean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` (did you mean '${suggestion}'?)`;
}
