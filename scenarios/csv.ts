/**
 * Historical prices from a CSV file, for a `csv` price process: a header row, a time column
 * (seconds, or ISO dates; the first row is time 0 of the run) and a price column. Problems name
 * the CSV file, line and column.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { ScenarioProblem, SourcePos } from './errors';
import type { CsvProcess } from './schema-market';
import type { Locate } from './source';
import { nearest } from './suggest';
import { decodeUtf8 } from './text';
import { unreadable } from './yaml-file';

export interface CsvPrices {
  /** (seconds from the first row, price) points, times strictly increasing. */
  points: [number, number][];
  /** Seconds from the first row to the last. */
  span: number;
  /** Line of the last row (for messages). */
  lastLine: number;
}

export interface CsvOptions {
  /** Asset the prices are for: the default price column. */
  asset: string;
  column?: string | undefined;
  timeColumn: string;
  /** Field path of the process in the scenario, for messages. */
  path: string;
}

/** How long a run lasts, for checking that a price file covers it. */
export interface RunLength {
  blocks: number;
  blockTime: number;
  /** Exponential block gaps: the length is the expected one. */
  exponential: boolean;
}

/**
 * The price points of the `csv` process of asset `id`: its file read (relative to `baseDir`) and
 * checked to cover the run, when its length is known. Problems go to `problems` — the file's own at
 * their CSV line, an unreadable file at the process's `file` field (found with `locate`) — and the
 * result is then undefined.
 */
export function readCsvAsset(id: string, p: CsvProcess, baseDir: string, locate: Locate | undefined, run: RunLength | undefined, problems: ScenarioProblem[]): [number, number][] | undefined {
  const file = isAbsolute(p.file) ? p.file : join(baseDir, p.file);
  const path = `market.assets.${id}`;
  const where = locate?.(['market', 'assets', id, 'file']) ?? { file, line: 1, column: 1 };
  const prices = readPriceCsv(file, { asset: id, column: p.column, timeColumn: p.timeColumn, path }, where, problems);
  if (prices === undefined) return undefined;
  const runSeconds = run === undefined ? 0 : run.blocks * run.blockTime;
  if (run !== undefined && prices.span < runSeconds) {
    problems.push({
      file,
      line: prices.lastLine,
      column: 1,
      path,
      message: `the prices cover ${prices.span} s, but the run ${run.exponential ? 'is expected to last' : 'lasts'} ${runSeconds} s (${run.blocks} blocks × ${run.blockTime} s); shorten the run or add prices`,
    });
    return undefined;
  }
  return prices.points;
}

/** Problems beyond this many per file are summed up in one line. */
export const MAX_PROBLEMS = 20;

export const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export interface CsvRow {
  record: string[];
  info: { lines: number };
  raw: string;
}

/**
 * The rows of CSV file `file` (header first), or undefined with its problem in `problems`: the file
 * unreadable (at `where`, the scenario's reference to it), not UTF-8, not CSV, or empty.
 */
export function readCsvRows(file: string, path: string, where: SourcePos, problems: ScenarioProblem[], what: string): CsvRow[] | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    problems.push({ ...where, path: `${path}.file`, message: `cannot read the CSV file ${file}: ${unreadable(e)}` });
    return undefined;
  }
  const decoded = decodeUtf8(buf, file, 'CSV file');
  if ('problem' in decoded) {
    problems.push({ ...decoded.problem, path });
    return undefined;
  }
  let rows: CsvRow[];
  try {
    rows = parse(decoded.text, { info: true, raw: true, skip_empty_lines: true, trim: true, comment: '#', bom: true }) as unknown as CsvRow[];
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 1;
    problems.push({ file, line, column: 1, path, message: `CSV syntax error: ${e instanceof Error ? e.message : String(e)}` });
    return undefined;
  }
  if (rows.length === 0) {
    problems.push({ file, line: 1, column: 1, path, message: `the CSV file is empty; it needs a header row and at least 2 rows of ${what}` });
    return undefined;
  }
  return rows;
}

/**
 * Read the prices of `file` (an absolute path). Problems go to `problems` (the file's own
 * unreadability at `where`, the scenario's reference to it); returns undefined if there were any.
 */
