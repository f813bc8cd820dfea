/**
 * The data a report page gets, gathered while the run goes: the summary, the per-block table, the
 * P&L decomposition over time, and — when everything is recorded — every transaction and what the
 * builder saw before each block. The layout (viz/data/format.ts) is made to open fast in a browser:
 * each block column in its smallest exact form, transactions and candidates as rows under a header.
 * The viewer reads only this (or the same files from a folder served by `hedgesim view`).
 */
import type { CandidateRecord, Row, TxRecord } from '../sim/record';
import { CALL_COLUMNS, CANDIDATE_COLUMNS, REPORT_FORMAT, REPORT_VERSION, TX_COLUMNS, type Cell, type EncodedColumn, type ReportDataV3 } from '../viz/data/format';

export type ReportData = ReportDataV3;

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
  return TX_COLUMNS.map((k) => (k === 'calls' ? (calls as unknown as Cell) : (tx[k] as Cell)));
}

export class ReportCollector {
  private blockColumns: string[] = [];
  private blockData: (number | string)[][] = [];
  private pnlColumns: string[] = [];
  private readonly pnlRows: Row[] = [];
  private txs: Cell[][] | null = null;
  private cands: [number, Cell[][]][] | null = null;

  blocksHeader(columns: string[]): void {
    this.blockColumns = columns;
    this.blockData = columns.map(() => []);
  }

  block(row: Row): void {
    for (let j = 0; j < row.length; j++) this.blockData[j]!.push(row[j]!);
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
    (this.txs ??= []).push(txRow(tx));
  }

  candidates(c: CandidateRecord): void {
    const list = (this.cands ??= []);
    if (c.txs.length > 0) list.push([c.block, c.txs.map((t) => CANDIDATE_COLUMNS.map((k) => t[k] as Cell))]);
  }

  data(summary: unknown): ReportData {
    return {
      format: REPORT_FORMAT,
      version: REPORT_VERSION,
      summary,
      blocks:
        this.blockColumns.length > 0
          ? { columns: this.blockColumns, length: this.blockData[0]?.length ?? 0, data: this.blockData.map(encodeColumn) }
          : null,
      pnl: this.pnlColumns.length > 0 ? { columns: this.pnlColumns, rows: this.pnlRows } : null,
      transactions: this.txs === null ? null : { columns: [...TX_COLUMNS], callColumns: [...CALL_COLUMNS], rows: this.txs },
      candidates: this.cands === null ? null : { columns: [...CANDIDATE_COLUMNS], rows: this.cands },
    };
  }
}
