/**
 * Loading a scenario file: read, parse as YAML (JSON is YAML too) keeping source positions, apply
 * `--set` overrides, validate against the schema and check references — then either the resolved
 * scenario, or one ScenarioError listing every problem with file, line, column and field path.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { checkScenario } from './checks';
import { ScenarioError, type ScenarioProblem } from './errors';
import { hashScenario } from './hash';
import { describeIssues, type RawProblem } from './issues';
import { applyOverrides } from './overrides';
import { scenarioSchema, type Scenario } from './schema';
import { pathText, SourceMap, type Locate } from './source';

export interface LoadedScenario {
  /** The file as given. */
  file: string;
  /** Folder relative paths in the file (CSV prices) are resolved against. */
  baseDir: string;
  /** The validated scenario: defaults filled in, overrides applied, durations in seconds. */
  scenario: Scenario;
  /** sha256 of the canonical resolved scenario (see `canonicalScenarioJson`). */
  hash: string;
  /** Position of a field in the file (or in `--set`), for problems found later (e.g. in CSV files). */
  locate: Locate;
}

/** Read, validate and resolve a scenario file. Throws ScenarioError. */
export function loadScenarioFile(file: string, overrides: readonly string[] = []): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError([{ file, line: 1, column: 1, path: '', message: `cannot read the scenario file: ${reason(e)}` }]);
  }
  return parseScenario(text, file, overrides);
}

/** Validate and resolve scenario text; `file` names it in messages and anchors relative paths. */
export function parseScenario(text: string, file: string, overrides: readonly string[] = []): LoadedScenario {
  const at = (line: number, column: number, message: string): ScenarioProblem => ({ file, line, column, path: '', message });
  if (text.trim() === '') throw new ScenarioError([at(1, 1, 'the file is empty; a scenario needs at least name, blocks or duration, chain, market and tokens')]);

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
  if (doc.contents === null) throw new ScenarioError([at(1, 1, 'the file holds only comments; a scenario needs at least name, blocks or duration, chain, market and tokens')]);
  const source = new SourceMap(doc, lines, file);
  if (!isMap(doc.contents)) {
    const pos = source.posOf(doc.contents) ?? { line: 1, column: 1 };
    const what = isSeq(doc.contents) ? 'a list' : `the value '${String(doc.toJS())}'`;
    throw new ScenarioError([at(pos.line, pos.column, `the top level must be a map of fields (name, chain, market, …), found ${what}`)]);
  }

  const problems = applyOverrides(doc, source, overrides, scenarioSchema);
  const data = doc.toJS() as Record<string, unknown>;
  const result = scenarioSchema.safeParse(data);
  const raw: RawProblem[] = [...(result.success ? [] : describeIssues(result.error.issues, data, scenarioSchema)), ...checkScenario(data)];
  for (const p of dedupe(raw).map((x) => place(source, x))) {
    // A value that came from an override: show which one.
    problems.push(p.file === '--set' ? { ...p, message: `${p.message} (in --set ${overrides[p.line - 1] ?? ''})` } : p);
  }
  if (problems.length > 0 || !result.success) throw new ScenarioError(problems);
  locators.set(result.data, source.locate);
  return { file, baseDir: dirname(file), scenario: result.data, hash: hashScenario(result.data), locate: source.locate };
}

const locators = new WeakMap<Scenario, Locate>();

/** Where the fields of a scenario this module loaded are in its file (for problems found later). */
export function locatorOf(scenario: Scenario): Locate | undefined {
  return locators.get(scenario);
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

function reason(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
