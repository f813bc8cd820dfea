/**
 * Problems across sections: references that do not resolve, the correlation matrix against the
 * assets, blocks versus duration, venue kinds agents need — reported at the referencing node.
 */
import { type ErrorCase, describeErrorCases, edit } from './helpers';

/** BASE with a triad T and the arbitrageur arbitraging `pool` against it. */
const TRIAD_ARB = edit('  arb: { kind: arbitrageur, venue: pool, balances', '  arb: { kind: arbitrageur, venue: pool, triad: T, balances', edit('venues:\n', 'venues:\n  T: { kind: triad, unit: U }\n'));

const cases: ErrorCase[] = [
  {
    name: 'a triad arbitrage on a pool that does not trade the triad’s tokens against its "1"',
    text: TRIAD_ARB,
    expect: [`s.yaml:12:36: agents.arb.venue: pool 'pool' trades ETH and USD; a triad arbitrage needs a pool of one of the tokens of triad 'T' (U, 1/U) against its "1"`],
  },
  {
    name: 'a triad arbitrage that would hedge on the CEX',
    text: edit('venues:\n', 'venues:\n  T: { kind: triad, unit: U }\n  up: { kind: cpmm, tokens: [U, "1"], feeBps: 30 }\n', edit('  arb: { kind: arbitrageur, venue: pool, balances', '  arb: { kind: arbitrageur, venue: up, triad: T, hedge: true, balances')),
    expect: ["s.yaml:13:57: agents.arb.hedge: a triad arbitrage has no CEX fills to hedge: drop hedge or triad"],
  },
  {
    name: 'a triad arbitrage naming a pool as its triad',
    text: edit('  arb: { kind: arbitrageur, venue: pool, balances', '  arb: { kind: arbitrageur, venue: pool, triad: pool, balances'),
    expect: ["s.yaml:11:49: agents.arb.triad: an arbitrageur agent needs a triad venue; 'pool' is a cpmm"],
  },
  {
    name: 'a venue kind typo alone, not the agents that use the venue',
    text: edit('kind: cpmm', 'kind: cpm'),
    expect: ["s.yaml:8:17: venues.pool.kind: unknown kind 'cpm' (did you mean 'cpmm'?); allowed: cpmm, triad"],
  },
  {
    name: 'assets of the wrong shape alone, not the tokens they price',
    text: edit('  assets: { ETH: { kind: gbm, price: 2500, sigma: 0.8 } }', '  assets: [ETH]'),
    expect: ['s.yaml:5:11: market.assets: expected a map, found a list of 1'],
  },
  {
    name: "huge duration",
    text: edit('blocks: 10', 'duration: 200000d'),
    expect: [
      "s.yaml:2:11: duration: is 1,440,000,000 blocks of 12 s, more than the maximum 1,000,000,000",
    ],
  },
  {
    name: "missing blocks and duration",
    text: edit('blocks: 10\n', ''),
    expect: [
      "s.yaml:1:1: blocks: missing required field 'blocks' or 'duration' (how long to run)",
    ],
  },
  {
    name: "blocks and duration",
    text: edit('blocks: 10', 'blocks: 10\nduration: 1h'),
    expect: [
      "s.yaml:3:1: duration: give either blocks or duration, not both",
    ],
  },
  {
    name: "unknown venue",
    text: edit('lp: { kind: lp, venue: pool,', 'lp: { kind: lp, venue: pol,'),
    expect: [
      "s.yaml:10:26: agents.lp.venue: unknown venue 'pol' (did you mean 'pool'?); venues: pool",
    ],
  },
  {
    name: "unknown pool token",
    text: edit('tokens: [ETH, USD]', 'tokens: [ETH, USDC]'),
    expect: [
      "s.yaml:8:37: venues.pool.tokens[1]: unknown token 'USDC' (did you mean 'USD'?); tokens: ETH, USD",
    ],
  },
  {
    name: "unknown native token",
    text: edit('nativeToken: ETH', 'nativeToken: WETH'),
    expect: [
      "s.yaml:3:38: chain.nativeToken: unknown token 'WETH' (did you mean 'ETH'?); tokens: ETH, USD, LP-pool",
    ],
  },
  {
    name: "token without a price",
    text: edit('USD: { usd: 1 }', 'USD: {}'),
    expect: [
      "s.yaml:6:20: tokens.USD: token 'USD' is priced by the market asset of the same name, but there is none; give `usd: <price>` or `asset: <id>` (assets: ETH)",
    ],
  },
  {
    name: "unknown balance token",
    text: edit('balances: { ETH: 10, USD: 25000 }', 'balances: { ETH: 10, DAI: 25000 }'),
    expect: [
      "s.yaml:11:63: agents.arb.balances.DAI: unknown token 'DAI'; tokens: ETH, USD, LP-pool",
    ],
  },
  {
    name: "correlation size",
    text: edit('  assets: { ETH: { kind: gbm, price: 2500, sigma: 0.8 } }', '  assets: { ETH: { kind: gbm, price: 2500, sigma: 0.8 } }\n  correlation: [[1, 0.5], [0.5, 1]]'),
    expect: [
      "s.yaml:6:16: market.correlation: must be a 1×1 matrix over the assets (ETH), found 2 rows",
    ],
  },
  {
    name: "correlation not symmetric",
    text: edit('  assets: { ETH: { kind: gbm, price: 2500, sigma: 0.8 } }', '  assets: { ETH: { kind: gbm, price: 2500, sigma: 0.8 }, BTC: { kind: gbm, price: 1, sigma: 1 } }\n  correlation: [[1, 0.5], [0.4, 1]]'),
    expect: [
      "s.yaml:6:28: market.correlation[1][0]: must equal [0][1] = 0.5 (the matrix is symmetric), found 0.4",
    ],
  },
  {
    name: "tracker on a pool",
    text: edit('  arb: { kind: arbitrageur, venue: pool, balances: { ETH: 10, USD: 25000 } }', '  t: { kind: tracker, venue: pool, target: { assets: { ETH: 0.5 } } }'),
    expect: [
      "s.yaml:11:30: agents.t.venue: a tracker agent needs a triad venue; 'pool' is a cpmm",
    ],
  },
  {
    name: "exact mode fee",
    text: edit('blocks: 10', 'blocks: 10\nnumeric: exact').replace('feeBps: 30', 'feeBps: 30.005'),
    expect: [
      "s.yaml:9:51: venues.pool.feeBps: numeric: exact needs a fee in whole pips (multiples of 0.01 bp), found 30.005",
    ],
  },
  {
    name: "scripted action typo",
    text: edit('  arb: { kind: arbitrageur, venue: pool, balances: { ETH: 10, USD: 25000 } }', '  s:\n    kind: scripted\n    actions:\n      - { do: swpa, venue: pool, pay: ETH, amount: 1 }\n      - { do: swap, venue: pool, pay: DAI, amount: -1 }'),
    expect: [
      "s.yaml:14:15: agents.s.actions[0].do: unknown action 'swpa' (did you mean 'swap'?); allowed: swap, swapExactOut, addLiquidity, removeLiquidity, forge, liquidate, movePrice, cex",
      "s.yaml:15:39: agents.s.actions[1].pay: 'DAI' is not a token of pool 'pool' (ETH, USD)",
      "s.yaml:15:52: agents.s.actions[1].amount: must be > 0 token units, found -1",
    ],
  },
  {
    name: 'an initial base fee below its floor, at initial',
    text: edit('chain: { blockTime: 12, nativeToken: ETH }', 'chain: { blockTime: 12, nativeToken: ETH, baseFee: { initial: 2, mode: eip1559, min: 5 } }'),
    expect: ['s.yaml:3:63: chain.baseFee.initial: must be ≥ chain.baseFee.min (5 gwei), the floor of the base fee, found 2: the fee would start below its floor; lower min to 2 or less as well'],
  },
  {
    name: 'an initial base fee below its floor in fixed mode too',
    text: edit('chain: { blockTime: 12, nativeToken: ETH }', 'chain: { blockTime: 12, nativeToken: ETH, baseFee: { mode: fixed, initial: 0.05, min: 5 } }'),
    expect: ['s.yaml:3:76: chain.baseFee.initial: must be ≥ chain.baseFee.min (5 gwei), the floor of the base fee, found 0.05: the fee would start below its floor; lower min to 0.05 or less as well'],
  },
  {
    name: 'a floor above the default initial base fee, at min',
    text: edit('chain: { blockTime: 12, nativeToken: ETH }', 'chain: { blockTime: 12, nativeToken: ETH, baseFee: { min: 20 } }'),
    expect: ['s.yaml:3:59: chain.baseFee.min: must be ≤ chain.baseFee.initial (10 gwei by default), found 20: the base fee would start below its floor; give initial too, at least 20'],
  },
  {
    name: 'an initial base fee set by --set below the floor in the file, at the --set',
    text: edit('chain: { blockTime: 12, nativeToken: ETH }', 'chain: { blockTime: 12, nativeToken: ETH, baseFee: { initial: 15, min: 5 } }'),
    set: ['chain.blockTime=2', 'chain.baseFee.initial=0.01'],
    expect: ['--set:2:23: chain.baseFee.initial: must be ≥ chain.baseFee.min (5 gwei), the floor of the base fee, found 0.01: the fee would start below its floor; lower min to 0.01 or less as well (in --set chain.baseFee.initial=0.01)'],
  },
  {
    name: 'an initial base fee above its cap',
    text: edit('chain: { blockTime: 12, nativeToken: ETH }', 'chain: { blockTime: 12, nativeToken: ETH, baseFee: { initial: 20, max: 5 } }'),
    expect: ['s.yaml:3:63: chain.baseFee.initial: must be ≤ chain.baseFee.max (5 gwei), the cap of the base fee, found 20: the fee would start above its cap'],
  },
  {
    name: 'a cap below the default initial base fee, at max',
    text: edit('chain: { blockTime: 12, nativeToken: ETH }', 'chain: { blockTime: 12, nativeToken: ETH, baseFee: { max: 5 } }'),
    expect: ['s.yaml:3:59: chain.baseFee.max: must be ≥ chain.baseFee.initial (10 gwei by default), found 5: the fee would start above its cap'],
  },
];

describeErrorCases('reference errors', cases);
