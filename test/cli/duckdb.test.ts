/**
 * The outputs read in DuckDB (the real engine, through @duckdb/node-api) exactly as docs/outputs.md
 * and docs/sweeps.md show: every documented query runs against the files of a real run and a real
 * sweep, the types DuckDB detects are the documented ones, and what it returns is what the files hold.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvRows } from '../batch/fixtures';
import { hedgesim, MINIMAL, read, readJson, ROOT, tempDirs } from './helpers';

const temp = tempDirs();

interface Summary {
  blocks: number;
  agents: { id: string; kind: string; pnl: Record<string, number> }[];
}
interface Tx {
  agent: string;
  status: string;
  revert: string | null;
  gasCostUsd: number;
  calls: unknown[];
}

/** The statements of the first ```sql block of a Markdown file, comments dropped. */
function sqlBlock(markdown: string): string[] {
  const m = /```sql\n([\s\S]*?)```/.exec(markdown);
  if (m === null) throw new Error('no ```sql block');
  return m[1]!
    .split(';')
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s !== '');
}

let db: DuckDBConnection;
/** Rows as plain objects (integers as bigint, as DuckDB types them) and the column types. */
async function query(sql: string): Promise<{ rows: Record<string, unknown>[]; types: Record<string, string> }> {
  const reader = await db.runAndReadAll(sql);
  const names = reader.columnNames();
  const types = Object.fromEntries(names.map((n, i) => [n, reader.columnTypes()[i]!.toString()]));
  return { rows: reader.getRowObjectsJS() as Record<string, unknown>[], types };
}

let dir: string;
let run: string;
let summary: Summary;
let txs: Tx[];
beforeAll(async () => {
  db = await (await DuckDBInstance.create(':memory:')).connect();
  dir = temp();
  run = join(dir, 'out', 'minimal');
  const r = hedgesim(['run', MINIMAL, '--out', run, '--record', 'full', '-q']);
  expect(r.code, r.stderr).toBe(0);
  summary = readJson<Summary>(run, 'summary.json');
  txs = read(run, 'transactions.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l) as Tx);
});

describe('the documented DuckDB queries of docs/outputs.md, on a run', () => {
  let statements: string[];
  beforeAll(() => {
    statements = sqlBlock(readFileSync(join(ROOT, 'docs', 'outputs.md'), 'utf8')).map((s) => s.replaceAll("'out/minimal/", `'${run}/`));
    expect(statements).toHaveLength(4);
  });

  it('reads blocks.csv with every column numeric, one row per block; the ten widest gaps come first', async () => {
    const { rows: all, types } = await query(`SELECT * FROM read_csv('${run}/blocks.csv', sample_size = -1)`);
    expect(all).toHaveLength(summary.blocks);
    expect(Object.entries(types).filter(([, t]) => t !== 'DOUBLE' && t !== 'BIGINT')).toEqual([]);
    const gaps = all.map((r) => Math.abs((r.pool_price as number) / (r.ref_ETH as number) - 1)).sort((a, b) => b - a);
    const { rows } = await query(statements[0]!);
    expect(rows).toHaveLength(10);
    expect(rows.map((r) => Math.abs(r.gap as number))).toEqual(gaps.slice(0, 10));
  });

  it('counts transactions and sums gas by agent and outcome as transactions.jsonl holds them', async () => {
    const expected = new Map<string, { n: number; gas: number }>();
    for (const t of txs) {
      const key = `${t.agent}|${t.status}|${t.revert ?? ''}`;
      const e = expected.get(key) ?? { n: 0, gas: 0 };
      e.n += 1;
      e.gas += t.gasCostUsd;
      expected.set(key, e);
    }
    const { rows } = await query(statements[1]!);
    expect(rows).toHaveLength(expected.size);
    for (const r of rows) {
      const e = expected.get(`${String(r.agent)}|${String(r.status)}|${String(r.revert ?? '')}`);
      expect(e, JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))).toBeDefined();
      expect(Number(r.n)).toBe(e!.n);
      expect(r.gas_usd as number).toBeCloseTo(e!.gas, 9);
    }
  });

  it('unnests one row per venue call', async () => {
    const { rows, types } = await query(statements[2]!);
    expect(rows).toHaveLength(txs.reduce((n, t) => n + t.calls.length, 0));
    expect(types).toMatchObject({ id: 'BIGINT', block: 'BIGINT', agent: 'VARCHAR', status: 'VARCHAR' });
  });

  it('unnests each agent’s P&L components from summary.json (a component that is 0 everywhere reads as an integer)', async () => {
    const { rows } = await query(statements[3]!);
    expect(rows.map((r) => r.id)).toEqual(summary.agents.map((a) => a.id));
    for (const [i, a] of summary.agents.entries()) {
      expect(rows[i]!.kind).toBe(a.kind);
      for (const [part, value] of Object.entries(a.pnl)) expect(Number(rows[i]![part]), `${a.id}.${part}`).toBe(value);
    }
  });
});

