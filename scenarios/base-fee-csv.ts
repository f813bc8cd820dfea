/**
 * Historical base fees from a CSV file, for `chain.baseFee.mode: csv`: a header row, a key column —
 * `block` (whole numbers; the first row is the run's first block) or a time column (seconds, or ISO
 * dates; the first row is time 0 of the run) — and a base fee column in gwei. Each row's fee holds
 * until the next row's key. Problems name the CSV file, line and column, the field and what is allowed.
 */
import { isAbsolute, join } from 'node:path';
import type { BaseFeeReplay } from '../sim/background';
import { columnIn, didYouMean, finish, MAX_PROBLEMS, NUMBER, readCsvRows, timeCell, timeWanted, type RunLength } from './csv';
import type { ScenarioProblem } from './errors';
import type { Locate } from './source';

/** The largest base fee a file may hold, gwei (as `chain.baseFee.max`). */
const MAX_FEE = 1e15;
const PATH = 'chain.baseFee';

export interface BaseFeeFile {
  file: string;
  column?: string | undefined;
  timeColumn?: string | undefined;
}

/**
 * The base fees of `spec.file` (relative to `baseDir`), checked to cover the run when its length is
 * known. Problems go to `problems` (the file's own at their CSV line and column, an unreadable file at
 * the scenario's `chain.baseFee.file`), and the result is then undefined.
 */
export function readBaseFeeCsv(spec: BaseFeeFile, baseDir: string, locate: Locate | undefined, run: RunLength | undefined, problems: ScenarioProblem[]): BaseFeeReplay | undefined {
  const file = isAbsolute(spec.file) ? spec.file : join(baseDir, spec.file);
  const where = locate?.(['chain', 'baseFee', 'file']) ?? { file, line: 1, column: 1 };
  const rows = readCsvRows(file, PATH, where, problems, 'base fees');
  if (rows === undefined) return undefined;
  const mine: ScenarioProblem[] = [];
  const at = (line: number, column: number, message: string) => mine.push({ file, line, column, path: PATH, message });

  const header = rows[0]!.record;
  const headerLine = rows[0]!.info.lines;
  const byBlock = spec.timeColumn === undefined && header.includes('block');
  const keyName = byBlock ? 'block' : (spec.timeColumn ?? 'time');
  const ki = header.indexOf(keyName);
  if (ki < 0) at(headerLine, 1, `no key column: a \`block\` column (block numbers) or a time column '${keyName}'${didYouMean(keyName, header)} (seconds or ISO dates) is needed; columns: ${header.join(', ')}`);
  let fi = -1;
  if (spec.column !== undefined) {
    fi = header.indexOf(spec.column);
    if (fi < 0) at(headerLine, 1, `no base fee column '${spec.column}'${didYouMean(spec.column, header)}; columns: ${header.join(', ')}`);
  } else if (header.includes('baseFee')) fi = header.indexOf('baseFee');
  else if (header.includes('base_fee_gwei')) fi = header.indexOf('base_fee_gwei');
  else if (header.length === 2 && ki >= 0) fi = 1 - ki;
  else at(headerLine, 1, `no column 'baseFee' (or 'base_fee_gwei') and more than one other column: name the base fee column with \`column:\`; columns: ${header.join(', ')}`);
  const data = rows.slice(1);
  if (data.length === 0) at(headerLine, 1, 'needs at least 1 row of base fees after the header');
  if (mine.length > 0) return finish(problems, mine);

  const keys: number[] = [];
  const fees: number[] = [];
  let iso: boolean | undefined;
  let prev = -Infinity;
  let prevLine = 0;
  for (const row of data) {
    const line = row.info.lines;
    const k = row.record[ki] ?? '';
    const f = row.record[fi] ?? '';
    let key = NaN;
    if (byBlock) {
      key = /^\d+$/.test(k) ? Number(k) : NaN;
      if (!Number.isSafeInteger(key)) at(line, columnIn(row.raw, ki), `block '${k}' is not a whole number ≥ 0`);
    } else {
      key = timeCell(k, iso);
      if (Number.isFinite(key)) iso ??= !NUMBER.test(k);
      else at(line, columnIn(row.raw, ki), `time '${k}' is not ${timeWanted(iso)}`);
    }
    if (Number.isFinite(key)) {
      if (!(key > prev)) at(line, columnIn(row.raw, ki), `${byBlock ? 'blocks' : 'times'} must increase: '${k}' follows the ${byBlock ? 'block' : 'time'} on line ${prevLine}`);
      prev = key;
      prevLine = line;
    }
    const fee = NUMBER.test(f) ? Number(f) : NaN;
    if (!(fee >= 0 && fee <= MAX_FEE)) at(line, columnIn(row.raw, fi), `base fee must be a number of gwei in [0, ${MAX_FEE}], found '${f}'`);
    keys.push(key);
    fees.push(fee);
    if (mine.length > MAX_PROBLEMS) break;
  }
  if (mine.length > 0) return finish(problems, mine);

  const first = keys[0]!;
  const lastLine = data[data.length - 1]!.info.lines;
  if (byBlock) {
    for (let i = 0; i < keys.length; i++) keys[i] = keys[i]! - first + 1;
    const covered = keys[keys.length - 1]!;
    if (run !== undefined && covered < run.blocks) {
      at(lastLine, columnIn(data[data.length - 1]!.raw, ki), `the base fees cover blocks ${first}–${first + covered - 1} (${covered} blocks), but the run has ${run.blocks}; shorten the run or add rows`);
    }
  } else {
    for (let i = 0; i < keys.length; i++) keys[i] = keys[i]! - first;
    const span = keys[keys.length - 1]!;
    const runSeconds = run === undefined ? 0 : run.blocks * run.blockTime;
    if (run !== undefined && span < runSeconds) {
      at(lastLine, columnIn(data[data.length - 1]!.raw, ki), `the base fees cover ${span} s, but the run ${run.exponential ? 'is expected to last' : 'lasts'} ${runSeconds} s (${run.blocks} blocks × ${run.blockTime} s); shorten the run or add rows`);
    }
  }
  if (mine.length > 0) return finish(problems, mine);
  return { by: byBlock ? 'block' : 'time', at: keys, fees };
}
