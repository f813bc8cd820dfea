/** sweep.html: the sweep's summary inlined into a self-contained page (viewer bundled with d3). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { htmlPage, scriptJson } from '../viz/page';
import type { PointSummary } from './aggregate';
import type { Plan } from './plan';
import type { SweepMeta } from './outputs';

const here = dirname(fileURLToPath(import.meta.url));

function script(): string {
  for (const p of [join(here, 'sweep-report.js'), join(here, '..', 'sweep-report.js'), join(here, '..', 'dist', 'sweep-report.js')]) if (existsSync(p)) return readFileSync(p, 'utf8');
  return "document.getElementById('app').textContent = 'The sweep viewer is not built (npm run build); the data is in summary.csv.';";
}

export function sweepHtml(meta: SweepMeta, plan: Plan, summary: PointSummary[]): string {
  const data = { meta, points: plan.points.map((p) => p.values), summary };
  return htmlPage({ title: `hedgesim sweep — ${meta.name}`, script: { code: script() }, data: { id: 'hedgesim-sweep', json: scriptJson(data) }, what: 'sweep' });
}
