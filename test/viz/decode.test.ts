/**
 * The report data round trip: what cli/report-data.ts writes into report.html is what the viewer
 * reads back, value for value (NaN included), and a damaged copy fails with a message in words.
 */
import { describe, expect, it } from 'vitest';
import { encodeColumn, ReportCollector } from '../../cli/report-data';
import { decodeColumn } from '../../viz/data/base64';
import { decodeReport } from '../../viz/data/decode';
import type { TxRecord } from '../../sim/record';
import { MEV_CAP } from '../../viz/data/format';
import { MEV_COLUMNS } from '../../viz/data/mev';

const summary = { scenario: 'tiny', seed: 1, blocks: 3, agents: [{ id: 'lp', kind: 'lp', pnl: { total: 1 }, txs: { included: 1, reverted: 0 } }], venues: [{ id: 'pool', kind: 'cpmm', tokens: ['ETH', 'USD'] }] };

const tx: TxRecord = {
  format: 3,
  id: 4,
  block: 2,
  position: 0,
  agent: 'lp',
  tag: 'liquidity',
  status: 'included',
  revert: null,
  private: false,
  bundle: null,
  victim: null,
  arrivalTime: 13.5,
  gasUsed: 150000,
  priorityFee: 1.25,
  effectivePriorityFee: 1.25,
  baseFee: 2,
  gasCostUsd: 0.8,
  calls: [{ venue: 'pool', op: 'addLiquidity', side: 0, a: 1, b: 2500, boundA: 0, boundB: 0, outA: 50, outB: 1, outC: 2500 }],
  target: null,
  assetChanges: [
    { token: 'ETH', amount: -1.0001, usd: -2500.25 },
    { token: 'USD', amount: -2500, usd: -2500 },
    { token: 'LP-pool', amount: 50, usd: 4999.5 },
  ],
};

function collected(): ReportCollector {
  const c = new ReportCollector();
  c.blocksHeader(['block', 'time', 'gas_used', 'pool_price', 'triad_price']);
  c.block([1, 12, 0, 2500.123456789, NaN]);
  c.block([2, 24, 150000, 2499.5, 1.0000000000000002]);
  c.block([3, 36, 21000, 1e-300, 3]);
  c.pnlHeader(['block', 'time', 'agent', 'total']);
  c.pnl([3, 36, 'lp', 1]);
  c.recordsTransactions();
  c.transaction(tx);
  c.candidates({ block: 1, txs: [] });
  c.candidates({ block: 2, txs: [{ id: 4, agent: 'lp', tag: 'liquidity', priorityFee: 1.25, maxFee: 5, arrivalTime: 13.5, private: false, bundle: null }] });
  return c;
}

