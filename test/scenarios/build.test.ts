/**
 * Valid scenarios become engine configurations that run: maps to arrays in file order, durations
 * to blocks, agent specs to agents; the hash identifies the resolved scenario, not its layout.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile, parseScenario, scenarioHash, canonicalScenarioJson } from '../../scenarios';
import { simulate } from '../../sim/simulation';
import { BASE, edit, FIXTURES } from './helpers';

const ROOT = join(FIXTURES, '..', '..', '..');
const MINIMAL = join(ROOT, 'scenarios', 'library', 'minimal.yaml');

/** The complete example of docs/scenarios.md. */
function docsExample(): string {
  const doc = readFileSync(join(ROOT, 'docs', 'scenarios.md'), 'utf8');
  const m = /## Complete example\n\n```yaml\n([\s\S]*?)```/.exec(doc);
  if (m === null) throw new Error('docs/scenarios.md has no complete example');
  return m[1]!;
}

describe('building engine configurations', () => {
  it('turns the minimal library scenario into a SimConfig that runs', () => {
    const loaded = loadScenarioFile(MINIMAL);
    const config = buildConfig(loaded.scenario, loaded.baseDir);
    expect(config.blocks).toBe(7200);
    expect(config.seed).toBe(1);
    expect(config.tokens).toEqual([{ id: 'ETH' }, { id: 'USD', price: { usd: 1 } }]);
    expect(config.venues).toEqual([{ id: 'pool', kind: 'cpmm', tokens: ['ETH', 'USD'], feeBps: 30, shares: 'uniswap' }]);
    expect(config.market.assets).toEqual([{ id: 'ETH', process: { kind: 'gbm', price: 2500, mu: 0, sigma: 0.8 } }]);
    expect(config.chain.baseFee).toEqual({ initial: 2, mode: 'fixed', min: 0, max: 1e9, elasticity: 2, maxChangeDenominator: 8 });
    expect(config.agents.map((a) => [a.id, a.kind])).toEqual([
      ['lp', 'lp'],
      ['noise', 'noise'],
      ['arb', 'arbitrageur'],
    ]);
    expect(config.agents[2]!.balances).toEqual({ ETH: 1000, USD: 2_500_000 });

    const short = loadScenarioFile(MINIMAL, ['duration=1m']);
    const result = simulate(buildConfig(short.scenario, short.baseDir));
    expect(result.blocks).toBe(5);
  });

  it('runs a scenario using every section of the format, with invariants checked', () => {
    const loaded = loadScenarioFile(join(FIXTURES, 'full.yaml'));
    const config = buildConfig(loaded.scenario, loaded.baseDir);
    expect(config.blocks).toBe(25);
    expect(config.market.assets.map((a) => [a.id, a.process.kind])).toEqual([
      ['ETH', 'path'],
      ['BTC', 'merton'],
      ['SOL', 'regime'],
    ]);
    expect(config.market.cex).toEqual({ quote: 'USD', halfSpreadBps: 1, feeBps: 2, impact: 0 });
    expect(config.tokens[2]).toEqual({ id: 'WBTC', price: { asset: 'BTC' } });
    expect(config.venues[1]).toEqual({ id: 'tri', kind: 'triad', unit: 'sqrtETH', one: '1', protected: false });
    expect(config.agents.map((a) => a.kind)).toEqual(['lp', 'noise', 'arbitrageur', 'tracker', 'scripted']);
    expect(config.agents[2]!.latency).toEqual({ network: { kind: 'uniform', min: 0.1, max: 0.5 }, price: 1, mempool: 0.2, cex: 0.05 });
    const result = simulate(config);
    expect(result.blocks).toBe(25);
    expect(result.invariantsChecked).toBeTruthy();
  });

  it('runs the complete example of docs/scenarios.md', () => {
    const loaded = parseScenario(docsExample(), 'docs/scenarios.md', ['duration=1m']);
    expect(loaded.scenario.name).toBe('l2-two-arbs');
    const result = simulate(buildConfig(loaded.scenario, '.'));
    expect(result.blocks).toBe(30);
  });

  it('loads and builds every scenario in the library', () => {
    const dir = join(ROOT, 'scenarios', 'library');
    const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files).toContain('minimal.yaml');
    for (const f of files) {
      const loaded = loadScenarioFile(join(dir, f));
      expect(buildConfig(loaded.scenario, loaded.baseDir).blocks).toBeGreaterThan(0);
    }
  });

  it('rounds a duration up to whole blocks', () => {
    const blocks = (duration: string, blockTime = 12) =>
      buildConfig(parseScenario(edit('blocks: 10', `duration: ${duration}`, edit('blockTime: 12', `blockTime: ${blockTime}`)), 's.yaml').scenario, '.').blocks;
    expect(blocks('24')).toBe(2);
    expect(blocks('25')).toBe(3);
    expect(blocks('1d')).toBe(7200);
    expect(blocks('0.3', 0.1)).toBe(3);
    expect(blocks('1h', 0.25)).toBe(14_400);
  });
});

describe('scenario hashes', () => {
  const hash = (text: string) => parseScenario(text, 's.yaml').hash;

  it('are sha256 hex of the canonical JSON', () => {
    const loaded = parseScenario(BASE, 's.yaml');
    expect(loaded.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(scenarioHash(loaded.scenario)).toBe(loaded.hash);
    expect(scenarioHash(BASE)).toBe(loaded.hash);
    expect(JSON.parse(canonicalScenarioJson(loaded.scenario)).blocks).toBe(10);
  });

  it('ignore layout, comments, key order, spelling of numbers and spelled-out defaults', () => {
    const relaid = `# the same scenario, written differently
blocks: 1e1
name: base
seed: 1
tokens:
  ETH:
  USD: { usd: 1.0 }
chain:
  nativeToken: ETH
  blockTime: 12
  ordering: priority
market: { assets: { ETH: { sigma: 0.8, price: 2500, kind: gbm } } }
venues: { pool: { feeBps: 30, kind: cpmm, tokens: [ETH, USD] } }
agents:
  lp: { kind: lp, venue: pool, balances: { ETH: 100, USD: 250000 } }
  arb: { kind: arbitrageur, venue: pool, balances: { ETH: 10, USD: 25000 } }
`;
    expect(hash(relaid)).toBe(hash(BASE));
    expect(hash(edit('blocks: 10', 'duration: 120'))).toBe(hash(BASE));
  });

  it('change with any value, and with the order of agents', () => {
    expect(hash(edit('feeBps: 30', 'feeBps: 31'))).not.toBe(hash(BASE));
    const swapped = edit(
      '  lp: { kind: lp, venue: pool, balances: { ETH: 100, USD: 250000 } }\n  arb: { kind: arbitrageur, venue: pool, balances: { ETH: 10, USD: 25000 } }',
      '  arb: { kind: arbitrageur, venue: pool, balances: { ETH: 10, USD: 25000 } }\n  lp: { kind: lp, venue: pool, balances: { ETH: 100, USD: 250000 } }',
    );
    expect(hash(swapped)).not.toBe(hash(BASE));
  });
});
