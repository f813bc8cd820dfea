/**
 * The P&L decomposition of one agent over time, from the tidy pnl table, stacked for an area chart:
 * positive parts stack up from zero and negative parts down, so the stack's edges never cross and
 * the total (drawn as a line) sits between them.
 */
import type { PnlTable } from './types';

/**
 * The parts that add up to `total`, in stacking order: `hold` (what holding alone gained) and the
 * activity lines, whose sum is `edge` (pnl.csv of format 2; an older file lacks hold and swapFees,
 * read as 0).
 */
export const COMPONENTS = ['hold', 'trading', 'fees', 'lvr', 'swapFees', 'gas', 'cex', 'mev', 'options'] as const;
export type Component = (typeof COMPONENTS)[number];

export interface Decomposition {
  agent: string;
  blocks: number[];
  total: number[];
  /** total − hold: what the activity earned against holding (pnl.csv's `edge`, or computed). */
  edge: number[];
  /** Each component's value at each sampled block. */
  parts: Record<Component, number[]>;
}

export function decompose(t: PnlTable, agent: string): Decomposition {
  const col = (name: string): number => t.columns.indexOf(name);
  const ia = col('agent');
  const ib = col('block');
  const it = col('total');
  const ie = col('edge');
  const idx = COMPONENTS.map((c) => col(c));
  const d: Decomposition = { agent, blocks: [], total: [], edge: [], parts: Object.fromEntries(COMPONENTS.map((c) => [c, [] as number[]])) as Record<Component, number[]> };
  for (const r of t.rows) {
    if (String(r[ia]) !== agent) continue;
    d.blocks.push(Number(r[ib]));
    d.total.push(Number(r[it]));
    COMPONENTS.forEach((c, k) => d.parts[c].push(idx[k]! < 0 ? 0 : Number(r[idx[k]!])));
    d.edge.push(ie < 0 ? d.total.at(-1)! - d.parts.hold.at(-1)! : Number(r[ie]));
  }
  return d;
}

/** Components that are not zero at every sample (the others are left out of the chart). */
export function activeComponents(d: Decomposition): Component[] {
  return COMPONENTS.filter((c) => d.parts[c].some((v) => v !== 0 && Number.isFinite(v)));
}

export interface Band {
  component: Component;
  /** Lower and upper edge at each sample. */
  lo: number[];
  hi: number[];
}

/** Diverging stack of `components` (in order): positive values above zero, negative below. */
export function stack(d: Decomposition, components: readonly Component[]): Band[] {
  const n = d.blocks.length;
  const up = new Array<number>(n).fill(0);
  const down = new Array<number>(n).fill(0);
  return components.map((c) => {
    const lo: number[] = [];
    const hi: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = Number.isFinite(d.parts[c][i]!) ? d.parts[c][i]! : 0;
      if (v >= 0) {
        lo.push(up[i]!);
        up[i]! += v;
        hi.push(up[i]!);
      } else {
        hi.push(down[i]!);
        down[i]! += v;
        lo.push(down[i]!);
      }
    }
    return { component: c, lo, hi };
  });
}