describe('a sweep’s tables in DuckDB, as docs/sweeps.md reads them', () => {
  let out: string;
  beforeAll(() => {
    // The library sweep, shortened: same parameters and metrics, so the documented query applies.
    const text = readFileSync(join(ROOT, 'scenarios', 'sweeps', 'band-vs-gas.yaml'), 'utf8')
      .replace('scenario: ../library/l1-vs-l2.yaml', `scenario: ${join(ROOT, 'scenarios', 'library', 'l1-vs-l2.yaml')}`)
      .replace('set: [duration=1d,', 'set: [duration=2h,')
      .replace('replicates: 4', 'replicates: 2');
    writeFileSync(join(dir, 'band-vs-gas.yaml'), text);
    out = join(dir, 'out', 'band-vs-gas');
    const r = hedgesim(['sweep', join(dir, 'band-vs-gas.yaml'), '--out', out, '--workers', '2', '-q']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('reads runs.parquet with the rows of runs.csv: ids and seeds as BIGINT, other numbers as DOUBLE, text as VARCHAR', async () => {
    const [header = [], ...cells] = csvRows(read(out, 'runs.csv'));
    const { rows, types } = await query(`SELECT * FROM '${out}/runs.parquet'`);
    expect(Object.keys(types)).toEqual(header);
    expect(rows).toHaveLength(30);
    for (const [name, type] of Object.entries(types)) expect(type, name).toBe(['status', 'error'].includes(name) ? 'VARCHAR' : ['run_id', 'point_id', 'replicate', 'seed'].includes(name) ? 'BIGINT' : 'DOUBLE');
    rows.forEach((r, i) =>
      header.forEach((name, j) => {
        const csv = cells[i]![j]!;
        expect(r[name], `${name}[${i}]`).toBe(csv === '' ? null : types[name] === 'BIGINT' ? BigInt(csv) : types[name] === 'DOUBLE' ? Number(csv) : csv);
      }),
    );
  });

  it.each(['runs', 'summary'])('finds %s.parquet and its CSV equal, row for row, with the types DuckDB gives the CSV', async (table) => {
    const csv = `read_csv('${out}/${table}.csv', sample_size = -1)`;
    const pq = `'${out}/${table}.parquet'`;
    const types = async (from: string) => (await query(`SELECT * FROM ${from} LIMIT 0`)).types;
    // The whole-number columns are integers in both (DuckDB reads the CSV's as BIGINT).
    const csvTypes = await types(csv);
    const pqTypes = await types(pq);
    for (const name of Object.keys(csvTypes).filter((n) => /^(run_id|point_id|replicate|seed|runs|failed|\w+_n)$/.test(n))) expect([name, csvTypes[name], pqTypes[name]]).toEqual([name, 'BIGINT', 'BIGINT']);
    expect((await query(`SELECT count(*) AS n FROM ${csv}`)).rows[0]!.n).toBeGreaterThan(0);
    expect((await query(`SELECT * FROM ${csv} EXCEPT SELECT * FROM ${pq}`)).rows).toEqual([]);
    expect((await query(`SELECT * FROM ${pq} EXCEPT SELECT * FROM ${csv}`)).rows).toEqual([]);
  });

  it('runs the documented query: the mean per point equals summary.csv’s (and summary.parquet’s) mean', async () => {
    const doc = /duckdb\.sql\("([^"]+)"\)/.exec(readFileSync(join(ROOT, 'docs', 'sweeps.md'), 'utf8'));
    expect(doc).not.toBeNull();
    const { rows } = await query(`${doc![1]!.replace("'out/band-vs-gas/", `'${out}/`)} ORDER BY 1`);
    const [header = [], ...cells] = csvRows(read(out, 'summary.csv'));
    const mean = header.indexOf('hedge_edge_mean');
    expect(rows.map((r) => r.point_id)).toEqual(cells.map((c) => BigInt(c[0]!)));
    rows.forEach((r, i) => expect(r['avg(hedge_edge)'] as number).toBeCloseTo(Number(cells[i]![mean]), 9));
    const pq = await query(`SELECT point_id, hedge_edge_mean FROM '${out}/summary.parquet' ORDER BY 1`);
    expect(pq.rows.map((r) => r.hedge_edge_mean)).toEqual(cells.map((c) => Number(c[mean])));
  });
});
