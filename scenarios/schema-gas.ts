/**
 * `chain.background` in a scenario file: the gas of everyone outside the simulation. `normal` (the
 * default model, no `model` field needed) draws it afresh each block; `elastic` makes it answer the
 * base fee so the fee has a stationary distribution (sim/background.ts; docs/scenarios.md,
 * "Background demand"), with `preset`s for a typical L1 week and a typical L2.
 */
import { z } from 'zod';
import type { BackgroundConfig, ElasticBackground } from '../sim/background';
import { nonNegative, positive, seconds } from './schema-parts';

type ElasticParams = Omit<ElasticBackground, 'model'>;

/**
 * Documented in docs/scenarios.md with their measured distributions. l1: median 20 gwei, sd of
 * ln(fee) ≈ 0.40 (5–95 % about 9–38 gwei), demand shocks lasting hours; l2: median 0.05 gwei, sd ≈ 0.30.
 */
export const BACKGROUND_PRESETS: Readonly<Record<'l1' | 'l2', Readonly<ElasticParams>>> = {
  l1: { refFee: 20, priceElasticity: 2, shock: { sigma: 0.8, halfLife: 7200 }, blockNoise: 0.3 },
  l2: { refFee: 0.05, priceElasticity: 2, shock: { sigma: 0.6, halfLife: 1800 }, blockNoise: 0.2 },
};

const ELASTIC_FIELDS = ['preset', 'refFee', 'priceElasticity', 'shock', 'blockNoise'] as const;

export const backgroundSchema = z
  .strictObject({
    model: z.enum(['normal', 'elastic']).optional().describe('`normal`: gas drawn afresh each block (meanGas, sdGas); `elastic`: gas that answers the base fee, so the fee is stationary. Default normal.'),
    meanGas: nonNegative('gas').optional().describe('normal: mean gas used per block by users outside the simulation (required).'),
    sdGas: nonNegative('gas').optional().describe('normal: standard deviation of that gas, truncated to [0, the room left in the block]; 0 when left out.'),
    preset: z.enum(['l1', 'l2']).optional().describe('elastic: `l1` (a typical L1 week: median 20 gwei) or `l2` (median 0.05 gwei); fields given beside it override it.'),
    refFee: positive('gwei').optional().describe('elastic: the median base fee demand settles at, gwei.'),
    priceElasticity: positive().optional().describe('elastic: β = −d ln(gas) / d ln(base fee), at most chain.baseFee.maxChangeDenominator.'),
    shock: z
      .strictObject({
        sigma: nonNegative('ln gas').optional().describe('Stationary standard deviation of the shock X in ln gas.'),
        halfLife: seconds().optional().describe('Half-life of the shock, seconds (or 30m, 2h).'),
      })
      .optional()
      .describe('elastic: the Ornstein–Uhlenbeck demand shock X.'),
    blockNoise: nonNegative('ln gas').optional().describe('elastic: standard deviation of independent per-block noise in ln gas; the preset\'s with a preset, else 0 when left out.'),
  })
  .superRefine((b, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, input: undefined, message });
    if (b.model !== 'elastic') {
      for (const f of ELASTIC_FIELDS) if (b[f] !== undefined) issue([f], `belongs to the elastic model: add \`model: elastic\` (and drop meanGas/sdGas), or remove ${f}`);
      if (b.meanGas === undefined) issue(['meanGas'], 'is required for the normal model (or give `model: elastic` with a preset or refFee, priceElasticity and shock)');
      return;
    }
    for (const f of ['meanGas', 'sdGas'] as const) if (b[f] !== undefined) issue([f], `belongs to the normal model; the elastic model's gas answers the base fee (refFee, priceElasticity, shock)`);
    if (b.preset !== undefined) return;
    if (b.refFee === undefined) issue(['refFee'], 'is required for the elastic model without a preset (or give `preset: l1` or `l2`)');
    if (b.priceElasticity === undefined) issue(['priceElasticity'], 'is required for the elastic model without a preset (or give `preset: l1` or `l2`)');
    if (b.shock?.sigma === undefined) issue(b.shock === undefined ? ['shock'] : ['shock', 'sigma'], (b.shock === undefined ? 'shock.sigma ' : '') + 'is required for the elastic model without a preset (or give `preset: l1` or `l2`)');
    if (b.shock?.halfLife === undefined) issue(b.shock === undefined ? ['shock'] : ['shock', 'halfLife'], (b.shock === undefined ? 'shock.halfLife ' : '') + 'is required for the elastic model without a preset (or give `preset: l1` or `l2`)');
  })
  .transform((b): BackgroundConfig => {
    if (b.model !== 'elastic') return { meanGas: b.meanGas!, sdGas: b.sdGas ?? 0 };
    const p = b.preset === undefined ? undefined : BACKGROUND_PRESETS[b.preset];
    return {
      model: 'elastic',
      refFee: b.refFee ?? p!.refFee,
      priceElasticity: b.priceElasticity ?? p!.priceElasticity,
      shock: { sigma: b.shock?.sigma ?? p!.shock.sigma, halfLife: b.shock?.halfLife ?? p!.shock.halfLife },
      blockNoise: b.blockNoise ?? p?.blockNoise ?? 0,
    };
  })
  .describe('Gas of everyone outside the simulation (it only moves the base fee): `normal` (meanGas, sdGas) or `elastic` (answers the base fee; see docs/scenarios.md, "Background demand"). Ignored when base fees are replayed from a file. Default none.');
