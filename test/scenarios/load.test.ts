/**
 * Loading: files, several problems at once, the error object, overrides that apply, JSON = YAML.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario, ScenarioError } from '../../scenarios';
import { AGENT_KINDS, BASE, FIXTURES, edit, problems } from './helpers';

function errorOf(run: () => unknown): ScenarioError {
  try {
    run();
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('loading scenario files', () => {
  it('reports a missing file', () => {
    const e = errorOf(() => loadScenarioFile('no/such/file.yaml'));
    expect(e.format()).toBe('no/such/file.yaml:1:1: cannot read the scenario file: no such file');
  });

  it('reports a folder given as the file', () => {
    expect(errorOf(() => loadScenarioFile(FIXTURES)).format()).toBe(`${FIXTURES}:1:1: cannot read the scenario file: it is a folder`);
  });

  it('reports every problem of a file together, in file order', () => {
    const file = 'test/scenarios/fixtures/many-problems.yaml';
    const e = errorOf(() => loadScenarioFile(file));
    expect(e.format().split('\n')).toEqual([
      `${file}:2:7: name: found 'Bad Name', must be lower-case letters, digits and '-' (e.g. l2-default)`,
      `${file}:3:7: seed: expected an integer or a string, found 1.5`,
      `${file}:4:9: blocks: must be ≤ 1,000,000,000 blocks, found 5,000,000,000`,
      `${file}:5:1: duration: give either blocks or duration, not both`,
      `${file}:5:11: duration: found '2w', must be a number of seconds, or a number with a unit s, m, h or d (e.g. 90s, 30m, 1.5h, 1d)`,
      `${file}:6:10: numeric: found 'floaty', allowed: float, exact (did you mean 'float'?)`,
      `${file}:8:14: chain.blockTime: must be > 0 seconds, found -2`,
      `${file}:9:16: chain.nativeToken: unknown token 'ETHX' (did you mean 'ETH'?); tokens: ETH, USD, X, LP-pool, 1`,
      `${file}:10:23: chain.baseFee.initial: expected a finite number (gwei), found .inf`,
      `${file}:11:16: chain.gas.swap: expected an integer (gas), found 1.5`,
      `${file}:11:21: chain.gas.swp: unknown field 'swp' (did you mean 'swap'?); allowed: swap, swapExactOut, addLiquidity, removeLiquidity, forge, intrinsic, revert`,
      `${file}:14:43: market.assets.ETH.sigma: expected a finite number (per year), found .nan`,
      `${file}:15:18: market.assets.BTC.kind: unknown kind 'gmb' (did you mean 'gbm'?); allowed: constant, gbm, merton, ou, regime, path, csv`,
      `${file}:16:16: market.correlation: must be a 2×2 matrix over the assets (ETH, BTC), found 3 rows`,
      `${file}:17:20: tokens.USD: token 'USD' is priced by the market asset of the same name, but there is none; give \`usd: <price>\` or \`asset: <id>\` (assets: ETH, BTC)`,
      `${file}:17:41: tokens.X.asset: unknown market asset 'BTCC' (did you mean 'BTC'?); assets: ETH, BTC`,
      `${file}:19:37: venues.pool.tokens[1]: unknown token 'USDC' (did you mean 'USD'?); tokens: ETH, USD, X`,
      `${file}:20:8: venues.tri.unit: missing required field 'unit' (a string)`,
      `${file}:22:26: agents.lp.venue: unknown venue 'pol' (did you mean 'pool'?); venues: pool, tri`,
      `${file}:22:48: agents.lp.balances.ETH: must be ≥ 0 token units, found -1`,
      `${file}:22:52: agents.lp.balances.DAI: unknown token 'DAI'; tokens: ETH, USD, X, LP-pool, 1`,
      `${file}:23:10: agents.noise.meanInterval: missing required field 'meanInterval' (a number of seconds or a duration such as 90s, 30m, 1.5h, 1d)`,
      `${file}:23:38: agents.noise.meanIntervl: unknown field 'meanIntervl' (did you mean 'meanInterval'?); allowed: kind, venue, meanInterval, medianUsd, logSd, buyProbability, slippage, privateShare, deadlineBlocks, balances, cexBalances, latency, priorityFee`,
      `${file}:23:87: agents.noise.buyProbability: must be ≤ 1 (a fraction in [0, 1]), found 1.5`,
      `${file}:24:18: agents.arb-1.kind: unknown kind 'arbitrager' (did you mean 'arbitrageur'?); allowed: ${AGENT_KINDS}`,
      `${file}:25:38: agents.arb-2.venue: an arbitrageur agent needs a cpmm venue; 'tri' is a triad`,
      `${file}:25:70: agents.arb-2.bid.share: must be ≤ 1 (a fraction in [0, 1]), found 2`,
      `${file}:26:30: agents.t.venue: a tracker agent needs a triad venue; 'pool' is a cpmm`,
      `${file}:26:56: agents.t.target.assets.ETHH: unknown market asset 'ETHH' (did you mean 'ETH'?); assets: ETH, BTC`,
      `${file}:30:39: agents.s.actions[0].pay: 'BTC' is not a token of pool 'pool' (ETH, USDC)`,
      `${file}:30:52: agents.s.actions[0].amount: must be > 0 token units, found 0`,
      `${file}:31:15: agents.s.actions[1].do: unknown action 'forg' (did you mean 'forge'?); allowed: swap, swapExactOut, addLiquidity, removeLiquidity, forge, liquidate, movePrice, cex`,
    ]);
    expect(e.message).toMatch(/^32 problems in the scenario:\n/);
  });

  it('throws a typed error with a literal name and structured problems', () => {
    const e = errorOf(() => parseScenario(edit('kind: arbitrageur', 'kind: arbitrager'), 'x.yaml'));
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ScenarioError');
    expect(e.problems).toEqual([
      {
        file: 'x.yaml',
        line: 11,
        column: 16,
        path: 'agents.arb.kind',
        message: `unknown kind 'arbitrager' (did you mean 'arbitrageur'?); allowed: ${AGENT_KINDS}`,
        suggestion: 'arbitrageur',
      },
    ]);
  });

  it('reads JSON as well as YAML, to the same scenario', () => {
    const yaml = parseScenario(BASE, 'base.yaml');
    const dir = mkdtempSync(join(tmpdir(), 'hedgesim-'));
    const file = join(dir, 'base.json');
    writeFileSync(file, JSON.stringify(yaml.scenario, null, 2));
    const json = loadScenarioFile(file);
    expect(json.scenario).toEqual(yaml.scenario);
    expect(json.hash).toBe(yaml.hash);
    expect(json.baseDir).toBe(dir);
  });

  it('locates problems in JSON files too', () => {
    const text = '{\n  "name": "j",\n  "blocks": -1\n}\n';
    expect(errorOf(() => parseScenario(text, 'j.json')).format().split('\n')).toContain('j.json:3:13: blocks: must be ≥ 1 blocks, found -1');
  });

  it('fills in every default', () => {
    const s = parseScenario(BASE, 'base.yaml').scenario;
    expect(s.seed).toBe(1);
    expect(s.numeric).toBe('float');
    expect(s.checkInvariants).toBe(false);
    expect(s.chain).toEqual({
      blockTime: 12,
      blockTimes: 'fixed',
      gasLimit: 30_000_000,
      baseFee: { initial: 10, mode: 'eip1559', min: 0, max: 1e9, elasticity: 2, maxChangeDenominator: 8 },
      ordering: 'priority',
      nativeToken: 'ETH',
      gas: { swap: 110_000, swapExactOut: 115_000, addLiquidity: 150_000, removeLiquidity: 130_000, forge: 100_000, intrinsic: 21_000, revert: 30_000 },
      replacementBump: 0.1,
    });
    expect(s.venues.pool).toEqual({ kind: 'cpmm', tokens: ['ETH', 'USD'], feeBps: 30, shares: 'uniswap' });
    expect(s.agents.arb).toEqual({ kind: 'arbitrageur', venue: 'pool', minProfitUsd: 0, hedge: false, ignoreGas: false, every: 1, balances: { ETH: 10, USD: 25000 }, latency: { network: 0, price: 0, mempool: 0, cex: 0 }, priorityFee: 0 });
  });

  it('lets agents share settings through YAML anchors and merge keys', () => {
    const text = edit(
      '  arb: { kind: arbitrageur, venue: pool, balances: { ETH: 10, USD: 25000 } }',
      '  arb: &arb { kind: arbitrageur, venue: pool, balances: { ETH: 10, USD: 25000 } }\n  arb-2: { <<: *arb, priorityFee: 2 }',
    );
    const s = parseScenario(text, 's.yaml').scenario;
    expect(s.agents['arb-2']).toEqual({ ...s.agents.arb, priorityFee: 2 });
    expect(problems(edit('priorityFee: 2', 'priorityFee: -2', text))).toEqual(['s.yaml:12:35: agents.arb-2.priorityFee: must be ≥ 0 gwei, found -2']);
  });

  it('parses durations with units into seconds', () => {
    const at = (d: string) => parseScenario(edit('blocks: 10', `duration: ${d}`), 's.yaml').scenario.duration;
    expect([at('3600'), at('90s'), at('30m'), at('1.5h'), at('1d'), at('.5h')]).toEqual([3600, 90, 1800, 5400, 86_400, 1800]);
  });

  it('applies overrides as YAML values before validation', () => {
    const s = parseScenario(BASE, 's.yaml', [
      'agents.arb.bid={ kind: share, share: 0.3 }',
      'agents.arb.bid.share=0.25',
      'agents.arb.ignoreGas=true',
      'chain.ordering=fcfs',
      'chain.gas.swap=90000',
      'seed=abc',
      'venues.pool.tokens[1]=USD',
      'agents.lp.balances.ETH="1000.5"',
      'market.correlation=[[1]]',
      'tokens.DAI={ usd: 1 }',
      'agents.lp.balances.DAI=5',
    ]).scenario;
    expect(s.agents.arb).toMatchObject({ bid: { kind: 'share', share: 0.25, jitter: 0 }, ignoreGas: true });
    expect(s.chain.ordering).toBe('fcfs');
    expect(s.chain.gas.swap).toBe(90_000);
    expect(s.seed).toBe('abc');
    expect(s.agents.lp).toMatchObject({ balances: { ETH: '1000.5', USD: 250000, DAI: 5 } });
    expect(s.market.correlation).toEqual([[1]]);
    expect(Object.keys(s.tokens)).toEqual(['ETH', 'USD', 'DAI']);
  });

  it('reports problems of override values and of the file together', () => {
    const text = edit('feeBps: 30', 'feeBps: -30');
    expect(() => parseScenario(text, 's.yaml', ['agents.arb.bid.share=0.3'])).toThrow(ScenarioError);
    const e = errorOf(() => parseScenario(text, 's.yaml', ['agents.arb.bid={ kind: share, share: 2 }', 'agents.lp.venu=pool']));
    expect(e.format().split('\n')).toEqual([
      "--set:1:38: agents.arb.bid.share: must be ≤ 1 (a fraction in [0, 1]), found 2 (in --set agents.arb.bid={ kind: share, share: 2 })",
      "--set:2:11: agents.lp.venu: unknown field 'venu' (did you mean 'venue'?); allowed: kind, venue, deposit, atBlock, exit, balances, cexBalances, latency, priorityFee (in --set agents.lp.venu=pool)",
      's.yaml:8:51: venues.pool.feeBps: must be ≥ 0 basis points, found -30',
    ]);
  });
});
