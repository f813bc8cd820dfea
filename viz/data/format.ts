/**
 * The data format of report.html, shared by the writer (cli/report-data.ts) and the viewer
 * (viz/data/decode.ts). It is built to open fast: each column of the per-block table is stored in
 * the smallest exact form — a linear sequence (block numbers, times, a fixed base fee), base64
 * uint8 (per-block counts under 256), int32 (gas, larger counts) or float64 (prices, reserves, P&L;
 * NaN for a missing value), all little-endian — and transactions and candidates are rows of values
 * under a header instead of objects with repeated keys. Version 3 added uint8 columns and the
 * transactions' `victim`; version 4 the transactions' `target` and `assetChanges`, and `mev`.
 */
import type { MevReport } from './mev';

export const REPORT_FORMAT = 'hedgesim-report';
/** The newest transactions.jsonl line format the viewer reads (sim/record.ts TX_LOG_FORMAT). */
export const TX_LOG_FORMAT = 3;
export const REPORT_VERSION = 4;

/** Fields of a transaction row, in order; `calls` holds rows of `CALL_COLUMNS`. */
export const TX_COLUMNS = [
  'id',
  'block',
  'position',
  'agent',
  'tag',
  'status',
  'revert',
  'private',
  'bundle',
  'victim',
  'arrivalTime',
  'gasUsed',
  'priorityFee',
  'effectivePriorityFee',
  'baseFee',
  'gasCostUsd',
  'calls',
  'target',
  'assetChanges',
] as const;

/** Fields of one asset change of a transaction (`assetChanges` holds rows of them). */
export const CHANGE_COLUMNS = ['token', 'amount', 'usd'] as const;

/** The largest MEV rows a report holds (its totals count every row). */
export const MEV_CAP = 2000;

export const CALL_COLUMNS = ['venue', 'op', 'side', 'a', 'b', 'boundA', 'boundB', 'outA', 'outB', 'outC'] as const;

/** Fields of a candidate (a transaction the builder saw before a block), in order. */
export const CANDIDATE_COLUMNS = ['id', 'agent', 'tag', 'priorityFee', 'maxFee', 'arrivalTime', 'private', 'bundle'] as const;

/** A column of numbers: value i is `start + i * step`, or little-endian values in base64. */
export type EncodedColumn = { linear: [start: number, step: number] } | { uint8: string } | { int32: string } | { float64: string };

export type Cell = string | number | boolean | null;

export interface ReportDataV4 {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  /** summary.json as it is. */
  summary: unknown;
  /** blocks.csv: `data[j]` holds the `length` values of column `columns[j]`. */
  blocks: { columns: string[]; length: number; data: EncodedColumn[] } | null;
  /** pnl.csv: its header and rows. */
  pnl: { columns: string[]; rows: (string | number)[][] } | null;
  /** transactions.jsonl: one row per transaction (TX_COLUMNS), calls as rows of CALL_COLUMNS, asset changes as rows of CHANGE_COLUMNS. */
  transactions: { columns: string[]; callColumns: string[]; rows: Cell[][] } | null;
  /** mempool.jsonl without the blocks whose list is empty: `[block, [candidate rows]]`. */
  candidates: { columns: string[]; rows: [number, Cell[][]][] } | null;
  /** mev.csv: totals over every row, and the MEV_CAP largest rows (null in reports without it). */
  mev: MevReport | null;
  /**
   * Present when the run was too long to embed whole (cli/report-data.ts): `blocks` holds each
   * bucket of `blocksPerBucket` blocks as its first and last block, its lowest and highest values
   * at fractional block numbers, and the whole rows of `detailBlocks` blocks with transactions (with
   * their transactions and mempool at `--record full`); the output folder's files hold everything.
   */
  reduced?: Reduced;
}

export interface Reduced {
  /** Blocks in the run (rows of blocks.csv). */
  blocks: number;
  buckets: number;
  blocksPerBucket: number;
  detailBlocks: number;
  /** At `--record full`: transactions in transactions.jsonl, and how many the report holds. */
  transactions?: number;
  transactionsKept?: number;
}
