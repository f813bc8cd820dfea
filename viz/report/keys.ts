/**
 * Moving through blocks: ← and → step one block, Shift+← and Shift+→ jump to the previous or next
 * block with transactions, Home and End go to the first and last block; the buttons and the block
 * field do the same. The selected block is kept in view and in the address (#block=N).
 */
import type { Selection } from 'd3';
import { nextBusy } from '../data/blocks';
import type { Ctx } from './context';
import type { Store } from './store';

function target(ctx: Ctx, store: Store, key: string, shift: boolean): number | undefined {
  const b = store.get().block;
  const [first, last] = store.extent;
  if (key === 'Home') return first;
  if (key === 'End') return last;
  const step = key === 'ArrowRight' ? 1 : key === 'ArrowLeft' ? -1 : 0;
  if (step === 0) return undefined;
  if (shift) return nextBusy(ctx.busy, b, step) ?? b;
  return b + step;
}

export function navigation(section: Selection<HTMLElement, unknown, null, undefined>, ctx: Ctx, store: Store): void {
  const nav = section.append('div').attr('class', 'block-nav');
  const go = (b: number | undefined): void => {
    if (b !== undefined) store.set({ block: b }, 'keys');
  };
  const button = (label: string, title: string, key: string, shift: boolean): void => {
    nav.append('button').attr('type', 'button').attr('class', `nav-${key}${shift ? '-busy' : ''}`).attr('title', title).text(label).on('click', () => go(target(ctx, store, key, shift)));
  };
  if (ctx.busy.length > 0) button('⇤ busy', 'previous block with transactions (Shift+←)', 'ArrowLeft', true);
  button('← previous', 'previous block (←)', 'ArrowLeft', false);
  const label = nav.append('label').text(' block ');
  const input = label
    .append('input')
    .attr('type', 'number')
    .attr('class', 'block-input')
    .attr('min', store.extent[0])
    .attr('max', store.extent[1])
    .property('value', store.get().block)
    .on('change', function () {
      const v = Number((this as HTMLInputElement).value);
      if (Number.isFinite(v)) go(v);
    });
  button('next →', 'next block (→)', 'ArrowRight', false);
  if (ctx.busy.length > 0) button('busy ⇥', 'next block with transactions (Shift+→)', 'ArrowRight', true);
  nav.append('span').attr('class', 'hint').text(' Keys: ← → one block, Shift+← → the previous or next block with transactions, Home / End; click a chart or a marker to pick a block.');

  // One listener per drawing of the page (it is drawn again when the window's width changes).
  keysOff?.abort();
  keysOff = new AbortController();
  document.addEventListener(
    'keydown',
    (ev) => {
      if (!pageHasFocus(ev.target)) return;
      if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
      const b = target(ctx, store, ev.key, ev.shiftKey);
      if (b === undefined) return;
      ev.preventDefault();
      go(b);
    },
    { signal: keysOff.signal },
  );

  store.on((v, changed, source) => {
    if (!changed.has('block')) return;
    // On a small screen the inspector is far below the chart: bring it into view when a block is picked.
    if ((source === 'click' || source === 'marker') && window.innerWidth < 760) section.node()?.scrollIntoView({ block: 'start' });
    input.property('value', v.block);
    const [a, z] = v.domain;
    if (v.block < a || v.block > z) {
      const w = z - a;
      store.set({ domain: [v.block - w / 2, v.block + w / 2] }, 'keys');
    }
    try {
      history.replaceState(null, '', `#block=${v.block}`);
    } catch {
      // Some browsers refuse it for file:// pages; the address is only a convenience.
    }
  });
}

let keysOff: AbortController | undefined;

/**
 * Whether a key pressed with focus on `el` is the page's: the page itself (nothing focused) or the
 * inspector's block buttons — not a field, a picker, a legend toggle, a table header or a link,
 * whose arrows are their own (or the browser's).
 */
export function pageHasFocus(el: EventTarget | null): boolean {
  if (!(el instanceof Element)) return true;
  if (el === document.body || el === document.documentElement || el.id === 'app') return true;
  if (el.closest('.block-nav') !== null && el.tagName === 'BUTTON') return true;
  return !['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'A'].includes(el.tagName) && el.closest('[contenteditable]') === null;
}

/** The block named in the address (#block=N), if any. */
export function blockFromHash(): number | undefined {
  const m = /(?:^#|&)block=(\d+)/.exec(location.hash);
  return m === null ? undefined : Number(m[1]);
}
