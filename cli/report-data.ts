/**
 * The data a report page gets, gathered while the run goes: the summary, the per-block table, the
 * P&L decomposition over time, and — when everything is recorded — every transaction and what the
 * builder saw before each block. The layout (viz/data/format.ts) is made to open fast in a browser:
 * each block column in its smallest exact form, transactions and candidates as rows under a header.
 * The viewer reads only this (or the same files from a folder served by `hedgesim view`).
 */
import { COUNT_COLUMNS as BLOCK_COUNTS, type CandidateRecord, type Row, type TxRecord } from '../sim/record';
import { CALL_COLUMNS, CANDIDATE_COLUMNS, CHANGE_COLUMNS, MEV_CAP, REPORT_FORMAT, REPORT_VERSION, TX_COLUMNS, type Cell, type EncodedColumn, type ReportDataV4 } from '../viz/data/format';
import { addTotals, emptyTotals, LargestRows, MEV_COLUMNS, mevCells, mevRow, type MevTotals } from '../viz/data/mev';

export type ReportData = ReportDataV4;

/**
 * A column of numbers in its smallest exact form: a linear sequence, uint8, int32 or float64 (NaN,
 * and anything not a number, as NaN), little-endian in base64. Per-block counts are mostly zeros
 * and small: as uint8 they take a quarter of the page (and of the time to parse it) that int32 would.
 */
export function encodeColumn(values: readonly (number | string)[]): EncodedColumn {
  const n = values.length;
  const num = (i: number): number => (typeof values[i] === 'number' ? (values[i] as number) : NaN);
  const start = n > 0 ? num(0) : 0;
  const step = n > 1 ? num(1) - start : 0;
  let linear = Number.isFinite(start) && Number.isFinite(step);
  let int = true;
  let byte = true;
  for (let i = 0; i < n && (linear || int); i++) {
    const v = num(i);
    if (linear && v !== start + i * step) linear = false;
    if (int && (!Number.isInteger(v) || v < -2147483648 || v > 2147483647 || Object.is(v, -0))) int = false;
    if (byte && !(v >= 0 && v <= 255)) byte = false;
  }
  if (linear) return { linear: [start, step] };
  if (int && byte) return { uint8: Buffer.from(Array.from({ length: n }, (_, i) => num(i))).toString('base64') };
  const buf = Buffer.allocUnsafe(n * (int ? 4 : 8));
  for (let i = 0; i < n; i++) {
    if (int) buf.writeInt32LE(num(i), i * 4);
    else buf.writeDoubleLE(num(i), i * 8);
  }
  return int ? { int32: buf.toString('base64') } : { float64: buf.toString('base64') };
}

export function txRow(tx: TxRecord): Cell[] {
  const calls = tx.calls.map((c) => CALL_COLUMNS.map((k) => (c[k] ?? null) as Cell));
  const changes = tx.assetChanges.map((c) => CHANGE_COLUMNS.map((k) => c[k] as Cell));
  return TX_COLUMNS.map((k) => (k === 'calls' ? (calls as unknown as Cell) : k === 'assetChanges' ? (changes as unknown as Cell) : (tx[k] as Cell)));
}

/** How much of a long run report.html holds: everything up to `fullBlocks` blocks, else a reduction. */
export interface ReportLimits {
  /** Runs of at most this many blocks are embedded whole. */
  fullBlocks: number;
  /** A longer run's block series is reduced to this many buckets (pixel columns). */
  columns: number;
  /** Blocks with transactions kept whole per bucket (the inspector's detail). */
  detailPerColumn: number;
  /** Transactions kept at most (a block once chosen keeps all of its own). */
  maxTransactions: number;
  /** Candidates kept per block (the inspector lists no more). */
  maxCandidates: number;
}

export const REPORT_LIMITS: ReportLimits = { fullBlocks: 50_000, columns: 3000, detailPerColumn: 2, maxTransactions: 100_000, maxCandidates: 500 };

/** Per-block counts: a reduced bucket keeps their sum (what the event markers add up), not a min/max. */
const COUNT_COLUMNS: ReadonlySet<string> = new Set(BLOCK_COUNTS);

/**
 * Gathers what report.html shows, in memory bounded whatever the run's length. A run of more than
 * `fullBlocks` blocks is reduced as it goes: its blocks fall into `columns` buckets of consecutive
 * blocks, and each bucket leaves its first and last block as they are, two rows between them with
 * each column's lowest and highest value in the bucket (at fractional block numbers, so that no
 * block is taken for one of them; counts carry the rest of the bucket's sum there), and the whole
 * rows of up to `detailPerColumn` blocks with transactions and the block before each — with, at
 * `--record full`, those blocks' transactions and mempool. Drawn at any width up to `columns`
 * pixels, the lines are those of every block (the M4 rule of viz/data/decimate.ts).
 */
