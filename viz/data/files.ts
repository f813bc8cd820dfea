/**
 * An output folder's files (blocks.csv, pnl.csv, transactions.jsonl, mempool.jsonl), as fetched by
 * the viewer that `hedgesim view` serves, turned into RunData. blocks.csv holds only numbers (an
 * empty cell is missing), so its body is split by hand: far faster than a general CSV parser.
 */
import { csvParseRows } from 'd3';
import { fail } from './errors';
import { TX_LOG_FORMAT } from './format';
import type { BlockTable, Candidates, PnlTable, Tx } from './types';

function lines(text: string): string[] {
  const out = text.split('\n');
  if (out.at(-1) === '') out.pop();
  return out.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

export function parseBlocksCsv(text: string): BlockTable {
  const ls = lines(text);
  if (ls.length === 0) fail('blocks.csv is empty');
  const columns = csvParseRows(ls[0]!)[0] ?? [];
  const n = ls.length - 1;
  const data = columns.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const cells = ls[i + 1]!.split(',');
    if (cells.length !== columns.length) fail(`blocks.csv: line ${i + 2} has ${cells.length} values instead of ${columns.length} (is the file truncated?)`);
    for (let j = 0; j < cells.length; j++) {
      const c = cells[j]!;
      const v = c === '' ? NaN : Number(c);
      if (c !== '' && Number.isNaN(v)) fail(`blocks.csv: line ${i + 2}, column '${columns[j]}': '${c}' is not a number`);
      data[j]![i] = v;
    }
  }
  return { columns, length: n, data };
}

export function parsePnlCsv(text: string): PnlTable {
  const rows = csvParseRows(text.trimEnd());
  const columns = rows.shift() ?? fail('pnl.csv is empty');
  const agentCol = columns.indexOf('agent');
  return {
    columns,
    rows: rows.map((r, i) => {
      if (r.length !== columns.length) fail(`pnl.csv: line ${i + 2} has ${r.length} values instead of ${columns.length} (is the file truncated?)`);
      return r.map((c, j) => (j === agentCol ? c : c === '' ? NaN : Number(c)));
    }),
  };
}

/** One JSON value per line; a line that does not parse names the file and line. */
export function parseJsonl<T>(text: string, file: string): T[] {
  return lines(text)
    .map((l, i) => [l, i] as const)
    .filter(([l]) => l.trim() !== '')
    .map(([l, i]) => {
      try {
        return JSON.parse(l) as T;
      } catch {
        return fail(`${file}: line ${i + 1} is not valid JSON (is the file truncated?)`);
      }
    });
}

export function parseTransactions(text: string): Tx[] {
  const txs = parseJsonl<Tx>(text, 'transactions.jsonl');
  txs.forEach((t, i) => {
    if (typeof t !== 'object' || t === null || typeof t.block !== 'number' || !Array.isArray(t.calls)) fail(`transactions.jsonl: line ${i + 1} is not a transaction`);
    // Format 1 lines have no `format`; format 2 leaves out the bounds of a forge that has none.
    const format: unknown = t.format ?? 1;
    if (typeof format !== 'number' || format > TX_LOG_FORMAT) fail(`transactions.jsonl: line ${i + 1} has format ${String(format)}; this viewer reads formats 1 to ${TX_LOG_FORMAT} (a newer hedgesim wrote it)`);
    for (const c of t.calls) {
      c.boundA ??= null;
      c.boundB ??= null;
    }
    // Before format 3: no target, no asset changes.
    t.target ??= null;
    t.assetChanges ??= null;
  });
  return txs;
}

export function parseCandidates(text: string): Candidates[] {
  return parseJsonl<Candidates>(text, 'mempool.jsonl').filter((c, i) => {
    if (typeof c !== 'object' || c === null || typeof c.block !== 'number' || !Array.isArray(c.txs)) fail(`mempool.jsonl: line ${i + 1} is not a mempool record`);
    return c.txs.length > 0;
  });
}
