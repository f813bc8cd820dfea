/**
 * Preflight warnings through the command line: each one triggered by a small scenario — on stderr
 * of `validate` and `run`, placed in the file, and in summary.json — and absent from the corrected
 * scenario; where it predicts a failure, the run shows that failure. A sweep prints each distinct
 * warning once, with the number of runs that gave it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { edit, hedgesim, readJson, tempDirs, TINY } from './helpers';

const temp = tempDirs();

interface Warning {
  code: string;
  agent?: string;
  venue?: string;
  path: string;
  message: string;
}
interface Summary {
  warnings: Warning[];
  agents: { id: string; txs: { sent: number; included: number; reverted: number; dropped: number }; metrics: Record<string, number> }[];
}

/** `validate` and `run` of a scenario text: the warning lines of each, and the run's summary. */
function check(text: string): { validate: string[]; run: string[]; summary: Summary } {
  const dir = temp({ 's.yaml': text });
  const v = hedgesim(['validate', 's.yaml'], { cwd: dir });
  expect(v.code, v.stderr).toBe(0);
  const r = hedgesim(['run', 's.yaml', '--out', 'out', '--record', 'summary'], { cwd: dir });
  expect(r.code, r.stderr).toBe(0);
  const lines = (s: string): string[] => s.split('\n').filter((l) => l.startsWith('warning: '));
  return { validate: lines(v.stderr), run: lines(r.stderr), summary: readJson<Summary>(`${dir}/out`, 'summary.json') };
}

const agent = (s: Summary, id: string) => s.agents.find((a) => a.id === id)!;

/** A five-block TINY. */
const SHORT = edit('blocks: 50', 'blocks: 5');

