/**
 * Small, fast sweeps for the batch tests: a base scenario of a few hundred blocks, sweep files over
 * it, and helpers to compare result folders and read journals. The CLI helpers (child processes,
 * temporary folders, snapshots) come from test/cli/helpers.ts.
 */
import { parse } from 'csv-parse/sync';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, TINY } from '../cli/helpers';

/** The base scenario: 300 blocks of 12 s, one pool, an LP, retail noise and an arbitrageur (the CLI tests' TINY, longer). */
export const BASE = TINY.replace(/^# .*\nname: tiny\nblocks: 50\n/, 'name: base\nblocks: 300\n');

/** 2 explicit points × 3 fees × 2 bid shares = 12 points, × 3 replicates = 36 runs, with a baseline. */
export const SWEEP = `# A small sweep over the base scenario.
name: small
scenario: base.yaml
set: [chain.baseFee.initial=3]
seed: 7
replicates: 3
parameters:
  venues.pool.feeBps: { values: [5, 30, 100] }
  agents.arb.bid.share: { values: [0.2, 0.8] }
points:
  - { agents.noise.medianUsd: 1000 }
  - { agents.noise.medianUsd: 3000 }
metrics:
  lp_fees: agents.lp.pnl.fees
  volume: venues.pool.volumeUsd
  builder: builder.priorityFeesUsd
  price: prices.ETH
baseline: { venues.pool.feeBps: 30, agents.arb.bid.share: 0.2, agents.noise.medianUsd: 1000 }
`;
export const SWEEP_RUNS = 36;

/** No job-array variables from the environment the tests run in (they would shard every sweep). */
export const CLEAN_ENV: Record<string, undefined> = {
  JOB_COMPLETION_INDEX: undefined,
  SLURM_ARRAY_TASK_ID: undefined,
  SLURM_ARRAY_TASK_MIN: undefined,
  SLURM_ARRAY_TASK_COUNT: undefined,
  AWS_BATCH_JOB_ARRAY_INDEX: undefined,
  HEDGESIM_SHARDS: undefined,
};

/**
 * The test sweeps are far too short for `--workers 2` to start a pool (batch/sweep.ts, worthAPool):
 * tests of the pool force it.
 */
export const POOL: Record<string, string> = { HEDGESIM_SWEEP_POOL: 'always' };

/** The files that must be byte-identical whatever the workers, shards or interruptions. */
export const RESULT_FILES = ['runs.csv', 'summary.csv', 'runs.parquet', 'summary.parquet', 'sweep.json', 'sweep.html'] as const;

/** `edit(text, from, to)`: `text` with `from` (which must occur exactly once) replaced by `to`. */
export function edit(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  if (i < 0 || text.indexOf(from, i + 1) >= 0) throw new Error(`'${from}' must occur exactly once`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

/** The result files of two folders that differ (by name); empty when all are byte-identical. */
export function differing(a: string, b: string, files: readonly string[] = RESULT_FILES): string[] {
  return files.filter((f) => {
    const pa = join(a, f);
    const pb = join(b, f);
    if (!existsSync(pa) || !existsSync(pb)) return true;
    return !readFileSync(pa).equals(readFileSync(pb));
  });
}

export interface JournalLine {
  id: number;
  status: 'ok' | 'failed';
  metrics: Record<string, number>;
  error: string | null;
  wallSeconds: number;
}

/** The complete (parseable) lines of a journal, in file order. */
export function journalLines(dir: string): JournalLine[] {
  const path = join(dir, 'runs.jsonl');
  if (!existsSync(path)) return [];
  const out: JournalLine[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    try {
      out.push(JSON.parse(line) as JournalLine);
    } catch {
      // empty or torn
    }
  }
  return out;
}

/** Rows of a CSV file's text. */
export function csvRows(text: string): string[][] {
  return parse(text) as string[][];
}

/** A CSV as objects keyed by its header. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header = [], ...rows] = csvRows(text);
  return rows.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j] ?? ''])));
}

/**
 * Start `hedgesim …` in the background; `stopWhen` is polled every few milliseconds and, once it
 * holds, the child gets `signal`. Resolves with the exit code and signal.
 */
export async function startAndKill(
  args: readonly string[],
  cwd: string,
  stopWhen: () => boolean,
  signal: NodeJS.Signals,
  env: Record<string, string> = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: 'ignore', env: { ...process.env, ...CLEAN_ENV, ...env } });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
  let done = false;
  void exited.then(() => (done = true));
  let killed = false;
  const deadline = Date.now() + 30_000;
  while (!done && Date.now() < deadline) {
    if (stopWhen()) {
      killed = child.kill(signal);
      break;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  if (!killed && !done) child.kill('SIGKILL');
  return { ...(await exited), killed };
}
