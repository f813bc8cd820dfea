/**
 * Hedgers in a scenario file: the hedges they hold (triad parity, options, constant mix), the
 * triggers that make them rebalance, and the three hedger kinds — mirroring agents/hedges,
 * agents/triggers and the hedger Spec types (checked at compile time in schema-agents.ts).
 */
import * as z from 'zod';
import type { TriggerSpec } from '../agents/triggers';
import { commonAgentFields, exitRule, fraction, id, integer, kindUnion, nonNegative, once, positive, seconds, tokenName, venue } from './schema-parts';

const triadParity = () => z
  .strictObject({
    kind: z.literal('triad-parity'),
    venue: venue().describe('Id of the triad venue.'),
    budget: nonNegative('"1"').optional().describe('"1" to commit at entry (a pool-proportional forge that leaves the price unchanged).'),
    units: nonNegative('token units').optional().describe('Or: units of each side to forge when the triad is empty (at parity, price 1).'),
    slippage: fraction().default(0.005).describe('On a protected triad, the least "1" its forges accept: the quote less this fraction of the value traded. Default 0.005.'),
  })
  .superRefine((h, ctx) => {
    if (h.budget === undefined && h.units === undefined) ctx.addIssue({ code: 'custom', path: [], input: h, message: 'give `budget` ("1" to commit) or `units` (of each side); with neither the hedge holds nothing' });
  })
  .describe("The seed's volatility hedge: equal value of U and 1/U in a reciprocal triad.");

const option = once(() => z
  .strictObject({
    kind: z.literal('option'),
    option: z.enum(['call', 'put']).describe('Call or put (European).'),
    strike: z.union([positive('USD'), z.literal('atm')]).describe('Strike in quote units (USD), or `atm`: the reference price at entry.'),
    expiry: seconds().describe('Seconds from entry to expiry (or 30d, 12h).'),
    quantity: positive('options').describe('Number of options.'),
    position: z.enum(['short', 'long']).describe('Short (a vault writing options) or long.'),
    asset: id().describe('Market asset of the underlying (a key of `market.assets`).'),
    token: tokenName().optional().describe("Token hedged with. Default: the asset's name."),
    impliedVol: positive('per year').describe('Volatility the option is priced at, per year.'),
    hedgeVol: z.union([positive('per year'), z.literal('implied')]).default('implied').describe('Volatility the hedge delta uses: a number (per year) or `implied`. Default implied.'),
    hedgeOn: z.string().min(1).default('cex').describe('`cex`, or the id of a cpmm venue pairing the token with the quote. Default cex.'),
    slippage: fraction().default(0.01).describe('Slippage tolerance of hedge swaps on a pool. Default 0.01.'),
    priceFrom: z.enum(['reference', 'pool']).default('reference').describe('Spot price for delta: `reference` (the off-chain market) or `pool` (the hedge pool\'s spot price: an on-chain oracle others can push). Default reference.'),
  })
  .describe('A European option held OTC, delta-hedged on the CEX or on a pool.'));

const constantMix = () => z
  .strictObject({
    kind: z.literal('constant-mix'),
    weights: z.record(tokenName(), fraction()).describe('Target weights by value per token, summing to 1 (e.g. { ETH: 0.5, USD: 0.5 }); must include the CEX quote token.'),
  })
  .superRefine((h, ctx) => {
    const sum = Object.values(h.weights).reduce((s, w) => s + w, 0);
    if (!(Math.abs(sum - 1) < 1e-9)) ctx.addIssue({ code: 'custom', path: ['weights'], input: h.weights, message: `weights must sum to 1, they sum to ${sum}` });
  })
  .describe('A constant-mix portfolio held in the CEX account, rebalanced by CEX orders.');

export const hedgeSchema = kindUnion('kind', { 'triad-parity': triadParity, option, 'constant-mix': constantMix }).describe('A hedge position.');

const band = () => nonNegative('fraction');

