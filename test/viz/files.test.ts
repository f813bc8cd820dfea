import { describe, expect, it } from 'vitest';
import { parseBlocksCsv, parseCandidates, parsePnlCsv, parseTransactions } from '../../viz/data/files';

describe('output files read by the served viewer', () => {
  it('blocks.csv: quoted header names, numbers, empty cells as NaN', () => {
    const t = parseBlocksCsv('block,triad_price,"pnl_a,b"\n1,,3.5\n2,1e-7,-4\n');
    expect(t.columns).toEqual(['block', 'triad_price', 'pnl_a,b']);
    expect(t.length).toBe(2);
    expect([...t.data[1]!]).toEqual([NaN, 1e-7]);
    expect([...t.data[2]!]).toEqual([3.5, -4]);
  });

  it('blocks.csv: a truncated last line or a non-number is reported with its line', () => {
    expect(() => parseBlocksCsv('block,x\n1,2\n2')).toThrow(/line 3 has 1 values instead of 2 \(is the file truncated\?\)/);
    expect(() => parseBlocksCsv('block,x\n1,abc\n')).toThrow(/line 2, column 'x': 'abc' is not a number/);
  });

  it('pnl.csv keeps agent ids as text', () => {
    const t = parsePnlCsv('block,time,agent,total\n10,120,"a-1",5\n10,120,007,-1\n');
    expect(t.rows).toEqual([
      [10, 120, 'a-1', 5],
      [10, 120, '007', -1],
    ]);
  });

  it('transactions.jsonl and mempool.jsonl: one record a line; a broken line names file and line', () => {
    const line = JSON.stringify({ id: 1, block: 1, position: 0, agent: 'a', tag: 'noise', calls: [] });
    expect(parseTransactions(`${line}\n${line}\n`)).toHaveLength(2);
    expect(() => parseTransactions(`${line}\n${line.slice(0, 20)}`)).toThrow('transactions.jsonl: line 2 is not valid JSON (is the file truncated?)');
    expect(parseCandidates('{"block":1,"txs":[]}\n{"block":2,"txs":[{"id":1}]}\n')).toEqual([{ block: 2, txs: [{ id: 1 }] }]);
    expect(() => parseCandidates('{"block":1}\n')).toThrow('mempool.jsonl: line 1 is not a mempool record');
  });
});
