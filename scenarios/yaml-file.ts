/**
 * Reading a YAML (or JSON) file against a zod schema, keeping source positions: either the validated
 * data, or one ScenarioError listing every problem with file, line, column and field path. Scenario
 * files and sweep files both go through here.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAlias, isMap, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type * as z from 'zod';
import { ScenarioError, type ScenarioProblem } from './errors';
import { describeIssues, type RawProblem } from './issues';
import { applyOverrides } from './overrides';
import { pathText, SourceMap, type Locate, type PathSeg } from './source';
import { decodeUtf8, MAX_YAML_BYTES, reservedKeyProblems } from './text';

export interface ParseOptions {
  /** `--set path=value` overrides applied before validation. */
  overrides?: readonly string[];
  /** Checks beyond the schema (references between sections), on the raw data. */
  check?: (data: Record<string, unknown>) => RawProblem[];
  /** What the file should hold, for messages about an empty or odd file ("a scenario needs …"). */
  needs: string;
  /** The top-level fields to name when the top level is not a map, e.g. "name, chain, market, …". */
  fields: string;
  /**
   * More problems to report when the file has some already (found in files it names, say, which
   * are otherwise read only once it is valid): called with the raw, override-applied data.
   */
  alsoWhenInvalid?: (data: Record<string, unknown>, locate: Locate) => ScenarioProblem[];
  /**
   * Recognise a file of the other kind (a sweep file given to `run`, a scenario given to `sweep`)
   * from its top-level keys: one problem at that key instead of a wall of field errors.
   */
  otherKind?: (topKeys: readonly string[]) => { key: string; message: string } | undefined;
  /**
   * Rewrite the data after the overrides and before validation (agent templates with a count):
   * the new data, problems of the rewrite itself, and where a problem of the new data is in the file.
   */
  expand?: (data: Record<string, unknown>) => { data: Record<string, unknown>; problems: RawProblem[]; mapPath(path: readonly PathSeg[]): PathSeg[] };
}

export interface Parsed<T> {
  data: T;
  locate: Locate;
  doc: Document;
}

/** Read a file's text, or throw a ScenarioError saying why it cannot be read. */
export function readText(file: string, what: string): string {
  let buf: Buffer;
  try {
    // The size first: a huge file is refused before it is read into memory.
    const size = statSync(file).size;
    if (size > MAX_YAML_BYTES) throw new ScenarioError([{ file, line: 1, column: 1, path: '', message: tooLarge(size, what) }]);
    buf = readFileSync(file);
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw new ScenarioError([{ file, line: 1, column: 1, path: '', message: `cannot read the ${what}: ${unreadable(e)}` }]);
  }
  if (buf.length > MAX_YAML_BYTES) throw new ScenarioError([{ file, line: 1, column: 1, path: '', message: tooLarge(buf.length, what) }]);
  const decoded = decodeUtf8(buf, file, what);
  if ('problem' in decoded) throw new ScenarioError([decoded.problem]);
  return decoded.text;
}

function tooLarge(bytes: number, what: string): string {
  return `the ${what} is ${(bytes / 2 ** 20).toFixed(1)} MiB, over the ${MAX_YAML_BYTES / 2 ** 20} MiB that YAML is read inline: put long price series in a CSV price file (a \`kind: csv\` asset, see docs/scenarios.md)`;
}

