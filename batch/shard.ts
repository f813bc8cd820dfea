/**
 * Which slice of a sweep this process runs: `--shard I/N` (I from 0), or, when absent, the job-array
 * index of the scheduler it runs under — Kubernetes Indexed Jobs (JOB_COMPLETION_INDEX), Slurm arrays
 * (SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN, of SLURM_ARRAY_TASK_COUNT), AWS Batch arrays
 * (AWS_BATCH_JOB_ARRAY_INDEX) — with the count from `--shards N` or HEDGESIM_SHARDS where the
 * scheduler does not say it. Run r belongs to shard r mod N.
 */
import { ShardError } from './errors';

export interface Shard {
  index: number;
  count: number;
  /** Where the shard came from, for messages. */
  source: string;
}

export { ShardError };

function int(text: string, what: string): number {
  if (!/^\d+$/.test(text.trim())) throw new ShardError(`${what} must be a whole number, got '${text}'`);
  return Number(text);
}

export function resolveShard(flag: string | undefined, countFlag: string | undefined, env: NodeJS.ProcessEnv = process.env): Shard | null {
  if (flag !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(flag.trim());
    if (!m) throw new ShardError(`--shard must be I/N with 0 ≤ I < N, got '${flag}'`);
    return check({ index: Number(m[1]), count: Number(m[2]), source: '--shard' });
  }
  const count = countFlag ?? env.HEDGESIM_SHARDS;
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    if (count === undefined) throw new ShardError('JOB_COMPLETION_INDEX is set (Kubernetes Indexed Job): give the number of shards with --shards N or HEDGESIM_SHARDS (the Job\'s completions)');
    return check({ index: int(env.JOB_COMPLETION_INDEX, 'JOB_COMPLETION_INDEX'), count: int(count, 'the shard count'), source: 'JOB_COMPLETION_INDEX' });
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const min = env.SLURM_ARRAY_TASK_MIN !== undefined ? int(env.SLURM_ARRAY_TASK_MIN, 'SLURM_ARRAY_TASK_MIN') : 0;
    const n = count ?? env.SLURM_ARRAY_TASK_COUNT;
    if (n === undefined) throw new ShardError('SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not: give --shards N');
    return check({ index: int(env.SLURM_ARRAY_TASK_ID, 'SLURM_ARRAY_TASK_ID') - min, count: int(n, 'the shard count'), source: 'SLURM_ARRAY_TASK_ID' });
  }
  if (env.AWS_BATCH_JOB_ARRAY_INDEX !== undefined) {
    if (count === undefined) throw new ShardError('AWS_BATCH_JOB_ARRAY_INDEX is set (AWS Batch array job): give the array size with --shards N or HEDGESIM_SHARDS');
    return check({ index: int(env.AWS_BATCH_JOB_ARRAY_INDEX, 'AWS_BATCH_JOB_ARRAY_INDEX'), count: int(count, 'the shard count'), source: 'AWS_BATCH_JOB_ARRAY_INDEX' });
  }
  if (countFlag !== undefined) throw new ShardError('--shards N needs --shard I/N or a job-array index variable');
  return null;
}

function check(s: Shard): Shard {
  if (!(s.count >= 1 && s.index >= 0 && s.index < s.count)) throw new ShardError(`shard ${s.index}/${s.count} (from ${s.source}) is out of range: need 0 ≤ I < N`);
  return s;
}
