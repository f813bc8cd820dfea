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
