/**
 * The reference market in a scenario file: one price process per asset (every engine process kind,
 * plus `csv`, a price column read from a file), the correlation matrix and the off-chain venue.
 */
import * as z from 'zod';
import { finite, id, integer, kindUnion, nonNegative, once, positive, seconds, tokenName } from './schema-parts';

const price = () => positive('USD').describe('Initial price, USD per unit.');
const mu = () => finite('per year').default(0).describe('Drift μ, per year (0: the price is a martingale). Default 0.');
const sigma = () => nonNegative('per year').describe('Volatility σ, per year (0.8 = 80 %/√year).');

const constant = () => z.strictObject({ kind: z.literal('constant'), price: price() }).describe('A constant price.');

const gbm = () => z
  .strictObject({ kind: z.literal('gbm'), price: price(), mu: mu(), sigma: sigma() })
  .describe('Geometric Brownian motion: d ln P = (μ − σ²/2) dt + σ dW.');

const merton = () => z
  .strictObject({
    kind: z.literal('merton'),
    price: price(),
    mu: mu(),
    sigma: sigma(),
    jumpRate: nonNegative('per year').describe('Mean number of jumps per year.'),
    jumpMean: finite('log price').describe('Mean of the log jump size.'),
    jumpSd: nonNegative('log price').describe('Standard deviation of the log jump size.'),
  })
  .describe('Merton jump-diffusion: GBM plus Poisson jumps with normal log sizes (drift-compensated).');

const ou = () => z
  .strictObject({
    kind: z.literal('ou'),
    price: price(),
    mean: positive('USD').describe('Long-run price the log price reverts to, USD.'),
    kappa: nonNegative('per year').describe('Speed of mean reversion, per year.'),
    sigma: sigma(),
  })
  .describe('Ornstein–Uhlenbeck in log price, reverting to ln(mean) at speed kappa.');

const regime = () => z
  .strictObject({
    kind: z.literal('regime'),
    price: price(),
    mu: mu(),
    regimes: z
      .array(
        z.strictObject({
          sigma: sigma(),
          meanDuration: seconds().describe('Mean time spent in this regime, seconds (or 6h, 2d).'),
        }),
      )
      .min(1)
      .describe('Volatility regimes, visited in order (then back to the first); each lasts an exponential time.'),
    start: integer(0, 1_000_000).default(0).describe('Index of the regime in force at time 0. Default 0.'),
  })
  .superRefine((v, ctx) => {
    if (v.start >= v.regimes.length) {
      ctx.addIssue({ code: 'custom', path: ['start'], input: v.start, message: `must be a regime index in [0, ${v.regimes.length - 1}], found ${v.start}` });
    }
  })
  .describe('Regime-switching volatility.');

const interpolate = z.enum(['step', 'linear']).default('step').describe('`step` holds each price until the next point; `linear` interpolates. Default step.');

const path = () => z
  .strictObject({
    kind: z.literal('path'),
    points: z
      .array(z.tuple([nonNegative('seconds'), positive('USD')]))
      .min(1)
      .describe('Scripted (time in seconds, price in USD) points, times increasing from 0.'),
    interpolate,
  })
  .superRefine((v, ctx) => {
    for (let i = 1; i < v.points.length; i++) {
      if (!(v.points[i]![0] > v.points[i - 1]![0])) {
        ctx.addIssue({ code: 'custom', path: ['points', i, 0], input: v.points[i]![0], message: `times must increase: ${v.points[i]![0]} follows ${v.points[i - 1]![0]}` });
      }
    }
  })
  .describe('A scripted price path, e.g. the seed\'s 1 → 1.5 → 1.');

export const csvProcessSchema = once(() => z
  .strictObject({
    kind: z.literal('csv'),
    file: z.string().min(1).describe('CSV file of prices, relative to the scenario file\'s folder.'),
    column: z.string().min(1).optional().describe('Price column. Default: the column named after the asset, else the only column besides the time column.'),
    timeColumn: z.string().min(1).default('time').describe('Time column: seconds, or ISO dates; the first row is time 0 of the run. Default time.'),
    interpolate,
  })
  .describe('Historical prices from a CSV file (read into a scripted path).'));

export const processSchema = kindUnion('kind', { constant, gbm, merton, ou, regime, path, csv: csvProcessSchema })
  .describe('Price process of one asset (prices in USD, rates and volatilities per year, times in seconds).');

export type ProcessEntry = z.output<typeof processSchema>;
export type CsvProcess = z.output<ReturnType<typeof csvProcessSchema>>;

export const cexSchema = z
  .strictObject({
    quote: tokenName().describe('Token CEX orders are priced and settled in (e.g. USD).'),
    halfSpreadBps: nonNegative('basis points').default(0).describe('Half the bid–ask spread, basis points. Default 0.'),
    feeBps: nonNegative('basis points').default(0).describe('Fee on the traded value, basis points. Default 0.'),
    impact: nonNegative('per token unit').default(0).describe('Linear temporary impact: the fill price moves by impact × qty (a fraction per token unit). Default 0.'),
  })
  .describe('The off-chain venue: fills at the reference price ± half spread, plus a fee, after the agent\'s CEX latency, with unlimited depth.');

export const marketSchema = z
  .strictObject({
    tick: positive('seconds').optional().describe('Grid step of the price processes, seconds. Default: the block time (1 s or less with exponential blocks).'),
    assets: z.record(id(), processSchema).describe('Price process per asset id, in the order the correlation matrix uses.'),
    correlation: z
      .array(z.array(z.number().min(-1).max(1)))
      .optional()
      .describe('Correlation matrix of the assets\' shocks, in the order of `assets` (symmetric, ones on the diagonal). Default: independent.'),
    cex: cexSchema.optional(),
  })
  .describe('The off-chain reference market.');
