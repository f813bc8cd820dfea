/**
 * The MEV searcher in a scenario file, mirroring agents/searcher SearcherSpec: strategies
 * (sandwich, back-run, arbitrage, the adversary who pushes a price across a known trigger) and the
 * bidding rule, including priority gas auctions.
 */
import * as z from 'zod';
import { triggerSchema } from './schema-hedgers';
import { commonAgentFields, finite, fraction, id, nonNegative, seconds, venue } from './schema-parts';

const minProfit = () => finite('USD').default(0).describe('Minimum expected profit after gas, USD. Default 0.');
const venues = () => z.array(id()).min(1).optional();

const bid = () =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('fixed'), gwei: nonNegative('gwei').describe('Priority fee, gwei per gas (capped at the opportunity\'s value).') }),
    z.strictObject({ kind: z.literal('share'), share: fraction().describe('Share of the opportunity\'s value bid as priority fee.') }),
    z.strictObject({ kind: z.literal('full') }).describe('Bid the whole value (Bertrand competition).'),
    z
      .strictObject({
        kind: z.literal('pga'),
        start: nonNegative('gwei').describe('Opening bid, gwei per gas.'),
        increment: nonNegative('gwei').describe('Outbid a rival by this much, gwei per gas (and at least the replacement bump), up to the value.'),
      })
      .describe('A priority gas auction: escalate by replacement.'),
  ])
  .describe('Priority-fee bidding rule. Default: { kind: share, share: 0.9 }.');

export const searcher = () => z
  .strictObject({
    kind: z.literal('searcher'),
    strategies: z
      .strictObject({
        sandwich: z
          .strictObject({
            venues: venues().describe('Venues it sandwiches on. Default: all.'),
            targets: z.array(z.string().min(1)).min(1).optional().describe('Transaction tags it targets (e.g. noise, rebalance). Default: all.'),
            minProfitUsd: minProfit(),
          })
          .optional()
          .describe('Front- and back-run visible swaps and unprotected forges, as far as their bounds allow.'),
        backrun: z
          .strictObject({ venues: venues().describe('Pools it back-runs on. Default: every cpmm.'), minProfitUsd: minProfit() })
          .optional()
          .describe('Arbitrage right behind visible swaps.'),
        arbitrage: z
          .strictObject({ venue: venue(), minProfitUsd: minProfit() })
          .optional()
          .describe('Close pool–reference mispricing, bidding by the rule (public, so rivals can outbid).'),
        adversary: z
          .strictObject({
            target: id().describe('Id of the agent whose trigger it pushes the price across.'),
            venue: venue().describe('Venue whose price the target\'s trigger watches.'),
            trigger: triggerSchema.describe('The target\'s trigger (price-move or band, possibly under a gas ceiling).'),
            margin: nonNegative('fraction').default(0.001).describe('Push beyond the threshold by this relative margin. Default 0.001.'),
            patience: z.number().int().min(0).default(3).describe('Blocks to wait for the target before reversing alone. Default 3.'),
          })
          .optional()
          .describe('Push a price across a known trigger, let the target rebalance, reverse behind it.'),
      })
      .describe('Strategies, each on when present.'),
    bid: bid().default({ kind: 'share', share: 0.9 }),
    every: seconds().optional().describe('Seconds between its own looks when it arbitrages or pushes (or 1m). Default: every block.'),
    ...commonAgentFields,
  })
  .describe('An MEV searcher.');
