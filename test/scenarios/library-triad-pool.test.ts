/**
 * triad-pool.yaml, run as shipped and with its arbitrageur idle (`every` past the run): a tracker
 * moves a √ETH triad with ETH; the pool trading its unit follows only through the pool–triad
 * arbitrageur, whose every trade is one transaction minting and selling, or buying and burning.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import type { TxView } from '../../sim/agent';
import type { SimResult } from '../../sim/result';
import { simulate } from '../../sim/simulation';
import { Op, TxStatus } from '../../sim/tx';

const FILE = join(fileURLToPath(new URL('../../scenarios/library', import.meta.url)), 'triad-pool.yaml');

interface Run {
  result: SimResult;
  /** Per block: |pool price / triad price − 1|. */
  gaps: number[];
  /** The arbitrageur's included transactions, as [op of each call]. */
  arbOps: number[][];
}

function run(overrides: string[] = []): Run {
  const loaded = loadScenarioFile(FILE, overrides);
  const config = { ...buildConfig(loaded.scenario, loaded.baseDir), checkInvariants: true };
  const arb = config.agents.findIndex((a) => a.id === 'arb');
  const gaps: number[] = [];
  const arbOps: number[][] = [];
  let prices: () => [number, number] = () => [NaN, NaN];
  const result = simulate(config, {
    observe: (sim) => {
      const w = sim.kernel.world;
      const view = sim.kernel.view;
      const tri = w.venues.findIndex((v) => v.id === 'T');
      const pool = w.venues.findIndex((v) => v.id === 'upool');
      prices = () => [view.venuePrice(tri), view.venuePrice(pool)];
    },
    onBlock: () => {
      const [tri, pool] = prices();
      gaps.push(Math.abs(pool / tri - 1));
    },
    onTx: (tx: TxView) => {
      if (tx.agent === arb && tx.status === TxStatus.Included) arbOps.push(Array.from({ length: tx.callCount }, (_, i) => tx.calls[i]!.op));
    },
  });
  return { result, gaps, arbOps };
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('triad-pool.yaml: a pool kept on a √ETH triad by a pool–triad arbitrageur', () => {
  const shipped = run();
  const idle = run(['agents.arb.every=1000000']);

  it('trades in single transactions of a forge and a swap, in either order', () => {
    expect(shipped.arbOps.length).toBeGreaterThan(0);
    for (const ops of shipped.arbOps) expect([[Op.Forge, Op.Swap], [Op.SwapExactOut, Op.Forge]]).toContainEqual(ops);
    expect(idle.arbOps).toEqual([]);
  });

  it('keeps the pool several times closer to the triad than it stays on its own', () => {
    // On its own the pool stays at 1 "1" while the tracker moves the triad with √ETH.
    expect(mean(shipped.gaps) * 3).toBeLessThan(mean(idle.gaps));
    expect(Math.max(...shipped.gaps)).toBeLessThan(Math.max(...idle.gaps));
  });

  it('earns its arbitrage in "1": it ends with more than it started with, having paid its gas in ETH', () => {
    const arb = shipped.result.agents.find((a) => a.id === 'arb')!;
    expect(arb.balances['1']!).toBeGreaterThan(50_000);
    expect(arb.pnl.gas).toBeLessThan(0);
    // The pool's LP pays it: loss-versus-rebalancing beyond its fees.
    const pool = shipped.result.venues.find((v) => v.id === 'upool')!;
    if (pool.kind !== 'cpmm') throw new Error('upool is a cpmm');
    expect(pool.lvrUsd).toBeGreaterThan(pool.feesUsd);
  });
});