/** Rebalancing triggers (recursive: `gas-ceiling` wraps one, `any` several). */
export const triggerSchema: z.ZodType<TriggerSpec> = kindUnion('kind', {
  band: () => z.strictObject({ kind: z.literal('band'), band: band().describe('Fire when the legs\' value ratio leaves [1/(1+band), 1+band].') }),
  'price-move': () => z.strictObject({ kind: z.literal('price-move'), threshold: band().describe('Fire when |p/p_last − 1| ≥ threshold (a fraction).') }),
  'profit-gas': () => z.strictObject({ kind: z.literal('profit-gas'), multiple: nonNegative().describe('Fire when the unrealised gain exceeds multiple × the estimated cost of rebalancing.') }),
  interval: () => z.strictObject({ kind: z.literal('interval'), seconds: seconds().describe('Fire every this many seconds since the last rebalance (or 1h, 1d).') }),
  'vol-regime': () =>
    z.strictObject({
      kind: z.literal('vol-regime'),
      band: band().describe('Value-ratio band at the reference volatility.'),
      referenceVol: positive('per year').describe('Volatility at which the band applies as given, per year; the band scales by referenceVol / realised volatility.'),
      minBand: band().default(0).describe('Narrowest band. Default 0.'),
      maxBand: band().optional().describe('Widest band. Default none.'),
    }),
  'delta-band': () => z.strictObject({ kind: z.literal('delta-band'), band: nonNegative('underlying units').describe('Fire when |delta error| exceeds band (underlying units per unit of position).') }),
  'whalley-wilmott': () => z.strictObject({ kind: z.literal('whalley-wilmott') }).describe('The Whalley–Wilmott no-trade band around the Black–Scholes delta (needs the delta hedger\'s `whalleyWilmott`).'),
  'gas-ceiling': () =>
    z.strictObject({
      kind: z.literal('gas-ceiling'),
      gwei: nonNegative('gwei').describe('Let the inner trigger fire only while the base fee is at most this, gwei.'),
      trigger: z.lazy(() => triggerSchema),
    }),
  any: () => z.strictObject({ kind: z.literal('any'), triggers: z.array(z.lazy(() => triggerSchema)).min(1).describe('Fire when any of these fires.') }),
}).describe('When to rebalance: band, price-move, profit-gas, interval, vol-regime, delta-band, whalley-wilmott, gas-ceiling or any.');

/** Fields of every hedger (agents/hedger.ts HedgerSpec, minus hedges, trigger, batch, checkEvery). */
const hedgerFields = {
  atBlock: integer(0).optional().describe('Block to enter before. Default: genesis (no gas).'),
  private: z.boolean().default(false).describe('Send rebalances privately (invisible to searchers). Default false.'),
  volHalfLife: seconds().default(86_400).describe('Half-life of the realised-volatility estimate, seconds (or 12h). Default 86400 (1 day).'),
  ...commonAgentFields,
};
const rebalancing = {
  trigger: triggerSchema,
  checkEvery: integer(1).default(1).describe('Act every this many blocks. Default 1.'),
};

/** The exit rule burns and re-forges triad positions: a hedger with any other hedge cannot leave. */
function exitNeedsTriads(h: { exit?: unknown; hedge: { kind: string } | { kind: string }[] }, ctx: z.RefinementCtx): void {
  if (h.exit === undefined) return;
  const other = (Array.isArray(h.hedge) ? h.hedge : [h.hedge]).find((x) => x.kind !== 'triad-parity');
  if (other !== undefined) ctx.addIssue({ code: 'custom', path: ['exit'], input: h.exit, message: `an exit rule needs every hedge to be a triad-parity position (burned to leave, forged to come back); a ${other.kind} hedge cannot be left before its end` });
}

export const staticHedger = () => z
  .strictObject({ kind: z.literal('static-hedger'), hedge: hedgeSchema, exit: exitRule(), ...hedgerFields })
  .superRefine(exitNeedsTriads)
  .describe('Enters its hedge once and holds it to the end.');

export const rebalancingHedger = () => z
  .strictObject({
    kind: z.literal('rebalancing-hedger'),
    hedge: z.union([hedgeSchema, z.array(hedgeSchema).min(1)]).describe('One hedge, or a list (with `batch` they rebalance together).'),
    ...rebalancing,
    batch: z.boolean().default(false).describe('Rebalance every hedge in one transaction (saves the intrinsic gas). Default false.'),
    exit: exitRule(),
    ...hedgerFields,
  })
  .superRefine(exitNeedsTriads)
  .describe('Holds a hedge and restores its target when the trigger fires.');

export const deltaHedger = () => z
  .strictObject({
    kind: z.literal('delta-hedger'),
    options: z.union([option(), z.array(option()).min(1)]).describe('The options it holds: one, or a list.'),
    ...rebalancing,
    batch: z.boolean().default(true).describe('Hedge every option in one transaction. Default true.'),
    deltaExchange: z.boolean().default(false).describe('Trade the initial hedge and the final unwind with the OTC desk at the reference price. Default false.'),
    whalleyWilmott: z
      .strictObject({
        cost: nonNegative('fraction').describe('Proportional cost per unit traded.'),
        riskAversion: positive().describe('Risk aversion.'),
      })
      .optional()
      .describe('Whalley–Wilmott band parameters (for the whalley-wilmott trigger).'),
    ...hedgerFields,
  })
  .describe('An options vault hedging delta on the CEX or a pool when its trigger fires.');
