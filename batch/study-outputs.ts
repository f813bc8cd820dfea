/**
 * A study's result files: study.json (what was asked, the stages run, the answer), one CSV and one
 * Parquet file per table (optimise: curve; best-response: payoffs, path) and study.html. All are
 * derived from the stages' outcomes, so a resumed study writes the same bytes.
 */
import { stringify } from 'csv-stringify/sync';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquet } from './outputs';
import type { StageRecord } from './study';
import type { StudyOutcome } from './study-kinds';
import type { LoadedStudy } from './study-load';
import { esc, studyPage } from './study-page';

function atomic(path: string, content: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

export function writeStudyOutputs(dir: string, loaded: LoadedStudy, stages: readonly StageRecord[], outcome: StudyOutcome): void {
  const s = loaded.study;
  const json = {
    name: s.name,
    kind: s.kind,
    ...(s.description ? { description: s.description } : {}),
    scenario: s.scenario,
    set: loaded.set,
    seed: s.seed,
    replicates: loaded.replicates,
    quick: loaded.quick,
    metrics: s.metrics,
    alpha: s.alpha,
    stages,
    runs: stages.reduce((n, st) => n + st.points * st.replicates, 0),
    result: outcome.json,
  };
  // Not-a-number and infinities are null in JSON (as in the tables' empty cells).
  atomic(join(dir, 'study.json'), `${JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
  for (const [name, t] of Object.entries(outcome.tables)) {
    atomic(join(dir, `${name}.csv`), stringify([t.columns, ...t.rows]));
    atomic(join(dir, `${name}.parquet`), new Uint8Array(parquet(t)));
  }
  const intro = `<p>${esc(s.description ?? '')}</p><p>Study <b>${esc(s.name)}</b> (${esc(s.kind)}) of ${esc(s.scenario)}${loaded.set.length > 0 ? ` with ${esc(loaded.set.join(', '))}` : ''}; seeds ${s.seed} to ${s.seed + loaded.replicates - 1} at every point (common random numbers)${loaded.quick ? '; the --quick size' : ''}; ${json.runs} runs in ${stages.length} stages.</p>`;
  atomic(join(dir, 'study.html'), studyPage(`hedgesim study — ${s.name}`, intro, outcome.sections));
}
