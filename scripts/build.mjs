// Bundles the command line, the library and the benchmark with esbuild (fast, one file each).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = [
  ['index.ts', 'dist/index.mjs'],
  ['cli/main.ts', 'dist/hedgesim.mjs'],
  ['bench/main.ts', 'dist/bench.mjs'],
  ['bench/profile.ts', 'dist/profile.mjs'],
  ['bench/viewer.ts', 'dist/bench-viewer.mjs'],
  ['batch/worker.ts', 'dist/sweep-worker.mjs'],
].filter(([src]) => existsSync(src));

const browser = [
  ['viz/report/main.ts', 'dist/report.js'],
  ['viz/sweep/main.ts', 'dist/sweep-report.js'],
].filter(([src]) => existsSync(src));

await Promise.all([
  ...browser.map(([src, out]) =>
    build({ entryPoints: [src], outfile: out, bundle: true, platform: 'browser', format: 'iife', target: 'es2020', minify: true, logLevel: 'warning' }),
  ),
  ...entries.map(([src, out]) =>
    build({
      entryPoints: [src],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      packages: 'external',
      banner: out.endsWith('hedgesim.mjs') ? { js: '#!/usr/bin/env node' } : {},
      logLevel: 'warning',
    }),
  ),
]);
