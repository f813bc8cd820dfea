/**
 * Start-up of `hedgesim run`: what it loads holds only what `run` needs. The executable
 * (dist/hedgesim.cjs, cli/launch.ts, CommonJS) starts `run` from dist/run.cjs with V8's code cache, and every
 * other command from the ES-module build (dist/cli.mjs), whose sweep, merge and view are imported
 * when used, from chunks of their own: the pool (Piscina), Parquet, the statistics library and the
 * HTTP server are never loaded by a run. Checked on the run bundle's code and the ES-module build's
 * static import graph (what Node loads before `main` runs), and by running the commands.
 */
import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hedgesim, MINIMAL, ROOT, tempDirs } from './helpers';

const ESM_CLI = join(ROOT, 'dist', 'cli.mjs');
const RUN_BUNDLE = join(ROOT, 'dist', 'run.cjs');
const HEAVY_PACKAGES = ['piscina', 'hyparquet-writer', 'hyparquet', '@stdlib/stats-base-dists-t-quantile', '@stdlib/stats-base-dists-t-cdf', 'immer', 'sirv', 'node:http', '@duckdb/node-api', 'jsep'];
const HEAVY_CODE = ['node_modules/piscina', 'node_modules/hyparquet', 'node_modules/@stdlib', 'node_modules/immer', 'node_modules/sirv', 'batch/sweep.ts', 'batch/aggregate.ts', 'cli/view.ts'];

const tempDir = tempDirs();

