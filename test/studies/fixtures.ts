/** Fixtures shared by the study tests. */

/** Two noise traders (a, b), an LP and an arbitrageur on an L2 pool ordered first come, first served: a fee buys nothing. */
export function feesScenario(blocks: number): string {
  return `name: fees
blocks: ${blocks}
chain:
  blockTime: 2
  nativeToken: ETH
  ordering: fcfs
  baseFee: { initial: 0.05, mode: fixed }
market:
  assets:
    ETH: { kind: gbm, price: 2500, sigma: 0.8 }
tokens:
  ETH: {}
  USD: { usd: 1 }
venues:
  pool: { kind: cpmm, tokens: [ETH, USD], feeBps: 30 }
agents:
  lp: { kind: lp, venue: pool, balances: { ETH: 1000, USD: 2500000 } }
  a: { kind: noise, venue: pool, meanInterval: 20s, medianUsd: 2000, balances: { ETH: 100, USD: 250000 } }
  b: { kind: noise, venue: pool, meanInterval: 20s, medianUsd: 2000, balances: { ETH: 100, USD: 250000 } }
  arb: { kind: arbitrageur, venue: pool, bid: { kind: share, share: 0.5 }, balances: { ETH: 1000, USD: 2500000 } }
`;
}
