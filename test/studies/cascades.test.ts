/**
 * The cascades study on a scripted scenario whose cascade is known: on `pool`, s1 acts (tag
 * rebalance) in block 5, s2 and s3 in block 6 (s2 first), lp2 exits in block 7, and a liquidation
 * comes in block 20; s4 acts on `other` in block 6. With a window of 3 blocks: s2 follows s1, s3
 * follows s2, the exit follows s3 — a chain of 4, 3 events triggered — while s4 (another venue) and
 * the liquidation (14 blocks later) start none; block 6 holds the largest cluster (3). Moving s2 to
 * block 12 (5 blocks after the exit) breaks it: s1 → s3 → exit, a chain of 3, 2 triggered, cluster 2.
 * A SIGKILLed cascades study resumes byte-identical.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hedgesim, readJson, tempDirs } from '../cli/helpers';
import { CLEAN_ENV, csvObjects, differing, journalLines, RESULT_FILES, startAndKill } from '../batch/fixtures';

const temp = tempDirs();

const BASE = `name: scripted-cascade
blocks: 30
chain: { blockTime: 12, nativeToken: ETH, baseFee: { initial: 1, mode: fixed } }
market:
  assets:
    ETH: { kind: constant, price: 2500 }
tokens: { ETH: {}, USD: { usd: 1 } }
venues:
  pool: { kind: cpmm, tokens: [ETH, USD], feeBps: 30 }
  other: { kind: cpmm, tokens: [ETH, USD], feeBps: 30 }
agents:
  lp: { kind: lp, venue: pool, balances: { ETH: 1000, USD: 2500000 } }
  lpo: { kind: lp, venue: other, balances: { ETH: 1000, USD: 2500000 } }
  s1: { kind: scripted, balances: { ETH: 10, USD: 100000 }, actions: [{ do: swap, venue: pool, pay: USD, amount: 1000, block: 5, tag: rebalance }] }
  s2: { kind: scripted, balances: { ETH: 10, USD: 100000 }, actions: [{ do: swap, venue: pool, pay: USD, amount: 1000, block: 6, tag: rebalance }] }
  s3: { kind: scripted, balances: { ETH: 10, USD: 100000 }, actions: [{ do: swap, venue: pool, pay: USD, amount: 1000, block: 6, tag: rebalance }] }
  s4: { kind: scripted, balances: { ETH: 10, USD: 100000 }, actions: [{ do: swap, venue: other, pay: USD, amount: 1000, block: 6, tag: rebalance }] }
  lp2:
    kind: scripted
    balances: { ETH: 11, USD: 25000 }
    actions: [{ do: addLiquidity, venue: pool, amounts: [10, 25000], genesis: true }, { do: removeLiquidity, venue: pool, shares: all, block: 7 }]
  liq: { kind: scripted, balances: { ETH: 10, USD: 100000 }, actions: [{ do: swap, venue: pool, pay: USD, amount: 1000, block: 20, tag: liquidation }] }
`;

const STUDY = `name: cascade-check
kind: cascades
scenario: base.yaml
replicates: 2
metrics:
  lp2_gas: agents.lp2.pnl.gas
sweep:
  agents.s2.actions.0.block: { values: [6, 12] }
window: 3
`;

describe('cascades study', () => {
  it('counts the known cascade of a scripted scenario, and its break when one link moves out of the window', () => {
    const d = temp({ 'base.yaml': BASE, 'study.yaml': STUDY });
    const r = hedgesim(['study', 'study.yaml', '-q', '--out', 'c'], { cwd: d, env: CLEAN_ENV });
    expect(r.code, r.stderr).toBe(0);
    const rows = csvObjects(readFileSync(join(d, 'c', 'cascades.csv'), 'utf8'));
    const pick = (row: Record<string, string>): Record<string, number> => Object.fromEntries(['events', 'rebalances', 'lpExits', 'liquidations', 'eventBlocks', 'clusteredBlocks', 'maxCluster', 'triggered', 'longestChain'].map((k) => [k, Number(row[`cascade_${k}`])]));
    expect(pick(rows[0]!)).toEqual({ events: 6, rebalances: 4, lpExits: 1, liquidations: 1, eventBlocks: 4, clusteredBlocks: 1, maxCluster: 3, triggered: 3, longestChain: 4 });
    expect(pick(rows[1]!)).toEqual({ events: 6, rebalances: 4, lpExits: 1, liquidations: 1, eventBlocks: 5, clusteredBlocks: 1, maxCluster: 2, triggered: 2, longestChain: 3 });
    // Where the largest cluster was is a block number: no mean, CI or difference of it across runs
    // (not in cascades.csv nor study.json), only each run's, in the stage's runs.csv.
    expect(Object.keys(rows[0]!).filter((k) => k.includes('maxClusterBlock'))).toEqual([]);
    const json = readJson<{ result: { points: { metrics: Record<string, unknown> }[] }; stages: { folder: string }[] }>(join(d, 'c'), 'study.json');
    expect(Object.keys(json.result.points[0]!.metrics)).not.toContain('cascade_maxClusterBlock');
    const runs = csvObjects(readFileSync(join(d, 'c', json.stages[0]!.folder, 'runs.csv'), 'utf8'));
    expect(runs.map((x) => Number(x.cascade_maxClusterBlock))).toEqual([6, 6, 6, 6]);
    expect(Number(rows[1]!.cascade_triggered_diff_vs_first)).toBe(-1);
    expect(Number(rows[0]!.lp2_gas)).toBeLessThan(0);
    const html = readFileSync(join(d, 'c', 'study.html'), 'utf8');
    expect(html).toContain('The largest same-block cluster of events is at agents.s2.actions.0.block = 6: 3 events');
    // A window of 0 blocks: only same-block links (s3 after s2).
    const d0 = temp({ 'base.yaml': BASE, 'study.yaml': STUDY.replace('window: 3', 'window: 0') });
    expect(hedgesim(['study', 'study.yaml', '-q', '--out', 'c'], { cwd: d0, env: CLEAN_ENV }).code).toBe(0);
    const rows0 = csvObjects(readFileSync(join(d0, 'c', 'cascades.csv'), 'utf8'));
    expect(rows0.map((x) => [Number(x.cascade_triggered), Number(x.cascade_longestChain)])).toEqual([[1, 2], [0, 1]]);
    // Measured from the end of block 5: s1 is left out, so s2 starts the chain (s2 → s3 → exit).
    const d5 = temp({ 'base.yaml': BASE.replace('blocks: 30', 'blocks: 30\nmeasureFrom: { block: 5 }'), 'study.yaml': STUDY });
    expect(hedgesim(['study', 'study.yaml', '-q', '--out', 'c'], { cwd: d5, env: CLEAN_ENV }).code).toBe(0);
    const rows5 = csvObjects(readFileSync(join(d5, 'c', 'cascades.csv'), 'utf8'));
    expect(rows5.map((x) => [Number(x.cascade_events), Number(x.cascade_triggered), Number(x.cascade_longestChain)])).toEqual([[5, 2, 3], [5, 1, 2]]);
  }, 60_000);

  it('resumes after SIGKILL to exactly the files of an uninterrupted study', async () => {
    const many = STUDY.replace('replicates: 2', 'replicates: 60');
    const d = temp({ 'base.yaml': BASE, 'study.yaml': many });
    expect(hedgesim(['study', 'study.yaml', '-q', '--out', 'ref'], { cwd: d, env: CLEAN_ENV }).code).toBe(0);
    const journals = (): number => (existsSync(join(d, 'killed', 'stages')) ? readdirSync(join(d, 'killed', 'stages')).filter((f) => !f.endsWith('.json')).reduce((k, f) => k + journalLines(join(d, 'killed', 'stages', f)).length, 0) : 0);
    const killed = await startAndKill(['study', 'study.yaml', '-q', '--out', 'killed'], d, () => journals() >= 20, 'SIGKILL');
    expect(killed.killed).toBe(true);
    expect(journals()).toBeLessThan(readJson<{ runs: number }>(join(d, 'ref'), 'study.json').runs);
    expect(hedgesim(['study', 'study.yaml', '-q', '--out', 'killed', '--resume'], { cwd: d, env: CLEAN_ENV }).code).toBe(0);
    expect(differing(join(d, 'ref'), join(d, 'killed'), ['study.json', 'study.html', 'cascades.csv', 'cascades.parquet', 'study-plan.json'])).toEqual([]);
    for (const s of readdirSync(join(d, 'ref', 'stages')).filter((f) => !f.endsWith('.json'))) expect(differing(join(d, 'ref', 'stages', s), join(d, 'killed', 'stages', s), RESULT_FILES), s).toEqual([]);
  }, 120_000);
});
