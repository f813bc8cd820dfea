/**
 * The sweep's error classes, apart from the modules that throw them, so that the command line can
 * classify an error (cli/failure.ts) without loading the sweep code (Piscina, Parquet, statistics).
 */

/** Another process writes into the folder (CLI exit code 2). */
export class LockError extends Error {
  override readonly name = 'LockError' as const;
}

export class MergeError extends Error {
  override readonly name = 'MergeError' as const;
}

export class ShardError extends Error {
  override readonly name = 'ShardError' as const;
}

export class SweepStateError extends Error {
  override readonly name = 'SweepStateError' as const;
}

/**
 * A shard of a study ran its slice of the current stage, whose other slices are not all done yet:
 * not a failure (CLI exit code 4, STUDY_WAITING). Running the shards again (--resume) continues:
 * the first to find every slice done merges the stage and goes on to the next.
 */
export class StudyShardWait extends Error {
  override readonly name = 'StudyShardWait' as const;
  constructor(
    message: string,
    readonly stage: string,
  ) {
    super(message);
  }
}

/** The exit code of a study shard that stopped at a stage whose other shards are not done. */
export const STUDY_WAITING = 4;
