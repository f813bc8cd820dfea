/**
 * Merging shard outputs: the union of the shards' journals, checked to come from the same sweep,
 * written as the single-machine result would be (byte for byte). Runs missing from the union (a
 * shard not given, a shard that did not finish) are refused, naming them, unless the caller allows
 * a partial result.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MergeError } from './errors';
import { aggregate, type PointSummary } from './aggregate';
import type { RunOutcome } from './execute';
import { sweepHtml } from './html';
import { readJournal } from './journal';
import { lockFolder, removeStaleTemps } from './lock';
import { planHash, writeOutputs, type ShardOf, type SweepMeta, type Tables } from './outputs';
import type { Plan, Values } from './plan';

export { MergeError };

interface Stored extends SweepMeta {
  pointValues: Values[];
  completed?: number;
  failed?: number;
  shard?: ShardOf;
}

function readMeta(dir: string): Stored {
  const path = join(dir, 'sweep.json');
  if (!existsSync(path)) throw new MergeError(`${dir} is not a sweep output folder (no sweep.json)`);
  return JSON.parse(readFileSync(path, 'utf8')) as Stored;
}

/** Recomputed from the stored fields rather than read, so that a hand-edited sweep.json cannot pass. */
const identity = (m: Stored): string => planHash(m);

export interface MergeOptions {
  /** Write into a folder that holds another sweep (or runs of this one the merge lacks), replacing its files. */
  force?: boolean;
  /** Write the runs there are when some are missing (else a MergeError naming them). */
  allowPartial?: boolean;
}

/**
 * Why the merged result may not be written into `dir`, which exists: a run's folder (its files would
 * mix with the sweep's), another sweep's (its files would be overwritten), or this sweep's with runs
 * the merge does not have (they would be dropped from its journal). The last two pass with `force`.
 */
function checkTarget(dir: string, out: string, first: Stored, outcomes: ReadonlyMap<number, RunOutcome>, force: boolean): void {
  if (existsSync(join(dir, 'summary.json'))) throw new MergeError(`${out} holds a run's outputs (summary.json); a merge writes its files into its folder, which must not be a run's: give the merge another --out`);
  if (force || !existsSync(join(dir, 'sweep.json'))) return;
  let held: Stored | undefined;
  try {
    held = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as Stored;
  } catch {
    held = undefined;
  }
  const replace = 'give the merge another --out, or --force to replace them';
  if (held === undefined || held === null || typeof held !== 'object') throw new MergeError(`${out} holds a sweep.json that is not readable JSON, so it cannot be checked to belong to this sweep; the merge would overwrite its files: ${replace}`);
  if (identity(held) !== identity(first)) {
    const which = held.name === first.name ? `one also named '${first.name}' whose runs differ (base scenario, overrides, seeds, parameters, points or metrics)` : `'${String(held.name)}', not '${first.name}'`;
    throw new MergeError(`${out} holds the outputs of another sweep (${which}); the merge would overwrite them: ${replace}`);
  }
  const dropped = [...readJournal(join(dir, 'runs.jsonl')).keys()].filter((id) => !outcomes.has(id)).length;
  if (dropped > 0) throw new MergeError(`${out} holds ${dropped} run${dropped === 1 ? '' : 's'} of this sweep that the folders merged do not; the merge would drop ${dropped === 1 ? 'it' : 'them'}: name ${out} among the folders to merge, give another --out, or --force to replace ${dropped === 1 ? 'it' : 'them'}`);
}