describe('preflight warnings', () => {
  it('none for a correct scenario: the summary carries an empty list', () => {
    const c = check(TINY);
    expect(c.validate).toEqual([]);
    expect(c.run).toEqual([]);
    expect(c.summary.warnings).toEqual([]);
  });

  it('NO_GAS_TOKEN: an arbitrageur without ETH, placed at its balances, worded for every kind (it sends nothing, or it is dropped); nothing it sends is included', () => {
    const c = check(edit('bid: { kind: share, share: 0.5 }, balances: { ETH: 1000, USD: 2500000 } }', 'bid: { kind: share, share: 0.5 }, balances: { USD: 2500000 } }'));
    expect(c.summary.warnings).toEqual([{ code: 'NO_GAS_TOKEN', agent: 'arb', path: 'agents.arb.balances.ETH', message: "agent 'arb' holds no ETH after genesis to pay gas: it sends nothing, or what it sends is dropped unpaid (give it some ETH)" }]);
    // The balances map is on line 24 (the arb's one-line entry).
    expect(c.validate).toEqual([expect.stringMatching(/^warning: s\.yaml:24:\d+: agents\.arb\.balances\.ETH: agent 'arb' holds no ETH after genesis to pay gas: .* \(NO_GAS_TOKEN\)$/)]);
    expect(c.run).toEqual(c.validate);
    const arb = agent(c.summary, 'arb');
    expect(arb.txs.included).toBe(0);
  });

  it('NO_BUNDLES_UNDER_FCFS: a searcher whose only strategy is sandwich under fcfs, placed at its strategy; it never attempts one; none under priority ordering', () => {
    const text = `${TINY}  sandwicher: { kind: searcher, strategies: { sandwich: {} }, balances: { ETH: 100, USD: 250000 } }\n`;
    const fcfs = check(edit('  blockTime: 12\n', '  blockTime: 12\n  ordering: fcfs\n', text));
    expect(fcfs.summary.warnings.map((w) => [w.code, w.agent, w.path])).toEqual([['NO_BUNDLES_UNDER_FCFS', 'sandwicher', 'agents.sandwicher.strategies.sandwich']]);
    expect(fcfs.summary.warnings[0]!.message).toBe(
      "searcher 'sandwicher' sandwiches, but under chain.ordering fcfs there are no bundles and a front-run cannot arrive before a victim it has already seen: its sandwich never makes an attempt, and it has no other strategy",
    );
    // The sandwicher's one-line entry is line 26 (TINY's 25 and the ordering line).
    expect(fcfs.validate).toEqual([expect.stringMatching(/^warning: s\.yaml:26:\d+: agents\.sandwicher\.strategies\.sandwich: searcher 'sandwicher' sandwiches, .* \(NO_BUNDLES_UNDER_FCFS\)$/)]);
    expect(agent(fcfs.summary, 'sandwicher').metrics.sandwichesAttempted).toBe(0);
    expect(check(text).summary.warnings).toEqual([]);
  });

  it('no NO_GAS_TOKEN when gas is free (a zero base fee held at zero, no bid rule): a noise trader without ETH', () => {
    const text = edit('baseFee: { initial: 2, mode: fixed }', 'baseFee: { initial: 0, mode: fixed }', edit('balances: { ETH: 10000, USD: 25000000 }', 'balances: { USD: 25000000 }'));
    expect(check(text).summary.warnings).toEqual([]);
  });

  it('NO_CAPITAL: a noise trader holding neither pool token skips every order; a sandwicher holding nothing for its pool', () => {
    const text =
      edit('baseFee: { initial: 2, mode: fixed }', 'baseFee: { initial: 0, mode: fixed }', edit('    balances: { ETH: 10000, USD: 25000000 }\n', '    balances: { ETH: 0 }\n')) +
      '  sandwicher: { kind: searcher, strategies: { sandwich: { venues: [pool] } }, balances: { ETH: 0 } }\n';
    const c = check(text);
    expect(c.summary.warnings.map((w) => [w.code, w.agent, w.venue, w.path])).toEqual([
      ['NO_CAPITAL', 'noise', 'pool', 'agents.noise.balances'],
      ['NO_CAPITAL', 'sandwicher', 'pool', 'agents.sandwicher.balances'],
      // Its bids need ETH even at a zero base fee.
      ['NO_GAS_TOKEN', 'sandwicher', undefined, 'agents.sandwicher.balances.ETH'],
    ]);
    expect(c.summary.warnings[1]!.message).toBe("searcher 'sandwicher' holds neither ETH nor USD: its sandwich on 'pool' can never trade");
    expect(agent(c.summary, 'noise').metrics.tradesAttempted).toBe(0);
    expect(agent(c.summary, 'noise').metrics.skipped).toBeGreaterThan(0);
  });

  it('LP_DEPOSIT_LEAVES_NO_GAS: an LP with an exit rule whose `deposit` is all its ETH (and no NO_GAS_TOKEN beside it); none with a deposit that keeps some back, nor with "all" (it keeps the gas back itself)', () => {
    const lp = '  lp: { kind: lp, venue: pool, balances: { ETH: 1000, USD: 2500000 } }';
    const all = check(edit(lp, '  lp: { kind: lp, venue: pool, deposit: [1000, 2500000], exit: { outsideRate: 0.05, window: 3600 }, balances: { ETH: 1000, USD: 2500000 } }', SHORT));
    expect(all.summary.warnings).toEqual([{ code: 'LP_DEPOSIT_LEAVES_NO_GAS', agent: 'lp', venue: 'pool', path: 'agents.lp.deposit', message: expect.stringContaining("LP 'lp' deposits all its ETH into 'pool'") }]);
    const kept = check(edit(lp, '  lp: { kind: lp, venue: pool, deposit: [990, 2475000], exit: { outsideRate: 0.05, window: 3600 }, balances: { ETH: 1000, USD: 2500000 } }', SHORT));
    expect(kept.summary.warnings).toEqual([]);
    const auto = check(edit(lp, '  lp: { kind: lp, venue: pool, exit: { outsideRate: 0.05, window: 3600 }, balances: { ETH: 1000, USD: 2500000 } }', SHORT));
    expect(auto.summary.warnings).toEqual([]);
  });

  it('VENUE_OFF_REFERENCE: a pool deposited 4 % above the reference; none at 0.4 %', () => {
    const lp = 'balances: { ETH: 1000, USD: 2500000 } }\n  noise';
    const off = check(edit(lp, 'balances: { ETH: 1000, USD: 2600000 } }\n  noise', SHORT));
    expect(off.summary.warnings).toEqual([{ code: 'VENUE_OFF_REFERENCE', venue: 'pool', path: 'venues.pool', message: expect.stringContaining("pool 'pool' starts at 2,600 USD per ETH, 4.00 % above the reference 2,500") }]);
    expect(off.validate).toEqual([expect.stringMatching(/^warning: s\.yaml:15:9: venues\.pool: /)]);
    expect(check(edit(lp, 'balances: { ETH: 1000, USD: 2510000 } }\n  noise', SHORT)).summary.warnings).toEqual([]);
  });
});

