/**
 * `--set` problems: paths the format does not have, values of the wrong type, malformed
 * overrides — reported against the pseudo-file `--set` (line n: the n-th override).
 */
import { BASE, type ErrorCase, describeErrorCases } from './helpers';

const cases: ErrorCase[] = [
  {
    name: "set unknown field",
    text: BASE,
    set: ['agents.arb.bdi.share=0.3'],
    expect: [
      "--set:1:12: agents.arb.bdi: unknown field 'bdi' (did you mean 'bid'?); allowed: kind, venue, bid, minProfitUsd, hedge, ignoreGas, every, triad, balances, cexBalances, latency, priorityFee (in --set agents.arb.bdi.share=0.3)",
    ],
  },
  {
    name: "set unknown entry",
    text: BASE,
    set: ['agents.ar.priorityFee=1'],
    expect: [
      "--set:1:8: agents.ar: no entry 'ar' in agents (did you mean 'arb'?); entries: lp, arb (in --set agents.ar.priorityFee=1)",
    ],
  },
  {
    name: "set bad value",
    text: BASE,
    set: ['chain.blockTime=fast', 'agents.arb.priorityFee=-1'],
    expect: [
      "--set:1:17: chain.blockTime: expected a number (seconds), found the string 'fast' (in --set chain.blockTime=fast)",
      "--set:2:24: agents.arb.priorityFee: must be ≥ 0 gwei, found -1 (in --set agents.arb.priorityFee=-1)",
    ],
  },
  {
    name: "set malformed",
    text: BASE,
    set: ['blocks', 'agents..arb=1', 'agents.arb.priorityFee='],
    expect: [
      "--set:1:1: expected path=value, found 'blocks' (in --set blocks)",
      "--set:2:8: malformed path 'agents..arb' at '.arb' (use a.b.c or a.b[0]) (in --set agents..arb=1)",
      "--set:3:24: agents.arb.priorityFee: no value after '=' (in --set agents.arb.priorityFee=)",
    ],
  },
  {
    name: "set yaml error",
    text: BASE,
    set: ['chain.gas={ swap: 1'],
    expect: [
      "--set:1:20: chain.gas: cannot read the value '{ swap: 1': Flow map must end with a } (in --set chain.gas={ swap: 1)",
    ],
  },
  {
    name: "set index",
    text: BASE,
    set: ['venues.pool.tokens[2]=DAI', 'market.correlation[0][0]=1'],
    expect: [
      "--set:1:19: venues.pool.tokens[2]: index 2 is out of range: 'venues.pool.tokens' has 2 items (in --set venues.pool.tokens[2]=DAI)",
      "--set:2:19: market.correlation[0]: 'market.correlation' is not a list in the file; set the whole list, e.g. --set market.correlation=[…] (in --set market.correlation[0][0]=1)",
    ],
  },
  {
    name: "set through a scalar",
    text: BASE,
    set: ['blocks.count=5'],
    expect: [
      "--set:1:8: blocks.count: 'blocks' is an integer; it has no field 'count' (in --set blocks.count=5)",
    ],
  },
  {
    name: "set token ref",
    text: BASE,
    set: ['agents.lp.balances.DAI=5', 'venues.pool.tokens=[ETH, DAI]'],
    expect: [
      "--set:1:20: agents.lp.balances.DAI: unknown token 'DAI'; tokens: ETH, USD, LP-pool (in --set agents.lp.balances.DAI=5)",
      "--set:2:26: venues.pool.tokens[1]: unknown token 'DAI'; tokens: ETH, USD (in --set venues.pool.tokens=[ETH, DAI])",
    ],
  },
];

describeErrorCases('override errors', cases);