export function readPriceCsv(file: string, opts: CsvOptions, where: SourcePos, problems: ScenarioProblem[]): CsvPrices | undefined {
  const mine: ScenarioProblem[] = [];
  const at = (line: number, column: number, message: string) => mine.push({ file, line, column, path: opts.path, message });
  const rows = readCsvRows(file, opts.path, where, problems, 'prices');
  if (rows === undefined) return undefined;

  const header = rows[0]!.record;
  const headerLine = rows[0]!.info.lines;
  const columnOf = (name: string, what: string): number => {
    const i = header.indexOf(name);
    if (i < 0) at(headerLine, 1, `no ${what} column '${name}'${didYouMean(name, header)}; columns: ${header.join(', ')}`);
    return i;
  };
  const ti = columnOf(opts.timeColumn, 'time');
  let pi: number;
  if (opts.column !== undefined) pi = columnOf(opts.column, 'price');
  else if (header.includes(opts.asset)) pi = header.indexOf(opts.asset);
  else if (header.length === 2 && ti >= 0) pi = 1 - ti;
  else {
    pi = -1;
    at(headerLine, 1, `no column '${opts.asset}' and more than one other column: name the price column with \`column:\`; columns: ${header.join(', ')}`);
  }
  const data = rows.slice(1);
  if (data.length < 2) at(rows[rows.length - 1]!.info.lines, 1, `needs at least 2 rows of prices, found ${data.length}`);
  if (ti < 0 || pi < 0 || data.length < 2) return finish(problems, mine);

  const points: [number, number][] = [];
  let iso: boolean | undefined;
  let prev = -Infinity;
  let prevLine = 0;
  for (const row of data) {
    const line = row.info.lines;
    const t = row.record[ti] ?? '';
    const p = row.record[pi] ?? '';
    const time = timeCell(t, iso);
    if (!Number.isFinite(time)) at(line, columnIn(row.raw, ti), `time '${t}' is not ${timeWanted(iso)}`);
    else {
      iso ??= !NUMBER.test(t);
      if (!(time > prev)) at(line, columnIn(row.raw, ti), `times must increase: '${t}' follows the time on line ${prevLine}`);
      prev = time;
      prevLine = line;
    }
    const price = NUMBER.test(p) ? Number(p) : NaN;
    if (!(price > 0 && Number.isFinite(price))) at(line, columnIn(row.raw, pi), `price must be a positive number, found '${p}'`);
    points.push([time, price]);
    if (mine.length > MAX_PROBLEMS) break;
  }
  if (mine.length > 0) return finish(problems, mine);
  const t0 = points[0]![0];
  for (const pt of points) pt[0] -= t0;
  return { points, span: points[points.length - 1]![0], lastLine: data[data.length - 1]!.info.lines };
}

export function finish(problems: ScenarioProblem[], mine: ScenarioProblem[]): undefined {
  problems.push(...mine.slice(0, MAX_PROBLEMS));
  if (mine.length > MAX_PROBLEMS) {
    const last = mine[MAX_PROBLEMS]!;
    problems.push({ ...last, message: 'more problems in this file are not shown' });
  }
  return undefined;
}

/** Seconds since the epoch of an ISO date; dates without a zone are UTC (never the machine's zone). */
/**
 * A time cell: seconds or an ISO date, of the same kind as the column's first (`iso`: true for
 * dates, false for seconds, undefined before the first); NaN if it is neither.
 */
export function timeCell(text: string, iso: boolean | undefined): number {
  if (NUMBER.test(text) && iso !== true) return Number(text);
  if (ISO_DATE.test(text) && iso !== false) return isoSeconds(text);
  return NaN;
}

/** What a time cell that `timeCell` refused should have been. */
export function timeWanted(iso: boolean | undefined): string {
  return iso === undefined ? 'a number of seconds or an ISO date' : iso ? 'an ISO date (like the first row)' : 'a number of seconds (like the first row)';
}

export function isoSeconds(text: string): number {
  const s = text.replace(' ', 'T');
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(s) || !s.includes('T');
  return Date.parse(zoned ? s : `${s}Z`) / 1000;
}

/** 1-based character column of field `index` on the record's last line (1 when quoting hides it). */
export function columnIn(raw: string, index: number): number {
  const line = raw.replace(/\r?\n$/, '').split(/\r?\n/).pop() ?? '';
  if (line.includes('"')) return 1;
  const fields = line.split(',');
  let col = 1;
  for (let i = 0; i < index && i < fields.length; i++) col += fields[i]!.length + 1;
  const lead = /^\s*/.exec(fields[index] ?? '')![0].length;
  return col + lead;
}

export function didYouMean(name: string, options: string[]): string {
  const n = nearest(name, options);
  return n === undefined ? '' : ` (did you mean '${n}'?)`;
}
