/**
 * l1-vs-l2.yaml and its L2 twin l1-vs-l2-on-l2.yaml, run as shipped: they differ only in the chain,
 * the price path is the same, the L2's base fee is far below the L1's and every hedger that
 * rebalances pays less gas on it — the comparison the pair exists for. The figures the comments
 * quote are read from the comments and checked against the runs, to their last printed digit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import type { SimResult } from '../../sim/result';
import { simulate } from '../../sim/simulation';
import { agent, expectLiteral } from '../validation/helpers';

const LIBRARY = fileURLToPath(new URL('../../scenarios/library', import.meta.url));
const L1 = join(LIBRARY, 'l1-vs-l2.yaml');
const L2 = join(LIBRARY, 'l1-vs-l2-on-l2.yaml');
const HEDGERS = ['band-2pct', 'band-5pct', 'band-10pct'];

interface Run {
  result: SimResult;
  /** The base fee each block was built at, gwei. */
  fees: number[];
}

function run(file: string, overrides: string[] = []): Run {
  const loaded = loadScenarioFile(file, overrides);
  const fees: number[] = [];
  const result = simulate(buildConfig(loaded.scenario, loaded.baseDir), { onBlock: (b) => void fees.push(b.baseFee) });
  return { result, fees };
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const gas = (r: Run, id: string): number => -agent(r.result, id).pnl.gas;
/** The text of a file's leading comment block. */
const comment = (file: string): string => readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('#')).join(' ').replaceAll('#', ' ').replace(/\s+/g, ' ');
const quoted = (text: string, re: RegExp): string => {
  const m = re.exec(text);
  expect(m, `${re} in the comment`).not.toBeNull();
  return m![1]!;
};

let l1: Run;
let l2: Run;
beforeAll(() => {
  l1 = run(L1);
  l2 = run(L2);
});

describe('l1-vs-l2.yaml and l1-vs-l2-on-l2.yaml', () => {
  it('are the same scenario but for the name, the description and the chain', () => {
    const [a, b] = [L1, L2].map((f) => {
      const { name: _n, description: _d, chain, ...rest } = loadScenarioFile(f).scenario;
      return { chain, rest };
    });
    expect(b!.rest).toEqual(a!.rest);
    expect([a!.chain.blockTime, b!.chain.blockTime]).toEqual([12, 2]);
  });

  it('run over the same price path (prices tick every 12 s on both chains)', () => {
    expect(l2.result.prices).toEqual(l1.result.prices);
    expect(l2.result.simulatedSeconds).toBe(l1.result.simulatedSeconds);
  });

  it('put the L2 base fee far below the L1 one, block after block', () => {
    expect(mean(l2.fees)).toBeLessThan(mean(l1.fees) / 100);
    expect(Math.max(...l2.fees)).toBeLessThan(Math.min(...l1.fees) / 100);
  });

  it('make every rebalancing hedger pay less gas on L2, for the same rebalances', () => {
    for (const id of HEDGERS) {
      const [a, b] = [agent(l1.result, id), agent(l2.result, id)];
      expect(a.metrics.rebalances, id).toBeGreaterThan(0);
      expect(b.metrics.rebalances, id).toBe(a.metrics.rebalances);
      expect(gas(l2, id), id).toBeLessThan(gas(l1, id) / 100);
    }
    // The static hedger enters at genesis, free of gas, on both chains.
    expect([gas(l1, 'static') === 0, gas(l2, 'static') === 0]).toEqual([true, true]);
  });

  it('quote in their comments what the runs give: the L1 mean base fee, the 2 % band’s rebalances and gas', () => {
    const c1 = comment(L1);
    const c2 = comment(L2);
    expectLiteral(mean(l1.fees), quoted(c1, /averages ([\d.]+) gwei/), 'L1 mean base fee');
    const band = agent(l1.result, 'band-2pct');
    expect(String(band.metrics.rebalances)).toBe(quoted(c1, /2 % band's (\d+) rebalances/));
    expectLiteral(gas(l1, 'band-2pct'), quoted(c1, /rebalances: \$([\d.]+) of gas/), 'L1 gas of the 2 % band');
    expectLiteral(gas(l1, 'band-2pct') / band.metrics.rebalances!, quoted(c1, /costs about \$([\d.]+)/), 'L1 gas per rebalance');
    expect(String(agent(l2.result, 'band-2pct').metrics.rebalances)).toBe(quoted(c2, /2 % band's (\d+) rebalances/));
    expectLiteral(gas(l2, 'band-2pct'), quoted(c2, /pay \$([\d.]+) of gas/), 'L2 gas of the 2 % band');
    expectLiteral(gas(l1, 'band-2pct'), quoted(c2, /against \$([\d.]+) on L1/), 'L1 gas, as the L2 file quotes it');
    const floor = quoted(c2, /base fee at a ([\d.]+)-gwei floor/);
    expect(new Set(l2.fees)).toEqual(new Set([Number(floor)]));
  });

  it('the L1 file’s warning holds: overriding only blockTime and baseFee.initial is refused (below the floor)', () => {
    expect(() => run(L1, ['chain.blockTime=2', 'chain.baseFee.initial=0.01'])).toThrow(/chain\.baseFee\.initial: must be ≥ chain\.baseFee\.min \(5 gwei\)/);
  });
});
