/**
 * Malformed fields: wrong types, unknown fields and kinds (with suggestions), ranges, NaN and
 * Infinity, integers, huge numbers, missing fields — each with its exact position, path and message.
 */
import { AGENT_KINDS, type ErrorCase, describeErrorCases, edit } from './helpers';

const cases: ErrorCase[] = [
  {
    name: "blocks as a string",
    text: edit('blocks: 10', 'blocks: ten'),
    expect: [
      "s.yaml:2:9: blocks: expected an integer (blocks), found the string 'ten'",
    ],
  },
  {
    name: "chain as a number",
    text: edit('chain: { blockTime: 12, nativeToken: ETH }', 'chain: 5'),
    expect: [
      "s.yaml:3:8: chain: expected a map, found 5",
    ],
  },
  {
    name: "tokens as a list",
    text: edit('tokens: { ETH: {}, USD: { usd: 1 } }', 'tokens: [ETH, USD]'),
    expect: [
      "s.yaml:6:9: tokens: expected a map, found a list of 2",
    ],
  },
  {
    name: "boolean as yes",
    text: edit('blocks: 10', 'blocks: 10\ncheckInvariants: yes'),
    expect: [
      "s.yaml:3:18: checkInvariants: expected true or false, found the string 'yes'",
    ],
  },
  {
    name: "unknown top-level field",
    text: edit('blocks: 10', 'blocks: 10\nseeds: 2'),
    expect: [
      "s.yaml:3:1: seeds: unknown field 'seeds' (did you mean 'seed'?); allowed: $schema, name, description, seed, blocks, duration, numeric, checkInvariants, measureFrom, chain, market, tokens, venues, agents",
    ],
  },
  {
    name: "unknown agent field",
    text: edit('arb: { kind: arbitrageur, venue: pool,', 'arb: { kind: arbitrageur, venue: pool, minProfit: 5,'),
    expect: [
      "s.yaml:11:42: agents.arb.minProfit: unknown field 'minProfit' (did you mean 'minProfitUsd'?); allowed: kind, venue, bid, minProfitUsd, hedge, ignoreGas, every, triad, balances, cexBalances, latency, priorityFee",
    ],
  },
  {
    name: "agent kind typo",
    text: edit('kind: arbitrageur', 'kind: arbitrager'),
    expect: [
      `s.yaml:11:16: agents.arb.kind: unknown kind 'arbitrager' (did you mean 'arbitrageur'?); allowed: ${AGENT_KINDS}`,
    ],
  },
  {
    name: "process kind typo",
    text: edit('kind: gbm', 'kind: gmb'),
    expect: [
      "s.yaml:5:26: market.assets.ETH.kind: unknown kind 'gmb' (did you mean 'gbm'?); allowed: constant, gbm, merton, ou, regime, path, csv",
    ],
  },
  {
    name: "enum typo",
    text: edit('nativeToken: ETH }', 'nativeToken: ETH, ordering: prioirty }'),
    expect: [
      "s.yaml:3:53: chain.ordering: found 'prioirty', allowed: priority, fcfs, random (did you mean 'priority'?)",
    ],
  },
  {
    name: "negative blockTime",
    text: edit('blockTime: 12', 'blockTime: -2'),
    expect: [
      "s.yaml:3:21: chain.blockTime: must be > 0 seconds, found -2",
    ],
  },
  {
    name: "negative fee",
    text: edit('feeBps: 30', 'feeBps: -5'),
    expect: [
      "s.yaml:8:51: venues.pool.feeBps: must be ≥ 0 basis points, found -5",
    ],
  },
  {
    name: "fee of 100%",
    text: edit('feeBps: 30', 'feeBps: 10000'),
    expect: [
      "s.yaml:8:51: venues.pool.feeBps: must be < 10000 basis points, found 10000",
    ],
  },
  {
    name: "NaN sigma",
    text: edit('sigma: 0.8', 'sigma: .nan'),
    expect: [
      "s.yaml:5:51: market.assets.ETH.sigma: expected a finite number (per year), found .nan",
    ],
  },
  {
    name: "infinite price",
    text: edit('price: 2500', 'price: .inf'),
    expect: [
      "s.yaml:5:38: market.assets.ETH.price: expected a finite number (USD), found .inf",
    ],
  },
  {
    name: "probability above 1",
    text: edit('arb: { kind: arbitrageur, venue: pool,', 'arb: { kind: arbitrageur, venue: pool, bid: { kind: share, share: 1.5 },'),
    expect: [
      "s.yaml:11:69: agents.arb.bid.share: must be ≤ 1 (a fraction in [0, 1]), found 1.5",
    ],
  },
  {
    name: "fractional blocks",
    text: edit('blocks: 10', 'blocks: 2.5'),
    expect: [
      "s.yaml:2:9: blocks: expected an integer (blocks), found 2.5",
    ],
  },
  {
    name: "huge blocks",
    text: edit('blocks: 10', 'blocks: 5000000000'),
    expect: [
      "s.yaml:2:9: blocks: must be ≤ 1,000,000,000 blocks, found 5,000,000,000",
    ],
  },
  {
    name: "bad duration",
    text: edit('blocks: 10', 'duration: 2w'),
    expect: [
      "s.yaml:2:11: duration: found '2w', must be a number of seconds, or a number with a unit s, m, h or d (e.g. 90s, 30m, 1.5h, 1d)",
    ],
  },
  {
    name: "missing nativeToken",
    text: edit('chain: { blockTime: 12, nativeToken: ETH }', 'chain:\n  blockTime: 12'),
    expect: [
      "s.yaml:4:3: chain.nativeToken: missing required field 'nativeToken' (a string)",
    ],
  },
  {
    name: "missing name",
    text: edit('name: base\n', ''),
    expect: [
      "s.yaml:1:1: name: missing required field 'name' (a string)",
    ],
  },
  {
    name: "missing agent field",
    text: edit('lp: { kind: lp, venue: pool, balances: { ETH: 100, USD: 250000 } }', 'lp: { kind: lp, balances: { ETH: 100, USD: 250000 } }'),
    expect: [
      "s.yaml:10:7: agents.lp.venue: missing required field 'venue' (a string)",
    ],
  },
  {
    name: "missing kind",
    text: edit('lp: { kind: lp, venue: pool,', 'lp: { venue: pool,'),
    expect: [
      `s.yaml:10:7: agents.lp.kind: missing required field 'kind' (one of: ${AGENT_KINDS})`,
    ],
  },
  {
    name: "bad agent id",
    text: edit('  arb: {', '  arb 1: {'),
    expect: [
      "s.yaml:11:3: agents.arb 1: invalid name 'arb 1': must be letters, digits, '-' and '_', starting with a letter or digit",
    ],
  },
  {
    name: "bad name",
    text: edit('name: base', 'name: Base Case'),
    expect: [
      "s.yaml:1:7: name: found 'Base Case', must be lower-case letters, digits and '-' (e.g. l2-default)",
    ],
  },
  {
    name: "uniform latency min > max",
    text: edit('arb: { kind: arbitrageur, venue: pool,', 'arb: { kind: arbitrageur, venue: pool, latency: { network: { kind: uniform, min: 2, max: 1 } },'),
    expect: [
      "s.yaml:11:92: agents.arb.latency.network.max: must be ≥ min (2 s), found 1",
    ],
  },
  {
    name: "regime start",
    text: edit('ETH: { kind: gbm, price: 2500, sigma: 0.8 }', 'ETH: { kind: regime, price: 2500, regimes: [{ sigma: 0.5, meanDuration: 1d }], start: 1 }'),
    expect: [
      "s.yaml:5:99: market.assets.ETH.start: must be a regime index in [0, 0], found 1",
    ],
  },
  {
    name: "path times",
    text: edit('ETH: { kind: gbm, price: 2500, sigma: 0.8 }', 'ETH: { kind: path, points: [[0, 1], [60, 1.5], [60, 1]] }'),
    expect: [
      "s.yaml:5:61: market.assets.ETH.points[2][0]: times must increase: 60 follows 60",
    ],
  },
  {
    name: "pool of one token",
    text: edit('tokens: [ETH, USD]', 'tokens: [ETH, ETH]'),
    expect: [
      "s.yaml:8:37: venues.pool.tokens[1]: a pool needs two different tokens, found 'ETH' twice",
    ],
  },
  {
    name: "compound pool with a fee",
    text: edit('feeBps: 30 }', 'feeBps: 30, shares: invariant }'),
    expect: [
      "s.yaml:8:51: venues.pool.feeBps: a compound pool (shares: invariant) has no fee: must be 0, found 30",
    ],
  },
];

describeErrorCases('schema errors', cases);
