/** Scenario builders shared by the hedging validations (V5–V7): one asset, a CEX, one hedger. */
import { createAgent, type AgentSpec } from '../../agents';
import type { SimConfig } from '../../sim/config';

export const S0 = 2000;
export const DAY = 86_400;

/** GBM σ (μ = 0, a martingale), blocks of `blockTime` seconds, a CEX quoting USD. */
export function hedgingWorld(seed: number, blocks: number, blockTime: number, sigma: number, agent: AgentSpec, halfSpreadBps = 0): SimConfig {
  return {
    seed,
    blocks,
    chain: { blockTime, nativeToken: 'ETH', baseFee: { initial: 0, mode: 'fixed' } },
    market: { assets: [{ id: 'ETH', process: { kind: 'gbm', price: S0, sigma } }], cex: { quote: 'USD', halfSpreadBps } },
    tokens: [{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }],
    venues: [],
    agents: [createAgent(agent)],
    checkInvariants: true,
  };
}

export function meanSd(xs: number[]): { mean: number; sd: number; se: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
  return { mean, sd, se: sd / Math.sqrt(xs.length) };
}
