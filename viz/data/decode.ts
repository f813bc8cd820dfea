/**
 * The data inlined in report.html (viz/data/format.ts) turned into the viewer's RunData, checking
 * every part so that a truncated or edited file is reported in words, never drawn half-way.
 */
import { decodeColumn } from './base64';
import { fail, ReportFormatError } from './errors';
import { CALL_COLUMNS, CANDIDATE_COLUMNS, REPORT_FORMAT, REPORT_VERSION, TX_COLUMNS, type Reduced } from './format';
import { checkMevReport } from './mev';
import { checkSummary } from './summary';
import type { BlockTable, Call, Candidates, CandidateTx, PnlTable, RunData, Tx } from './types';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new ReportFormatError(`the report data is malformed or truncated (${detail}). Run the scenario again to rewrite report.html.`);
  }
}

function blocks(v: unknown): BlockTable | null {
  if (v === null || v === undefined) return null;
  if (!isObj(v) || !Array.isArray(v.columns) || !Array.isArray(v.data) || typeof v.length !== 'number') fail('the block table is malformed');
  if (v.data.length !== v.columns.length) fail(`the block table has ${v.columns.length} column names but ${v.data.length} columns`);
  const columns = v.columns.map(String);
  const length = v.length;
  return { columns, length, data: v.data.map((d, j) => decodeColumn(d, length, columns[j]!)) };
}

function pnl(v: unknown): PnlTable | null {
  if (v === null || v === undefined) return null;
  if (!isObj(v) || !Array.isArray(v.columns) || !Array.isArray(v.rows)) fail('the P&L table is malformed');
  const width = v.columns.length;
  v.rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== width) fail(`P&L row ${i + 1} does not have ${width} values`);
  });
  return { columns: v.columns.map(String), rows: v.rows as (string | number)[][] };
}

/** Check a header against the expected columns (the layout of format.ts). */
function header(columns: unknown, expected: readonly string[], what: string): void {
  if (!Array.isArray(columns) || columns.join() !== expected.join()) fail(`${what}: unexpected columns`);
}

/** Turn rows under a header into objects, checking each row's width. */
function objects<T>(rows: unknown, expected: readonly string[], columns: unknown, what: string): T[] {
  header(columns, expected, what);
  if (!Array.isArray(rows)) fail(`${what}: no rows`);
  return rows.map((r, i) => {
    if (!Array.isArray(r) || r.length !== expected.length) fail(`${what}: row ${i + 1} does not have ${expected.length} values`);
    const o: Record<string, unknown> = {};
    for (let j = 0; j < expected.length; j++) o[expected[j]!] = r[j];
    return o as T;
  });
}

/** Each column's position in a row. */
const at = <C extends string>(columns: readonly C[]): Record<C, number> => Object.fromEntries(columns.map((c, i) => [c, i])) as Record<C, number>;
const T = at(TX_COLUMNS);
const C = at(CALL_COLUMNS);

/**
 * Transactions are the bulk of a full report (hundreds of thousands): each row becomes an object
 * of one fixed shape in one literal, which V8 builds several times faster than key by key, and the
 * call header is checked once, not per transaction.
 */
