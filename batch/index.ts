/** Batch parameter sweeps: expand, run across worker threads and cluster shards, aggregate, merge. */
export { runSweep, SweepStateError, type SweepOptions, type SweepResult } from './sweep';
export { mergeSweeps, MergeError } from './merge';
export { loadSweepFile, type LoadedSweep } from './load';
export { planSweep, type Plan, type Point, type Run } from './plan';
export { resolveShard, ShardError, type Shard } from './shard';
export { describe as describeSample, type Stat, type PointSummary } from './aggregate';
export type { SweepFile } from './sweep-schema';
