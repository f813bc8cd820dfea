/**
 * Outputs for the browser tests, made by the built command line in temporary folders (dist/ is
 * built once by test/cli/build.setup.ts), and the expectations computed from their files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { hedgesim, ROOT } from '../cli/helpers';

export interface TxLine {
  id: number;
  block: number;
  position: number;
  agent: string;
  tag: string;
  status: string;
  bundle: number | null;
}

/** `hedgesim run` into `dir`, failing the test with the CLI's stderr if it does not succeed. */
export function run(scenario: string, dir: string, args: string[] = []): string {
  const r = hedgesim(['run', join(ROOT, scenario), '--out', dir, '-q', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

export const url = (dir: string, file = 'report.html'): string => pathToFileURL(join(dir, file)).href;

export function transactions(dir: string): TxLine[] {
  return readFileSync(join(dir, 'transactions.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TxLine);
}

export function blocksCsv(dir: string): { header: string[]; rows: number[][] } {
  const [head, ...rest] = readFileSync(join(dir, 'blocks.csv'), 'utf8').trim().split('\n');
  return { header: head!.split(',').map((h) => h.replace(/^"|"$/g, '')), rows: rest.map((l) => l.split(',').map((c) => (c === '' ? NaN : Number(c)))) };
}

/** pnl.csv: its header, and rows of cells (the agent column as text, the others as numbers). */
export function pnlCsv(dir: string): { header: string[]; rows: (string | number)[][] } {
  const [head, ...rest] = readFileSync(join(dir, 'pnl.csv'), 'utf8').trim().split('\n');
  const header = head!.split(',').map((h) => h.replace(/^"|"$/g, ''));
  const agent = header.indexOf('agent');
  return { header, rows: rest.map((l) => l.split(',').map((c, j) => (j === agent ? c.replace(/^"|"$/g, '') : Number(c)))) };
}

/** mempool.jsonl: what the builder saw before each block. */
export function mempool(dir: string): { block: number; txs: { id: number }[] }[] {
  return readFileSync(join(dir, 'mempool.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { block: number; txs: { id: number }[] });
}

/** The data element of a report.html, parsed. */
export function reportData(dir: string): Record<string, unknown> {
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  return JSON.parse(/<script type="application\/json" id="hedgesim-data">(.*?)<\/script>/s.exec(html)![1]!) as Record<string, unknown>;
}

export function write(dir: string, name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}