describe('block columns', () => {
  it.each([
    [[1, 2, 3, 4], 'linear'],
    [[7, 7, 7], 'linear'],
    [[0, 150000, 21000], 'int32'],
    [[0, 3, 255, 0], 'uint8'],
    [[0, 3, 256, 0], 'int32'],
    [[0, -1, 2], 'int32'],
    [[-5, 2147483647, -2147483648], 'int32'],
    [[2147483648, 1, 2], 'float64'],
    [[0.1, 0.2, 0.30000000000000004], 'linear'],
    [[0.1, 0.2, 0.3], 'float64'],
    [[1, NaN, 3], 'float64'],
    [[0, -0, 1], 'float64'],
    [[], 'linear'],
  ] as const)('%o is stored as %s and read back exactly', (values, kind) => {
    const enc = encodeColumn(values as unknown as number[]);
    expect(Object.keys(enc)).toEqual([kind]);
    const back = decodeColumn(enc, values.length, 'c');
    expect([...back].map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual(values.map((v) => (Object.is(v, -0) ? '-0' : v)));
  });
});

describe('decodeReport', () => {
  it('reads back what the collector wrote: blocks, pnl, transactions, candidates (empty blocks left out)', () => {
    const data = decodeReport(JSON.stringify(collected().data(summary)));
    expect(data.summary.scenario).toBe('tiny');
    expect(data.blocks!.columns).toEqual(['block', 'time', 'gas_used', 'pool_price', 'triad_price']);
    expect([...data.blocks!.data[3]!]).toEqual([2500.123456789, 2499.5, 1e-300]);
    expect([...data.blocks!.data[4]!]).toEqual([NaN, 1.0000000000000002, 3]);
    expect(data.pnl!.rows).toEqual([[3, 36, 'lp', 1]]);
    // The page has its own format version; the log line's `format` is not repeated in each row.
    const { format: _format, ...row } = tx;
    expect(data.transactions).toEqual([row]);
    expect(data.candidates).toEqual([{ block: 2, txs: [{ id: 4, agent: 'lp', tag: 'liquidity', priorityFee: 1.25, maxFee: 5, arrivalTime: 13.5, private: false, bundle: null }] }]);
  });

  it('keeps the MEV totals of every row and the largest rows first, up to the cap', () => {
    const c = collected();
    c.recordsMev();
    // block, bundle, tx, kind, searcher, victim, victim_tx, loss, gross, swap fees, base fee, builder, net
    const rows: (string | number)[][] = [];
    for (let i = 0; i < MEV_CAP + 5; i++) rows.push([i + 1, i + 10, 2 * i, 'sandwich', i % 2 === 0 ? 'sb' : 'sc', 'noise', 2 * i + 1, 0.5 * i, i, 0.1, 0.2, 0.3, i - 0.6]);
    rows.push([9, '', 77, 'push', 'adv', 'hedger', '', 0, -5, 0, 0.01, 0.02, -5.03]);
    for (const r of rows) c.mev(r);
    const data = decodeReport(JSON.stringify(c.data(summary)));
    const m = data.mev!;
    expect(m.count).toBe(rows.length);
    expect(m.rows).toHaveLength(MEV_CAP);
    // Largest first: the last sandwich row is the largest.
    expect(m.rows[0]!.tx).toBe(2 * (MEV_CAP + 4));
    expect(m.rows.some((r) => r.kind === 'push')).toBe(false);
    const sum = (who: string, col: 'gross_usd' | 'net_usd' | 'victim_loss_usd'): number => rows.filter((r) => r[4] === who).reduce((s, r) => s + (r[MEV_COLUMNS.indexOf(col)] as number), 0);
    for (const who of ['sb', 'sc', 'adv']) {
      expect(m.totals.bySearcher[who]!.gross_usd).toBeCloseTo(sum(who, 'gross_usd'), 9);
      expect(m.totals.bySearcher[who]!.net_usd).toBeCloseTo(sum(who, 'net_usd'), 9);
    }
    expect(m.totals.byVictim['hedger']!.events).toBe(1);
    expect(m.totals.byVictim['noise']!.victim_loss_usd).toBeCloseTo(sum('sb', 'victim_loss_usd') + sum('sc', 'victim_loss_usd'), 9);
    // A lone transaction's bundle and victim transaction are empty, not 0.
    expect(m.rows.every((r) => r.bundle !== null)).toBe(true);
  });

  it('without --record full, transactions and candidates are null', () => {
    const c = new ReportCollector();
    const data = decodeReport(JSON.stringify(c.data(summary)));
    expect(data.blocks).toBeNull();
    expect(data.transactions).toBeNull();
    expect(data.candidates).toBeNull();
  });

  const good = JSON.stringify(collected().data(summary));
  it.each([
    ['', /no data/],
    [good.slice(0, Math.floor(good.length / 2)), /malformed or truncated/],
    ['{"format":"something-else"}', /not a hedgesim report/],
    [good.replace('"version":4', '"version":3'), /version 3/],
    [good.replace('"scenario":"tiny"', '"scenario":7'), /no scenario name/],
    [good.replace(/"float64":"[A-Za-z0-9+/]{8}/, '"float64":"'), /'pool_price' holds \d+ values instead of 3/],
    [good.replace('"length":3', '"length":4'), /instead of 4/],
    [good.replace('"columns":["block","time","agent","total"]', '"columns":["block","time","agent","total","x"]'), /P&L row 1 does not have 5 values/],
  ])('a damaged report fails with a message: case %#', (text, message) => {
    expect(() => decodeReport(text)).toThrow(message);
  });
});

describe('a long run reduced to bounded data', () => {
  // 1,000 blocks in 10 buckets of 100; every 7th block has transactions (1–3), one of them reverted.
  const limits = { fullBlocks: 100, columns: 10, detailPerColumn: 2, maxTransactions: 1000, maxCandidates: 5 };
  const columns = ['block', 'time', 'base_fee_gwei', 'gas_used', 'tx_count', 'reverted', 'pool_price'];
  const n = 1000;
  const txsIn = (b: number): number => (b % 7 === 0 ? 1 + (b % 3) : 0);
  const row = (b: number): number[] => [b, 2 * b, 0.05 + 0.01 * Math.sin(b / 9), txsIn(b) * 110_000, txsIn(b), b % 14 === 0 ? 1 : 0, 2500 + 40 * Math.sin(b / 13) + ((b * 7919) % 17)];
  let id = 0;
  function feed(full: boolean): ReportCollector {
    const c = new ReportCollector(n, limits);
    c.blocksHeader(columns);
    if (full) c.recordsTransactions();
    for (let b = 1; b <= n; b++) {
      if (full) {
        const ids = Array.from({ length: txsIn(b) }, () => ++id);
        c.candidates({ block: b, txs: ids.map((i) => ({ id: i, agent: 'lp', tag: 'noise', priorityFee: 1, maxFee: 5, arrivalTime: 2 * b - 1, private: false, bundle: null })) });
        ids.forEach((i, k) => c.transaction({ ...tx, id: i, block: b, position: k }));
      }
      c.block(row(b));
    }
    return c;
  }

  it('keeps, per bucket, the first and last rows, each column’s lowest and highest value and the busy blocks’ whole rows — no more', () => {
    const data = decodeReport(JSON.stringify(feed(false).data(summary)));
    const t = data.blocks!;
    const col = (name: string): Float64Array => t.data[t.columns.indexOf(name)]!;
    const x = col('block');
    expect(t.length).toBeLessThanOrEqual(10 * (4 + 2 * 2));
    expect([...x]).toEqual([...x].sort((a, b) => a - b));
    expect(data.reduced).toEqual({ blocks: 1000, buckets: 10, blocksPerBucket: 100, detailBlocks: 20 });
    for (let k = 0; k < 10; k++) {
      const inBucket = [...x.keys()].filter((i) => x[i]! >= 100 * k + 1 && x[i]! <= 100 * k + 100);
      for (const name of ['base_fee_gwei', 'gas_used', 'pool_price']) {
        const j = columns.indexOf(name);
        const truth = Array.from({ length: 100 }, (_, i) => row(100 * k + 1 + i)[j]!);
        const kept = inBucket.map((i) => col(name)[i]!);
        expect([Math.min(...kept), Math.max(...kept)]).toEqual([Math.min(...truth), Math.max(...truth)]);
      }
      // The first and last blocks of the bucket are there, and the first two busy blocks (with the block before each).
      const busy = Array.from({ length: 100 }, (_, i) => 100 * k + 1 + i).filter((b) => txsIn(b) > 0).slice(0, 2);
      const whole = [100 * k + 1, 100 * k + 100, ...busy, ...busy.map((b) => b - 1)].filter((b) => b > 100 * k);
      expect(inBucket.map((i) => x[i]!).filter(Number.isInteger).sort((a, b) => a - b)).toEqual([...new Set(whole)].sort((a, b) => a - b));
    }
    // A row at a whole block number is that block's row, value for value; the others are not blocks.
    for (let i = 0; i < t.length; i++) {
      if (Number.isInteger(x[i]!)) expect(t.data.map((d) => d[i]!)).toEqual(row(x[i]!));
      else expect(x[i]! % 1).toBe(0.5);
    }
    // The counts add up to the run's: every transaction has its marker.
    const total = (name: string): number => col(name).reduce((s, v) => s + v, 0);
    expect(total('tx_count')).toBe(Array.from({ length: n }, (_, i) => txsIn(i + 1)).reduce((s, v) => s + v, 0));
    expect(total('reverted')).toBe(Math.floor(n / 14));
  });

  it('at --record full keeps the kept blocks’ transactions and mempools whole, and nothing of the other blocks', () => {
    const data = decodeReport(JSON.stringify(feed(true).data(summary)));
    const kept = new Set(data.transactions!.map((t) => t.block));
    expect(kept.size).toBe(20);
    for (const b of kept) expect(data.transactions!.filter((t) => t.block === b)).toHaveLength(txsIn(b));
    expect(data.candidates!.map((c) => c.block)).toEqual([...kept]);
    const x = data.blocks!.data[0]!;
    for (const b of kept) expect([...x]).toContain(b);
    expect(data.reduced).toMatchObject({ transactions: [...Array(n).keys()].reduce((s, i) => s + txsIn(i + 1), 0), transactionsKept: data.transactions!.length });
  });

  it('keeps a run of at most fullBlocks blocks whole', () => {
    const c = new ReportCollector(100, limits);
    c.blocksHeader(columns);
    for (let b = 1; b <= 100; b++) c.block(row(b));
    const data = decodeReport(JSON.stringify(c.data(summary)));
    expect(data.blocks!.length).toBe(100);
    expect(data.reduced).toBeUndefined();
  });
});
