/**
 * The scenario file format (YAML or JSON), as zod schemas. Collections are maps keyed by id, so a
 * `--set agents.arb.bid.share=0.3` path reads naturally; their order in the file is the order the
 * engine gets. Units are in the field names or descriptions; every engine default is applied here
 * and named in the description. Cross-references (a venue naming a token, an agent naming a venue)
 * are checked by `checks.ts`, which sees the whole file.
 */
import * as z from 'zod';
import { DEFAULT_GAS_TABLE, DEFAULT_MAX_BASE_FEE } from '../sim/gas';
import { agentSchema } from './schema-agents';
import { backgroundSchema } from './schema-gas';
import { marketSchema } from './schema-market';
import { DEFAULT_INITIAL_BASE_FEE, MAX_BLOCKS, NAME_PATTERN, feeBps, id, integer, nonNegative, positive, seconds, tokenName } from './schema-parts';

const gas = (field: keyof typeof DEFAULT_GAS_TABLE, what: string) =>
  integer(0, 1e9, 'gas').default(DEFAULT_GAS_TABLE[field]).describe(`${what}, gas. Default ${DEFAULT_GAS_TABLE[field]}.`);

export const chainSchema = z
  .strictObject({
    blockTime: positive('seconds').max(86_400).describe('Seconds between blocks (the mean when blockTimes is exponential): 12 for L1, 2 or 0.25 for an L2.'),
    blockTimes: z.enum(['fixed', 'exponential']).default('fixed').describe('`fixed` intervals or `exponential` gaps (Poisson blocks). Default fixed.'),
    gasLimit: integer(1, 1e12, 'gas').default(30_000_000).describe('Gas limit per block. Default 30000000.'),
    baseFee: z
      .strictObject({
        initial: nonNegative('gwei').default(DEFAULT_INITIAL_BASE_FEE).describe(`Base fee of the first block, gwei per gas; at least min. Default ${DEFAULT_INITIAL_BASE_FEE}.`),
        mode: z.enum(['eip1559', 'fixed', 'csv']).default('eip1559').describe('`eip1559`: moves toward a target of gasLimit/elasticity; `fixed`: constant; `csv`: replayed from `file` (overriding the rule, min, max and the background). Default eip1559.'),
        min: nonNegative('gwei').default(0).describe('Floor of the base fee, gwei per gas; at most initial. Default 0.'),
        max: positive('gwei').max(1e15).default(DEFAULT_MAX_BASE_FEE).describe(`Cap of the base fee, gwei per gas (at most 1e15); at least initial. Default ${DEFAULT_MAX_BASE_FEE} (1 ETH per gas).`),
        elasticity: positive().default(2).describe('Gas limit / gas target. Default 2.'),
        maxChangeDenominator: positive().default(8).describe('The base fee moves by at most 1/maxChangeDenominator per block. Default 8 (±12.5 %).'),
        file: z.string().min(1).optional().describe('mode csv: CSV file of base fees (gwei), relative to the scenario file\'s folder, keyed by a `block` column or a time column; each row\'s fee holds until the next row.'),
        column: z.string().min(1).optional().describe('mode csv: base fee column, gwei. Default: `baseFee`, else the only column besides the key.'),
        timeColumn: z.string().min(1).optional().describe('mode csv: time column when the file has no `block` column: seconds, or ISO dates; the first row is time 0 of the run. Default time.'),
      })
      .superRefine((f, ctx) => {
        if (f.mode === 'csv' && f.file === undefined) ctx.addIssue({ code: 'custom', path: ['file'], input: undefined, message: 'is required with `mode: csv`: the CSV file of base fees to replay' });
        if (f.mode !== 'csv') {
          for (const k of ['file', 'column', 'timeColumn'] as const) if (f[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], input: f[k], message: `is for replaying base fees from a file: add \`mode: csv\`, or remove ${k}` });
        }
      })
      .prefault({})
      .describe('The base fee (burned) and its rule.'),
    ordering: z.enum(['priority', 'fcfs', 'random']).default('priority').describe('How the builder orders transactions: `priority` fee, `fcfs` arrival (an L2 sequencer), `random`. Default priority.'),
    nativeToken: tokenName().describe('Token gas is paid in (a key of `tokens`, e.g. ETH).'),
    gas: z
      .strictObject({
        swap: gas('swap', 'A one-swap transaction'),
        swapExactOut: gas('swapExactOut', 'A one-exact-output-swap transaction'),
        addLiquidity: gas('addLiquidity', 'A deposit transaction'),
        removeLiquidity: gas('removeLiquidity', 'A withdrawal transaction'),
        forge: gas('forge', 'A forge transaction'),
        intrinsic: gas('intrinsic', 'Intrinsic cost of any transaction, counted once'),
        revert: gas('revert', 'Gas burned by a call that reverts'),
      })
      .prefault({})
      .describe('Gas used per transaction of one call of each kind (intrinsic 21000 included).'),
    background: backgroundSchema.optional(),
    replacementBump: nonNegative('fraction')
      .default(0.1)
      .describe('Minimum raise, as a fraction, of both the priority fee and the max fee for a transaction to replace its sender\'s pending one of the same nonce (each strictly higher, by at least this). Default 0.1 (geth).'),
    mempoolTtl: integer(1, 1e9, 'blocks')
      .optional()
      .describe('Blocks a transaction may wait in the mempool, from the first block it could enter, before it expires (EXPIRED: unincluded, no gas). Default: 3 hours of blocks, round(10800 / blockTime) — 900 at 12 s (geth\'s pool lifetime).'),
  })
  .describe('The chain: blocks, gas and the builder.');

