/** Shared fixtures for the scenario tests: a small valid scenario and a problem collector. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { parseScenario, ScenarioError } from '../../scenarios';
import { agentSchema } from '../../scenarios/schema';
import { literalOf } from '../../scenarios/schema-walk';

export const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures');

/** The agent kinds the format knows, as error messages list them (the catalogue grows with agents/). */
export const AGENT_KINDS = agentSchema.options.map((o) => literalOf(o, 'kind')).join(', ');

/** A valid scenario; its line numbers are relied on by the error catalogue. */
export const BASE = `name: base
blocks: 10
chain: { blockTime: 12, nativeToken: ETH }
market:
  assets: { ETH: { kind: gbm, price: 2500, sigma: 0.8 } }
tokens: { ETH: {}, USD: { usd: 1 } }
venues:
  pool: { kind: cpmm, tokens: [ETH, USD], feeBps: 30 }
agents:
  lp: { kind: lp, venue: pool, balances: { ETH: 100, USD: 250000 } }
  arb: { kind: arbitrageur, venue: pool, balances: { ETH: 10, USD: 25000 } }
`;

/** BASE with `from` replaced by `to` (which must occur exactly once). */
export function edit(from: string, to: string, text = BASE): string {
  const i = text.indexOf(from);
  if (i < 0 || text.indexOf(from, i + 1) >= 0) throw new Error(`'${from}' must occur once`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

/** The formatted problems of a scenario text (fails the test if it loads). */
export function problems(text: string, overrides: string[] = [], file = 's.yaml'): string[] {
  try {
    parseScenario(text, file, overrides);
  } catch (e) {
    if (e instanceof ScenarioError) return e.format().split('\n');
    throw e;
  }
  throw new Error('the scenario loaded without problems');
}

/** One entry of an error catalogue: a scenario text (and overrides) and the exact problems it yields. */
export interface ErrorCase {
  name: string;
  text: string;
  set?: string[];
  expect: string[];
}

/** One test per catalogue entry: the formatted problems must equal `expect`, line for line. */
export function describeErrorCases(title: string, cases: ErrorCase[]): void {
  describe(title, () => {
    it.each(cases.map((c) => [c.name, c] as const))('reports %s precisely', (_name, c) => {
      expect(problems(c.text, c.set ?? [])).toEqual(c.expect);
    });
  });
}
