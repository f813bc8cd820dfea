/** Located errors for the tracker's budget and the speculator's fields (issue 13). */
import { expect, it } from 'vitest';
import { describeErrorCases, edit, problems, type ErrorCase } from './helpers';

const TRIAD = edit(
  "  arb: { kind: arbitrageur, venue: pool, balances: { ETH: 10, USD: 25000 } }\n",
  `  arb: { kind: arbitrageur, venue: pool, balances: { ETH: 10, USD: 25000 } }
  t:
    kind: tracker
    venue: tri
    target: { assets: { ETH: 0.5 } }
    maxSpend: { amount: 100, unit: usd, per: day }
  s:
    kind: speculator
    venue: tri
    fair: { assets: { ETH: 0.5 } }
    maxPosition: { amount: 1000, unit: usd }
    minReturn: 0.01
`,
).replace("  pool: { kind: cpmm, tokens: [ETH, USD], feeBps: 30 }\n", "  pool: { kind: cpmm, tokens: [ETH, USD], feeBps: 30 }\n  tri: { kind: triad, unit: U }\n");

it('the fixture loads', () => {
  expect(() => problems(TRIAD)).toThrow('loaded without problems');
});

const cases: ErrorCase[] = [
  {
    name: 'a spend unit that is neither usd nor "1"',
    text: TRIAD.replace('unit: usd, per: day', 'unit: eur, per: day'),
    expect: ["s.yaml:17:36: agents.t.maxSpend.unit: found 'eur', allowed: 1, usd"],
  },
  {
    name: 'a spend period that is neither run nor day',
    text: TRIAD.replace('unit: usd, per: day', 'unit: usd, per: week'),
    expect: ["s.yaml:17:46: agents.t.maxSpend.per: found 'week', allowed: run, day"],
  },
  {
    name: 'a negative maxSpendPerBlock',
    text: TRIAD.replace('    maxSpend: { amount: 100, unit: usd, per: day }\n', '    maxSpendPerBlock: -1\n'),
    expect: ['s.yaml:17:23: agents.t.maxSpendPerBlock: must be > 0, found -1'],
  },
  {
    name: 'a speculator on a pool',
    text: TRIAD.replace("    kind: speculator\n    venue: tri", "    kind: speculator\n    venue: pool"),
    expect: ["s.yaml:20:12: agents.s.venue: a speculator agent needs a triad venue; 'pool' is a cpmm"],
  },
  {
    name: "a speculator's fair value on an unknown asset",
    text: TRIAD.replace('    fair: { assets: { ETH: 0.5 } }', '    fair: { assets: { BTC: 0.5 } }'),
    expect: ["s.yaml:21:23: agents.s.fair.assets.BTC: unknown market asset 'BTC'; assets: ETH"],
  },
  {
    name: 'a position limit in an unknown unit',
    text: TRIAD.replace('maxPosition: { amount: 1000, unit: usd }', 'maxPosition: { amount: 1000, unit: eth }'),
    expect: ["s.yaml:22:40: agents.s.maxPosition.unit: found 'eth', allowed: usd, units"],
  },
  {
    name: 'a speculator without minReturn',
    text: TRIAD.replace('    minReturn: 0.01\n', ''),
    expect: ["s.yaml:19:5: agents.s.minReturn: missing required field 'minReturn' (a number (a fraction))"],
  },
];

describeErrorCases('tracker budget and speculator fields', cases);
