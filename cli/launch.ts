/**
 * The `hedgesim` executable (dist/hedgesim.cjs). `hedgesim run` starts from dist/run.cjs, the same
 * command line bundled as one CommonJS script and compiled with V8's code cache (dist/run.cjs.cache):
 * V8 then skips parsing and compiling what a run executes, which is most of the command's start-up
 * on Node 20 (whose ES modules have no code cache). Every other command loads the ES-module build
 * (dist/cli.mjs, lazily imported chunks in dist/chunks/). Both are built from cli/main.ts by
 * scripts/build.mjs; the outputs are the same either way (tested).
 *
 * This file is built as CommonJS: an ES-module entry point makes Node set up its ES-module loader
 * (some twenty internal modules more to load) before the first line runs, which `run` never needs.
 *
 * The cache is written by the build (one short run) and rewritten by a run whose cache V8 rejected
 * (another Node version or V8 flags): V8 checks the source and its own version, so a stale cache
 * costs one compile, never a wrong result. It is written atomically and a failure to write it (a
 * read-only install) is ignored. HEDGESIM_CODE_CACHE=0 runs without it.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';

// Built as CommonJS (dist/hedgesim.cjs): the folder of this file.
const here = __dirname;

function runFromCodeCache(): void {
  const file = join(here, 'run.cjs');
  const cacheFile = `${file}.cache`;
  const source = readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename: file, ...(cachedData !== undefined ? { cachedData } : {}) });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // After the run, so that the functions it compiled are in the cache too.
    process.once('exit', () => {
      try {
        const tmp = `${cacheFile}.tmp-${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // No cache: the next run compiles, as this one did.
      }
    });
  }
  const module = { exports: {} };
  (script.runInThisContext() as (e: object, r: NodeRequire, m: object, f: string, d: string) => void)(module.exports, createRequire(file), module, file, here);
}

if (process.argv[2] === 'run' && process.env.HEDGESIM_CODE_CACHE !== '0') runFromCodeCache();
else {
  // A variable: the ES-module build is next to this file in dist/, not beside the source.
  const cli = './cli.mjs';
  void import(cli);
}
