/**
 * Agents in a scenario file: one strict object per agent kind, mirroring each agent's Spec type
 * field by field (the id is the map key). Compile-time checks at the bottom fail the build if an
 * agent Spec gains or loses a field the schema does not have.
 */
import * as z from 'zod';
import type { AgentSpec } from '../agents';
import { deltaHedger, rebalancingHedger, staticHedger } from './schema-hedgers';
import { searcher } from './schema-searcher';
import { amount, commonAgentFields, exitRule, venue, finite, fraction, integer, kindUnion, nonNegative, positive, seconds, tokenName } from './schema-parts';


const lp = () => z
  .strictObject({
    kind: z.literal('lp'),
    venue: venue(),
    deposit: z
      .tuple([nonNegative('token units'), nonNegative('token units')])
      .optional()
      .describe('Amounts of token0 and token1 to deposit (for a triad: [U, 1/U] to forge). Default: all it holds of both.'),
    atBlock: integer(0).optional().describe('Block to deposit before. Default: genesis.'),
    exit: exitRule(),
    ...commonAgentFields,
  })
  .describe('A liquidity provider: deposits into a pool (or holds a pool-proportional triad position).');

const noise = () => z
  .strictObject({
    kind: z.literal('noise'),
    venue: venue(),
    meanInterval: seconds().describe('Mean seconds between orders (Poisson arrivals); also 30s, 5m.'),
    medianUsd: positive('USD').describe('Median order size, USD.'),
    logSd: nonNegative('log USD').default(1).describe('Standard deviation of log order size. Default 1.'),
    buyProbability: fraction().default(0.5).describe('Probability an order buys token0. Default 0.5.'),
    slippage: fraction().default(0.01).describe('Slippage tolerance as a fraction of the quote (0.005 = 0.5 %). Default 0.01.'),
    privateShare: fraction().default(0).describe('Share of orders sent privately (invisible to searchers). Default 0.'),
    deadlineBlocks: integer(1).optional().describe('Blocks an order stays valid. Default: no deadline.'),
    ...commonAgentFields,
  })
  .describe('Retail flow: Poisson arrivals, lognormal USD sizes, random side, a slippage bound.');

const bid = () =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('fixed'), gwei: nonNegative('gwei').describe('Priority fee, gwei per gas.') }).describe('A fixed priority fee.'),
    z
      .strictObject({
        kind: z.literal('share'),
        share: fraction().describe('Share of the expected profit (after base fee) given to the proposer, in [0, 1].'),
        jitter: fraction().default(0).describe('Relative jitter of the share, ±jitter uniformly. Default 0.'),
      })
      .describe('Bid a share of the expected profit.'),
  ])
  .describe('Priority-fee bidding rule. Default: fixed at the agent\'s priorityFee.');

const arbitrageur = () => z
  .strictObject({
    kind: z.literal('arbitrageur'),
    venue: venue(),
    bid: bid().optional(),
    minProfitUsd: finite('USD').default(0).describe('Minimum expected profit after gas, USD. Default 0.'),
    hedge: z.boolean().default(false).describe('Offset every fill on the CEX. Default false.'),
    ignoreGas: z.boolean().default(false).describe('Ignore gas when deciding (for fee-only studies). Default false.'),
    every: z.number().int().min(1).default(1).describe('Look for an opportunity every this many blocks (a slow arbitrageur). Default 1.'),
    triad: venue().optional().describe('Arbitrage the pool against this triad instead of the reference market: the pool must trade the triad\'s U or 1/U against its "1". Default none.'),
    ...commonAgentFields,
  })
  .describe('Closes pool–reference (or pool–triad) mispricing with the optimal size after fee and gas.');

const spendLimit = () => z
  .strictObject({
    amount: positive().describe('The amount, in `unit`.'),
    unit: z.enum(['usd', '1']).default('usd').describe('`usd`, or `"1"` (the triad\'s invariant token). Default usd.'),
    per: z.enum(['run', 'day']).default('run').describe('`run`: for the whole run; `day`: each day of simulated time from t = 0, afresh. Default run.'),
  })
  .describe('A cap on spend: { amount, unit: usd | "1", per: run | day }.');