export function mergeSweeps(dirs: readonly string[], out: string, opts: MergeOptions = {}): { dir: string; missing: number; summary: PointSummary[]; tables: Tables } {
  if (dirs.length === 0) throw new MergeError('name at least one sweep folder to merge');
  // resolve('') is the current folder: an empty name is a mistake, not a request to write there.
  if (out.trim() === '') throw new MergeError('the output folder name is empty');
  const metas = dirs.map(readMeta);
  const first = metas[0]!;
  metas.forEach((m, i) => {
    if (identity(m) !== identity(first)) throw new MergeError(`${dirs[i]} holds a different sweep than ${dirs[0]} (name, scenario, parameters, seeds or metrics differ)`);
  });
  const outcomes = new Map<number, RunOutcome>();
  for (const d of dirs) for (const [id, o] of readJournal(join(d, 'runs.jsonl'))) outcomes.set(id, o);
  const points = first.pointValues.map((values, id) => ({ id, values }));
  const runs = points.flatMap((p) => Array.from({ length: first.replicates }, (_, r) => ({ id: p.id * first.replicates + r, point: p.id, replicate: r, seed: first.seed + r })));
  const plan: Plan = { points, runs, parameters: first.parameters, baseline: first.baseline, draws: first.draws };
  const missing = runs.filter((r) => !outcomes.has(r.id)).map((r) => r.id);
  // Before anything is written: a partial merge must be asked for.
  if (missing.length > 0 && opts.allowPartial !== true) throw new MergeError(missingRuns(missing, runs.length, dirs, metas));
  const dir = resolve(out);
  checkTarget(dir, out, first, outcomes, opts.force ?? false);
  mkdirSync(dir, { recursive: true });
  const lock = lockFolder(dir, 'merge');
  try {
    removeStaleTemps(dir);
    return writeMerged(dir, plan, first, outcomes, missing.length);
  } finally {
    lock.release();
  }
}

function writeMerged(dir: string, plan: Plan, first: Stored, outcomes: Map<number, RunOutcome>, missing: number): { dir: string; missing: number; summary: PointSummary[]; tables: Tables } {
  const summary = aggregate(plan, Object.keys(first.metrics), outcomes, first.quantiles ?? []);
  // What a shard's sweep.json adds to the meta (its own completed / failed counts) must not leak
  // into the merged files: sweep.html embeds the meta as is.
  const { pointValues: _p, completed: _c, failed: _f, shard: _s, ...meta } = first;
  void _p, _c, _f, _s;
  const tables = writeOutputs(dir, plan, meta, outcomes, summary, sweepHtml(meta, plan, summary));
  // The merged journal, so the merged folder can itself be merged or resumed.
  const lines = [...outcomes.values()].sort((a, b) => a.id - b.id).map((o) => `${JSON.stringify(o)}\n`).join('');
  writeFileAtomic(join(dir, 'runs.jsonl'), lines);
  return { dir, missing, summary, tables };
}

/** Ids as a short list: the first ten, then how many more. */
function idList(ids: readonly number[]): string {
  return ids.length <= 10 ? ids.join(', ') : `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more`;
}

/**
 * Which runs are missing and why, as far as the folders tell: the shards of the split that were not
 * given, the given folders that did not finish their runs.
 */
function missingRuns(missing: readonly number[], total: number, dirs: readonly string[], metas: readonly Stored[]): string {
  const why: string[] = [];
  const shards = metas.map((m) => m.shard);
  const n = shards[0]?.count;
  if (n !== undefined && shards.every((sh) => sh?.count === n)) {
    const given = new Set(shards.map((sh) => sh!.index));
    const absent = Array.from({ length: n }, (_, i) => i).filter((i) => !given.has(i));
    const names = (xs: number[]): string => xs.map((i) => `${i}/${n}`).join(', ');
    if (absent.length > 0) why.push(`${absent.length === 1 ? 'shard' : 'shards'} ${names(absent)} ${absent.length === 1 ? 'was' : 'were'} not given (given: ${names([...given].sort((a, b) => a - b))})`);
  }
  metas.forEach((m, i) => {
    const mine = (id: number): boolean => m.shard === undefined || id % m.shard.count === m.shard.index;
    const lacks = missing.filter(mine).length;
    if (lacks === 0) return;
    const expected = Array.from({ length: total }, (_, id) => id).filter(mine).length;
    why.push(`${dirs[i]}${m.shard ? ` (shard ${m.shard.index}/${m.shard.count})` : ''} lacks ${lacks} of its ${expected} runs (continue it with hedgesim sweep … --resume)`);
  });
  return `${missing.length} of ${total} runs are missing (run ${missing.length === 1 ? 'id' : 'ids'} ${idList(missing)})${why.length > 0 ? `: ${why.join('; ')}` : ''}. Merge the folder of every shard, or give --allow-partial to write the runs there are`;
}

function writeFileAtomic(path: string, content: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}
