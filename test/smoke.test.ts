import { describe, expect, it } from 'vitest';
import { createAgent } from '../agents';
import { simulate } from '../sim/simulation';

describe('smoke', () => {
  it('runs a pool with an arbitrageur', () => {
    const r = simulate({
      seed: 1,
      blocks: 1,
      chain: { blockTime: 12, nativeToken: 'ETH', baseFee: { initial: 0, mode: 'fixed' } },
      market: { assets: [{ id: 'ETH', process: { kind: 'constant', price: 2020 } }] },
      tokens: [{ id: 'ETH' }, { id: 'USDC', price: { usd: 1 } }],
      venues: [{ kind: 'cpmm', id: 'pool', tokens: ['ETH', 'USDC'], feeBps: 30 }],
      agents: [
        createAgent({ kind: 'lp', id: 'lp', venue: 'pool', balances: { ETH: 1000, USDC: 2_000_000 } }),
        createAgent({ kind: 'arbitrageur', id: 'arb', venue: 'pool', balances: { ETH: 100, USDC: 1e6 } }),
      ],
      checkInvariants: true,
    });
    console.log(JSON.stringify(r, null, 1));
    expect(r.blocks).toBe(1);
  });
});