export class ReportCollector {
  private blockColumns: string[] = [];
  private blockData: number[][] = [];
  private pnlColumns: string[] = [];
  private readonly pnlRows: Row[] = [];
  private txs: Cell[][] | null = null;
  private cands: [number, Cell[][]][] | null = null;
  /** Reduction (null: every block is kept). */
  private readonly bucketBlocks: number;
  private readonly reduce: boolean;
  private counts: boolean[] = [];
  private bucket = -1;
  private first: number[] = [];
  private last: number[] = [];
  private lo: number[] = [];
  private hi: number[] = [];
  private sum: number[] = [];
  private detail: number[][] = [];
  private seen = 0;
  private buckets = 0;
  private detailBlocks = 0;
  private txCol = -1;
  // The detail decision (made at a block's first transaction, or at its row without transactions).
  private decided = -1;
  private decision = false;
  private detailBucket = -1;
  private detailInBucket = 0;
  private txSeen = 0;
  private pendingCands: CandidateRecord | null = null;
  /** Transactions a kept block's mempool lists, kept too when they become final (their outcome). */
  private readonly wanted = new Set<number>();
  /** mev.csv: totals of every row, and the largest rows (bounded), or null when not recorded. */
  private mevTotals: MevTotals | null = null;
  private readonly mevTop = new LargestRows(MEV_CAP);

  constructor(
    /** The run's length in blocks (undefined: keep every block). */
    blocks?: number,
    private readonly limits: ReportLimits = REPORT_LIMITS,
  ) {
    this.reduce = blocks !== undefined && blocks > limits.fullBlocks;
    this.bucketBlocks = blocks === undefined ? 1 : Math.max(1, Math.ceil(blocks / limits.columns));
  }

  blocksHeader(columns: string[]): void {
    this.blockColumns = columns;
    this.blockData = columns.map(() => []);
    this.counts = columns.map((c) => COUNT_COLUMNS.has(c));
    this.txCol = columns.indexOf('tx_count');
  }

  block(row: Row): void {
    this.seen++;
    if (!this.reduce) {
      for (let j = 0; j < row.length; j++) this.blockData[j]!.push(row[j] as number);
      return;
    }
    const n = row.length;
    const b = row[0] as number;
    const bucket = Math.floor((b - 1) / this.bucketBlocks);
    if (bucket !== this.bucket) {
      this.close();
      this.bucket = bucket;
      this.first = row.slice() as number[];
      this.lo = row.slice() as number[];
      this.hi = row.slice() as number[];
      this.sum = new Array<number>(n).fill(0);
      this.detail = [];
    }
    for (let j = 0; j < n; j++) {
      const v = row[j] as number;
      if (v < this.lo[j]! || this.lo[j] !== this.lo[j]) this.lo[j] = v;
      if (v > this.hi[j]! || this.hi[j] !== this.hi[j]) this.hi[j] = v;
      if (this.counts[j]) this.sum[j]! += v;
    }
    const busy = this.txs === null ? this.txCol >= 0 && (row[this.txCol] as number) > 0 : this.decided === b && this.decision;
    if (busy && (this.txs !== null || this.keep(b))) {
      // The block before, for the inspector's "before" state (the row kept from the last call).
      const before = this.last;
      if (before.length === n && before[0] === b - 1 && b - 1 > this.first[0]! && this.detail.at(-1)?.[0] !== b - 1) this.detail.push(before.slice());
      this.detail.push(row.slice() as number[]);
    }
    // The row kept, copied into a reused array: no allocation per block.
    for (let j = 0; j < n; j++) this.last[j] = row[j] as number;
    this.last.length = n;
  }

  /** Whether block `b` (with transactions) is kept whole: up to `detailPerColumn` a bucket. */
  private keep(b: number): boolean {
    if (b === this.decided) return this.decision;
    this.decided = b;
    const bucket = Math.floor((b - 1) / this.bucketBlocks);
    if (bucket !== this.detailBucket) {
      this.detailBucket = bucket;
      this.detailInBucket = 0;
    }
    const txs = this.txs?.length ?? 0;
    this.decision = this.detailInBucket < this.limits.detailPerColumn && txs < this.limits.maxTransactions;
    if (this.decision) {
      this.detailInBucket++;
      this.detailBlocks++;
      const c = this.pendingCands;
      if (c !== null && c.block === b) this.keepCandidates(c);
    }
    return this.decision;
  }