export const tokenSchema = z
  .strictObject({
    asset: id().optional().describe('Market asset that prices the token. Default: the asset with the token\'s name.'),
    usd: nonNegative('USD').optional().describe('A fixed USD price (e.g. 1 for a stablecoin).'),
  })
  .nullable()
  .superRefine((t, ctx) => {
    if (t !== null && t.asset !== undefined && t.usd !== undefined) ctx.addIssue({ code: 'custom', path: ['usd'], input: t.usd, message: 'give either `asset` or `usd`, not both' });
  })
  .transform((t) => t ?? {})
  .describe('A token and how it is valued: by a market asset, or a fixed USD price. `{}` (or empty): the asset of the same name.');

const cpmm = z
  .strictObject({
    kind: z.literal('cpmm'),
    tokens: z.tuple([tokenName(), tokenName()]).describe('[token0, token1]; prices are token0 in token1.'),
    feeBps: feeBps().describe('Swap fee, basis points in [0, 10000) (30 = 0.3 %), taken from the input.'),
    shares: z.enum(['uniswap', 'invariant']).default('uniswap').describe('`uniswap`: pro-rata LP shares, first mint √(xy); `invariant`: the Uniteum compound forge, 2√(xy) with fee 0. Default uniswap.'),
    lpToken: tokenName().optional().describe('Name of the LP share token. Default LP-<venue id>.'),
  })
  .superRefine((v, ctx) => {
    if (v.tokens[0] === v.tokens[1]) ctx.addIssue({ code: 'custom', path: ['tokens', 1], input: v.tokens[1], message: `a pool needs two different tokens, found '${v.tokens[1]}' twice` });
    if (v.shares === 'invariant' && v.feeBps !== 0) ctx.addIssue({ code: 'custom', path: ['feeBps'], input: v.feeBps, message: `a compound pool (shares: invariant) has no fee: must be 0, found ${v.feeBps}` });
  })
  .describe('A constant-product pool (Uniswap v2 semantics).');

const triad = z
  .strictObject({
    kind: z.literal('triad'),
    unit: tokenName().describe('The unit U (created unless it is already a token, e.g. a compound pool\'s share token).'),
    reciprocal: tokenName().optional().describe('Name of the reciprocal 1/U. Default 1/<unit>.'),
    one: tokenName().default('1').describe('The invariant token "1" (created if it is not a token). Default 1.'),
    anchor: tokenName().optional().describe('Anchored unit: U wraps this token 1:1 and k = 1. Default none (floating, k = 2).'),
    protected: z.boolean().default(false).describe('Honour a minimum-"1" bound on forge (a mechanism-design variant; the contract has none). Default false.'),
  })
  .describe('A Uniteum reciprocal forge triad (U, 1/U, "1").');

export const venueSchema = z.discriminatedUnion('kind', [cpmm, triad]).describe('An on-chain venue; its id is its key in `venues`.');

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional().describe('JSON Schema of this format, for editors. Ignored by hedgesim.'),
    name: z.string().regex(NAME_PATTERN).describe('Scenario name: lower-case letters, digits and -.'),
    description: z.string().optional().describe('What question the scenario answers.'),
    seed: z
      .union([z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER), z.string().min(1)])
      .default(1)
      .describe('Seed of every random stream: an integer or a string. Default 1.'),
    blocks: integer(1, MAX_BLOCKS, 'blocks').optional().describe(`Number of blocks to produce, at most ${MAX_BLOCKS}. Give this or duration.`),
    duration: seconds({ max: 1e11 })
      .optional()
      .describe('Simulated time: seconds, or a number with a unit s, m, h or d (e.g. 1d). Turned into blocks = ⌈duration / blockTime⌉. Give this or blocks.'),
    numeric: z.enum(['float', 'exact']).default('float').describe('`float`: float64 amounts, fast; `exact`: bigint wei with on-chain rounding. Default float.'),
    checkInvariants: z.boolean().default(false).describe('Check conservation of every token, non-negative balances and the triad invariant after every transaction and block. Default false.'),
    measureFrom: z
      .union([
        z.strictObject({ block: integer(0, MAX_BLOCKS, 'blocks').describe('The end of this block (0: right after genesis).') }),
        z.strictObject({ time: seconds({ allowZero: true, max: 1e11 }).describe('The end of the first block at or after this time (0: right after genesis).') }),
      ])
      .optional()
      .describe('The one point every P&L line is measured from: { block: N } or { time: T }. Default: before genesis, so that what genesis costs counts as activity.'),
    chain: chainSchema,
    market: marketSchema,
    tokens: z.record(tokenName(), tokenSchema).describe('Tokens by name, in order.'),
    venues: z.record(id(), venueSchema).default({}).describe('On-chain venues by id, in order. Default none.'),
    agents: z.record(id(), agentSchema).default({}).describe('Agents by id, in order (the order the engine calls them). Default none.'),
  })
  .describe('A hedgesim scenario.');

/** A validated scenario, defaults applied and durations in seconds. */
export type Scenario = z.output<typeof scenarioSchema>;
/** What a scenario file may hold (before defaults). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type VenueEntry = z.output<typeof venueSchema>;
export type TokenEntry = z.output<typeof tokenSchema>;

/** Number of blocks of a scenario: `blocks`, or ⌈duration / blockTime⌉. */
export function scenarioBlocks(s: Pick<Scenario, 'blocks' | 'duration'> & { chain: { blockTime: number } }): number {
  if (s.blocks !== undefined) return s.blocks;
  // The small slack keeps 0.3 s / 0.1 s at 3 blocks despite binary rounding.
  return Math.max(1, Math.ceil((s.duration ?? 0) / s.chain.blockTime - 1e-9));
}

export { agentSchema, marketSchema };