export function parseYaml<S extends z.ZodType>(text: string, file: string, schema: S, opts: ParseOptions): Parsed<z.output<S>> {
  const at = (line: number, column: number, message: string): ScenarioProblem => ({ file, line, column, path: '', message });
  // A byte-order mark (editors on Windows write one) is not part of line 1: left in, it would shift
  // every column of that line by one.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.trim() === '') throw new ScenarioError([at(1, 1, `the file is empty; ${opts.needs}`)]);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return at(line, col, `YAML syntax error: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
      }),
    );
  }
  if (doc.contents === null) throw new ScenarioError([at(1, 1, `the file holds only comments; ${opts.needs}`)]);
  const source = new SourceMap(doc, lines, file);
  const toJS = (): unknown => {
    try {
      return doc.toJS();
    } catch (e) {
      // The yaml library refuses to expand aliases past a limit (a "billion laughs" file, where each
      // anchor repeats the previous one several times, would take exponential memory) and throws a
      // ReferenceError; it is a problem of the file, at its first alias.
      if (!(e instanceof ReferenceError)) throw e;
      const pos = firstAlias(doc, source) ?? { line: 1, column: 1 };
      const why = /excessive alias count/i.test(e.message) ? 'its aliases (*name) expand to too many copies of their anchors (more than 100); write the values out or use fewer aliases' : e.message;
      throw new ScenarioError([at(pos.line, pos.column, `YAML aliases: ${why}`)]);
    }
  };
  if (!isMap(doc.contents)) {
    const pos = source.posOf(doc.contents) ?? { line: 1, column: 1 };
    const what = isSeq(doc.contents) ? 'a list' : `the value '${String(toJS())}'`;
    throw new ScenarioError([at(pos.line, pos.column, `the top level must be a map of fields (${opts.fields}), found ${what}`)]);
  }
  // Expanded once before the overrides, which expand the document again for each path.
  const top = Object.keys(toJS() as Record<string, unknown>);
  const other = opts.otherKind?.(top);
  if (other !== undefined) throw new ScenarioError([{ ...source.locate([other.key], 'key'), path: '', message: other.message }]);
  const overrides = opts.overrides ?? [];
  const problems = applyOverrides(doc, source, overrides, schema);
  // Before toJS: an object built from the document drops or misreads such keys.
  const reserved = reservedKeyProblems(doc, source);
  if (reserved.length > 0) throw new ScenarioError([...problems, ...reserved]);
  const written = toJS() as Record<string, unknown>;
  const expansion = opts.expand?.(written);
  if (expansion !== undefined && expansion.problems.length > 0) throw new ScenarioError([...problems, ...dedupe(expansion.problems).map((x) => place(source, x))]);
  const data = expansion?.data ?? written;
  const result = schema.safeParse(data);
  const found: RawProblem[] = [...(result.success ? [] : describeIssues(result.error.issues, data, schema)), ...(opts.check?.(data) ?? [])];
  const raw = expansion === undefined ? found : found.map((x) => ({ ...x, path: expansion.mapPath(x.path) }));
  for (const p of dedupe(raw).map((x) => place(source, x))) {
    // A value that came from an override: show which one.
    problems.push(p.file === '--set' ? { ...p, message: `${p.message} (in --set ${overrides[p.line - 1] ?? ''})` } : p);
  }
  if (problems.length > 0 || !result.success) throw new ScenarioError([...problems, ...(opts.alsoWhenInvalid?.(data, source.locate) ?? [])]);
  return { data: result.data as z.output<S>, locate: source.locate, doc };
}

/** Position of the first alias in the document. */
function firstAlias(doc: Document, source: SourceMap): { line: number; column: number } | undefined {
  let pos: { line: number; column: number } | undefined;
  visit(doc, {
    Alias: (_key, node) => {
      if (!isAlias(node)) return undefined;
      pos = source.posOf(node);
      return visit.BREAK;
    },
  });
  return pos;
}

function place(source: SourceMap, p: RawProblem): ScenarioProblem {
  return { ...source.locate(p.path, p.at), path: pathText(p.path), message: p.message, ...(p.suggestion ? { suggestion: p.suggestion } : {}) };
}

/** The schema and the reference checks may both see a field; report it once. */
function dedupe(problems: RawProblem[]): RawProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${pathText(p.path)}\n${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Why a file could not be read, in words (scenario, sweep and CSV files alike). */
export function unreadable(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of its path is a file, not a folder';
  return e instanceof Error ? e.message : String(e);
}