const tracker = () => z
  .strictObject({
    kind: z.literal('tracker'),
    venue: venue(),
    target: z
      .strictObject({
        assets: z.record(z.string(), finite('exponent')).describe('Exponent per market asset: target USD value of one U = scale · Π P_asset^exponent.'),
        scale: positive().default(1).describe('Scale factor of the target. Default 1.'),
      })
      .describe('Target USD value of one unit U.'),
    mode: z.enum(['zero-cost', 'mint']).default('zero-cost').describe('`zero-cost`: move along u·v = const (burning inventory); `mint`: mint only (costs "1"). Default zero-cost.'),
    tolerance: nonNegative('fraction').default(0).describe('Relative deviation tolerated before forging. Default 0.'),
    initial: z.tuple([nonNegative('token units'), nonNegative('token units')]).optional().describe('Forge [U, 1/U] at genesis to create inventory (pays "1"). Default none.'),
    every: integer(1).default(1).describe('Act every this many blocks. Default 1.'),
    maxSpend: spendLimit().optional().describe('Most it spends — what its moves hand the other holders of U and 1/U, plus its gas — per day or for the run; it stops when that is spent. Default: no cap.'),
    maxSpendPerBlock: positive().optional().describe('Most one move may spend, in maxSpend\'s unit (USD without maxSpend); a dearer move is shortened. Default: no cap.'),
    offPegBand: positive('log ratio').default(0.01).describe('|ln(price / target)| beyond which a block counts as off-peg in its metrics. Default 0.01.'),
    ...commonAgentFields,
  })
  .describe('Forges a triad toward a target price made from reference prices, within a spending budget.');

const speculator = () => z
  .strictObject({
    kind: z.literal('speculator'),
    venue: venue(),
    fair: z
      .strictObject({
        assets: z.record(z.string(), finite('exponent')).describe('Exponent per market asset: fair USD value of one U = scale · Π P_asset^exponent.'),
        scale: positive().default(1).describe('Scale factor. Default 1.'),
      })
      .describe('Fair USD value of one unit U, as a tracker\'s target.'),
    belief: z
      .strictObject({
        sd: nonNegative('log ratio').describe('Stationary standard deviation of ln(belief / fair).'),
        halfLife: seconds().describe('Half-life of its mean reversion, seconds (or 1d, 12h).'),
      })
      .optional()
      .describe('A belief that mean-reverts around the fair value (Ornstein–Uhlenbeck in logs, stream agent:<id>:belief). Default: the fair value itself.'),
    maxPosition: z
      .strictObject({
        amount: positive().describe('The limit, in `unit`.'),
        unit: z.enum(['usd', 'units']).default('usd').describe('`usd`: USD at its fair value; `units`: units of the side held (U or 1/U). Default usd.'),
      })
      .describe('Most it holds of the side it is long.'),
    minReturn: nonNegative('fraction').describe('Least expected return of a trade at its fair value, after gas (0.01 = 1 %).'),
    every: integer(1).default(1).describe('Act every this many blocks. Default 1.'),
    exit: exitRule(),
    active: z.boolean().default(true).describe('In the market at the start (out: sells what it holds, then idles). Default true.'),
    ...commonAgentFields,
  })
  .describe('Trades a triad\'s units on its view of U\'s fair value when the expected return beats minReturn, within a position limit.');

const actionCommon = () => ({
  block: integer(0).optional().describe('Block to act before (included in it with zero latency). Default 0 unless genesis.'),
  genesis: z.boolean().optional().describe('Act at genesis (time 0, no gas, no fee) instead of at a block.'),
  priorityFee: nonNegative('gwei').optional().describe('Priority fee of this action, gwei per gas. Default: the agent\'s.'),
  private: z.boolean().default(false).describe('Send privately to the builder. Default false.'),
  tag: z.string().min(1).optional().describe('Tag in the transaction log. Default: the action name.'),
});

