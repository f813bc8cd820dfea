/**
 * The study file: a question asked of a base scenario, answered by running sweeps (stages) on the
 * sweep machinery. Common to every kind: name, scenario, set, seed, replicates, metrics (paths or
 * expressions), the objective, and a `quick` size for tests. `kind` selects the study; each kind
 * has its own fields (free-entry: a template's count; cascades: a sweep of chain-reaction counts).
 */
import { z } from 'zod';

const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const objectiveFields = {
    kind: z.enum(['mean', 'meanVariance', 'cvar', 'sharpe']).default('mean').describe('mean; meanVariance (mean − lambda·variance); cvar (mean of the worst `level` fraction); sharpe (mean / sd). Default mean.'),
    lambda: z.number().min(0).optional().describe('Risk aversion of meanVariance, per unit of the metric.'),
    level: z.number().gt(0).max(1).optional().describe('Tail fraction of cvar, e.g. 0.05.'),
};
const objectiveChecks = (o: { kind: string; lambda?: number | undefined; level?: number | undefined }, ctx: z.RefinementCtx): void => {
    if (o.kind === 'meanVariance' && o.lambda === undefined) ctx.addIssue({ code: 'custom', path: ['lambda'], input: o, message: 'meanVariance needs lambda (the weight of the variance)' });
    if (o.kind === 'cvar' && o.level === undefined) ctx.addIssue({ code: 'custom', path: ['level'], input: o, message: 'cvar needs level (the tail fraction, e.g. 0.05)' });
    if (o.kind !== 'meanVariance' && o.lambda !== undefined) ctx.addIssue({ code: 'custom', path: ['lambda'], input: o.lambda, message: `lambda is for kind meanVariance, not ${o.kind}` });
    if (o.kind !== 'cvar' && o.level !== undefined) ctx.addIssue({ code: 'custom', path: ['level'], input: o.level, message: `level is for kind cvar, not ${o.kind}` });
};
export const objectiveSchema = z
  .strictObject({
    metric: z.string().regex(METRIC_NAME).describe('The metric (a name under `metrics`) whose values across replicates the objective rates.'),
    ...objectiveFields,
  })
  .superRefine(objectiveChecks);
/**
 * A best-response study rates each player's own payoff (`players.<id>.payoff`): an objective metric
 * would mean nothing, so it is refused at its place rather than silently ignored.
 */
const gameObjectiveSchema = z
  .strictObject({ metric: z.unknown().optional(), ...objectiveFields })
  .superRefine((o, ctx) => {
    objectiveChecks(o, ctx);
    if (o.metric !== undefined) ctx.addIssue({ code: 'custom', path: ['metric'], input: o.metric, message: "a best-response study rates each player's payoff (players.<id>.payoff), not one metric: remove objective.metric (objective takes only kind, lambda, level here)" });
  })
  .transform(({ metric: _metric, ...rest }) => rest);
/** Free entry rates the marginal entrant's payoff net of its outside option: no metric to name. */
const entryObjectiveSchema = z.strictObject(objectiveFields).superRefine(objectiveChecks);
export type ObjectiveSpec = z.output<typeof objectiveSchema>;

/** A strategy space: a grid of one or more parameters (field paths), crossed. */
const strategySchema = z.record(z.string(), z.strictObject({ values: z.array(z.unknown()).min(1) })).refine((s) => Object.keys(s).length > 0, 'give at least one parameter');

const common = {
  $schema: z.string().optional(),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and -').describe('Study name (names the output folder).'),
  description: z.string().optional(),
  scenario: z.string().min(1).describe('The base scenario file, relative to the study file.'),
  set: z.array(z.string()).default([]).describe('Overrides applied to the base scenario first, as with --set.'),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER - 1_000_000).default(1).describe('Replicate r runs with seed `seed + r` in every stage: common random numbers.'),
  replicates: z.number().int().min(2).max(100_000).default(16).describe('Seeds per evaluated point. Default 16.'),
  metrics: z.record(z.string().regex(METRIC_NAME), z.string().min(1)).refine((m) => Object.keys(m).length > 0, 'name at least one metric').describe('Metric name → summary path or expression, as in a sweep.'),
  objective: objectiveSchema,
  alpha: z.number().gt(0).lt(1).default(0.05).describe('Level of the paired tests ("indistinguishable from the best"). Default 0.05.'),
  chart: z
    .strictObject({
      x: z.enum(['auto', 'log', 'linear']).default('auto').describe('The parameter axis: auto (log when its values are positive and span more than 1.5 decades), log or linear.'),
      y: z.enum(['auto', 'log', 'linear']).default('auto').describe('The metric axis, likewise (a paired difference from the optimum, ≤ 0, stays linear).'),
    })
    .default({ x: 'auto', y: 'auto' })
    .describe("The page's charts: each axis auto, log or linear. Default auto."),
  quick: z
    .strictObject({
      replicates: z.number().int().min(2).max(100_000).optional(),
      set: z.array(z.string()).default([]),
    })
    .optional()
    .describe('The --quick size (for tests): fewer replicates, and overrides appended to set (e.g. a shorter duration).'),
};

