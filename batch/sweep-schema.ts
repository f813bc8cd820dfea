/**
 * The sweep file: a base scenario, the parameters to vary (by field path, as `--set` paths), the
 * replicates (seeds) and the metrics to collect (paths into the run summary).
 */
import * as z from 'zod';
import { patternWords } from '../scenarios/schema-parts';

const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Error messages name a pattern by these words (scenarios/issues.ts).
patternWords.set(METRIC_NAME.source, 'letters, digits and _, not starting with a digit');

const number = z.number().refine(Number.isFinite, 'must be a finite number');
const range = z.tuple([number, number]).refine(([a, b]) => a < b, 'must be [low, high] with low < high');

export const parameterSchema = z.union([
  z.strictObject({ values: z.array(z.unknown()).min(1).describe('Grid axis: every value, crossed with the other grid axes.') }),
  z.strictObject({ uniform: range.describe('Uniform draws on [low, high], one per sample.') }),
  z.strictObject({ logUniform: range.refine(([a]) => a > 0, 'a log-uniform range must be positive').describe('Log-uniform draws on [low, high] (both > 0), one per sample.') }),
  z.strictObject({ lhs: range.describe('Latin hypercube over [low, high], jointly with the other lhs parameters, one stratum per sample.') }),
  z.strictObject({ lhsLog: range.refine(([a]) => a > 0, 'a log range must be positive').describe('Latin hypercube on a log scale over [low, high].') }),
]);
export type ParameterSpec = z.infer<typeof parameterSchema>;

export const sweepSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and -')
    .describe('Sweep name (names the output folder).'),
  description: z.string().optional(),
  scenario: z.string().min(1).describe('The base scenario file, relative to the sweep file.'),
  set: z.array(z.string()).default([]).describe('Overrides applied to the base scenario first, as with --set.'),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER - 1_000_000).default(1).describe('Replicate r runs with seed `seed + r` at every point: common random numbers.'),
  replicates: z.number().int().min(1).max(100_000).default(1).describe('Seeds per parameter point.'),
  samples: z.number().int().min(1).max(1_000_000).optional().describe('Draws for uniform, log-uniform and Latin-hypercube parameters.'),
  parameters: z.record(z.string(), parameterSchema).default({}).describe('Parameters by field path (e.g. agents.arb.bid.share).'),
  points: z.array(z.record(z.string(), z.unknown())).optional().describe('An explicit list of points (field path → value), crossed with the grid and the samples.'),
  metrics: z.record(z.string().regex(METRIC_NAME, 'a metric name is letters, digits and _'), z.string().min(1)).refine((m) => Object.keys(m).length > 0, 'name at least one metric').describe('Metric name → path in the run summary, e.g. agents.lp.pnl.fees.'),
  cascadeWindow: z.number().int().min(0).max(1_000_000).default(3).describe('For cascade.* metrics: an event within this many blocks after another agent\'s event on the same venue counts as triggered by it. Default 3.'),
  baseline: z.record(z.string(), z.unknown()).optional().describe('A point of the sweep (field path → value): the aggregate adds paired differences against it.'),
  quantiles: z
    .array(z.number().min(0).max(1))
    .max(20)
    .refine((q) => new Set(q).size === q.length, 'each quantile once')
    .optional()
    .describe('Quantiles of each metric across the replicates of a point, as summary.csv columns <metric>_q<percent> (e.g. [0.05, 0.5, 0.95]). Default none.'),
  seedSalt: z.number().int().optional().describe('Seed of the random and Latin-hypercube draws of parameter values. Default: `seed`.'),
});
export type SweepFile = z.output<typeof sweepSchema>;
