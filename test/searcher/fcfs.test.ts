/**
 * Bidding knows the ordering rule (issue 10 §3): under `fcfs` a priority fee buys nothing, so
 * arbitrageurs and searchers bid none and compete by latency; a searcher does not sandwich (its
 * front-run would have to arrive before a victim it has already seen) and back-runs by racing on
 * arrival — a plain transaction sent when it sees the victim, ordered right after it.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from '../../agents';
import { agent, lp, run, searcher, txsOf, victim, world } from './helpers';

const fcfs = { ordering: 'fcfs' as const };
const dear = { assets: [{ id: 'ETH', process: { kind: 'constant' as const, price: 2100 } }] };

describe('under fcfs', () => {
  it('a searcher’s public arbitrage bids no priority fee (a share bid would under priority ordering)', () => {
    const bid = { kind: 'share' as const, share: 0.9 };
    const at = (chain: object) => txsOf(run(world([lp(), searcher({ bid, strategies: { arbitrage: { venue: 'pool' } } })], { blocks: 2, market: dear, chain })), 'mev', 'arbitrage');
    const f = at(fcfs);
    expect(f.map((t) => [t.block, t.status, t.priorityFee])).toEqual([[1, 'included', 0]]);
    expect(at({ ordering: 'priority' })[0]!.priorityFee).toBeGreaterThan(0);
  });

  it('an arbitrageur bidding a share of its profit bids none', () => {
    const arb = createAgent({ kind: 'arbitrageur', id: 'arb', venue: 'pool', bid: { kind: 'share', share: 0.5 }, balances: { ETH: 100, USD: 1e6 } });
    const r = run(world([lp(), arb], { blocks: 2, market: dear, chain: fcfs }));
    expect(txsOf(r, 'arb').map((t) => [t.block, t.status, t.priorityFee])).toEqual([[1, 'included', 0]]);
  });

  it('a searcher does not sandwich, and back-runs with a plain transaction right after the victim', () => {
    const r = run(world([lp(), victim({ block: 2, amount: 100_000, minOut: 46 }), searcher({ strategies: { sandwich: {}, backrun: {} } })], { chain: fcfs }));
    const v = txsOf(r, 'victim')[0]!;
    const mine = txsOf(r, 'mev');
    expect(mine.map((t) => [t.tag, t.status, t.bundle, t.priorityFee])).toEqual([['backrun', 'included', null, 0]]);
    expect([mine[0]!.block, mine[0]!.position]).toEqual([v.block, v.position + 1]);
    const m = agent(r, 'mev').metrics;
    expect([m.sandwiches, m.sandwichesAttempted, m.backruns, m.backrunsAttempted]).toEqual([0, 0, 1, 1]);
  });
});