function transactions(v: unknown): Tx[] | null {
  if (v === null || v === undefined) return null;
  if (!isObj(v)) fail('the transactions are malformed');
  header(v.columns, TX_COLUMNS, 'transactions');
  header(v.callColumns, CALL_COLUMNS, 'transactions: calls');
  if (!Array.isArray(v.rows)) fail('transactions: no rows');
  const width = TX_COLUMNS.length;
  const callWidth = CALL_COLUMNS.length;
  return (v.rows as unknown[]).map((r, i): Tx => {
    if (!Array.isArray(r) || r.length !== width) fail(`transactions: row ${i + 1} does not have ${width} values`);
    const id = r[T.id] as number;
    if (typeof r[T.block] !== 'number' || typeof r[T.position] !== 'number') fail(`transaction ${String(id)}: no block or position`);
    const rows = r[T.calls];
    if (!Array.isArray(rows)) fail(`transaction ${id} calls: no rows`);
    const calls = rows.map((c: unknown, k): Call => {
      if (!Array.isArray(c) || c.length !== callWidth) fail(`transaction ${id} calls: row ${k + 1} does not have ${callWidth} values`);
      return { venue: c[C.venue], op: c[C.op], side: c[C.side], a: c[C.a], b: c[C.b], boundA: c[C.boundA], boundB: c[C.boundB], outA: c[C.outA], outB: c[C.outB], outC: c[C.outC] };
    });
    return {
      id,
      block: r[T.block],
      position: r[T.position],
      agent: String(r[T.agent]),
      tag: String(r[T.tag]),
      status: r[T.status],
      revert: r[T.revert],
      private: r[T.private],
      bundle: r[T.bundle],
      victim: r[T.victim],
      arrivalTime: r[T.arrivalTime],
      gasUsed: r[T.gasUsed],
      priorityFee: r[T.priorityFee],
      effectivePriorityFee: r[T.effectivePriorityFee],
      baseFee: r[T.baseFee],
      gasCostUsd: r[T.gasCostUsd],
      calls,
      target: r[T.target],
      assetChanges: changes(r[T.assetChanges], id),
    };
  });
}

/** A transaction's asset changes: rows of CHANGE_COLUMNS (token, amount, usd). */
function changes(v: unknown, id: number): Tx['assetChanges'] {
  if (v === null) return null;
  if (!Array.isArray(v)) fail(`transaction ${id} asset changes: no rows`);
  return v.map((c: unknown, k) => {
    if (!Array.isArray(c) || c.length !== 3 || typeof c[1] !== 'number' || typeof c[2] !== 'number') fail(`transaction ${id} asset changes: row ${k + 1} is malformed`);
    return { token: String(c[0]), amount: c[1], usd: c[2] };
  });
}

function candidates(v: unknown): Candidates[] | null {
  if (v === null || v === undefined) return null;
  if (!isObj(v) || !Array.isArray(v.rows)) fail('the mempool records are malformed');
  return v.rows.map((r, i) => {
    if (!Array.isArray(r) || typeof r[0] !== 'number') fail(`mempool record ${i + 1} is malformed`);
    return { block: r[0], txs: objects<CandidateTx>(r[1], CANDIDATE_COLUMNS, v.columns, `mempool of block ${r[0]}`) };
  });
}

/** Decode the text of the `hedgesim-data` element. */
export function decodeReport(text: string): RunData {
  if (text.trim() === '') fail('this report has no data');
  const d = parse(text);
  if (!isObj(d) || d.format !== REPORT_FORMAT) fail('this is not a hedgesim report');
  if (d.version !== REPORT_VERSION) fail(`this report has format version ${String(d.version)}; this viewer reads version ${REPORT_VERSION}`);
  const run: RunData = { summary: checkSummary(d.summary), blocks: blocks(d.blocks), pnl: pnl(d.pnl), transactions: transactions(d.transactions), candidates: candidates(d.candidates), mev: checkMevReport(d.mev) };
  const r = reduced(d.reduced);
  if (r !== undefined) run.reduced = r;
  return run;
}

function reduced(v: unknown): Reduced | undefined {
  if (v === undefined || v === null) return undefined;
  const fields = ['blocks', 'buckets', 'blocksPerBucket', 'detailBlocks'] as const;
  if (!isObj(v) || fields.some((f) => typeof v[f] !== 'number')) fail('the reduction note is malformed');
  const out: Reduced = { blocks: v.blocks as number, buckets: v.buckets as number, blocksPerBucket: v.blocksPerBucket as number, detailBlocks: v.detailBlocks as number };
  if (typeof v.transactions === 'number' && typeof v.transactionsKept === 'number') {
    out.transactions = v.transactions;
    out.transactionsKept = v.transactionsKept;
  }
  return out;
}
