/**
 * `--set path=value` overrides, applied to the parsed document before validation. The path follows
 * the schema (`agents.arb.bid.share`, `market.correlation[0][1]`); the value is read as YAML
 * (`0.3`, `true`, `abc`, `[1, 2]`, `{ kind: fixed, gwei: 2 }`). Problems are reported against the
 * pseudo-file `--set`: line n is the n-th override, the column points into it.
 */
import { isMap, isSeq, parseDocument, Pair, Scalar, YAMLMap, type Document, type Node } from 'yaml';
import * as z from 'zod';
import type { ScenarioProblem, SourcePos } from './errors';
import { alternatives, isRecord, step, unwrap } from './schema-walk';
import { findPair, pathText, type PathSeg, type SourceMap } from './source';
import { nearest } from './suggest';
import { RESERVED_NAMES, reservedNameMessage } from './text';

interface Parsed {
  path: PathSeg[];
  /** 0-based column of each path segment in the override text. */
  cols: number[];
  value: string;
  valueCol: number;
}

/** Split `a.b[2].c=value` into segments; a problem message with its column on failure. */
export function parseOverride(text: string): Parsed | { message: string; col: number } {
  const eq = text.indexOf('=');
  if (eq < 0) return { message: `expected path=value, found '${text}'`, col: 0 };
  const lhs = text.slice(0, eq);
  const path: PathSeg[] = [];
  const cols: number[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|(\.)/y;
  let i = 0;
  let expectKey = true;
  while (i < lhs.length) {
    re.lastIndex = i;
    const m = re.exec(lhs);
    if (m === null || (m[1] !== undefined && !expectKey) || (m[3] !== undefined && expectKey)) {
      return { message: `malformed path '${lhs}' at '${lhs.slice(i)}' (use a.b.c or a.b[0])`, col: i };
    }
    if (m[1] !== undefined) {
      if (RESERVED_NAMES.has(m[1].trim())) return { message: reservedNameMessage(m[1].trim()), col: i };
      path.push(m[1].trim());
      cols.push(i);
      expectKey = false;
    } else if (m[2] !== undefined) {
      if (path.length === 0) return { message: `malformed path '${lhs}': it cannot start with an index`, col: i };
      path.push(Number(m[2]));
      cols.push(i);
    } else expectKey = true;
    i = re.lastIndex;
  }
  if (path.length === 0 || expectKey) return { message: `malformed path '${lhs}'`, col: Math.max(0, lhs.length - 1) };
  const value = text.slice(eq + 1);
  return { path, cols, value, valueCol: eq + 1 };
}

/** Apply overrides to `doc` in order; returns the problems (overrides with problems are skipped). */
export function applyOverrides(doc: Document, source: SourceMap, overrides: readonly string[], root: z.ZodType): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  overrides.forEach((text, n) => {
    const at = (col: number): SourcePos => ({ file: '--set', line: n + 1, column: col + 1 });
    const fail = (path: readonly PathSeg[], col: number, message: string, suggestion?: string) =>
      problems.push({ ...at(col), path: pathText(path), message: `${message} (in --set ${text})`, ...(suggestion ? { suggestion } : {}) });
    const parsed = parseOverride(text);
    if ('message' in parsed) return void fail([], parsed.col, parsed.message);
    const { path, cols } = parsed;

    // Follow the schema and the document together.
    let schemas: z.ZodType[] = [root];
    let data: unknown = doc.toJS();
    for (let k = 0; k < path.length; k++) {
      const seg = path[k]!;
      const here = path.slice(0, k);
      // An agent template's count (scenarios/templates.ts) is not a field of any agent kind.
      if (k === 2 && path.length === 3 && path[0] === 'agents' && seg === 'count' && isRecord(data) && Object.hasOwn(data, 'count')) break;
      const s = step(schemas, seg, data);
      if (!s.ok) {
        if (s.problem === 'unknown-field') {
          const hint = nearest(String(seg), s.allowed);
          return void fail(path.slice(0, k + 1), cols[k]!, `unknown field '${seg}'${hint ? ` (did you mean '${hint}'?)` : ''}; allowed: ${s.allowed.join(', ')}`, hint);
        }
        if (s.problem === 'bad-index') return void fail(path.slice(0, k + 1), cols[k]!, `index ${seg} is out of range: '${pathText(here)}' has ${s.length} items`);
        return void fail(path.slice(0, k + 1), cols[k]!, `'${pathText(here) || 'the scenario'}' is ${s.found}; it has no field '${seg}'`);
      }
      // A map of entries (agents, venues, ...) gets new entries only as a whole value.
      // Asked last: it walks every kind of entry the map may hold.
      const isEntryMap = (): boolean => schemas.flatMap((x) => alternatives(x, data)).some((x) => x instanceof z.ZodRecord && isEntry(x.def.valueType as z.ZodType));
      if (typeof seg === 'string' && isRecord(data) && !Object.hasOwn(data, seg) && k < path.length - 1 && isEntryMap()) {
        const keys = Object.keys(data);
        const hint = nearest(seg, keys);
        return void fail(path.slice(0, k + 1), cols[k]!, `no entry '${seg}' in ${pathText(here)}${hint ? ` (did you mean '${hint}'?)` : ''}; entries: ${keys.join(', ') || '(none)'}`, hint);
      }
      if (typeof seg === 'number' && !Array.isArray(data)) {
        return void fail(path.slice(0, k + 1), cols[k]!, `'${pathText(here)}' is not a list in the file; set the whole list, e.g. --set ${pathText(here)}=[…]`);
      }
      if (typeof seg === 'number' && Array.isArray(data) && seg >= data.length) {
        return void fail(path.slice(0, k + 1), cols[k]!, `index ${seg} is out of range: '${pathText(here)}' has ${data.length} item${data.length === 1 ? '' : 's'} in the file`);
      }
      schemas = s.schemas;
      data = s.data;
    }

    const valueDoc = parseDocument(parsed.value, { prettyErrors: false });
    if (parsed.value.trim() === '') return void fail(path, parsed.valueCol, `no value after '='`);
    const err = valueDoc.errors[0];
    if (err !== undefined) return void fail(path, parsed.valueCol + err.pos[0], `cannot read the value '${parsed.value}': ${firstLine(err.message)}`);
    try {
      // Expanded here so that a value whose aliases expand past the yaml library's limit (or name
      // no anchor of the value) is reported against its override, not against the scenario file.
      valueDoc.toJS();
    } catch (e) {
      if (!(e instanceof ReferenceError)) throw e;
      return void fail(path, parsed.valueCol, `cannot read the value: YAML aliases: ${/excessive alias count/i.test(e.message) ? 'they expand to too many copies of their anchors (more than 100)' : e.message}`);
    }
    const value = (valueDoc.contents ?? new Scalar(null)) as Node;
    source.place(value, at(parsed.valueCol), true);
    setIn(doc, source, path, value, (k) => at(cols[k]!));
  });
  return problems;
}

