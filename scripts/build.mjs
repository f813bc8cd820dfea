// Bundles the command line, the library and the benchmark with esbuild (fast, one file each; the
// command line split in chunks so that `run` loads no sweep, Parquet or viewer-server code).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
/** The same as one CommonJS script (dist/run.cjs, dist/sweep-worker.cjs), whose import.meta.url is its file's URL. */
const selfContainedCjs = {
  ...node,
  ...selfContained,
  format: 'cjs',
  banner: { js: "var __hedgesimUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__hedgesimUrl' },
};

/**
 * For dist/run.cjs: the modules cli/main.ts imports lazily for commands other than `run` (sweep,
 * study, merge, view) become a stand-in that says so, so the run bundle holds none of their code.
 */
const LAZY = new Set(['./sweep', './study', './view']);
const lazyCommands = {
  name: 'lazy-commands',
  setup(b) {
    b.onResolve({ filter: /^\.\/(sweep|study|view)$/ }, (args) =>
      args.importer.endsWith(join('cli', 'main.ts')) && args.kind === 'dynamic-import' && LAZY.has(args.path) ? { path: args.path, namespace: 'lazy-command' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-command' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, name) => () => { throw new Error('hedgesim: ' + String(name) + ' is not in dist/run.cjs (run it through dist/hedgesim.cjs)'); } });",
      loader: 'js',
    }));
  },
};

/**
 * Node modules that commander (`child_process`, for executable subcommands hedgesim has none of)
 * and cli-progress (`readline`, to move the cursor of a bar on a terminal) load as they start, which
 * a run mostly never calls: loaded on their first use instead (a proxy), not at every start.
 */
const LAZY_BUILTINS = { 'node:child_process': /[\\/]commander[\\/]/, readline: /[\\/]cli-progress[\\/]/ };
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:child_process|readline)$/ }, (args) => {
      if (args.namespace === 'lazy-builtin') return { path: args.path, external: true };
      return LAZY_BUILTINS[args.path]?.test(args.importer) ? { path: args.path, namespace: 'lazy-builtin' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let m; module.exports = new Proxy({}, { get: (_, name) => (m ??= require(${JSON.stringify(args.path)}))[name] });`,
      loader: 'js',
    }));
  },
};

const [cli] = await Promise.all([
  // dist/cli.mjs and its lazily imported commands (sweep, merge, view) in dist/chunks/, with
  // the dependencies bundled in: one file to compile instead of hundreds to resolve and load, which
  // is most of the command's start-up. Piscina stays external (it starts its own worker file).
  existsSync('cli/main.ts') &&
  build({
    ...node,
    ...selfContained,
    metafile: true,
    banner: { js: `#!/usr/bin/env node\n${selfContained.banner.js}` },
    entryPoints: { cli: 'cli/main.ts' },
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    plugins: [lazyBuiltins],
  }),
  // dist/run.cjs: the same command line as one CommonJS script, which the executable
  // (dist/hedgesim.cjs, cli/launch.ts) compiles with V8's code cache for `hedgesim run`. The other
  // commands are never reached through it: their modules are left out (see lazyCommands).
  existsSync('cli/main.ts') &&
  build({
    ...selfContainedCjs,
    entryPoints: ['cli/main.ts'],
    outfile: 'dist/run.cjs',
    plugins: [lazyCommands, lazyBuiltins],
    // No comments and no indentation: a third smaller, and ASCII only (esbuild escapes the rest;
    // the comments it keeps in class bodies had σ, Σ, –), so that Node reads it into a one-byte
    // string, not a two-byte one of twice the size. Names are kept: stack traces still read, and
    // dist/run.cjs.map maps them to the sources.
    minifyWhitespace: true,
  }),
  // The executable, as CommonJS (see cli/launch.ts).
  existsSync('cli/launch.ts') &&
  build({ ...node, bundle: false, format: 'cjs', banner: { js: '#!/usr/bin/env node' }, entryPoints: ['cli/launch.ts'], outfile: 'dist/hedgesim.cjs' }),
  // Each worker thread loads it: self-contained too, so a pool starts sooner; one CommonJS script
  // (ASCII, as dist/run.cjs), which dist/sweep-worker.mjs (batch/worker-launch.ts) compiles with
  // V8's code cache (dist/sweep-worker.cjs.cache).
  existsSync('batch/worker.ts') &&
  build({
    ...selfContainedCjs,
    entryPoints: ['batch/worker.ts'],
    outfile: 'dist/sweep-worker.cjs',
    minifyWhitespace: true,
  }),
  existsSync('batch/worker-launch.ts') && build({ ...node, entryPoints: ['batch/worker-launch.ts'], outfile: 'dist/sweep-worker.mjs' }),
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

// The executable was dist/hedgesim.mjs before it was CommonJS: an earlier build's copy would still
// run, the slower way, for whoever kept calling it.
for (const f of ['dist/hedgesim.mjs', 'dist/hedgesim.mjs.map']) rmSync(f, { force: true });

for (const f of ['dist/run.cjs', 'dist/sweep-worker.cjs']) {
  if (existsSync(f) && /[^\x00-\x7f]/.test(readFileSync(f, 'latin1'))) {
    process.stderr.write(`build: ${f} has non-ASCII characters: Node reads it into a two-byte string, slower at every start (scripts/build.mjs)\n`);
  }
}

// The code cache of dist/run.cjs (cli/launch.ts): written by one short run of the default scenario,
// after it, so that it holds what a run compiles. A stale cache from an earlier build is removed
// first (V8 would reject it, and the first run would pay for the compile).
if (existsSync('dist/run.cjs') && existsSync('scenarios/default.yaml')) {
  rmSync('dist/run.cjs.cache', { force: true });
  const out = mkdtempSync(join(tmpdir(), 'hedgesim-build-'));
  try {
    const r = spawnSync(process.execPath, ['dist/hedgesim.cjs', 'run', 'scenarios/default.yaml', '--set', 'duration=2m', '--record', 'summary', '--out', join(out, 'o'), '-q'], { encoding: 'utf8' });
    if (r.status !== 0 || !existsSync('dist/run.cjs.cache')) process.stderr.write(`build: no code cache for dist/run.cjs (the warm-up run exited ${r.status}): ${r.stderr}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// The code cache of dist/sweep-worker.cjs (batch/worker-launch.ts): written after one short run of
// the default scenario through the worker's entry, as a pool's thread writes it after its first run.
if (existsSync('dist/sweep-worker.cjs') && existsSync('dist/sweep-worker.mjs') && existsSync('scenarios/default.yaml')) {
  rmSync('dist/sweep-worker.cjs.cache', { force: true });
  const task = { id: 0, scenarioFile: 'scenarios/default.yaml', baseDir: 'scenarios', set: ['duration=2m'], values: {}, seed: 1, metrics: { lp: 'agents.lp.pnl.total' } };
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import run from './dist/sweep-worker.mjs'; const o = run(${JSON.stringify(task)}); if (o.status !== 'ok') { console.error(o.error); process.exit(1); }`], { encoding: 'utf8' });
  if (r.status !== 0 || !existsSync('dist/sweep-worker.cjs.cache')) process.stderr.write(`build: no code cache for dist/sweep-worker.cjs (the warm-up run exited ${r.status}): ${r.stderr}`);
}