  /** Emit the bucket's rows (sorted by block) into the columns. */
  private close(): void {
    if (this.bucket < 0) return;
    this.buckets++;
    const first = this.first;
    const last = this.last;
    const b0 = first[0]!;
    const b1 = last[0]!;
    const rows: number[][] = [first];
    for (const r of this.detail) if (r[0]! > b0 && r[0]! < b1) rows.push(r);
    if (b1 > b0) rows.push(last.slice());
    if (b1 - b0 >= 2) {
      // Lowest and highest at fractional blocks inside the bucket: never taken for a block's row.
      const xl = Math.floor(b0 + (b1 - b0) / 3) + 0.5;
      let xh = Math.floor(b0 + (2 * (b1 - b0)) / 3) + 0.5;
      if (xh <= xl) xh = xl + 0.25;
      const lo = this.lo;
      const hi = this.hi;
      const tj = this.blockColumns.indexOf('time');
      for (let j = 0; j < lo.length; j++) {
        if (!this.counts[j]) continue;
        let real = 0;
        for (const r of rows) real += r[j]!;
        lo[j] = this.sum[j]! - real;
        hi[j] = 0;
      }
      lo[0] = xl;
      hi[0] = xh;
      if (tj > 0) {
        const at = (x: number): number => first[tj]! + ((last[tj]! - first[tj]!) * (x - b0)) / (b1 - b0);
        lo[tj] = at(xl);
        hi[tj] = at(xh);
      }
      rows.push(lo, hi);
    }
    rows.sort((a, c) => a[0]! - c[0]!);
    for (const r of rows) for (let j = 0; j < r.length; j++) this.blockData[j]!.push(r[j]!);
    this.bucket = -1;
  }

  /** mev.csv is recorded: an empty table rather than none. */
  recordsMev(): void {
    this.mevTotals ??= emptyTotals();
  }

  /** A row of mev.csv (MEV_COLUMNS). */
  mev(row: Row): void {
    const r = mevRow(row);
    addTotals((this.mevTotals ??= emptyTotals()), r);
    this.mevTop.add(r);
  }

  pnlHeader(columns: string[]): void {
    this.pnlColumns = columns;
  }

  pnl(row: Row): void {
    this.pnlRows.push(row);
  }

  /** Transactions and candidates are recorded (`--record full`): empty lists rather than null. */
  recordsTransactions(): void {
    this.txs ??= [];
    this.cands ??= [];
  }

  transaction(tx: TxRecord): void {
    const list = (this.txs ??= []);
    this.txSeen++;
    if (this.reduce) {
      const wanted = this.wanted.delete(tx.id);
      if (!(tx.block >= 1 ? this.keep(tx.block) || wanted : wanted)) return;
    }
    list.push(txRow(tx));
  }

  candidates(c: CandidateRecord): void {
    this.cands ??= [];
    if (c.txs.length === 0) return;
    if (this.reduce) this.pendingCands = c;
    else this.keepCandidates(c);
  }

  private keepCandidates(c: CandidateRecord): void {
    const txs = this.reduce ? c.txs.slice(0, this.limits.maxCandidates) : c.txs;
    if (this.reduce) for (const t of txs) this.wanted.add(t.id);
    (this.cands ??= []).push([c.block, txs.map((t) => CANDIDATE_COLUMNS.map((k) => t[k] as Cell))]);
  }

  data(summary: unknown): ReportData {
    this.close();
    const length = this.blockData[0]?.length ?? 0;
    return {
      format: REPORT_FORMAT,
      version: REPORT_VERSION,
      summary,
      blocks: this.blockColumns.length > 0 ? { columns: this.blockColumns, length, data: this.blockData.map(encodeColumn) } : null,
      pnl: this.pnlColumns.length > 0 ? { columns: this.pnlColumns, rows: this.pnlRows } : null,
      transactions: this.txs === null ? null : { columns: [...TX_COLUMNS], callColumns: [...CALL_COLUMNS], rows: this.txs },
      candidates: this.cands === null ? null : { columns: [...CANDIDATE_COLUMNS], rows: this.cands },
      mev: this.mevTotals === null ? null : { columns: [...MEV_COLUMNS], count: this.mevTotals.all.events, totals: this.mevTotals, rows: this.mevTop.rows().map(mevCells) },
      ...(this.reduce && this.blockColumns.length > 0
        ? { reduced: { blocks: this.seen, buckets: this.buckets, blocksPerBucket: this.bucketBlocks, detailBlocks: this.detailBlocks, ...(this.txs !== null ? { transactions: this.txSeen, transactionsKept: this.txs.length } : {}) } }
        : {}),
    };
  }
}
