/** The one error a scenario load or build throws, carrying every problem found at once. */

/** Where a problem is: a file (or the pseudo-file `--set`, one line per override), 1-based line and column. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

export interface ScenarioProblem extends SourcePos {
  /** Field path, e.g. `agents.arb-1.bid.share` (empty for problems with the whole file). */
  path: string;
  /** What is wrong, what was found and what is allowed, in one sentence. */
  message: string;
  /** The nearest valid name, for unknown fields and bad enum values. */
  suggestion?: string;
}

/** Invalid scenario input (CLI exit code 2). `problems` lists every problem, in file order. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError' as const;
  readonly problems: readonly ScenarioProblem[];

  constructor(problems: readonly ScenarioProblem[]) {
    const sorted = [...problems].sort(compareProblems);
    super(sorted.length === 1 ? formatProblem(sorted[0]!) : `${sorted.length} problems in the scenario:\n${sorted.map(formatProblem).join('\n')}`);
    this.problems = sorted;
  }

  /** One `file:line:col: path: message` line per problem. */
  format(): string {
    return this.problems.map(formatProblem).join('\n');
  }
}

export function formatProblem(p: ScenarioProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

/** Overrides first (they are read first), then by file, line and column; stable otherwise. */
function compareProblems(a: ScenarioProblem, b: ScenarioProblem): number {
  const fa = a.file === '--set' ? 0 : 1;
  const fb = b.file === '--set' ? 0 : 1;
  if (fa !== fb) return fa - fb;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}