/** A triad kept on √(P/2500) by a tracker, and a rebalancing hedger with `BAL` "1" for a 10,000 budget. */
const TRIAD = `name: triad
blocks: 5
chain: { blockTime: 12, nativeToken: ETH, baseFee: { initial: 1, mode: fixed } }
market:
  assets: { ETH: { kind: gbm, price: 2500, sigma: 0.8 } }
tokens: { ETH: {} }
venues:
  triad: { kind: triad, unit: sqrtETH }
agents:
  tracker:
    kind: tracker
    venue: triad
    target: { assets: { ETH: 0.5 }, scale: 0.02 }
    initial: [INITIAL]
    balances: { "1": 3000000, ETH: 10 }
  hedger:
    kind: rebalancing-hedger
    hedge: { kind: triad-parity, venue: triad, budget: 10000 }
    trigger: { kind: band, band: 0.05 }
    balances: { "1": BAL, ETH: 1 }
`;
const triad = (initial: string, bal: number): string => TRIAD.replace('INITIAL', initial).replace('BAL', String(bal));

describe('preflight warnings on a triad', () => {
  it('NO_SPARE_ONE: a rebalancing hedger holding exactly its budget of "1"; none with some to spare', () => {
    const c = check(triad('1000000, 1000000', 10000));
    expect(c.summary.warnings).toEqual([{ code: 'NO_SPARE_ONE', agent: 'hedger', venue: 'triad', path: 'agents.hedger.balances.1', message: expect.stringContaining(`hedger 'hedger' holds no "1" beyond its entry into triad 'triad'`) }]);
    expect(c.validate).toEqual([expect.stringMatching(/^warning: s\.yaml:20:\d+: agents\.hedger\.balances\.1: /)]);
    expect(check(triad('1000000, 1000000', 10100)).summary.warnings).toEqual([]);
  });

  it('NO_SPARE_ONE is right: a rebalance decided at one price and built after the tracker moved it back must pay "1" — it reverts without spare, and lands with it', () => {
    // A goes 1 → 1.2 → 1: the hedger decides in block 2 at √1.2, and the tracker (bidding 1 gwei, so
    // first in the block) moves the triad back to 1 ahead of it.
    const spare = (bal: number): string => `name: spare
blocks: 3
chain: { blockTime: 12, nativeToken: ETH, baseFee: { initial: 1, mode: fixed } }
market:
  assets:
    A: { kind: path, points: [[0, 1], [12, 1.2], [24, 1]] }
    ETH: { kind: constant, price: 2500 }
tokens: { ETH: {} }
venues:
  triad: { kind: triad, unit: U }
agents:
  mover: { kind: tracker, venue: triad, target: { assets: { A: 0.5 } }, priorityFee: 1, initial: [1000000, 1000000], balances: { "1": 2000001, ETH: 10 } }
  hedger:
    kind: rebalancing-hedger
    hedge: { kind: triad-parity, venue: triad, budget: 10000 }
    trigger: { kind: band, band: 0.05 }
    balances: { "1": ${bal}, ETH: 1 }
`;
    const none = check(spare(10000));
    expect(none.summary.warnings.map((w) => w.code)).toEqual(['NO_SPARE_ONE']);
    expect(agent(none.summary, 'hedger').txs).toMatchObject({ sent: 2, included: 2, reverted: 1 });
    const some = check(spare(10100));
    expect(some.summary.warnings).toEqual([]);
    expect(agent(some.summary, 'hedger').txs).toMatchObject({ sent: 3, included: 3, reverted: 0 });
  });

  it('TRIAD_OFF_TARGET: a triad forged 4.9 % above its tracker\u2019s target; none on it', () => {
    const c = check(triad('1000000, 1100000', 10100));
    expect(c.summary.warnings).toEqual([{ code: 'TRIAD_OFF_TARGET', agent: 'tracker', venue: 'triad', path: 'agents.tracker.target', message: expect.stringContaining(`triad 'triad' starts at 1.04881 "1" per sqrtETH, 4.88 % above tracker 'tracker's target 1`) }]);
    expect(check(triad('1000000, 1010000', 10100)).summary.warnings).toEqual([]);
  });
});

/**
 * A victim swapping 100 ETH at block 3 with no bound, and a sandwicher with capital: whether it can
 * see the swap depends on the victim's network latency and its own mempool latency.
 */
const VICTIM = `name: victim
blocks: 5
chain: { blockTime: 12, nativeToken: ETH, baseFee: { initial: 1, mode: fixed } }
market:
  assets: { ETH: { kind: constant, price: 2500 } }
tokens: { ETH: {}, USD: { usd: 1 } }
venues:
  pool: { kind: cpmm, tokens: [ETH, USD], feeBps: 30 }
agents:
  lp: { kind: lp, venue: pool, balances: { ETH: 1000, USD: 2500000 } }
  victim:
    kind: scripted
    latency: { network: NETWORK }
    balances: { ETH: 200 }
    actions:
      - { do: swap, block: 3, venue: pool, pay: ETH, amount: 100, minOut: 200000 }
  sandwicher:
    kind: searcher
    strategies: { sandwich: {} }
    latency: { mempool: MEMPOOL }
    balances: { ETH: 500, USD: 1000000 }
`;
const victim = (network: number, mempool: number): string => VICTIM.replace('NETWORK', String(network)).replace('MEMPOOL', String(mempool));