/** The actions of a scripted agent (built with it, when a scenario has one). */
function actionSchema() {
  const common = actionCommon();
  const action = <N extends string, T extends z.ZodRawShape>(name: N, shape: T, describe: string) =>
    z.strictObject({ do: z.literal(name), ...shape, ...common }).describe(describe);
  return z.discriminatedUnion('do', [
    action(
      'swap',
      {
        venue: venue(),
        pay: tokenName().describe('Token paid in.'),
        amount: amount({ positive: true }),
        minOut: amount().optional().describe('Least amount out accepted (token units), else the swap reverts; none when absent.'),
        slippage: fraction().optional().describe('Instead of minOut: accept the quote less this fraction of it, the quote computed at submission from the reserves the agent sees.'),
      },
      'Pay `amount` of `pay` into the pool.',
    ),
    action('swapExactOut', { venue: venue(), receive: tokenName().describe('Token received.'), amount: amount({ positive: true }), maxIn: amount().optional() }, 'Receive exactly `amount` of `receive`.'),
    action('addLiquidity', { venue: venue(), amounts: z.tuple([amount(), amount()]), minShares: amount().optional() }, 'Deposit [token0, token1].'),
    action('removeLiquidity', { venue: venue(), shares: z.union([amount(), z.literal('all')]), min: z.tuple([amount(), amount()]).optional() }, 'Burn LP shares (`all`: every share held).'),
    action('forge', { venue: venue(), du: amount({ signed: true }), dv: amount({ signed: true }), minOne: amount({ signed: true }).optional() }, 'forge(du, dv) on a triad or compound pool.'),
    action('liquidate', { venue: venue() }, 'Burn every U and 1/U held.'),
    action('movePrice', { venue: venue(), price: positive('"1" per U').describe('Target price of U in "1".'), mode: z.enum(['zero-cost', 'mint']).optional() }, 'Move a triad\'s price of U to `price`.'),
    action('cex', { token: tokenName(), qty: finite('token units').describe('Quantity: > 0 buys, < 0 sells.') }, 'A CEX order.'),
  ]);
}

const scripted = () => z
  .strictObject({
    kind: z.literal('scripted'),
    actions: z
      .array(
        actionSchema().superRefine((a, ctx) => {
          if (a.genesis === true && a.block !== undefined) ctx.addIssue({ code: 'custom', path: ['block'], input: a.block, message: 'an action runs either at genesis or at a block, not both' });
          if (a.do === 'swap' && a.minOut !== undefined && a.slippage !== undefined) ctx.addIssue({ code: 'custom', path: ['slippage'], input: a.slippage, message: 'give either minOut (an absolute bound) or slippage (a fraction of the quote), not both' });
        }),
      )
      .describe('Actions, each at a block or at genesis.'),
    ...commonAgentFields,
  })
  .describe('Executes a list of actions at given blocks (to reproduce worked examples exactly).');

export const agentSchema = kindUnion('kind', {
  lp,
  noise,
  arbitrageur,
  tracker,
  speculator,
  scripted,
  'static-hedger': staticHedger,
  'rebalancing-hedger': rebalancingHedger,
  'delta-hedger': deltaHedger,
  searcher,
}).describe('An agent; its id is its key in `agents`.');

export type AgentEntry = z.output<typeof agentSchema>;

// ---- compile-time mirror checks: each schema has exactly the fields of its Spec (minus id) ----
type Spec<K extends AgentSpec['kind']> = Omit<Extract<AgentSpec, { kind: K }>, 'id'>;
type Entry<K extends AgentSpec['kind']> = Extract<AgentEntry, { kind: K }>;
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : { missing: Exclude<keyof B, keyof A>; extra: Exclude<keyof A, keyof B> };
type Assignable<A, B> = A extends B ? true : false;
type Mirrors<K extends AgentSpec['kind']> = SameKeys<Entry<K>, Spec<K>> extends true ? Assignable<Entry<K>, Spec<K>> : SameKeys<Entry<K>, Spec<K>>;
const mirrors: { [K in AgentSpec['kind']]: Mirrors<K> } = {
  lp: true,
  noise: true,
  arbitrageur: true,
  tracker: true,
  speculator: true,
  scripted: true,
  'static-hedger': true,
  'rebalancing-hedger': true,
  'delta-hedger': true,
  searcher: true,
};
void mirrors;
