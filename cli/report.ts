/**
 * report.html: one self-contained file (viewer script and data inlined) that opens offline in a
 * browser. The data sits in a JSON script element with `<` escaped, so no value can close the tag.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function viewerScript(): string {
  for (const p of [join(here, 'report.js'), join(here, '..', 'dist', 'report.js')]) if (existsSync(p)) return readFileSync(p, 'utf8');
  throw new Error('the report viewer is not built: run `npm run build`');
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
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const script = viewerScript().replace(/<\/script/gi, '<\\/script');
  const safeTitle = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${safeTitle}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
svg { width: 100%; max-width: 1000px; display: block; margin: 12px 0 24px; }
.title { font-weight: 600; }
.axis-label { font-size: 12px; fill: #555; }
table { border-collapse: collapse; }
th, td { padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; }
.error { color: #b00020; font-weight: 600; }
</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="hedgesim-data">${json}</script>
<script>${script}</script>
</body>
</html>
`;
}