/** Every file the module `file` loads before it runs: its static imports, recursively (dynamic imports excluded). */
function staticGraph(file: string, seen = new Map<string, string>()): Map<string, string> {
  if (seen.has(file)) return seen;
  const text = readFileSync(file, 'utf8');
  seen.set(file, text);
  // `import … from "x"` and `import "x"`, at the start of a line (esbuild's output); `import(` is dynamic.
  for (const m of text.matchAll(/^import\s+(?:[^'"()]*?\s+from\s+)?["']([^"']+)["'];?$/gm)) {
    const spec = m[1]!;
    if (spec.startsWith('.')) staticGraph(resolve(dirname(file), spec), seen);
    else seen.set(`package:${spec}`, '');
  }
  return seen;
}

describe('hedgesim run starts light', () => {
  it('loads no sweep, Parquet, statistics or server code before it runs', () => {
    const graph = staticGraph(ESM_CLI);
    const packages = [...graph.keys()].filter((k) => k.startsWith('package:')).map((k) => k.slice('package:'.length));
    for (const heavy of HEAVY_PACKAGES) expect(packages, heavy).not.toContain(heavy);
    // Nor bundled in: the code of those packages and of the sweep is in no file loaded up front.
    const code = [...graph.values()].join('\n');
    for (const marker of [...HEAVY_CODE, 'cli/fork.ts']) expect(code.includes(`// ${marker}`), marker).toBe(false);
    // The lazily imported commands are still in the build.
    expect(readFileSync(ESM_CLI, 'utf8')).toMatch(/import\("\.\/chunks\/sweep-[A-Z0-9]+\.mjs"\)/);
    // The run bundle: neither those packages, required or bundled, nor the other commands' code.
    // It has no comments (whitespace minified): what is bundled in is read from its source map.
    const run = readFileSync(RUN_BUNDLE, 'utf8');
    for (const heavy of HEAVY_PACKAGES) expect(run.includes(`require("${heavy}")`), heavy).toBe(false);
    const bundled = (JSON.parse(readFileSync(`${RUN_BUNDLE}.map`, 'utf8')) as { sources: string[] }).sources;
    expect(bundled.some((f) => f.endsWith('cli/run.ts')), 'the map lists the bundled files').toBe(true);
    for (const marker of [...HEAVY_CODE, 'cli/study.ts', 'batch/study.ts']) expect(bundled.filter((f) => f.includes(marker)), marker).toEqual([]);
    // The executable itself is the small launcher, CommonJS (no ES-module loader to set up before
    // a run): only Node's own modules, nothing bundled, and the ES-module build imported only for
    // the other commands.
    const launcher = readFileSync(join(ROOT, 'dist', 'hedgesim.cjs'), 'utf8');
    expect(launcher).not.toMatch(/^import\s/m);
    expect([...launcher.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]).filter((x) => !x!.startsWith('node:'))).toEqual([]);
    expect(launcher).toContain('const cli = "./cli.mjs";');
    expect(launcher.length).toBeLessThan(4000);
  });

  it('keeps the run bundle ASCII (a one-byte string for Node)', () => {
    // A non-ASCII character anywhere (a comment's σ) makes Node decode the whole file into a
    // two-byte string: twice the memory to read at every start.
    expect(/[^\x00-\x7f]/.test(readFileSync(RUN_BUNDLE, 'latin1'))).toBe(false);
  });

  it('runs from the code cache with the same outputs as the ES-module build; a stale cache is rejected and rewritten', () => {
    const dir = tempDir();
    const cache = `${RUN_BUNDLE}.cache`;
    expect(existsSync(cache), 'the build writes dist/run.cjs.cache').toBe(true);
    const args = (out: string): string[] => ['run', MINIMAL, '--set', 'duration=1h', '--record', 'full', '--out', join(dir, out), '-q'];
    expect(hedgesim(args('cached')).code).toBe(0);
    expect(hedgesim(args('esm'), { env: { HEDGESIM_CODE_CACHE: '0' } }).code).toBe(0);
    const saved = join(dir, 'saved.cache');
    copyFileSync(cache, saved);
    try {
      // A cache that is not V8's for this source (another build, another Node): rejected, the run
      // is the same, and the cache is written anew.
      writeFileSync(cache, Buffer.alloc(4096, 7));
      expect(hedgesim(args('stale')).code).toBe(0);
      expect(statSync(cache).size).toBeGreaterThan(100_000);
      // No cache at all: the same again, and one is written.
      rmSync(cache);
      expect(hedgesim(args('none')).code).toBe(0);
      expect(existsSync(cache)).toBe(true);
    } finally {
      copyFileSync(saved, cache);
    }
    for (const f of ['summary.json', 'blocks.csv', 'pnl.csv', 'transactions.jsonl', 'transfers.csv', 'report.html']) {
      const esm = readFileSync(join(dir, 'esm', f), 'utf8');
      for (const other of ['cached', 'stale', 'none']) expect(readFileSync(join(dir, other, f), 'utf8'), `${other}/${f}`).toBe(esm);
    }
  });

  it('runs sweep and view from their chunks (the worker and the viewer found from dist/chunks/)', () => {
    // Two runs of the minimal scenario, through the pool (forced), so the worker script is found.
    const dir = tempDir({ 'sweep.yaml': `name: tiny\nscenario: ${JSON.stringify(MINIMAL)}\nset: [duration=1h]\nseed: 1\nreplicates: 2\nmetrics:\n  lp_fees: agents.lp.pnl.fees\n` });
    const sweepFile = join(dir, 'sweep.yaml');
    const r = hedgesim(['sweep', sweepFile, '--workers', '2', '--out', join(dir, 'o'), '-q'], { env: { HEDGESIM_SWEEP_POOL: 'always' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'o', 'runs.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    // The sweep page inlines the sweep viewer (found above the chunk), not the "not built" stand-in.
    expect(readFileSync(join(dir, 'o', 'sweep.html'), 'utf8')).not.toContain('The sweep viewer is not built');
    const h = hedgesim(['view', '--help']);
    expect(h.code).toBe(0);
  });

  it('starts the sweep worker from its code cache (ASCII bundle); a stale or missing cache gives the same runs and is rewritten after the first', () => {
    const bundle = join(ROOT, 'dist', 'sweep-worker.cjs');
    const cache = `${bundle}.cache`;
    expect(existsSync(cache), 'the build writes dist/sweep-worker.cjs.cache').toBe(true);
    expect(/[^\x00-\x7f]/.test(readFileSync(bundle, 'latin1'))).toBe(false);
    const dir = tempDir({ 'sweep.yaml': `name: tiny\nscenario: ${JSON.stringify(MINIMAL)}\nset: [duration=1h]\nseed: 1\nreplicates: 2\nmetrics:\n  lp_fees: agents.lp.pnl.fees\n` });
    const sweep = (out: string, env: Record<string, string> = {}): void => {
      const r = hedgesim(['sweep', join(dir, 'sweep.yaml'), '--workers', '2', '--out', join(dir, out), '-q'], { env: { HEDGESIM_SWEEP_POOL: 'always', ...env } });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    };
    sweep('cached');
    sweep('compiled', { HEDGESIM_CODE_CACHE: '0' });
    const saved = join(dir, 'saved.cache');
    copyFileSync(cache, saved);
    try {
      writeFileSync(cache, Buffer.alloc(4096, 7));
      sweep('stale');
      expect(statSync(cache).size).toBeGreaterThan(100_000);
      rmSync(cache);
      sweep('none');
      expect(existsSync(cache)).toBe(true);
    } finally {
      copyFileSync(saved, cache);
    }
    // Finished in either order on two threads: compared as sets of lines.
    const runs = (out: string): string[] => readFileSync(join(dir, out, 'runs.jsonl'), 'utf8').trim().split('\n').map((l) => l.replace(/,"wallSeconds":[^,}]*/, '')).sort();
    for (const out of ['cached', 'stale', 'none']) {
      expect(runs(out), out).toEqual(runs('compiled'));
      expect(readFileSync(join(dir, out, 'runs.csv'), 'utf8'), out).toBe(readFileSync(join(dir, 'compiled', 'runs.csv'), 'utf8'));
    }
  });

  it('reports the time to its first block when asked (HEDGESIM_FIRST_BLOCK_MARK), with the same outputs', () => {
    const dir = tempDir();
    const t0 = performance.timeOrigin + performance.now();
    const marked = hedgesim(['run', MINIMAL, '--record', 'summary', '--out', join(dir, 'a'), '-q'], { env: { HEDGESIM_FIRST_BLOCK_MARK: String(t0) } });
    expect(marked.code).toBe(0);
    const m = /^hedgesim-first-block-ms=([\d.]+)$/m.exec(marked.stderr);
    expect(m).not.toBeNull();
    const ms = Number(m![1]);
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThan(performance.timeOrigin + performance.now() - t0);
    const plain = hedgesim(['run', MINIMAL, '--record', 'summary', '--out', join(dir, 'b'), '-q']);
    expect(plain.code).toBe(0);
    expect(readFileSync(join(dir, 'a', 'summary.json'), 'utf8')).toBe(readFileSync(join(dir, 'b', 'summary.json'), 'utf8'));
  });
});
