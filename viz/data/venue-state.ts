/**
 * Venue state around a block, for the inspector: each venue's price and reserves (or supplies)
 * before and after the block, from the block table, and the change each call made, from its
 * outputs (a swap's amounts in and out, a deposit's tokens, a forge's minted or burned supplies).
 */
import type { BlockTable, Call, Summary, VenueSummary } from './types';

/** Row of `block` in the table (blocks are usually 1..n in order), or -1. */
export function rowOf(t: BlockTable, block: number): number {
  const b = t.data[t.columns.indexOf('block')];
  if (b === undefined || t.length === 0) return -1;
  const guess = block - b[0]!;
  if (guess >= 0 && guess < t.length && b[guess] === block) return guess;
  let lo = 0;
  let hi = t.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (b[mid]! === block) return mid;
    if (b[mid]! < block) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export interface Field {
  name: string;
  /** NaN when unknown (the block before the first recorded one). */
  before: number;
  after: number;
}

export interface VenueState {
  id: string;
  kind: string;
  fields: Field[];
}

function fieldNames(v: VenueSummary): [string, string][] {
  const [t0 = 'token0', t1 = 'token1'] = v.tokens;
  if (v.kind === 'triad') return [['price', 'price'], ['supply_unit', `supply ${t0}`], ['supply_reciprocal', `supply ${t1}`]];
  return [['price', 'price'], ['reserve0', `reserve ${t0}`], ['reserve1', `reserve ${t1}`]];
}

export function blockState(t: BlockTable, s: Summary, block: number): VenueState[] {
  const i = rowOf(t, block);
  if (i < 0) return [];
  return s.venues.map((v) => ({
    id: v.id,
    kind: v.kind,
    fields: fieldNames(v)
      .filter(([suffix]) => t.columns.includes(`${v.id}_${suffix}`))
      .map(([suffix, name]) => {
        const col = t.data[t.columns.indexOf(`${v.id}_${suffix}`)]!;
        return { name, before: i > 0 ? col[i - 1]! : NaN, after: col[i]! };
      }),
  }));
}

export interface Delta {
  name: string;
  delta: number;
}

/** The change a call made to its venue (nothing for a call that did not execute). */
export function callEffect(c: Call, v: VenueSummary | undefined): Delta[] {
  const [t0 = 'token0', t1 = 'token1'] = v?.tokens ?? [];
  if (c.outA === 0 && c.outB === 0 && c.outC === 0) return [];
  switch (c.op) {
    case 'swap':
    case 'swapExactOut': {
      // outA: amount out, outB: amount in; `side` is the token paid in.
      const inName = c.side === 0 ? t0 : t1;
      const outName = c.side === 0 ? t1 : t0;
      return [
        { name: `reserve ${inName}`, delta: c.outB },
        { name: `reserve ${outName}`, delta: -c.outA },
      ];
    }
    case 'addLiquidity':
      return [
        { name: `reserve ${t0}`, delta: c.outB },
        { name: `reserve ${t1}`, delta: c.outC },
        { name: 'LP shares', delta: c.outA },
      ];
    case 'removeLiquidity':
      return [
        { name: `reserve ${t0}`, delta: -c.outB },
        { name: `reserve ${t1}`, delta: -c.outC },
        { name: 'LP shares', delta: -c.outA },
      ];
    case 'forge':
      return [
        { name: `supply ${t0}`, delta: c.outA },
        { name: `supply ${t1}`, delta: c.outB },
        { name: '"1" to the sender', delta: c.outC },
      ];
    default:
      return [];
  }
}
