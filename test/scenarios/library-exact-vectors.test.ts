/**
 * library/exact-vectors.yaml, run by the command line with `--record full`: the published on-chain
 * test vectors read back from the exact log (transactions.jsonl's `…Wei` fields), to the wei.
 * Expected values are the tests' own numbers:
 * - Uniswap v2: github.com/Uniswap/v2-core, test/UniswapV2Pair.spec.ts (`swapTestCases`, 'mint', 'burn');
 * - Uniteum: github.com/uniteum/uniteum, test/Forge.t.sol (testForgeSimple, testBug, testVolatilityHedge).
 *   The test asserts that liquidations return exactly the "1" spent, dw = −2·isqrt(du·dv) from an empty
 *   triad, and the volatility hedge's inequalities; the per-forge dw and the hedge's 1062 / 9999938 wei
 *   are not printed by the test and are derived here from the contract's formula
 *   dw = 2·(isqrt(u·v) − isqrt(u′·v′)) with the integer square roots written out.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TxRecord } from '../../sim/record';
import { TX_LOG_FORMAT } from '../../sim/record';
import { parseTransactions } from '../../viz/data/files';
import { hedgesim, ROOT, tempDirs } from '../cli/helpers';

const E18 = 10n ** 18n;
const dirs = tempDirs();
const out = join(dirs(), 'out');
const run = hedgesim(['run', join(ROOT, 'scenarios/library/exact-vectors.yaml'), '--out', out, '--record', 'full', '--quiet']);
const text = run.code === 0 ? readFileSync(join(out, 'transactions.jsonl'), 'utf8') : '';
const txs: TxRecord[] = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as TxRecord);
const byTag = (tag: string): TxRecord => {
  const found = txs.filter((t) => t.tag === tag);
  expect(found, tag).toHaveLength(1);
  return found[0]!;
};
const call = (tag: string) => byTag(tag).calls[0]!;

// [swapAmount, token0Amount, token1Amount, expectedOutputAmount] — UniswapV2Pair.spec.ts swapTestCases.
const swapTestCases: [bigint, bigint, bigint, bigint][] = [
  [1n, 5n, 10n, 1662497915624478906n],
  [1n, 10n, 5n, 453305446940074565n],
  [2n, 5n, 10n, 2851015155847869602n],
  [2n, 10n, 5n, 831248957812239453n],
  [1n, 10n, 10n, 906610893880149131n],
  [1n, 100n, 100n, 987158034397061298n],
  [1n, 1000n, 1000n, 996006981039903216n],
];

describe('exact-vectors.yaml: published vectors, to the wei, from the exact log', () => {
  it('runs and writes a versioned exact log the viewer reads', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(txs.length).toBeGreaterThan(30);
    for (const t of txs) expect(t.format).toBe(TX_LOG_FORMAT);
    expect(parseTransactions(text)).toHaveLength(txs.length);
  });

  it('reads in DuckDB as documented: the Wei strings cast to HUGEINT exactly', async () => {
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const file = join(out, 'transactions.jsonl').replaceAll("'", "''");
    const reader = await db.runAndReadAll(
      `SELECT tag, format, CAST(calls[1].outAWei AS HUGEINT) AS out FROM read_json_auto('${file}') WHERE tag LIKE 'v2-swap-_' ORDER BY tag`,
    );
    const rows = reader.getRowObjectsJS() as { tag: string; format: bigint; out: bigint }[];
    expect(rows.map((r) => [r.tag, r.format, r.out])).toEqual(swapTestCases.map(([, , , expected], i) => [`v2-swap-${i}`, BigInt(TX_LOG_FORMAT), expected]));
  });

  swapTestCases.forEach(([amount, r0, r1, expected], i) => {
    it(`Uniswap v2 getInputPrice:${i}: ${amount} into (${r0}, ${r1}) pays ${expected} wei, and not one more`, () => {
      const over = byTag(`v2-swap-${i}-over`);
      expect(over.calls[0]!.boundAWei).toBe(String(expected + 1n));
      expect([over.status, over.revert]).toEqual(['reverted', 'SLIPPAGE']);
      const swap = byTag(`v2-swap-${i}`);
      expect(swap.status).toBe('included');
      const c = swap.calls[0]!;
      expect(c.venue).toBe(`v2-swap-${i}`);
      expect(c.aWei).toBe(String(amount * E18));
      expect(c.outAWei).toBe(String(expected));
      expect(c.outBWei).toBe(String(amount * E18));
      expect(swap.gasCostWei).toBe('0');
    });
  });

  it("Uniswap v2 'mint': 1 and 4 tokens mint 2e18 − 1000 shares to the depositor", () => {
    const c = call('v2-mint');
    expect([c.aWei, c.bWei]).toEqual([String(E18), String(4n * E18)]);
    expect(c.outAWei).toBe(String(2n * E18 - 1000n));
  });

  it("Uniswap v2 'burn': burning the 3e18 − 1000 shares of a (3, 3) pool returns 3e18 − 1000 wei of each token", () => {
    const c = call('v2-burn');
    expect(c.aWei).toBe(String(3n * E18 - 1000n));
    expect([c.outBWei, c.outCWei]).toEqual([String(3n * E18 - 1000n), String(3n * E18 - 1000n)]);
  });

  it('Uniteum testForgeSimple: the fixed forges, −2·isqrt(du·dv) from the empty triad, and liquidation back to 1e6 wei', () => {
    const dw = ['simple-1', 'simple-2', 'simple-3', 'simple-4', 'simple-5', 'simple-6', 'simple-7'].map((t) => call(t).outCWei);
    expect(dw).toEqual(['-2', '0', '-2', '2', '2', '-20', '20']);
    // From empty: we = −2·√(du·dv) = −2·isqrt(7·13 = 91) = −2·9.
    expect(call('simple-empty').outCWei).toBe('-18');
    // The triad has no bound: the log leaves boundA/boundB out.
    expect(call('simple-empty')).not.toHaveProperty('boundA');
    expect(call('simple-empty')).not.toHaveProperty('boundB');
    const liq = call('simple-liquidate');
    expect([liq.aWei, liq.bWei, liq.outCWei]).toEqual(['-7', '-13', '18']);
    // "alex lost/gained some 1": Σ dw over his forges is 0, so he holds exactly initialOne = 1e6 wei.
    const total = txs.filter((t) => t.agent === 'alex').reduce((s, t) => s + BigInt(t.calls[0]!.outCWei!), 0n);
    expect(total).toBe(0n);
  });

  it('Uniteum testBug: forge U, forge its reciprocal, liquidate — exactly the 1e6 wei of "1" back', () => {
    const dws = ['bug-1', 'bug-2', 'bug-liquidate'].map((t) => BigInt(call(t).outCWei!));
    // isqrt(210490·100658) = 145559; isqrt(417585·549190) = 478887.
    expect(dws).toEqual([-2n * 145559n, 2n * (145559n - 478887n), 2n * 478887n]);
    expect(dws.reduce((a, b) => a + b)).toBe(0n);
  });

  it('Uniteum testVolatilityHedge: alex ends above his 1e3 wei of "1", beck below his 1e7', () => {
    const alex = 1000n + BigInt(call('hedge-alex').outCWei!) + BigInt(call('hedge-alex-liquidate').outCWei!);
    const beck = 10_000_000n + BigInt(call('hedge-beck').outCWei!) + BigInt(call('hedge-beck-liquidate').outCWei!);
    expect(alex).toBeGreaterThan(1000n);
    expect(beck).toBeLessThan(10_000_000n);
    // Derived: isqrt(500·500) = 500, isqrt(500500·1000500) = 707637, isqrt(500000·1000000) = 707106.
    expect([alex, beck]).toEqual([1000n - 1000n + 2n * (707637n - 707106n), 10_000_000n + 2n * (500n - 707637n) + 2n * 707106n]);
    expect([alex, beck]).toEqual([1062n, 9_999_938n]);
  });
});
