/**
 * Where the run viewer's data comes from: the element inlined in report.html, or — in the page
 * `hedgesim view` serves — the output folder's files fetched over HTTP.
 */
import { decodeReport } from '../data/decode';
import { fail } from '../data/errors';
import { parseBlocksCsv, parseCandidates, parsePnlCsv, parseTransactions } from '../data/files';
import { MEV_CAP } from '../data/format';
import { largest, parseMevCsv, totalsOf } from '../data/mev';
import { checkSummary } from '../data/summary';
import type { RunData } from '../data/types';

/** A file's text, or null when the folder does not have it (404). */
async function text(name: string, required: boolean): Promise<string | null> {
  let res: Response;
  try {
    res = await fetch(name);
  } catch (e) {
    return fail(`could not load ${name}: ${e instanceof Error ? e.message : String(e)} (is hedgesim view still running?)`);
  }
  if (res.status === 404 && !required) return null;
  if (!res.ok) fail(`could not load ${name}: HTTP ${res.status}`);
  return res.text();
}

async function served(): Promise<RunData> {
  const [summary, blocks, pnl, txs, mempool, mev] = await Promise.all([
    text('summary.json', true),
    text('blocks.csv', false),
    text('pnl.csv', false),
    text('transactions.jsonl', false),
    text('mempool.jsonl', false),
    text('mev.csv', false),
  ]);
  const mevRows = mev === null ? null : parseMevCsv(mev);
  let s: unknown;
  try {
    s = JSON.parse(summary!);
  } catch {
    fail('summary.json is malformed or truncated');
  }
  return {
    summary: checkSummary(s),
    blocks: blocks === null ? null : parseBlocksCsv(blocks),
    pnl: pnl === null ? null : parsePnlCsv(pnl),
    transactions: txs === null ? null : parseTransactions(txs),
    candidates: mempool === null ? null : parseCandidates(mempool),
    mev: mevRows === null ? null : { count: mevRows.length, totals: totalsOf(mevRows), rows: largest(mevRows, MEV_CAP) },
  };
}

export async function loadRun(): Promise<RunData> {
  const inline = document.getElementById('hedgesim-data');
  if (inline !== null) return decodeReport(inline.textContent ?? '');
  if (document.getElementById('hedgesim-source') !== null) return served();
  return fail('this page has no report data (the file may be truncated)');
}
