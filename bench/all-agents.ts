/**
 * The all-agent benchmark scenario: an L2 (2 s blocks, low gas) with every agent kind — an LP,
 * noise flow (a private share), two arbitrageurs, a tracker keeping a √ETH triad on its target, a
 * static hedger, three rebalancing hedgers with different triggers, a delta-hedging options vault
 * on the CEX, and two searchers (sandwich and back-run).
 */
import { createAgent } from '../agents';
import type { SimConfig } from '../sim/config';

export function allAgentsScenario(days = 7, seed: number | string = 1): SimConfig {
  const blockTime = 2;
  const blocks = Math.round((days * 86_400) / blockTime);
  // 110,000 gas × 0.01 gwei × $2500 ≈ 0.3 cents: L2 gas.
  const baseFee = 0.01;
  const triad = { kind: 'triad-parity' as const, venue: 'triad', budget: 2000 };
  return {
    seed,
    blocks,
    chain: { blockTime, nativeToken: 'ETH', baseFee: { initial: baseFee, mode: 'eip1559', min: 0.001 }, ordering: 'priority', background: { meanGas: 15_000_000, sdGas: 3_000_000 } },
    market: { assets: [{ id: 'ETH', process: { kind: 'gbm', price: 2500, sigma: 0.8 } }], cex: { quote: 'USD', halfSpreadBps: 1, feeBps: 2 } },
    tokens: [{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }],
    venues: [
      { kind: 'cpmm', id: 'pool', tokens: ['ETH', 'USD'], feeBps: 30 },
      { kind: 'triad', id: 'triad', unit: 'sqrtETH' },
    ],
    agents: [
      createAgent({ kind: 'lp', id: 'lp', venue: 'pool', balances: { ETH: 1000, USD: 2_500_000 } }),
      createAgent({ kind: 'noise', id: 'noise', venue: 'pool', meanInterval: 6, medianUsd: 2000, logSd: 1, slippage: 0.01, privateShare: 0.3, latency: { network: 0.2 }, balances: { ETH: 1e6, USD: 1e12 } }),
      createAgent({ kind: 'arbitrageur', id: 'arb-1', venue: 'pool', bid: { kind: 'share', share: 0.5, jitter: 0.5 }, balances: { ETH: 1e5, USD: 1e9 } }),
      createAgent({ kind: 'arbitrageur', id: 'arb-2', venue: 'pool', bid: { kind: 'share', share: 0.5, jitter: 0.5 }, balances: { ETH: 1e5, USD: 1e9 } }),
      createAgent({ kind: 'tracker', id: 'tracker', venue: 'triad', target: { assets: { ETH: 0.5 }, scale: 1 / 50 }, initial: [1e6, 1e6], tolerance: 0.0005, balances: { '1': 3e6, ETH: 1000 } }),
      createAgent({ kind: 'static-hedger', id: 'static', hedge: triad, balances: { '1': 10_000, ETH: 10 } }),
      // Hedgers look every 10 s, the vault every 30 s: plenty on a 2 s chain.
      createAgent({ kind: 'rebalancing-hedger', id: 'band', hedge: triad, trigger: { kind: 'band', band: 0.05 }, checkEvery: 5, balances: { '1': 10_000, ETH: 10 } }),
      createAgent({ kind: 'rebalancing-hedger', id: 'profit-gas', hedge: triad, trigger: { kind: 'profit-gas', multiple: 3 }, checkEvery: 5, balances: { '1': 10_000, ETH: 10 } }),
      createAgent({ kind: 'rebalancing-hedger', id: 'regime', hedge: triad, trigger: { kind: 'vol-regime', band: 0.05, referenceVol: 0.8 }, checkEvery: 5, private: true, balances: { '1': 10_000, ETH: 10 } }),
      createAgent({
        kind: 'delta-hedger',
        id: 'vault',
        options: { kind: 'option', option: 'call', strike: 'atm', expiry: days * 86_400, quantity: 10, position: 'short', asset: 'ETH', impliedVol: 0.8 },
        trigger: { kind: 'delta-band', band: 0.05 },
        checkEvery: 15,
        cexBalances: { USD: 100_000 },
      }),
      createAgent({ kind: 'searcher', id: 'sandwicher', strategies: { sandwich: {} }, bid: { kind: 'share', share: 0.8 }, latency: { mempool: 0.05 }, balances: { ETH: 1e4, USD: 1e8, '1': 1e6 } }),
      createAgent({ kind: 'searcher', id: 'backrunner', strategies: { backrun: {} }, bid: { kind: 'share', share: 0.8 }, latency: { mempool: 0.1 }, balances: { ETH: 1e4, USD: 1e8 } }),
    ],
  };
}
