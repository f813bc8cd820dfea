/**
 * The sweep viewer (sweep.html, and the page `hedgesim view` serves for a sweep folder): pick a
 * metric, mean or paired difference against the baseline, and the parameters on the axes; a
 * heatmap over two parameters and CI line charts over one, other parameters held at chosen values.
 */
import { select, type Selection } from 'd3';
import { baselinePoint, heatCells, lines, paramUnit, runCounts, valuesOf, variedParameters, type SweepData, type Which } from '../data/sweep';
import { showError } from '../ui/error';
import { num, withUnit } from '../ui/format';
import { heatmap } from './heatmap';
import { lineChart } from './lines';
import { loadSweep, metricUnit } from './load';

type Div = Selection<HTMLDivElement, unknown, null, undefined>;

function picker(parent: Div, label: string, cls: string, options: { value: string; text: string }[], onChange: () => void): Selection<HTMLSelectElement, unknown, null, undefined> {
  const l = parent.append('label').attr('class', 'control').text(`${label} `);
  const s = l.append('select').attr('class', cls).on('change', onChange);
  s.selectAll('option').data(options).join('option').attr('value', (d) => d.value).text((d) => d.text);
  return s;
}

function render(root: HTMLElement, d: SweepData): void {
  root.replaceChildren();
  const app = select(root) as unknown as Div;
  app.append('h1').text(`hedgesim sweep — ${d.meta.name}`);
  // What the summary holds may be less than the plan: failed runs, and runs missing from a partial merge.
  const { finished, failed, missing } = runCounts(d);
  const counts = [`${failed} failed`, ...(missing > 0 ? [`${missing} missing (a partial result: ${finished} of ${d.meta.runs} runs finished)`] : [])].join(', ');
  app.append('p').attr('class', 'run-facts').text(`${d.points.length} points × ${d.meta.replicates} replicates = ${d.meta.runs} runs (${counts}); means with 95% confidence intervals (Student t) over the successful runs.`);
  if (finished === 0 || failed === finished) {
    app
      .append('p')
      .attr('class', 'note all-failed')
      .text(finished === 0 ? 'No run has finished: there is nothing to chart yet.' : `Every run failed (${failed} of ${finished}): there is nothing to chart. Each run's error is in runs.csv.`);
    return;
  }
  const metrics = Object.keys(d.meta.metrics);
  const params = variedParameters(d);
  if (metrics.length === 0 || params.length === 0) {
    app.append('p').attr('class', 'note').text('Nothing to chart: the sweep has no metric or no parameter that varies. See summary.csv.');
    return;
  }
  const controls = app.append('div').attr('class', 'controls');
  const charts = app.append('div').attr('class', 'charts');
  const opts = (xs: string[]): { value: string; text: string }[] => xs.map((x) => ({ value: x, text: withUnit(x, paramUnit(d, x)) }));
  const metric = picker(controls, 'metric', 'metric', metrics.map((m) => ({ value: m, text: `${m} (${d.meta.metrics[m]})` })), draw);
  const hasDiffs = d.summary.some((s) => s.diffs !== null);
  const which = picker(controls, 'show', 'which', [{ value: 'mean', text: 'mean' }, ...(hasDiffs ? [{ value: 'diff', text: 'difference against the baseline (paired)' }] : [])], draw);
  // With a baseline, the paired difference is what the sweep was made for (and much less noisy).
  const baseline = baselinePoint(d);
  if (hasDiffs && baseline !== undefined) which.property('value', 'diff');
  const numeric = params.filter((p) => valuesOf(d, p).every((v) => typeof v === 'number'));
  const px = picker(controls, 'x', 'param-x', opts(numeric.length > 0 ? numeric : params), () => {
    // One parameter cannot be both axes: y moves to another one when x takes its parameter.
    if (py.property('value') === px.property('value')) py.property('value', params.find((p) => p !== px.property('value')) ?? '');
    draw();
  });
  const py = picker(controls, 'y / lines', 'param-y', [...opts(params), { value: '', text: '(none)' }], draw);
  py.property('value', params.find((p) => p !== px.property('value')) ?? '');
  const fixedBox = app.insert('div', '.charts').attr('class', 'fixed');
  const fixed: Record<string, unknown> = {};
  function draw(): void {
    charts.selectAll('*').remove();
    const m = String(metric.property('value'));
    const w = String(which.property('value')) as Which;
    const x = String(px.property('value'));
    const y = String(py.property('value'));
    py.selectAll<HTMLOptionElement, { value: string }>('option').property('disabled', (o) => o.value === x);
    const others = params.filter((p) => p !== x && p !== y);
    fixedBox.selectAll('*').remove();
    for (const p of others) {
      const vals = valuesOf(d, p);
      if (!vals.some((v) => JSON.stringify(v) === JSON.stringify(fixed[p]))) fixed[p] = vals[0];
      const s = picker(fixedBox, `${withUnit(p, paramUnit(d, p))} =`, 'param-fixed', vals.map((v) => ({ value: JSON.stringify(v), text: typeof v === 'number' ? num(v) : JSON.stringify(v) })), () => {
        fixed[p] = JSON.parse(String(s.property('value'))) as unknown;
        draw();
      });
      s.property('value', JSON.stringify(fixed[p]));
    }
    const path = d.meta.metrics[m] ?? m;
    const unit = metricUnit(path);
    const label = w === 'diff' ? `${m} − baseline` : m;
    const held = Object.fromEntries(others.map((p) => [p, fixed[p]]));
    const group = y === '' ? null : y;
    if (valuesOf(d, x).every((v) => typeof v === 'number')) lineChart(charts, lines(d, m, x, group, held, w), { x, xUnit: paramUnit(d, x), group, groupUnit: group === null ? '' : paramUnit(d, group) }, label, unit, w, baseline);
    if (y !== '' && y !== x) heatmap(charts, heatCells(d, m, x, y, held, w), { x, xUnit: paramUnit(d, x), y, yUnit: paramUnit(d, y) }, label, unit, w, baseline);
  }
  draw();
}

async function start(): Promise<void> {
  const root = document.getElementById('app');
  if (root === null) return;
  try {
    render(root, await loadSweep());
    requestAnimationFrame(() => {
      root.dataset.rendered = String(Math.round(performance.now()));
    });
  } catch (e) {
    showError(root, 'sweep', e);
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void start());
else void start();