const optimise = z.strictObject({
  ...common,
  kind: z.literal('optimise'),
  strategy: strategySchema.describe('The grid searched first: parameter path → { values: [...] }, crossed.'),
  refine: z
    .union([
      z.strictObject({ method: z.literal('none') }),
      z.strictObject({ method: z.literal('golden'), iterations: z.number().int().min(1).max(40).default(6).describe('Golden-section steps between the best grid value\'s neighbours (one numeric parameter).') }),
      z.strictObject({ method: z.literal('halving'), rounds: z.number().int().min(1).max(10).default(2).describe('Rounds of successive halving: the grid at replicates/2^rounds, the better half kept at twice as many, …') }),
    ])
    .default({ method: 'none' }),
  closedForm: z
    .strictObject({
      label: z.string().min(1).describe('What the closed form is, shown on the page (e.g. "(6K/(λB²))^(1/4)").'),
      optimum: z.string().min(1).describe("An expression for the closed-form optimum of the strategy parameter, over the study's metric names (each its mean at the optimum found)."),
      curve: z.string().min(1).optional().describe('An expression for the closed-form objective at parameter value x (the name x, and the metric names as above); drawn as its difference from its value at the optimum found.'),
    })
    .optional()
    .describe('A closed-form approximation to compare the optimum with (one numeric parameter).'),
});

const player = z.strictObject({
  strategies: strategySchema.describe("The player's strategy space: parameter path → { values: [...] }, crossed."),
  payoff: z.string().regex(METRIC_NAME).describe("The metric (a name under `metrics`) that is the player's payoff."),
  start: z.number().int().min(0).default(0).describe('Index of the starting strategy in the crossed grid (the first parameter varies slowest). Default 0.'),
});

const bestResponse = z.strictObject({
  ...common,
  kind: z.literal('best-response'),
  objective: gameObjectiveSchema.default({ kind: 'mean' }).describe("How each player's payoff (players.<id>.payoff) is rated across replicates: kind (mean, meanVariance, cvar, sharpe) with lambda or level; no metric. Default mean."),
  players: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), player).refine((p) => Object.keys(p).length > 0, 'name at least one player'),
  update: z
    .enum(['sequential', 'simultaneous', 'fictitious'])
    .default('sequential')
    .describe("sequential: players answer in turn, each against the latest profile; simultaneous: all answer the same profile; fictitious: fictitious play — every round each player answers the empirical mixture of the profiles played so far (its payoff against it the average of its payoffs against each, replicate by replicate), stopping at a pure equilibrium or after maxRounds with the empirical frequencies as the answer. Default sequential."),
  maxRounds: z.number().int().min(1).max(1000).default(20).describe('Rounds before giving up (fictitious play: the rounds whose empirical frequencies are reported). Default 20.'),
  symmetric: z.boolean().default(false).describe('A symmetric game: the first player answers N − 1 copies of the common strategy, and every player takes its answer (same-length strategy lists).'),
});

const freeEntry = z.strictObject({
  ...common,
  kind: z.literal('free-entry'),
  objective: entryObjectiveSchema.default({ kind: 'mean' }).describe("How the marginal entrant's net payoff across replicates is rated (mean, meanVariance, …): it enters while this is ≥ 0."),
  template: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_-]*$/).describe('The agent template (an agent with a count) whose copies enter one by one.'),
  payoff: z.string().min(1).describe("A copy's payoff: a summary path relative to the agent (e.g. pnl.total)."),
  outside: z
    .union([
      z.strictObject({ rate: z.number().describe('Outside return per year on capital: a copy forgoes rate × its initialValue × the simulated years.') }),
      z.strictObject({ metric: z.string().regex(METRIC_NAME).describe('A name under `metrics` (e.g. a static hold\'s P&L in the same run): the alternative payoff.') }),
    ])
    .describe('The outside option the marginal entrant must beat.'),
  counts: z.strictObject({ from: z.number().int().min(1).default(1), to: z.number().int().min(1).max(10_000) }).describe('The counts searched, from..to.'),
  search: z.enum(['sequential', 'bisect']).default('sequential').describe('sequential: add copies one by one until the marginal one does not enter; bisect: on the count, assuming the net payoff falls with n. Default sequential.'),
});

const cascades = z.strictObject({
  ...common,
  kind: z.literal('cascades'),
  objective: entryObjectiveSchema.default({ kind: 'mean' }).describe('How each metric is rated across replicates (default mean).'),
  sweep: strategySchema.describe('The points compared: parameter path → { values: [...] }, crossed (e.g. a rebalancer count × its band).'),
  window: z.number().int().min(0).max(1_000_000).default(3).describe("Blocks within which an event counts as triggered by another agent's event on the same venue. Default 3."),
});

export const studySchema = z.discriminatedUnion('kind', [optimise, bestResponse, freeEntry, cascades]);
export type StudyFile = z.output<typeof studySchema>;
export type OptimiseStudy = z.output<typeof optimise>;
export type BestResponseStudy = z.output<typeof bestResponse>;
export type FreeEntryStudy = z.output<typeof freeEntry>;
export type CascadesStudy = z.output<typeof cascades>;
