/**
 * The output files are readable as documented: blocks.csv (header, one numeric row per block),
 * transactions.jsonl (one record per line, consistent with the summary and the blocks), summary.json
 * (fields, decomposition), report.html (self-contained, its data the CSV's) — and docs/outputs.md
 * names every field the files hold.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import { simulate } from '../../sim/simulation';
import { REVERT_NAMES } from '../../sim/tx';
import { MEV_COLUMNS } from '../../sim/record';
import { decodeReport } from '../../viz/data/decode';
import { hedgesim, MINIMAL, read, readJson, ROOT, tempDirs } from './helpers';

const temp = tempDirs();
const docs = readFileSync(join(ROOT, 'docs', 'outputs.md'), 'utf8');
const documented = (name: string): boolean => docs.includes(`\`${name}\``);

interface Agent {
  id: string;
  kind: string;
  pnl: Record<string, number>;
  initialValue: number;
  finalValue: number;
  txs: { sent: number; included: number; reverted: number; dropped: number };
  gasPaid: { baseUsd: number; priorityUsd: number };
  metrics: Record<string, number>;
}
interface Summary {
  blocks: number;
  invariantsChecked: boolean;
  conservation: { tolerance: number; withinTolerance: boolean; worstGap: number; worstToken: string; tokens: Record<string, number> };
  agents: Agent[];
  venues: { id: string; reserves: [number, number] }[];
  builder: { priorityFeesUsd: number };
}
interface Tx {
  format: number;
  id: number;
  block: number;
  agent: string;
  tag: string;
  status: string;
  revert: string | null;
  gasCostUsd: number;
  calls: Record<string, unknown>[];
}

let dir: string;
let summary: Summary;
let header: string[];
let rows: number[][];
let txs: Tx[];
beforeAll(() => {
  dir = join(temp(), 'o');
  const r = hedgesim(['run', MINIMAL, '--out', dir, '--record', 'full', '-q']);
  expect(r.code).toBe(0);
  summary = readJson<Summary>(dir, 'summary.json');
  const lines = read(dir, 'blocks.csv').split('\n');
  expect(lines.pop()).toBe('');
  header = lines[0]!.split(',');
  rows = lines.slice(1).map((l) => l.split(',').map((c) => (c === '' ? NaN : Number(c))));
  txs = read(dir, 'transactions.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l) as Tx);
});
const col = (name: string): number[] => rows.map((r) => r[header.indexOf(name)]!);

describe('blocks.csv', () => {
  it('has the documented header and one row per block (blocks + 1 lines)', () => {
    expect(header).toEqual(['block', 'time', 'base_fee_gwei', 'gas_used', 'background_gas', 'tx_count', 'reverted', 'rebalance_txs', 'sandwich_txs', 'arbitrage_txs', 'push_txs', 'reversal_txs', 'lp_entry_txs', 'lp_exit_txs', 'forge_txs', 'dropped', 'cex_fills', 'ref_ETH', 'pool_price', 'pool_reserve0', 'pool_reserve1', 'pnl_lp', 'pnl_noise', 'pnl_arb']);
    expect(summary.blocks).toBe(7200);
    expect(rows).toHaveLength(summary.blocks);
    expect(read(dir, 'blocks.csv').split('\n')).toHaveLength(summary.blocks + 2); // header, rows, final newline
  });

  it('holds only finite numbers, as many as columns in every row', () => {
    for (const row of rows) {
      expect(row).toHaveLength(header.length);
      expect(row.every(Number.isFinite)).toBe(true);
    }
  });

  it('numbers blocks from 1, at 12 s each, built at the fixed 2 gwei base fee', () => {
    expect(col('block')).toEqual(rows.map((_, i) => i + 1));
    expect(col('time')).toEqual(rows.map((_, i) => 12 * (i + 1)));
    expect(new Set(col('base_fee_gwei'))).toEqual(new Set([2]));
    expect(col('reverted').every((n, i) => n <= col('tx_count')[i]!)).toBe(true);
  });

  it('ends on the state in summary.json: reserves and each agent’s total P&L', () => {
    const last = rows.at(-1)!;
    const pool = summary.venues.find((v) => v.id === 'pool')!;
    expect([last[header.indexOf('pool_reserve0')], last[header.indexOf('pool_reserve1')]]).toEqual(pool.reserves);
    for (const a of summary.agents) expect(last[header.indexOf(`pnl_${a.id}`)]).toBeCloseTo(a.pnl.total!, 6);
  });
});

describe('transactions.jsonl', () => {
  it('holds one self-describing record per line, with the documented fields', () => {
    const fields = ['format', 'id', 'block', 'position', 'agent', 'tag', 'status', 'revert', 'private', 'bundle', 'victim', 'target', 'arrivalTime', 'gasUsed', 'priorityFee', 'effectivePriorityFee', 'baseFee', 'gasCostUsd', 'calls', 'assetChanges'];
    const callFields = ['venue', 'op', 'side', 'a', 'b', 'boundA', 'boundB', 'outA', 'outB', 'outC'];
    expect(txs.length).toBeGreaterThan(1000);
    for (const tx of txs) {
      expect(Object.keys(tx)).toEqual(fields);
      for (const c of tx.calls) expect(Object.keys(c)).toEqual(callFields);
    }
    expect(new Set(txs.map((t) => t.id)).size).toBe(txs.length);
  });

  it('uses the documented statuses and revert names: null exactly when included', () => {
    for (const tx of txs) {
      expect(['included', 'reverted', 'dropped']).toContain(tx.status);
      if (tx.status === 'included') expect(tx.revert).toBeNull();
      else expect(REVERT_NAMES.slice(1)).toContain(tx.revert);
    }
    expect(txs.some((t) => t.status === 'reverted')).toBe(true);
  });

  it('starts with the genesis deposit in block 0, then lists transactions of blocks 1…', () => {
    expect(txs[0]).toMatchObject({ block: 0, agent: 'lp', tag: 'liquidity', status: 'included', gasUsed: 0, calls: [{ venue: 'pool', op: 'addLiquidity', a: 1000, b: 2_500_000 }] });
    expect(txs.slice(1).every((t) => t.block >= 1 || t.status === 'dropped')).toBe(true);
    expect(new Set(txs.map((t) => t.tag))).toEqual(new Set(['liquidity', 'noise', 'arbitrage']));
  });

  it('agrees with blocks.csv: the transactions of each block, and its reverted ones', () => {
    const count = new Array<number>(summary.blocks + 1).fill(0);
    const reverted = new Array<number>(summary.blocks + 1).fill(0);
    for (const t of txs) {
      if (t.block < 1) continue;
      count[t.block]!++;
      if (t.status === 'reverted') reverted[t.block]!++;
    }
    expect(col('tx_count')).toEqual(count.slice(1));
    expect(col('reverted')).toEqual(reverted.slice(1));
  });

  it('agrees with blocks.csv: each block’s rebalances, sandwich legs and arbitrage that did not revert', () => {
    const kinds: Record<string, string> = { rebalance: 'rebalance_txs', 'sandwich-front': 'sandwich_txs', 'sandwich-back': 'sandwich_txs', arbitrage: 'arbitrage_txs', backrun: 'arbitrage_txs' };
    const counts = Object.fromEntries(['rebalance_txs', 'sandwich_txs', 'arbitrage_txs'].map((c) => [c, new Array<number>(summary.blocks).fill(0)]));
    for (const t of txs) {
      const c = kinds[t.tag];
      if (t.block >= 1 && t.status === 'included' && c !== undefined) counts[c]![t.block - 1]!++;
    }
    for (const [c, expected] of Object.entries(counts)) expect(col(c), c).toEqual(expected);
    // minimal.yaml has arbitrageurs only: the other two are all zero, so this one must not be.
    expect(col('arbitrage_txs').reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
  });

  it('agrees with summary.json: each agent’s transaction counts and gas paid', () => {
    for (const a of summary.agents) {
      const mine = txs.filter((t) => t.agent === a.id);
      const landed = mine.filter((t) => t.status !== 'dropped');
      expect([landed.length, mine.filter((t) => t.status === 'reverted').length, mine.length - landed.length]).toEqual([a.txs.included, a.txs.reverted, a.txs.dropped]);
      const gas = mine.reduce((s, t) => s + t.gasCostUsd, 0);
      expect(gas).toBeCloseTo(a.gasPaid.baseUsd + a.gasPaid.priorityUsd, 6);
    }
  });
});

describe('summary.json', () => {
  it('has the documented top-level fields', () => {
    expect(Object.keys(readJson(dir, 'summary.json'))).toEqual(['format', 'scenario', 'scenarioHash', 'seed', 'blocks', 'simulatedSeconds', 'agents', 'venues', 'builder', 'finalBaseFee', 'chain', 'prices', 'invariantsChecked', 'conservation', 'measureFrom', 'mev', 'warnings', 'transfers']);
    expect(readJson(dir, 'summary.json').format).toBe('hedgesim.summary/3');
  });

  it('holds the end-of-run conservation check: a gap per token of the run (LP shares too), all within the tolerance, the worst named', () => {
    // minimal.yaml runs without checkInvariants: the end-of-run check is made anyway.
    expect(summary.invariantsChecked).toBe(false);
    const c = summary.conservation;
    expect(Object.keys(c)).toEqual(['tolerance', 'withinTolerance', 'worstGap', 'worstToken', 'tokens']);
    expect([c.tolerance, c.withinTolerance]).toEqual([1e-9, true]);
    expect(Object.keys(c.tokens)).toEqual(['ETH', 'USD', 'LP-pool']);
    for (const gap of Object.values(c.tokens)) expect(gap >= 0 && gap <= c.tolerance, String(gap)).toBe(true);
    expect(c.worstGap).toBe(Math.max(...Object.values(c.tokens)));
    expect(c.tokens[c.worstToken]).toBe(c.worstGap);
  });

  it('decomposes every P&L into parts that sum to its total, the total being final − initial value, and edge = total − hold', () => {
    for (const a of summary.agents) {
      expect(Object.keys(a.pnl)).toEqual(['total', 'edge', 'hold', 'trading', 'fees', 'lvr', 'swapFees', 'gas', 'cex', 'mev', 'options']);
      const { total, edge, ...parts } = a.pnl;
      const sum = Object.values(parts).reduce((s, x) => s + x!, 0);
      expect(Math.abs(sum - total!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(total!)));
      expect(Math.abs(edge! - (total! - a.pnl.hold!))).toBeLessThan(1e-6 * Math.max(1, Math.abs(total!)));
      expect(total).toBeCloseTo(a.finalValue - a.initialValue, 6);
      expect(a.pnl.gas).toBeCloseTo(-(a.gasPaid.baseUsd + a.gasPaid.priorityUsd), 9);
    }
  });

  it('pays the builder the agents’ priority fees', () => {
    const paid = summary.agents.reduce((s, a) => s + a.gasPaid.priorityUsd, 0);
    expect(summary.builder.priorityFeesUsd).toBeCloseTo(paid, 6);
  });
});

describe('report.html', () => {
  it('is one self-contained page whose data is the summary, blocks.csv column by column, pnl.csv and the logs', () => {
    const html = read(dir, 'report.html');
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<title>hedgesim — minimal</title>');
    expect(html).not.toMatch(/<(link|img|iframe)\b|\bsrc=|https?:\/\/(?!www\.w3\.org)/);
    const json = /<script type="application\/json" id="hedgesim-data">(.*?)<\/script>/s.exec(html)![1]!;
    const raw = JSON.parse(json) as { format: string; version: number; blocks: { data: Record<string, unknown>[] } };
    expect(raw.format).toBe('hedgesim-report');
    expect(raw.version).toBe(4);
    // Block numbers, times, the fixed base fee and counts that stay 0 (no hedger, no searcher) are
    // linear sequences; gas is int32; the other counts, all under 256, uint8.
    const kindOf = (name: string): string => Object.keys(raw.blocks.data[header.indexOf(name)]!)[0]!;
    expect(['block', 'time', 'base_fee_gwei', 'rebalance_txs', 'sandwich_txs'].map(kindOf)).toEqual(['linear', 'linear', 'linear', 'linear', 'linear']);
    expect(['gas_used', 'tx_count', 'reverted', 'arbitrage_txs', 'pool_price'].map(kindOf)).toEqual(['int32', 'uint8', 'uint8', 'uint8', 'float64']);
    const data = decodeReport(json);
    expect(data.summary).toEqual(summary);
    expect(data.blocks!.columns).toEqual(header);
    expect(data.blocks!.length).toBe(7200);
    // Column j of the page is column j of the CSV, row for row, to the last digit.
    header.forEach((_, j) => expect([...data.blocks!.data[j]!], header[j]).toEqual(rows.map((r) => r[j])));
    expect(data.pnl!.columns.slice(0, 3)).toEqual(['block', 'time', 'agent']);
    expect(data.pnl!.rows).toHaveLength(read(dir, 'pnl.csv').trimEnd().split('\n').length - 1);
    // The page has its own format version; the log line's `format` is not repeated in each row.
    expect(data.transactions).toEqual(txs.map(({ format: _format, ...t }) => t));
    const mempool = read(dir, 'mempool.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l) as { txs: unknown[] });
    expect(data.candidates).toEqual(mempool.filter((c) => c.txs.length > 0));
  });

  it('is smaller than the CSV and logs it holds', () => {
    const size = (name: string): number => read(dir, name).length;
    expect(size('report.html')).toBeLessThan(size('blocks.csv') + size('pnl.csv') + size('transactions.jsonl') + size('mempool.jsonl'));
  });
});

describe('transfers.csv and transfers-blocks.csv', () => {
  const parse = (name: string): { header: string[]; rows: string[][] } => {
    const [h, ...body] = read(dir, name).trimEnd().split('\n');
    return { header: h!.split(','), rows: body.map((l) => l.split(',')) };
  };

  it('have the documented columns, positive amounts, and the per-block rows sum to the whole run', () => {
    const whole = parse('transfers.csv');
    const blocks = parse('transfers-blocks.csv');
    expect(whole.header).toEqual(['from', 'to', 'venue', 'kind', 'usd']);
    expect(blocks.header).toEqual(['block', 'from', 'to', 'venue', 'kind', 'usd']);
    for (const c of [...blocks.header]) expect(documented(c), c).toBe(true);
    expect(whole.rows.length).toBeGreaterThan(0);
    expect(blocks.rows.length).toBeGreaterThan(whole.rows.length);
    const sums = new Map<string, number>();
    for (const [, from, to, venue, kind, usd] of blocks.rows) {
      expect(Number(usd)).toBeGreaterThan(0);
      const forward = `${from},${to},${venue},${kind}`;
      const back = `${to},${from},${venue},${kind}`;
      if (sums.has(back)) sums.set(back, sums.get(back)! - Number(usd));
      else sums.set(forward, (sums.get(forward) ?? 0) + Number(usd));
    }
    for (const [from, to, venue, kind, usd] of whole.rows) {
      const x = sums.get(`${from},${to},${venue},${kind}`) ?? -(sums.get(`${to},${from},${venue},${kind}`) ?? 0);
      expect(Math.abs(x - Number(usd)), `${from} → ${to} ${venue} ${kind}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Number(usd)));
    }
    // The gas the agents paid is the builder's and the burn's, as summary.json says.
    const gasTo = (party: string): number => whole.rows.filter((r) => r[1] === party && r[3] === 'gas').reduce((s, r) => s + Number(r[4]), 0);
    expect(gasTo('builder')).toBeCloseTo(summary.builder.priorityFeesUsd, 6);
  });
});

describe('docs/outputs.md', () => {
  it('documents every field of summary.json, including the metrics of every agent kind present', () => {
    const missing: string[] = [];
    const walk = (value: unknown, path: string): void => {
      if (Array.isArray(value)) return value.forEach((v) => walk(v, path));
      if (value === null || typeof value !== 'object') return;
      for (const [key, v] of Object.entries(value)) {
        if (!documented(key) && !docs.includes(`\`${key}.`) && !documented(`${path}.${key}`)) missing.push(`${path}.${key}`);
        // Keys of these maps are token, asset and party names, not fields.
        if (!['balances', 'cexBalances', 'prices', 'tokens', 'byCounterparty'].includes(key)) walk(v, key);
      }
    };
    walk(readJson(dir, 'summary.json'), '');
    expect(missing).toEqual([]);
  });

  it('documents every field of run.json, every blocks.csv column and every transaction field', () => {
    for (const key of Object.keys(readJson(dir, 'run.json'))) expect(documented(key), key).toBe(true);
    expect(docs).toContain(header.join(','));
    for (const c of ['block', 'time', 'base_fee_gwei', 'gas_used', 'background_gas', 'tx_count', 'reverted', 'rebalance_txs', 'sandwich_txs', 'arbitrage_txs', 'push_txs', 'reversal_txs', 'lp_entry_txs', 'lp_exit_txs', 'forge_txs', 'dropped', 'cex_fills', 'ref_<asset>', '<pool>_price', '<pool>_reserve0', '<triad>_supply_unit', '<triad>_supply_reciprocal', 'pnl_<agent>']) expect(documented(c), c).toBe(true);
    for (const key of [...Object.keys(txs[0]!), ...Object.keys(txs[0]!.calls[0]!)]) expect(documented(key), key).toBe(true);
    // mev.csv: written at every level (minimal.yaml has no MEV: its header alone), each column documented.
    const mevHeader = read(dir, 'mev.csv').trimEnd().split('\n');
    expect(mevHeader).toEqual([[...MEV_COLUMNS].join(',')]);
    for (const c of MEV_COLUMNS) expect(documented(c), c).toBe(true);
  });

  it('documents the metrics of every agent kind', () => {
    // Runs with every kind: the hedger fixture (LP, tracker, the three hedgers with an option, a
    // searcher with every strategy) and minimal.yaml (noise, arbitrageur); scripted agents report none.
    const metrics = new Map<string, Set<string>>();
    for (const file of [join(ROOT, 'test', 'scenarios', 'fixtures', 'hedgers.yaml'), MINIMAL]) {
      const loaded = loadScenarioFile(file);
      for (const a of simulate(buildConfig(loaded.scenario, loaded.baseDir)).agents) {
        const names = metrics.get(a.kind) ?? new Set<string>();
        for (const m of Object.keys(a.metrics)) names.add(m.replace(/\[\d+\]$/, ''));
        metrics.set(a.kind, names);
      }
    }
    expect([...metrics.keys()].sort()).toEqual(['arbitrageur', 'delta-hedger', 'lp', 'noise', 'rebalancing-hedger', 'searcher', 'static-hedger', 'tracker']);
    const table = docs.slice(docs.indexOf('### `agents[].metrics` by kind'), docs.indexOf('### `venues[]`'));
    for (const [kind, names] of metrics) {
      expect(table, kind).toContain(`\`${kind}\``);
      for (const m of names) expect(table.includes(`\`${m}\``), `${kind} metric ${m}`).toBe(true);
    }
    expect(metrics.get('delta-hedger')).toContain('gammaSlippageUsd');
    expect(metrics.get('searcher')).toContain('adversaryCaught');
  });

  it('documents every revert name, status and tag', () => {
    for (const name of [...REVERT_NAMES, 'included', 'reverted', 'dropped', 'liquidity', 'noise', 'arbitrage', 'track', 'rebalance', 'sandwich-front', 'sandwich-back', 'backrun', 'adversary-push', 'adversary-reversal', 'genesis']) {
      expect(documented(name), name).toBe(true);
    }
  });

  it('documents every P&L line and the exit codes', () => {
    for (const part of ['total', 'edge', 'hold', 'trading', 'fees', 'lvr', 'swapFees', 'gas', 'cex', 'mev', 'options']) expect(docs).toMatch(new RegExp(`\\| \`${part}\` \\|`));
    for (const code of ['| 0 |', '| 2 |', '| 3 |']) expect(docs).toContain(code);
  });
});
