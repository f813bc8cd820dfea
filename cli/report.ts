/**
 * report.html: one self-contained file (viewer script and data inlined) that opens offline in a
 * browser. The data layout is viz/data/format.ts; the page shell is viz/page.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { htmlPage, scriptJson } from '../viz/page';

const here = dirname(fileURLToPath(import.meta.url));

/** A browser bundle of dist/ (report.js, sweep-report.js), wherever this module runs from (source, dist/, or a chunk in dist/chunks/). */
export function viewerScript(name = 'report.js'): string {
  for (const p of [join(here, name), join(here, '..', name), join(here, '..', 'dist', name)]) if (existsSync(p)) return readFileSync(p, 'utf8');
  throw new Error(`the viewer (${name}) is not built: run \`npm run build\``);
}

/** Evenly thin `rows` to at most `max`, keeping the first and last. */
export function thin<T>(rows: T[], max: number): T[] {
  if (rows.length <= max) return rows;
  const out: T[] = [];
  const step = (rows.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(rows[Math.round(i * step)]!);
  return out;
}

export function reportHtml(title: string, data: unknown): string {
  return htmlPage({ title, script: { code: viewerScript() }, data: { id: 'hedgesim-data', json: scriptJson(data) }, what: 'report' });
}
