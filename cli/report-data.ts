/**
 * The data a report page gets, gathered while the run goes: the summary, the per-block table in
 * columns, the P&L decomposition over time, and — when everything is recorded — every transaction
 * and what the builder saw before each block. The viewer reads only this (or the same files from a
 * served output folder).
 */
import type { CandidateRecord, Row, TxRecord } from '../sim/record';

export interface ReportData {
  format: 'hedgesim-report';
  version: 1;
  summary: unknown;
  /** Per-block table, column-major: `data[j]` is column `columns[j]` for every block. */
  blocks: { columns: string[]; data: (number | string)[][] } | null;
  /** Tidy P&L rows: block, time, agent, total, trading, fees, lvr, gas, cex, mev, options. */
  pnl: { columns: string[]; rows: Row[] } | null;
  transactions: TxRecord[] | null;
  candidates: CandidateRecord[] | null;
}

export class ReportCollector {
  private blockColumns: string[] = [];
  private blockData: (number | string)[][] = [];
  private pnlColumns: string[] = [];
  private readonly pnlRows: Row[] = [];
  private txs: TxRecord[] | null = null;
  private cands: CandidateRecord[] | null = null;

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

  transaction(tx: TxRecord): void {
    (this.txs ??= []).push(tx);
  }

  candidates(c: CandidateRecord): void {
    (this.cands ??= []).push(c);
  }

  data(summary: unknown): ReportData {
    return {
      format: 'hedgesim-report',
      version: 1,
      summary,
      blocks: this.blockColumns.length > 0 ? { columns: this.blockColumns, data: this.blockData } : null,
      pnl: this.pnlColumns.length > 0 ? { columns: this.pnlColumns, rows: this.pnlRows } : null,
      transactions: this.txs,
      candidates: this.cands,
    };
  }
}
