/**
 * The viewer reads output files and never imports the engine: no file under viz/ imports from
 * sim/, agents/, scenarios/, batch/ or cli/ (type-only imports included, which esbuild erases),
 * and the browser bundles are made of viz/ and d3 only (esbuild's metafile lists every input).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/helpers';

const ENGINE = ['sim', 'agents', 'scenarios', 'batch', 'cli'];

/** Every module specifier of a TypeScript source: import/export … from, side-effect imports, import(), require(). */
function specifiers(text: string): string[] {
  const re = /\b(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...text.matchAll(re)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** `file: specifier` for each import of a file under viz/ that leaves viz/ for the engine, or is a package other than d3. */
function forbiddenImports(files: readonly { path: string; text: string }[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    for (const s of specifiers(f.text)) {
      if (s.startsWith('.')) {
        const top = relative(ROOT, resolve(dirname(join(ROOT, f.path)), s)).split(/[\\/]/)[0]!;
        if (ENGINE.includes(top) || top === '..' || top === 'index.ts' || top === 'index') out.push(`${f.path}: ${s}`);
      } else if (!/^d3(-[a-z]+)*$/.test(s)) out.push(`${f.path}: ${s}`);
    }
  }
  return out;
}

function vizFiles(dir = 'viz'): { path: string; text: string }[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return vizFiles(path);
    return e.name.endsWith('.ts') ? [{ path, text: readFileSync(join(ROOT, path), 'utf8') }] : [];
  });
}

describe('the viewer never imports the engine', () => {
  it('no file under viz/ imports from sim/, agents/, scenarios/, batch/ or cli/, or a package but d3', () => {
    const files = vizFiles();
    expect(files.length).toBeGreaterThan(30);
    expect(forbiddenImports(files)).toEqual([]);
  });

  it('the check catches an engine import, a type-only one, a dynamic one and another package', () => {
    const bad = [
      { path: 'viz/report/x.ts', text: "import { Kernel } from '../../sim/kernel';\nimport { select } from 'd3';" },
      { path: 'viz/data/y.ts', text: "import type { Scenario } from '../../scenarios/schema';\nimport type { Row } from './types';" },
      { path: 'viz/ui/z.ts', text: "const m = await import('../../batch/plan');\nexport { run } from '../../cli/run';" },
      { path: 'viz/ui/w.ts', text: "import { z } from 'zod';\nimport '../../agents/lp';\nimport { scaleLinear } from 'd3-scale';" },
    ];
    expect(forbiddenImports(bad)).toEqual(['viz/report/x.ts: ../../sim/kernel', 'viz/data/y.ts: ../../scenarios/schema', 'viz/ui/z.ts: ../../batch/plan', 'viz/ui/z.ts: ../../cli/run', 'viz/ui/w.ts: zod', 'viz/ui/w.ts: ../../agents/lp']);
  });

  it.each(['viz/report/main.ts', 'viz/sweep/main.ts'])('the bundle of %s holds only viz/ and d3', async (entry) => {
    const r = await build({ entryPoints: [join(ROOT, entry)], bundle: true, write: false, metafile: true, platform: 'browser', format: 'iife', logLevel: 'silent', absWorkingDir: ROOT });
    const inputs = Object.keys(r.metafile.inputs);
    expect(inputs).toContain(entry);
    expect(inputs.filter((p) => !p.startsWith('viz/') && !/(^|\/)node_modules\/d3(-[a-z]+)*\//.test(p))).toEqual([]);
  });
});
