/**
 * The sweep's worker thread as piscina starts it (dist/sweep-worker.mjs): it runs the worker bundle
 * (dist/sweep-worker.cjs, batch/worker.ts as one CommonJS script) compiled with V8's code cache
 * (dist/sweep-worker.cjs.cache), as `hedgesim run` does with its own (cli/launch.ts). Every thread
 * of a pool starts before its first run, on the sweep's critical path; parsing and compiling the
 * 1.6 MB bundle was about half of that start.
 *
 * The cache is written by the build (one short run) and rewritten, after its first run, by a thread
 * whose cache V8 rejected (another Node version or V8 flags) or found missing; written atomically,
 * a failure to write it (a read-only install) ignored. V8 checks it against the source and its own
 * version: a stale cache costs one compile, never a wrong result. HEDGESIM_CODE_CACHE=0 compiles.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { threadId } from 'node:worker_threads';
import type { RunOutcome, RunTask } from './execute';

const file = join(dirname(fileURLToPath(import.meta.url)), 'sweep-worker.cjs');
const cacheFile = `${file}.cache`;
const useCache = process.env.HEDGESIM_CODE_CACHE !== '0';
let cachedData: Buffer | undefined;
try {
  cachedData = useCache ? readFileSync(cacheFile) : undefined;
} catch {
  cachedData = undefined;
}
const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, 'utf8')}\n})`, { filename: file, ...(cachedData !== undefined ? { cachedData } : {}) });
let writeCache = useCache && (cachedData === undefined || script.cachedDataRejected === true);
const bundle: { exports: { default: (task: RunTask) => RunOutcome } } = { exports: {} as { default: (task: RunTask) => RunOutcome } };
(script.runInThisContext() as (e: object, r: NodeRequire, m: object, f: string, d: string) => void)(bundle.exports, createRequire(file), bundle, file, dirname(file));
const run = bundle.exports.default;

export default function task(t: RunTask): RunOutcome {
  const outcome = run(t);
  if (writeCache) {
    // After a run, so that the functions it compiled are in the cache too.
    writeCache = false;
    try {
      const tmp = `${cacheFile}.tmp-${process.pid}-${threadId}`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {
      // No cache: the next thread compiles, as this one did.
    }
  }
  return outcome;
}