/** Set `path` to `value`, creating maps on the way; new nodes are placed at their override segment. */
function setIn(doc: Document, source: SourceMap, path: readonly PathSeg[], value: Node, segPos: (k: number) => SourcePos): void {
  let node: unknown = doc.contents;
  for (let k = 0; k < path.length; k++) {
    const seg = path[k]!;
    const last = k === path.length - 1;
    if (isSeq(node) && typeof seg === 'number') {
      if (last) node.items[seg] = value;
      else {
        if (!isMap(node.items[seg]) && !isSeq(node.items[seg])) node.items[seg] = placed(source, new YAMLMap(), segPos(k));
        node = node.items[seg];
      }
      continue;
    }
    const map = node as YAMLMap;
    let pair = findPair(map.items as Pair[], seg);
    if (pair === undefined) {
      pair = new Pair(placed(source, new Scalar(String(seg)), segPos(k)), null);
      map.items.push(pair);
    }
    if (last) pair.value = value;
    else {
      if (!isMap(pair.value) && !isSeq(pair.value)) pair.value = placed(source, new YAMLMap(), segPos(k));
      node = pair.value;
    }
  }
}

function placed<T>(source: SourceMap, node: T, pos: SourcePos): T {
  source.place(node, pos);
  return node;
}

/** Values that are entries with fields of their own (an agent, a venue), not plain values. */
function isEntry(s: z.ZodType): boolean {
  return alternatives(s, undefined).every((x) => x instanceof z.ZodObject) || unwrap(s) instanceof z.ZodObject;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
