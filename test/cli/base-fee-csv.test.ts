/**
 * A bad base fee file (`chain.baseFee.mode: csv`) through the CLI: exit 2, the problem located as
 * file:line:col: field: what is allowed, on stderr, and nothing written (the folder, a previous
 * run's output included, is unchanged). TINY runs 50 blocks of 12 s.
 */
import { describe, expect, it } from 'vitest';
import { edit, hedgesim, snapshot, tempDirs } from './helpers';

const temp = tempDirs();
const PREV = { 'prev/summary.json': '{ "previous": true }\n', 'prev/blocks.csv': 'block\n1\n' };
const REPLAY = (extra = '') => edit('baseFee: { initial: 2, mode: fixed }', `baseFee: { mode: csv, file: fees.csv${extra} }`);
const BLOCKS = (rows: string) => `block,baseFee\n${rows}`;
const fifty = (from: number) => Array.from({ length: 50 }, (_, i) => `${from + i},${1 + i / 10}`).join('\n') + '\n';

const cases: { name: string; files: Record<string, string>; lines: string[] }[] = [
  { name: 'a base fee that is not a number', files: { 's.yaml': REPLAY(), 'fees.csv': BLOCKS('1,2\n2,abc\n3,4\n') }, lines: ["fees.csv:3:3: chain.baseFee: base fee must be a number of gwei in [0, 1000000000000000], found 'abc'"] },
  { name: 'a negative base fee', files: { 's.yaml': REPLAY(), 'fees.csv': BLOCKS(fifty(1).replace('7,1.6', '7,-1.6')) }, lines: ["fees.csv:8:3: chain.baseFee: base fee must be a number of gwei in [0, 1000000000000000], found '-1.6'"] },
  { name: 'a block that is not a whole number', files: { 's.yaml': REPLAY(), 'fees.csv': BLOCKS('1,2\n2.5,3\n') }, lines: ["fees.csv:3:1: chain.baseFee: block '2.5' is not a whole number ≥ 0"] },
  { name: 'blocks out of order', files: { 's.yaml': REPLAY(), 'fees.csv': BLOCKS('10,2\n12,3\n11,3\n') }, lines: ["fees.csv:4:1: chain.baseFee: blocks must increase: '11' follows the block on line 3"] },
  { name: 'too few blocks for the run', files: { 's.yaml': REPLAY(), 'fees.csv': BLOCKS(fifty(100).split('\n').slice(0, 40).join('\n') + '\n') }, lines: ['fees.csv:41:1: chain.baseFee: the base fees cover blocks 100–139 (40 blocks), but the run has 50; shorten the run or add rows'] },
  { name: 'times too short for the run', files: { 's.yaml': REPLAY(), 'fees.csv': 'time,baseFee\n0,1\n300,2\n' }, lines: ['fees.csv:3:1: chain.baseFee: the base fees cover 300 s, but the run lasts 600 s (50 blocks × 12 s); shorten the run or add rows'] },
  { name: 'no key column', files: { 's.yaml': REPLAY(), 'fees.csv': 'height,baseFee\n1,2\n' }, lines: ["fees.csv:1:1: chain.baseFee: no key column: a `block` column (block numbers) or a time column 'time' (seconds or ISO dates) is needed; columns: height, baseFee"] },
  { name: 'an unknown fee column', files: { 's.yaml': REPLAY(', column: fee'), 'fees.csv': BLOCKS(fifty(1)) }, lines: ["fees.csv:1:1: chain.baseFee: no base fee column 'fee'; columns: block, baseFee"] },
  { name: 'a missing file', files: { 's.yaml': REPLAY() }, lines: ['s.yaml:7:31: chain.baseFee.file: cannot read the CSV file fees.csv: no such file'] },
  { name: 'mode csv without a file', files: { 's.yaml': edit('baseFee: { initial: 2, mode: fixed }', 'baseFee: { mode: csv }') }, lines: ['s.yaml:7:12: chain.baseFee.file: is required with `mode: csv`: the CSV file of base fees to replay'] },
  // Reported with the scenario's other problems, not after them.
  { name: 'a bad file beside another problem', files: { 's.yaml': edit('feeBps: 30', 'feeBps: 10000', REPLAY()), 'fees.csv': BLOCKS('1,2\n2,abc\n') }, lines: ["fees.csv:3:3: chain.baseFee: base fee must be a number of gwei in [0, 1000000000000000], found 'abc'", 's.yaml:15:51: venues.pool.feeBps: must be < 10000 basis points, found 10000'] },
];

describe('a bad base fee CSV file exits 2 with located messages and writes nothing', () => {
  it.each(cases)('$name', (c) => {
    const dir = temp({ ...PREV, ...c.files });
    const before = snapshot(dir);
    const r = hedgesim(['run', 's.yaml', '--out', 'prev'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter((l) => l !== '' && l !== 'invalid scenario').sort()).toEqual([...c.lines].sort());
    expect(snapshot(dir)).toEqual(before);
  });

  it('an --out folder holding the base fee file is refused: replacing it would delete the file', () => {
    const dir = temp({ 's.yaml': edit('file: fees.csv', 'file: data/fees.csv', REPLAY()), 'data/summary.json': '{}', 'data/fees.csv': BLOCKS(fifty(1)) });
    const before = snapshot(dir);
    const r = hedgesim(['run', 's.yaml', '--out', 'data'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([2, "error: --out: 'data' holds the base fee file data/fees.csv; choose an output folder apart from the inputs\n"]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a good file runs (the cases above differ from it in one thing)', () => {
    const dir = temp({ 's.yaml': REPLAY(), 'fees.csv': BLOCKS(fifty(1)) });
    const r = hedgesim(['run', 's.yaml', '--out', 'o'], { cwd: dir });
    expect(r.code).toBe(0);
  });
});
