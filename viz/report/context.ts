/** What the run viewer's panels read: the data, its block axis, the transactions indexed by block. */
import { indexTransactions, type TxIndex } from '../data/blocks';
import { markers, type Markers } from '../data/markers';
import { column, type BlockTable, type RunData } from '../data/types';
import { fail } from '../data/errors';
import { rowOf } from '../data/venue-state';
import type { ScaleLinear } from 'd3';
import { rule, type Frame } from '../ui/frame';

export interface Ctx {
  data: RunData;
  blocks: BlockTable;
  /** The block number of each row. */
  x: Float64Array;
  time: Float64Array | undefined;
  ix: TxIndex | null;
  markers: Markers;
  /** Blocks with at least one transaction, ascending (for Shift+arrow). */
  busy: ArrayLike<number>;
  /** Width of the charts, CSS pixels. */
  width: number;
  /** A fork's block N (summary.json's forkedFrom), marked on the charts. */
  forkBlock: number | undefined;
}

export function context(data: RunData, blocks: BlockTable, width: number): Ctx {
  const x = column(blocks, 'block') ?? fail("the block table has no 'block' column");
  const ix = data.transactions === null ? null : indexTransactions(data.transactions, data.candidates ?? []);
  const count = column(blocks, 'tx_count');
  const busy = ix?.busy ?? (count === undefined ? [] : x.filter((_, i) => count[i]! > 0));
  return { data, blocks, x, time: column(blocks, 'time'), ix, markers: markers(blocks, x, data.transactions), busy, width, forkBlock: data.summary.forkedFrom?.block };
}

/** The row of a block in the table, or -1. */
export const row = (ctx: Ctx, block: number): number => rowOf(ctx.blocks, block);

/** A fork's block N as a dashed rule on a chart over blocks (nothing on an ordinary run). */
export function forkRule(f: Frame, ctx: Ctx, xs: ScaleLinear<number, number>): void {
  if (ctx.forkBlock !== undefined) rule(f, 'fork', ctx.forkBlock, xs);
}
