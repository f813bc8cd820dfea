/**
 * Hedgers and searchers in scenario files: hedges, recursive triggers, and the checks that keep a hedger from
 * silently doing nothing (no budget, no CEX, a Whalley–Wilmott trigger without its parameters).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import { simulate } from '../../sim/simulation';
import { call } from '../hedgers/world';
import { FIXTURES, problems } from './helpers';

const FILE = join(FIXTURES, 'hedgers.yaml');
const TEXT = readFileSync(FILE, 'utf8');

function replace(text: string, pairs: [string, string][]): string {
  return pairs.reduce((t, [from, to]) => {
    if (!t.includes(from)) throw new Error(`'${from}' not found`);
    return t.replace(from, to);
  }, text);
}

describe('hedgers in scenario files', () => {
  it('build and run: static, rebalancing (batched, nested triggers) and delta hedgers, and a searcher', () => {
    const loaded = loadScenarioFile(FILE);
    const rebalancer = loaded.scenario.agents.rebalancer!;
    expect(rebalancer.kind === 'rebalancing-hedger' && rebalancer.volHalfLife).toBe(43_200);
    const vault = loaded.scenario.agents.vault!;
    expect(vault.kind === 'delta-hedger' && vault.options).toMatchObject({ expiry: 604_800, hedgeVol: 'implied', hedgeOn: 'cex', slippage: 0.01 });
    const config = buildConfig(loaded.scenario, loaded.baseDir);
    expect(config.agents.map((a) => a.kind)).toEqual(['lp', 'tracker', 'static-hedger', 'rebalancing-hedger', 'delta-hedger', 'searcher']);
    // Every part the file configures acts as configured (invariants checked after every transaction).
    const r = simulate({ ...config, checkInvariants: true });
    expect(r.blocks).toBe(30);
    const a = (id: string) => r.agents.find((x) => x.id === id)!;
    // The holder's budget of 1000 "1" at parity on a 1e6/1e6 triad: 500 U + 500 1/U, held.
    expect([a('holder').balances.sqrtETH, a('holder').balances['1/sqrtETH'], a('holder').txs.sent]).toEqual([500, 500, 1]);
    expect(a('tracker').metrics.moves).toBe(30);
    // The batched rebalancer trades both hedges in one transaction, and keeps its CEX book near 50/50.
    const reb = a('rebalancer');
    // One transaction per batch (after the genesis entry) carries both hedges' rebalances.
    expect(reb.txs.sent).toBeGreaterThan(1);
    expect(reb.metrics.rebalances).toBe(2 * (reb.txs.sent - 1));
    const eth = reb.cexBalances.ETH! * r.prices.ETH!;
    expect(Math.abs(eth / reb.cexBalances.USD! - 1)).toBeLessThan(0.05);
    // The vault sold 10 seven-day ATM calls at 80 % (premium from the test's own Black–Scholes) and is long its hedge.
    const book = a('vault');
    expect(book.metrics.premiumUsd).toBeCloseTo(10 * call(2500, 2500, 7 / 365, 0.8).price, 6);
    expect(book.cexBalances.ETH).toBeGreaterThan(0);
    // The searcher arbitraged the pool and pushed the triad across the rebalancer's band, reversing each push.
    const mev = a('mev').metrics;
    expect(mev.arbitrages).toBeGreaterThan(0);
    expect(mev.adversaryPushes).toBeGreaterThan(0);
    expect(mev.adversaryReversals).toBe(mev.adversaryPushes);
    expect(a('lp').pnl.fees).toBeGreaterThan(0);
  });

  it('report every problem of their hedges and triggers', () => {
    const bad = replace(TEXT, [
      ['budget: 1000 }, balances', 'budjet: 1000 }, balances'],
      ['band: 0.02', 'band: -0.02'],
      ['kind: interval, seconds: 1h', 'kind: intervall, seconds: 1h'],
      ['weights: { ETH: 0.5, USD: 0.5 }', 'weights: { ETH: 0.5, USD: 0.6 }'],
      ['    whalleyWilmott: { cost: 0.0005, riskAversion: 1 }\n', ''],
      ['asset: ETH, impliedVol', 'asset: ETC, impliedVol'],
      ['  cex: { quote: USD, halfSpreadBps: 1 }\n', ''],
    ]);
    expect(problems(bad, [], 'h.yaml')).toEqual([
      'h.yaml:14:41: agents.holder.hedge: give `budget` ("1" to commit) or `units` (of each side); with neither the hedge holds nothing',
      "h.yaml:14:76: agents.holder.hedge.budjet: unknown field 'budjet' (did you mean 'budget'?); allowed: kind, venue, budget, units, slippage",
      'h.yaml:17:64: agents.rebalancer.hedge[1]: a constant-mix hedge trades on the CEX: add market.cex',
      'h.yaml:17:95: agents.rebalancer.hedge[1].weights: weights must sum to 1, they sum to 1.1',
      'h.yaml:18:98: agents.rebalancer.trigger.trigger.triggers[0].band: must be ≥ 0 (a fraction), found -0.02',
      "h.yaml:18:115: agents.rebalancer.trigger.trigger.triggers[1].kind: unknown kind 'intervall' (did you mean 'interval'?); allowed: band, price-move, profit-gas, interval, vol-regime, delta-band, whalley-wilmott, gas-ceiling, any",
      'h.yaml:25:14: agents.vault.options: the option is hedged on the CEX (hedgeOn: cex), but the market has no cex',
      "h.yaml:25:107: agents.vault.options.asset: unknown market asset 'ETC' (did you mean 'ETH'?); assets: ETH",
      "h.yaml:26:14: agents.vault.trigger: the whalley-wilmott trigger needs the agent's `whalleyWilmott: { cost, riskAversion }`; without it the trigger never fires",
    ]);
  });

  it('take the exit rule on triad hedgers only: located errors on a hedger with a constant-mix hedge and on a delta hedger', () => {
    const bad = replace(TEXT, [
      ['    trigger: { kind: gas-ceiling', '    exit: { outsideRate: 0.05, window: 1h }\n    trigger: { kind: gas-ceiling'],
      ['    trigger: { kind: whalley-wilmott }', '    exit: { outsideRate: 0.05, window: 1h }\n    trigger: { kind: whalley-wilmott }'],
      ['budget: 1000 }, balances: { "1": 2000, ETH: 1 } }', 'budget: 1000 }, exit: { outsideRate: 0.05, window: 1h, hysteresis: -0.01 }, balances: { "1": 2000, ETH: 1 } }'],
    ]);
    expect(problems(bad, [], 'h.yaml')).toEqual([
      'h.yaml:15:143: agents.holder.exit.hysteresis: must be ≥ 0 per year, found -0.01',
      'h.yaml:19:11: agents.rebalancer.exit: an exit rule needs every hedge to be a triad-parity position (burned to leave, forged to come back); a constant-mix hedge cannot be left before its end',
      "h.yaml:28:5: agents.vault.exit: unknown field 'exit'; allowed: kind, options, trigger, checkEvery, batch, deltaExchange, whalleyWilmott, atBlock, private, volHalfLife, balances, cexBalances, latency, priorityFee",
    ]);
  });

  it('check what a searcher names: venues of the right kind, its target, a trigger it can push across', () => {
    const bad = replace(TEXT, [
      ['backrun: { venues: [pool] }', 'backrun: { venues: [pool, sqrt] }'],
      ['arbitrage: { venue: pool }', 'arbitrage: { venue: pol }'],
      ['target: rebalancer', 'target: rebalancr'],
      ['trigger: { kind: band, band: 0.02 } }\n    bid', 'trigger: { kind: interval, seconds: 60 } }\n    bid'],
      ['bid: { kind: pga, start: 1, increment: 0.5 }', 'bid: { kind: pga, start: 1 }'],
    ]);
    expect(problems(bad, [], 'h.yaml')).toEqual([
      "h.yaml:34:33: agents.mev.strategies.backrun.venues[1]: a searcher agent needs a cpmm venue; 'sqrt' is a triad",
      "h.yaml:35:27: agents.mev.strategies.arbitrage.venue: unknown venue 'pol' (did you mean 'pool'?); venues: pool, sqrt",
      "h.yaml:36:28: agents.mev.strategies.adversary.target: unknown agent 'rebalancr' (did you mean 'rebalancer'?); agents: lp, tracker, holder, rebalancer, vault, mev",
      "h.yaml:36:69: agents.mev.strategies.adversary.trigger.kind: the adversary can push a price across a price-move or band trigger only, not 'interval'",
      "h.yaml:37:10: agents.mev.bid.increment: missing required field 'increment' (a number (gwei))",
    ]);
  });

  it('take overrides deep inside nested triggers, and check them', () => {
    expect(
      problems(TEXT, ['agents.rebalancer.trigger.trigger.triggers[1].seconds=0', 'agents.vault.options.strike=otm', 'agents.rebalancer.trigger.trigger.triggers[0].bnd=1'], 'h.yaml'),
    ).toEqual([
      '--set:1:55: agents.rebalancer.trigger.trigger.triggers[1].seconds: must be > 0 seconds, found 0 (in --set agents.rebalancer.trigger.trigger.triggers[1].seconds=0)',
      "--set:2:29: agents.vault.options.strike: expected a number (USD) or 'atm', found the string 'otm' (in --set agents.vault.options.strike=otm)",
      "--set:3:47: agents.rebalancer.trigger.trigger.triggers[0].bnd: unknown field 'bnd' (did you mean 'band'?); allowed: kind, band (in --set agents.rebalancer.trigger.trigger.triggers[0].bnd=1)",
    ]);
  });
});
