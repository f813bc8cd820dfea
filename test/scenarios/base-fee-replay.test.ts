/**
 * Base fees replayed from a CSV file (`chain.baseFee.mode: csv`), loaded through the scenarios module
 * and run through the simulator. The rule (docs/scenarios.md): rows are keyed by block (the first row
 * is the run's block 1) or by time (the first row is time 0); a block's fee is that of the last row
 * at or before it (held, not interpolated); the file overrides the EIP-1559 rule, min, max and the
 * background demand.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile, parseScenario } from '../../scenarios';
import { ScenarioError } from '../../scenarios/errors';
import { run } from '../engine/helpers';

const dir = mkdtempSync(join(tmpdir(), 'hedgesim-basefee-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenario(csv: string, chain: string, blocks: number, numeric = 'float', seed = 1): string {
  writeFileSync(join(dir, 'fees.csv'), csv);
  return `name: replay
seed: ${seed}
blocks: ${blocks}
numeric: ${numeric}
chain: { blockTime: 12, nativeToken: ETH, ${chain} }
market: { assets: { ETH: { kind: constant, price: 2000 } } }
tokens: { ETH: {}, USD: { usd: 1 } }
venues: { pool: { kind: cpmm, tokens: [ETH, USD], feeBps: 30 } }
agents:
  lp: { kind: lp, venue: pool, balances: { ETH: 100, USD: 200000 } }
  noise: { kind: noise, venue: pool, meanInterval: 12, medianUsd: 100, balances: { ETH: 100, USD: 200000 } }
`;
}

function replay(csv: string, chain: string, blocks: number, numeric = 'float', seed = 1) {
  const loaded = parseScenario(scenario(csv, chain, blocks, numeric, seed), join(dir, 's.yaml'));
  return run(buildConfig(loaded.scenario, dir));
}

const BY_BLOCK = 'block,baseFee\n1000,5\n1003,7.5\n1004,0.25\n1010,2\n1011,3\n';
/** Blocks 1–12 of the run are file blocks 1000–1011; each row holds until the next. */
const BY_BLOCK_FEES = [5, 5, 5, 7.5, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 2, 3];

describe('base fees replayed by block', () => {
  it('each block is built at the fee of the last row at or before it', () => {
    const r = replay(BY_BLOCK, 'baseFee: { mode: csv, file: fees.csv }', 12);
    expect(r.blocks.map((b) => b.baseFee)).toEqual(BY_BLOCK_FEES);
    // Transactions pay it: every receipt carries its block's replayed fee.
    expect(r.txs.length).toBeGreaterThan(3);
    for (const t of r.txs) expect(t.baseFee).toBe(BY_BLOCK_FEES[t.block - 1]);
  });

  it('overrides the floor, the cap and the background demand', () => {
    const r = replay(BY_BLOCK, 'baseFee: { mode: csv, file: fees.csv, min: 1, max: 4 }, background: { model: elastic, preset: l1 }', 12);
    expect(r.blocks.map((b) => b.baseFee)).toEqual(BY_BLOCK_FEES);
    expect(r.blocks.every((b) => b.backgroundGas === 0)).toBe(true);
  });

  it('is the same in exact-integer mode (fees in whole wei)', () => {
    const r = replay(BY_BLOCK, 'baseFee: { mode: csv, file: fees.csv }', 12, 'exact');
    expect(r.blocks.map((b) => b.baseFee)).toEqual(BY_BLOCK_FEES);
  });

  it('a file that does not cover the run is refused at its last row', () => {
    const problem = (() => {
      try {
        replay(BY_BLOCK, 'baseFee: { mode: csv, file: fees.csv }', 13);
      } catch (e) {
        return (e as ScenarioError).problems;
      }
    })();
    expect(problem).toEqual([{ file: join(dir, 'fees.csv'), line: 6, column: 1, path: 'chain.baseFee', message: 'the base fees cover blocks 1000–1011 (12 blocks), but the run has 13; shorten the run or add rows' }]);
  });
});

describe('base fees replayed by time', () => {
  it('block n (at n × 12 s) takes the last row at or before its time; ISO dates count from the first row', () => {
    const csv = 'time,gwei\n2026-01-01T00:00:00Z,10\n2026-01-01T00:00:30Z,20\n2026-01-01T00:01:00Z,30\n2026-01-01T00:01:12Z,40\n';
    const r = replay(csv, 'baseFee: { mode: csv, file: fees.csv }', 6);
    // Blocks at 12, 24 s → row 0 s; 36, 48 s → row 30 s; 60 s → row 60 s (at it exactly); 72 s → row 72 s.
    expect(r.blocks.map((b) => b.baseFee)).toEqual([10, 10, 20, 20, 30, 40]);
  });
});

const SEED = 3;
describe('base fees replayed by time under Poisson blocks', () => {
  it('each block takes the row at or before its own (random) time, the first block included', () => {
    // A row a second, fee = 1 + seconds: block n's fee gives away its time's whole second.
    const csv = 'time,baseFee\n' + Array.from({ length: 1201 }, (_, t) => `${t},${1 + t}`).join('\n') + '\n';
    const r = replay(csv, 'blockTimes: exponential, baseFee: { mode: csv, file: fees.csv }', 80, 'float', SEED);
    // A seed whose first block comes before the mean gap (so before the fee of time 12 s).
    expect(r.blocks[0]!.time).toBeLessThan(12);
    for (const b of r.blocks) expect(b.baseFee).toBe(1 + Math.min(1200, Math.floor(b.time)));
  });
});

describe('the gas-replay library scenario reproduces its file’s fees exactly, block by block', () => {
  it('block n at 12n s has the fee of hour ⌊12n / 3600⌋ of data/basefee-l1-hourly.csv', () => {
    const lib = fileURLToPath(new URL('../../scenarios/library/', import.meta.url));
    const loaded = loadScenarioFile(join(lib, 'gas-replay.yaml'));
    const rows = readFileSync(join(lib, 'data', 'basefee-l1-hourly.csv'), 'utf8').split('\n').filter((l) => /^\d{4}-/.test(l));
    const hourly = rows.map((l) => Number(l.split(',')[1]));
    const r = run(buildConfig(loaded.scenario, loaded.baseDir));
    expect(r.blocks.length).toBe(14_400);
    r.blocks.forEach((b) => expect(b.baseFee).toBe(hourly[Math.floor((12 * b.number) / 3600)]));
  });
});