describe('SEARCHER_SEES_NOTHING: what a searcher can see, as the kernel delivers it', () => {
  it('a victim sending with zero network latency is built into its block in the same event: warned, and never sandwiched', () => {
    const c = check(victim(0, 0));
    expect(c.summary.warnings).toEqual([{ code: 'SEARCHER_SEES_NOTHING', agent: 'sandwicher', path: 'agents.sandwicher', message: expect.stringContaining("'victim' sends with zero network latency just before each block is built") }]);
    expect(agent(c.summary, 'sandwicher').metrics.sandwiches).toBe(0);
    expect(agent(c.summary, 'victim').txs.included).toBe(1);
  });

  it('with network latency the swap waits in the mempool: no warning, and it is sandwiched', () => {
    const c = check(victim(0.5, 0));
    expect(c.summary.warnings).toEqual([]);
    expect(agent(c.summary, 'sandwicher').metrics.sandwiches).toBe(1);
  });

  it('a mempool latency longer than the swap waits (11.5 s of a 12 s block after 0.5 s of network): warned at latency.mempool, and never sandwiched; 11.5 s still sees it', () => {
    const slow = check(victim(0.5, 11.6));
    expect(slow.summary.warnings.map((w) => [w.code, w.path])).toEqual([['SEARCHER_SEES_NOTHING', 'agents.sandwicher.latency.mempool']]);
    expect(agent(slow.summary, 'sandwicher').metrics.sandwiches).toBe(0);
    const edge = check(victim(0.5, 11.5));
    expect(edge.summary.warnings).toEqual([]);
    expect(agent(edge.summary, 'sandwicher').metrics.sandwiches).toBe(1);
  });

  it('a private victim: warned, never sandwiched', () => {
    const c = check(victim(0.5, 0).replace('minOut: 200000 }', 'minOut: 200000, private: true }'));
    expect(c.summary.warnings.map((w) => [w.code, w.message])).toEqual([['SEARCHER_SEES_NOTHING', expect.stringContaining("'victim' sends only privately")]]);
    expect(agent(c.summary, 'sandwicher').metrics.sandwiches).toBe(0);
  });

  it('a noise trader with zero latency acts between blocks: seen, so no warning', () => {
    const text = `${SHORT}  sandwicher: { kind: searcher, strategies: { sandwich: {} }, balances: { ETH: 500, USD: 1000000 } }\n`;
    expect(check(text).summary.warnings).toEqual([]);
  });
});

describe('preflight warnings in a sweep', () => {
  it('are printed once each, with the number of runs that gave them, and kept in each run\u2019s journal line', () => {
    const base = edit('bid: { kind: share, share: 0.5 }, balances: { ETH: 1000, USD: 2500000 } }', 'bid: { kind: share, share: 0.5 }, balances: { USD: 2500000 } }', SHORT).replace('name: tiny', 'name: base');
    const sweepFile = `name: warned
scenario: base.yaml
seed: 1
replicates: 2
parameters:
  venues.pool.feeBps: { values: [5, 30] }
metrics:
  fees: agents.lp.pnl.fees
`;
    const dir = temp({ 'base.yaml': base, 'sweep.yaml': sweepFile });
    const r = hedgesim(['sweep', 'sweep.yaml', '--workers', '1', '--out', 'out'], { cwd: dir, env: { JOB_COMPLETION_INDEX: undefined, SLURM_ARRAY_TASK_ID: undefined, HEDGESIM_SHARDS: undefined, AWS_BATCH_JOB_ARRAY_INDEX: undefined } });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('NO_GAS_TOKEN') || l.startsWith('warning: '));
    expect(lines).toEqual([
      "warning: 4 of 4 runs have preflight warnings, 1 distinct (each run's are in runs.jsonl):",
      expect.stringMatching(/^ {2}NO_GAS_TOKEN at agents\.arb\.balances\.ETH in 4 runs: agent 'arb' holds no ETH after genesis to pay gas: it sends nothing/),
    ]);
    const journal = readFileSync(`${dir}/out/runs.jsonl`, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { warnings?: Warning[] });
    expect(journal.map((o) => o.warnings?.map((w) => w.code))).toEqual([['NO_GAS_TOKEN'], ['NO_GAS_TOKEN'], ['NO_GAS_TOKEN'], ['NO_GAS_TOKEN']]);
  });
});
