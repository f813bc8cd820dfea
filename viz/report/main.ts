/**
 * The run viewer (report.html, and the page `hedgesim view` serves for a run folder). It reads
 * only the run's outputs, never the engine. The page sets `data-rendered` on #app once every panel
 * is drawn (the benchmark and the browser tests wait for it), or shows a message if it cannot.
 */
import { select } from 'd3';
import type { Reduced } from '../data/format';
import type { RunData } from '../data/types';
import { showError } from '../ui/error';
import { panelExport } from '../ui/export';
import { chartWidth } from '../ui/frame';
import { context, type Ctx } from './context';
import { decompositionPanel } from './decomposition';
import { gasPanel } from './gas';
import { inspector } from './inspector';
import { blockFromHash } from './keys';
import { loadRun } from './load';
import { mevTable } from './mev-table';
import { overview } from './overview';
import { pnlPanel } from './pnl';
import { createStore, type Store } from './store';
import { header, summaryTable } from './summary';
import { transfersPanel } from './transfers';
import { timeline } from './timeline';

function firstBlock(ctx: Ctx, extent: [number, number]): number {
  const fromHash = blockFromHash();
  if (fromHash !== undefined) return fromHash;
  const marked = Object.values(ctx.markers.series).map((m) => m.block[0]).filter((b): b is number => b !== undefined);
  if (marked.length > 0) return Math.min(...marked);
  return ctx.busy[0] ?? extent[0];
}

/** What a long run's report leaves out, and where it is. */
function reducedNote(r: Reduced): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const txs = r.transactions === undefined ? '' : `, and ${n(r.transactionsKept ?? 0)} of its ${n(r.transactions)} transactions`;
  return (
    `This run has ${n(r.blocks)} blocks: too many for one page. The charts show each of ${n(r.buckets)} spans of ${n(r.blocksPerBucket)} blocks by its first, lowest, highest and last values ` +
    `(the same lines at this width); the inspector has the whole rows of ${n(r.detailBlocks)} blocks with transactions${txs}. ` +
    'Every block and transaction is in the output folder: `hedgesim view <folder>` shows them all.'
  );
}

let view: { get(): { domain: [number, number]; block: number } } | undefined;

/**
 * Charts reflow to the window: when the page's width changes, the panels are drawn again at the
 * new width, on the same blocks.
 */
function reflow(root: HTMLElement, data: RunData): void {
  let drawnAt = root.clientWidth;
  let timer: ReturnType<typeof setTimeout> | undefined;
  window.addEventListener('resize', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (Math.abs(root.clientWidth - drawnAt) < 2) return;
      drawnAt = root.clientWidth;
      const v = view?.get();
      render(root, data, v === undefined ? undefined : { domain: [...v.domain], block: v.block });
      root.dataset.reflowed = String(drawnAt);
    }, 150);
  });
}

function render(root: HTMLElement, data: RunData, kept?: { domain: [number, number]; block: number }): void {
  root.replaceChildren();
  header(root, data.summary);
  if (data.reduced !== undefined) select(root).append('p').attr('class', 'note').attr('id', 'reduced').text(reducedNote(data.reduced));
  const blocks = data.blocks;
  let store0: Store | null = null;
  if (blocks === null || blocks.length === 0) {
    select(root).append('p').attr('class', 'note').text('This run recorded no per-block table (--record summary): only the summary is shown. Run it with --record blocks or full for the charts.');
  } else {
    const width = chartWidth(root.clientWidth || 1000);
    const ctx = context(data, blocks, width);
    const lo = ctx.x[0]!;
    const hi = ctx.x[ctx.x.length - 1]!;
    const extent: [number, number] = hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
    const store = createStore({ domain: extent, block: lo }, extent);
    store.set(kept ?? { block: firstBlock(ctx, extent) }, 'start');
    view = store;
    timeline(root, ctx, store);
    overview(root.querySelector<HTMLElement>('#timeline')!, ctx, store);
    gasPanel(root, ctx, store);
    inspector(root, ctx, store);
    pnlPanel(root, ctx, store);
    decompositionPanel(root, ctx, store);
    store0 = store;
  }
  summaryTable(root, data.summary);
  transfersPanel(root, data.summary);
  mevTable(root, data.mev, data.summary, store0);
  for (const section of Array.from(root.querySelectorAll<HTMLElement>('section'))) {
    if (section.querySelector('.chart') !== null) panelExport(section, `${data.summary.scenario}-${section.id}`);
  }
}

async function start(): Promise<void> {
  const root = document.getElementById('app');
  if (root === null) return;
  try {
    const t0 = performance.now();
    const data = await loadRun();
    const t1 = performance.now();
    render(root, data);
    reflow(root, data);
    const t2 = performance.now();
    requestAnimationFrame(() => {
      // Milliseconds since navigation: parsed, data read, panels drawn, first frame painted.
      root.dataset.timing = `parsed=${Math.round(t0)} loaded=${Math.round(t1)} drawn=${Math.round(t2)}`;
      root.dataset.rendered = String(Math.round(performance.now()));
      performance.mark('hedgesim-rendered');
    });
  } catch (e) {
    showError(root, 'report', e);
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => void start());
else void start();
