/**
 * The README's library example runs as written: its TypeScript block is compiled with esbuild,
 * pointed at the built library (dist/index.mjs) instead of the package name, and run with node from
 * the repository root.
 */
import { transformSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDirs } from './helpers';

const temp = tempDirs();

describe('README', () => {
  it('“Using it as a library” runs and prints a result for each part', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Using it as a library'));
    const block = /```ts\n([\s\S]*?)```/.exec(section);
    expect(block).not.toBeNull();
    const source = block![1]!.replace("from 'hedgesim'", `from ${JSON.stringify(join(ROOT, 'dist', 'index.mjs'))}`);
    const js = transformSync(source, { loader: 'ts', format: 'esm' }).code;
    const file = join(temp(), 'example.mjs');
    writeFileSync(file, js);
    const r = spawnSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    // [ [ 'lp', …, … ], [ 'arb', …, … ] ], then the observed blocks, then the file run.
    expect(r.stdout).toMatch(/'lp'/);
    expect(r.stdout).toMatch(/'arb'/);
    const busy = lines.find((l) => / of 7200 blocks held a transaction$/.test(l));
    expect(busy).toBeDefined();
    expect(Number(busy!.split(' ')[0])).toBeGreaterThan(0);
    expect(lines.at(-1)).toBe('43200 blocks of default');
  });
});
