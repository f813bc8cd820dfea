/**
 * `chain.background` in a scenario file: presets resolve to their documented parameters (fields given
 * beside one override it), the normal model resolves as before, and a mixed-up or unstable background
 * is refused at the field, saying what is allowed.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenarios';
import { ScenarioError } from '../../scenarios/errors';

const text = (chain: string) => `name: bg
blocks: 10
chain: { blockTime: 12, nativeToken: ETH, ${chain} }
market: { assets: { ETH: { kind: constant, price: 2000 } } }
tokens: { ETH: {} }
`;
const background = (chain: string) => parseScenario(text(chain), 's.yaml').scenario.chain.background;
function problems(chain: string): string[] {
  try {
    parseScenario(text(chain), 's.yaml');
  } catch (e) {
    return (e as ScenarioError).problems.map((p) => `${p.line}:${p.column}: ${p.path}: ${p.message}`);
  }
  return [];
}

describe('background presets and models', () => {
  it('the l1 and l2 presets are the documented parameters', () => {
    expect(background('background: { model: elastic, preset: l1 }')).toEqual({ model: 'elastic', refFee: 20, priceElasticity: 2, shock: { sigma: 0.8, halfLife: 7200 }, blockNoise: 0.3 });
    expect(background('background: { model: elastic, preset: l2 }')).toEqual({ model: 'elastic', refFee: 0.05, priceElasticity: 2, shock: { sigma: 0.6, halfLife: 1800 }, blockNoise: 0.2 });
  });

  it('fields beside a preset override it one by one; a duration is a half-life', () => {
    expect(background('background: { model: elastic, preset: l1, refFee: 30, shock: { halfLife: 1h } }')).toEqual({ model: 'elastic', refFee: 30, priceElasticity: 2, shock: { sigma: 0.8, halfLife: 3600 }, blockNoise: 0.3 });
  });

  it('without a preset every parameter is given; blockNoise is 0 when left out', () => {
    expect(background('background: { model: elastic, refFee: 5, priceElasticity: 1, shock: { sigma: 0.5, halfLife: 600 } }')).toEqual({ model: 'elastic', refFee: 5, priceElasticity: 1, shock: { sigma: 0.5, halfLife: 600 }, blockNoise: 0 });
  });

  it('the normal model resolves as it always has, with or without `model: normal`', () => {
    expect(background('background: { meanGas: 1000 }')).toEqual({ meanGas: 1000, sdGas: 0 });
    expect(background('background: { model: normal, meanGas: 1000, sdGas: 5 }')).toEqual({ meanGas: 1000, sdGas: 5 });
  });
});

describe('a mixed-up or unstable background is refused at the field', () => {
  it.each([
    ['elastic fields in the normal model', 'background: { meanGas: 1000, refFee: 3 }', ['3:80: chain.background.refFee: belongs to the elastic model: add `model: elastic` (and drop meanGas/sdGas), or remove refFee']],
    ['normal fields in the elastic model', 'background: { model: elastic, preset: l1, sdGas: 3 }', ["3:92: chain.background.sdGas: belongs to the normal model; the elastic model's gas answers the base fee (refFee, priceElasticity, shock)"]],
    ['an elastic model missing its shock', 'background: { model: elastic, refFee: 3, priceElasticity: 1 }', ['3:55: chain.background.shock: shock.sigma is required for the elastic model without a preset (or give `preset: l1` or `l2`)', '3:55: chain.background.shock: shock.halfLife is required for the elastic model without a preset (or give `preset: l1` or `l2`)']],
    ['a price elasticity above D', 'background: { model: elastic, preset: l1, priceElasticity: 9 }', ['3:102: chain.background.priceElasticity: must be at most chain.baseFee.maxChangeDenominator (8), found 9: a larger price elasticity makes the fee overshoot its median every block']],
    ['a preset too elastic for a small D', 'baseFee: { maxChangeDenominator: 1.5 }, background: { model: elastic, preset: l2 }', ['3:121: chain.background.preset: must be at most chain.baseFee.maxChangeDenominator (1.5), found 2: a larger price elasticity makes the fee overshoot its median every block']],
    ['a zero fee the elastic model cannot lift', 'baseFee: { initial: 0 }, background: { model: elastic, preset: l1 }', ['3:63: chain.baseFee.initial: must be > 0 with an elastic background (or give min > 0): EIP-1559 moves the fee by fractions of itself, so a zero fee stays zero']],
  ])('%s', (_, chain, expected) => expect(problems(chain).sort()).toEqual([...expected].sort()));
});
