// Bundles the command line, the library and the benchmark with esbuild (fast, one file each; the
// command line split in chunks so that `run` loads no sweep, Parquet or viewer-server code).
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const entries = [
  ['index.ts', 'dist/index.mjs'],
  ['bench/main.ts', 'dist/bench.mjs'],
  ['bench/profile.ts', 'dist/profile.mjs'],
  ['bench/viewer.ts', 'dist/bench-viewer.mjs'],
].filter(([src]) => existsSync(src));

const browser = [
  ['viz/report/main.ts', 'dist/report.js'],
  ['viz/sweep/main.ts', 'dist/sweep-report.js'],
].filter(([src]) => existsSync(src));

const node = { bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: true, packages: 'external', logLevel: 'warning' };
// For the command line and the sweep worker: dependencies bundled in (bundled CommonJS packages
// require Node's built-in modules, hence `require`).
const selfContained = { packages: undefined, external: ['piscina'], banner: { js: "import { createRequire as __hedgesimRequire } from 'node:module';\nconst require = __hedgesimRequire(import.meta.url);" } };

const [cli] = await Promise.all([
  // dist/hedgesim.mjs and its lazily imported commands (sweep, merge, view) in dist/chunks/, with
  // the dependencies bundled in: one file to compile instead of hundreds to resolve and load, which
  // is most of the command's start-up. Piscina stays external (it starts its own worker file).
  existsSync('cli/main.ts') &&
  build({
    ...node,
    ...selfContained,
    metafile: true,
    banner: { js: `#!/usr/bin/env node\n${selfContained.banner.js}` },
    entryPoints: { hedgesim: 'cli/main.ts' },
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
  }),
  // Each worker thread loads it: self-contained too, so a pool starts sooner.
  existsSync('batch/worker.ts') && build({ ...node, ...selfContained, entryPoints: ['batch/worker.ts'], outfile: 'dist/sweep-worker.mjs' }),
  ...browser.map(([src, out]) =>
    build({ entryPoints: [src], outfile: out, bundle: true, platform: 'browser', format: 'iife', target: 'es2020', minify: true, logLevel: 'warning' }),
  ),
  ...entries.map(([src, out]) =>
    build({ ...node, entryPoints: [src], outfile: out }),
  ),
]);

// Chunks of an earlier build have other hashes: once this build has written its own, remove the
// others (never before: a command running meanwhile, or a build that fails, keeps a working dist/).
if (cli && existsSync('dist/chunks')) {
  const written = new Set(Object.keys(cli.metafile.outputs).map((f) => relative('dist/chunks', f)));
  for (const f of readdirSync('dist/chunks')) if (!written.has(f)) rmSync(join('dist/chunks', f), { force: true });
}
