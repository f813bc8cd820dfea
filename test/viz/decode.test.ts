/**
 * The report data round trip: what cli/report-data.ts writes into report.html is what the viewer
 * reads back, value for value (NaN included), and a damaged copy fails with a message in words.
 */
import { describe, expect, it } from 'vitest';
import { encodeColumn, ReportCollector } from '../../cli/report-data';
import { decodeColumn } from '../../viz/data/base64';
import { decodeReport } from '../../viz/data/decode';
import type { TxRecord } from '../../sim/record';

const summary = { scenario: 'tiny', seed: 1, blocks: 3, agents: [{ id: 'lp', kind: 'lp', pnl: { total: 1 }, txs: { included: 1, reverted: 0 } }], venues: [{ id: 'pool', kind: 'cpmm', tokens: ['ETH', 'USD'] }] };

const tx: TxRecord = {
  format: 2,
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
    [good.replace('"version":3', '"version":2'), /version 2/],
    [good.replace('"scenario":"tiny"', '"scenario":7'), /no scenario name/],
    [good.replace(/"float64":"[A-Za-z0-9+/]{8}/, '"float64":"'), /'pool_price' holds \d+ values instead of 3/],
    [good.replace('"length":3', '"length":4'), /instead of 4/],
    [good.replace('"columns":["block","time","agent","total"]', '"columns":["block","time","agent","total","x"]'), /P&L row 1 does not have 5 values/],
  ])('a damaged report fails with a message: case %#', (text, message) => {
    expect(() => decodeReport(text)).toThrow(message);
  });
});
