/** sweep.html: the sweep's summary inlined into a self-contained page (viewer bundled with d3). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PointSummary } from './aggregate';
import type { Plan } from './plan';
import type { SweepMeta } from './outputs';

const here = dirname(fileURLToPath(import.meta.url));

function script(): string {
  for (const p of [join(here, 'sweep-report.js'), join(here, '..', 'dist', 'sweep-report.js')]) if (existsSync(p)) return readFileSync(p, 'utf8');
  return "document.getElementById('app').textContent = 'The sweep viewer is not built (npm run build); the data is in summary.csv.';";
}

export function sweepHtml(meta: SweepMeta, plan: Plan, summary: PointSummary[]): string {
  const data = { meta, points: plan.points.map((p) => p.values), summary };
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const title = `hedgesim sweep — ${meta.name}`.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
svg { display: block; margin: 12px 0 24px; }
select { margin: 0 12px 0 4px; }
.tooltip { position: absolute; pointer-events: none; background: #fff; border: 1px solid #999; padding: 4px 8px; font-size: 12px; }
.error { color: #b00020; font-weight: 600; }
</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="hedgesim-sweep">${json}</script>
<script>${script().replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}
