/**
 * runs.parquet and summary.parquet read back with an independent reader (hyparquet): the same
 * columns and values as runs.csv and summary.csv — ids, seeds and counts as INT64, other numbers as
 * doubles (exactly), text as UTF-8 strings, empty cells as nulls in every column.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweep } from '../../batch/sweep';
import { FAULT } from '../cli/helpers';
import { BASE, csvRows } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'hedgesim-parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Text parameter values, random draws, a baseline. */
const MIXED = `name: mixed
scenario: base.yaml
seed: 5
replicates: 2
samples: 2
parameters:
  chain.ordering: { values: [priority, fcfs] }
  agents.arb.bid.share: { uniform: [0.1, 0.9] }
metrics:
  lp_fees: agents.lp.pnl.fees
  swaps: venues.pool.swaps
  price: prices.ETH
`;
/** One point of the three fails at run time. */
const FAILING = `name: failing
scenario: overflow.yaml
replicates: 2
parameters:
  agents.whale.actions[0].amount: { values: [1, 1.7e308, 2] }
metrics:
  volume: venues.pool.volumeUsd
`;

async function readParquet(path: string): Promise<{ columns: { name: string; type: string | undefined }[]; rows: Record<string, unknown>[] }> {
  const buf = readFileSync(path);
  const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const metadata = parquetMetadata(file);
  const columns = parquetSchema(metadata).children.map((c) => ({ name: c.element.name, type: c.element.type }));
  const rows = await parquetReadObjects({ file, metadata });
  return { columns, rows };
}

/** Whole-number columns of the two tables: INT64. */
const INTEGER = /^(run_id|point_id|replicate|seed|runs|failed|\w+_n)$/;

/** The CSV's cells as the Parquet file should hold them: whole numbers, doubles or text by column, '' as null. */
async function compare(out: string, table: 'runs' | 'summary'): Promise<{ columns: { name: string; type: string | undefined }[]; rows: Record<string, unknown>[] }> {
  const [header = [], ...cells] = csvRows(readFileSync(join(out, `${table}.csv`), 'utf8'));
  const pq = await readParquet(join(out, `${table}.parquet`));
  expect(pq.columns.map((c) => c.name)).toEqual(header);
  expect(pq.rows).toHaveLength(cells.length);
  pq.columns.forEach(({ name, type }, j) => {
    for (let i = 0; i < cells.length; i++) {
      const csv = cells[i]![j]!;
      const value = pq.rows[i]![name];
      expect(type, name).toBe(INTEGER.test(name) ? 'INT64' : type === 'DOUBLE' ? 'DOUBLE' : 'BYTE_ARRAY');
      if (csv === '') expect(value, `${table}.${name}[${i}]`).toBeNull();
      else if (type === 'INT64') expect(value, `${table}.${name}[${i}]`).toBe(BigInt(csv));
      else if (type === 'DOUBLE') expect(value, `${table}.${name}[${i}]`).toBe(Number(csv));
      else expect(value, `${table}.${name}[${i}]`).toBe(csv);
    }
  });
  return pq;
}

describe('the Parquet files of a sweep', () => {
  let mixed: string;
  let failing: string;
  beforeAll(async () => {
    writeFileSync(join(dir, 'base.yaml'), BASE);
    writeFileSync(join(dir, 'overflow.yaml'), FAULT);
    writeFileSync(join(dir, 'mixed.yaml'), MIXED);
    writeFileSync(join(dir, 'failing.yaml'), FAILING);
    mixed = (await runSweep(join(dir, 'mixed.yaml'), { out: join(dir, 'mixed'), workers: 1 })).dir;
    failing = (await runSweep(join(dir, 'failing.yaml'), { out: join(dir, 'failing'), workers: 1 })).dir;
  });

  it('hold the rows of runs.csv, with text parameters as strings and random draws as exact doubles', async () => {
    const { columns, rows } = await compare(mixed, 'runs');
    expect(rows).toHaveLength(8);
    const type = Object.fromEntries(columns.map((c) => [c.name, c.type]));
    expect(type).toMatchObject({ run_id: 'INT64', point_id: 'INT64', replicate: 'INT64', seed: 'INT64', 'chain.ordering': 'BYTE_ARRAY', 'agents.arb.bid.share': 'DOUBLE', lp_fees: 'DOUBLE', swaps: 'DOUBLE', status: 'BYTE_ARRAY' });
    expect(rows.map((r) => r['chain.ordering'])).toEqual([...Array(4).fill('priority'), ...Array(4).fill('fcfs')]);
    expect(new Set(rows.map((r) => r['agents.arb.bid.share'])).size).toBe(2);
  });

  it('type the status and error columns as text even when no run failed, an empty error being null as in the CSV', async () => {
    const { columns, rows } = await compare(mixed, 'runs');
    const type = Object.fromEntries(columns.map((c) => [c.name, c.type]));
    expect([type.status, type.error]).toEqual(['BYTE_ARRAY', 'BYTE_ARRAY']);
    expect(rows.every((r) => r.status === 'ok' && r.error === null)).toBe(true);
  });

  it('hold the rows of summary.csv: counts (INT64), means, sds and intervals', async () => {
    const { columns, rows } = await compare(mixed, 'summary');
    expect(rows).toHaveLength(4);
    expect(Object.fromEntries(columns.map((c) => [c.name, c.type]))).toMatchObject({ point_id: 'INT64', runs: 'INT64', failed: 'INT64', lp_fees_n: 'INT64', lp_fees_mean: 'DOUBLE', swaps_mean: 'DOUBLE' });
    for (const r of rows) {
      expect(r.runs).toBe(2n);
      expect(r.lp_fees_ci_low as number).toBeLessThanOrEqual(r.lp_fees_mean as number);
      expect(r.lp_fees_ci_high as number).toBeGreaterThanOrEqual(r.lp_fees_mean as number);
    }
  });

  it('hold failed runs with null metrics and their error text', async () => {
    const { rows } = await compare(failing, 'runs');
    expect(rows.map((r) => [r.status, r.volume])).toEqual([['ok', 1], ['ok', 1], ['failed', null], ['failed', null], ['ok', 2], ['ok', 2]]);
    expect(rows[2]!.error).toMatch(/^SimulationFault: NEGATIVE_RESERVE at block 2/);
  });

  it('hold a point whose runs all failed with null statistics in summary.parquet', async () => {
    const { rows } = await compare(failing, 'summary');
    expect(rows.map((r) => [r.runs, r.failed, r.volume_n, r.volume_mean, r.volume_sd])).toEqual([[2n, 0n, 2n, 1, 0], [2n, 2n, 0n, null, null], [2n, 0n, 2n, 2, 0]]);
  });
});
