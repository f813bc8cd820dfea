/**
 * The reference scenario of the benchmark, the same world as ../shared/peers/python_ref.py:
 * 12 s blocks, one ETH/USD constant-product pool (30 bp, 1000 ETH / 2.5M USD), GBM σ = 0.8, Poisson
 * noise swaps (one per block on average, lognormal size, median $2000, random side), two competing
 * arbitrageurs (optimal fee-aware size; the higher bid wins, the other reverts), a passive LP, and a
 * tracker that forges a reciprocal triad toward √(P/2500) each block. Gas: a swap costs $5 at $2500.
 */
import { createAgent } from '../agents';
import type { SimConfig } from '../sim/config';

export function referenceScenario(days = 30, seed: number | string = 1): SimConfig {
  const blocks = Math.round((days * 86_400) / 12);
  // 110,000 gas × base fee × 1e-9 × $2500 = $5.
  const baseFee = 5 / 2500 / 110_000 / 1e-9;
  return {
    seed,
    blocks,
    chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: baseFee, mode: 'fixed' }, ordering: 'priority' },
    market: { assets: [{ id: 'ETH', process: { kind: 'gbm', price: 2500, sigma: 0.8 } }] },
    tokens: [{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }],
    venues: [
      { kind: 'cpmm', id: 'pool', tokens: ['ETH', 'USD'], feeBps: 30 },
      { kind: 'triad', id: 'triad', unit: 'sqrtETH' },
    ],
    agents: [
      createAgent({ kind: 'lp', id: 'lp', venue: 'pool', balances: { ETH: 1000, USD: 2_500_000 } }),
      createAgent({ kind: 'noise', id: 'noise', venue: 'pool', meanInterval: 12, medianUsd: 2000, logSd: 1, slippage: 0.05, balances: { ETH: 1e6, USD: 1e12 } }),
      createAgent({ kind: 'arbitrageur', id: 'arb-1', venue: 'pool', bid: { kind: 'share', share: 0.5, jitter: 0.5 }, balances: { ETH: 1e5, USD: 1e9 } }),
      createAgent({ kind: 'arbitrageur', id: 'arb-2', venue: 'pool', bid: { kind: 'share', share: 0.5, jitter: 0.5 }, balances: { ETH: 1e5, USD: 1e9 } }),
      createAgent({ kind: 'tracker', id: 'tracker', venue: 'triad', target: { assets: { ETH: 0.5 }, scale: 1 / 50 }, initial: [1e6, 1e6], balances: { '1': 3e6, ETH: 10_000 } }),
    ],
  };
}
