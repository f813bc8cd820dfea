/**
 * Start-up of `hedgesim run`: the bundle it loads holds only what `run` needs. Sweep, merge and view
 * are imported when used, from chunks of their own, so the pool (Piscina), Parquet, the statistics
 * library and the HTTP server are never loaded by a run. Checked on the built command line's static
 * import graph (what Node loads before `main` runs), and by running the commands from the chunks.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, hedgesim, MINIMAL, tempDirs } from './helpers';

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
    const graph = staticGraph(CLI);
    const packages = [...graph.keys()].filter((k) => k.startsWith('package:')).map((k) => k.slice('package:'.length));
    for (const heavy of ['piscina', 'hyparquet-writer', 'hyparquet', '@stdlib/stats-base-dists-t-quantile', '@stdlib/stats-base-dists-t-cdf', 'immer', 'sirv', 'node:http', '@duckdb/node-api', 'jsep']) {
      expect(packages, heavy).not.toContain(heavy);
    }
    // Nor bundled in: the code of those packages and of the sweep is in no file loaded up front.
    const code = [...graph.values()].join('\n');
    for (const marker of ['node_modules/piscina', 'node_modules/hyparquet', 'node_modules/@stdlib', 'node_modules/immer', 'node_modules/sirv', 'batch/sweep.ts', 'batch/aggregate.ts', 'cli/view.ts', 'cli/fork.ts']) {
      expect(code.includes(`// ${marker}`), marker).toBe(false);
    }
    // The lazily imported commands are still in the build.
    expect(readFileSync(CLI, 'utf8')).toMatch(/import\("\.\/chunks\/sweep-[A-Z0-9]+\.mjs"\)/);
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
