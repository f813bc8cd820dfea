/**
 * Sweep metric paths (batch/summary-layout.ts, batch/metrics.ts): checked against the run summary's
 * layout before anything runs — every number of real summaries is accepted, every accepted path
 * resolves in them, a typo is an error at its line with a suggestion — and at run time a metric a
 * run still cannot resolve empties its own cell, not the run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { CascadeCounter } from '../../batch/cascade';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executeRun } from '../../batch/execute';
import { loadSweepFile } from '../../batch/load';
import { metricValue } from '../../batch/metrics';
import { runSweep } from '../../batch/sweep';
import { metricPathProblem, summaryLayout } from '../../batch/summary-layout';
import { buildConfig, loadScenarioFile, parseScenario, type Scenario } from '../../scenarios';
import { ScenarioError } from '../../scenarios/errors';
import { simulate } from '../../sim/simulation';
import { FAULT, ROOT } from '../cli/helpers';
import { BASE, csvObjects, edit } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'hedgesim-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'base.yaml'), BASE);

/** Every path to a number in a run summary, the way metric paths name them (lists of records by id, pairs by index). */
function numberPaths(node: unknown, prefix: string[] = []): string[] {
  if (typeof node === 'number') return [prefix.join('.')];
  if (Array.isArray(node)) return node.flatMap((x, i) => numberPaths(x, [...prefix, typeof x === 'object' && x !== null && 'id' in x ? String((x as { id: unknown }).id) : String(i)]));
  if (typeof node === 'object' && node !== null) return Object.entries(node).flatMap(([k, v]) => numberPaths(v, [...prefix, k]));
  return [];
}

/** Every path the layout accepts (for metrics: the names it knows, unsuffixed). */
function layoutPaths(s: Scenario): string[] {
  const walk = (node: ReturnType<typeof summaryLayout> | 'number', prefix: string[]): string[] => (node === 'number' ? [prefix.join('.')] : node.names.flatMap((n) => walk(node.child(n)!, [...prefix, n])));
  return walk(summaryLayout(s), []);
}

const OPTIONS_VAULT = readFileSync(join(ROOT, 'scenarios', 'library', 'options-vault.yaml'), 'utf8');
const OPTION = '{ kind: option, option: call, strike: atm, expiry: 30d, quantity: 100, position: short, asset: ETH, impliedVol: 0.8 }';
/** Scenarios covering every agent kind, both venue kinds, the adversary and several option hedges. */
const SCENARIOS: [string, () => Scenario][] = [
  ...['default.yaml', 'library/minimal.yaml', 'library/adversarial-trigger.yaml', 'library/front-running.yaml', 'library/options-vault.yaml', 'library/seed-static.yaml'].map((f): [string, () => Scenario] => [f, () => {
    const text = readFileSync(join(ROOT, 'scenarios', f), 'utf8');
    return loadScenarioFile(join(ROOT, 'scenarios', f), /^blocks:/m.test(text) ? [] : ['duration=3h']).scenario;
  }]),
  ['two option hedges', () => parseScenario(edit(OPTIONS_VAULT.replace('duration: 30d', 'duration: 3h'), `  daily:\n    kind: delta-hedger\n    options: ${OPTION}`, `  daily:\n    kind: delta-hedger\n    options: [${OPTION}, ${OPTION}]`), join(ROOT, 'scenarios', 'library', 'x.yaml')).scenario],
  ['a scripted agent', () => parseScenario(FAULT, join(dir, 'fault.yaml'), ['agents.whale.actions[0].amount=1']).scenario],
];

describe('the layout of the run summary that metric paths are checked against', () => {
  it.each(SCENARIOS)('accepts every number of a real summary, and every path it accepts resolves there (%s)', (_name, load) => {
    const s = load();
    // As a sweep's run builds it when a metric reads cascade.* (batch/execute.ts): with the cascade counts.
    let cascade: CascadeCounter | undefined;
    const result = simulate(buildConfig(s, join(ROOT, 'scenarios', 'library')), {
      observe: (sim) => {
        const c = (cascade = new CascadeCounter(3, sim.kernel.world.venues.length, (t) => sim.kernel.tags[t] ?? ''));
        sim.events.on('tx', (tx) => c.onTx(tx));
      },
    });
    const summary = { scenario: s.name, ...result, cascade: cascade!.summary() };
    // `seed` is the replicate's (seed + r): not a metric.
    const real = numberPaths(summary).filter((p) => p !== 'seed');
    expect(real.length).toBeGreaterThan(20);
    expect(real.filter((p) => metricPathProblem(p, s) !== undefined)).toEqual([]);
    // The names that depend on the configuration (option hedges, the adversary, an exit rule and its
    // measured figures, a tracker's budget) may be absent.
    const optional = /\.metrics\.(premiumUsd|payoffUsd|hedgeTrades|hedgeTradesAttempted|gammaSlippageUsd|adversary\w+|trailingEdgeRate|trailingCapitalUsd|incumbentsEdgeRate|exits|exitsAttempted|reentries|reentriesAttempted|inMarket|spentMaxDay|budgetLeft|trackingRmsLogActive|trackingRmsLogExhausted)$/;
    const unresolved = layoutPaths(s).filter((p) => {
      try {
        // A number, finite or not (an empty triad's price is NaN): the run leaves non-finite cells empty.
        return typeof metricValue(summary, p) !== 'number';
      } catch {
        return !optional.test(p);
      }
    });
    expect(unresolved).toEqual([]);
  });

  it('knows the names of the agents’ metrics that docs/outputs.md lists, kind by kind', () => {
    const table = /### `agents\[\]\.metrics` by kind\n\n([\s\S]*?)\n\n/.exec(readFileSync(join(ROOT, 'docs', 'outputs.md'), 'utf8'))![1]!;
    const s = loadScenarioFile(join(dir, 'base.yaml')).scenario;
    for (const row of table.split('\n').slice(2)) {
      const [kinds = '', names = ''] = row.split(' | ').map((c) => c.replace(/^\| |\|$/g, ''));
      for (const kind of [...kinds.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]!)) {
        const agent = { ...s, agents: { x: { ...s.agents.lp!, kind } } } as unknown as Scenario;
        // The names in backticks that are metric names (not values such as `pga` or `deltaExchange`).
        for (const name of [...names.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]!).filter((n) => !['pga', 'arbitrage', 'start', 'adversary', 'patience', 'deltaExchange', 'exit', 'i'].includes(n))) {
          expect(metricPathProblem(`agents.x.metrics.${name}`, agent), `${kind}: ${name}`).toBeUndefined();
        }
      }
    }
  });
});

/** The problems of loading a sweep over BASE with these metrics, one `line:col: path: message` each. */
function problems(metrics: string): string[] {
  writeFileSync(join(dir, 's.yaml'), `name: t\nscenario: base.yaml\nmetrics:\n${metrics}`);
  try {
    loadSweepFile(join(dir, 's.yaml'));
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.format().replaceAll(`${dir}/`, '').split('\n');
  }
  throw new Error('the sweep file loaded without problems');
}

describe('a metric path that names no number of the run summary', () => {
  it.each([
    ['a misspelt P&L component', '  x: agents.lp.pnl.totl\n', "s.yaml:4:6: metrics.x: 'agents.lp.pnl.totl' names no field 'totl' in agents.lp.pnl (did you mean 'total'?); fields: total, edge, hold, trading, fees, lvr, swapFees, gas, cex, mev, options"],
    ['a misspelt venue field', '  x: venues.pool.volumeUsdd\n', "s.yaml:4:6: metrics.x: 'venues.pool.volumeUsdd' names no field 'volumeUsdd' in venues.pool (did you mean 'volumeUsd'?); fields of a cpmm venue: reserves, price, totalShares, feesUsd, lvrUsd, volumeUsd, swaps"],
    ['an asset the market does not have', '  x: prices.BTC\n', "s.yaml:4:6: metrics.x: 'prices.BTC' names no asset 'BTC'; assets: ETH"],
    ['a metric the agent kind does not have', '  x: agents.lp.metrics.rebalances\n', "s.yaml:4:6: metrics.x: 'agents.lp.metrics.rebalances' names no metric 'rebalances' in agents.lp.metrics; lp metrics: exits, exitsAttempted, reentries, reentriesAttempted, inPool, trailingEdgeRate, trailingCapitalUsd, incumbentsEdgeRate"],
    ['a misspelt transaction count', '  x: agents.arb.txs.revertd\n', "s.yaml:4:6: metrics.x: 'agents.arb.txs.revertd' names no field 'revertd' in agents.arb.txs (did you mean 'reverted'?); fields: sent, included, reverted, dropped"],
    ['a token no one holds', '  x: agents.lp.balances.BTC\n', "s.yaml:4:6: metrics.x: 'agents.lp.balances.BTC' names no token 'BTC'; tokens: ETH, USD, LP-pool"],
    ['a record, not a number', '  x: agents.lp.gasPaid\n', "s.yaml:4:6: metrics.x: 'agents.lp.gasPaid' is not a number: name one of its fields (agents.lp.gasPaid.baseUsd, agents.lp.gasPaid.priorityUsd)"],
    ['a pair, not a number', '  x: venues.pool.reserves\n', "s.yaml:4:6: metrics.x: 'venues.pool.reserves' is not a number: name one of its indices (venues.pool.reserves.0, venues.pool.reserves.1)"],
    ['a path beyond a number', '  x: builder.priorityFeesUsd.total\n', "s.yaml:4:6: metrics.x: 'builder.priorityFeesUsd.total': builder.priorityFeesUsd is a number, with nothing under it"],
    ['an unknown start', '  x: agent.lp.pnl.total\n', "s.yaml:4:6: metrics.x: 'agent.lp.pnl.total' must start with agents.<id>, venues.<id>, builder, prices, blocks, simulatedSeconds, finalBaseFee, chain, conservation, measureFrom, mev, transfers or cascade (did you mean 'agents'?)"],
    ['a metric named like a fixed column', '  seed: agents.lp.pnl.total\n', "s.yaml:4:3: metrics.seed: the metric name 'seed' gives runs.csv a column 'seed', which is a column of its own: rename the metric"],
    ['two metrics whose summary columns clash', '  x: agents.lp.pnl.total\n  x_diff: agents.lp.pnl.fees\n', "s.yaml:5:3: metrics.x_diff: the metric name 'x_diff' gives summary.csv a column 'x_diff_n', which is the metric 'x''s column too: rename the metric"],
  ])('%s is an error at the metric, before any run', (_name, metrics, expected) => {
    expect(problems(metrics)).toEqual([expected]);
  });

  it('lists every bad metric of the file at once', () => {
    expect(problems('  a: agents.lp.pnl.fees\n  b: venues.pool.volumeUsdd\n  c: prices.BTC\n').map((l) => l.slice(0, 16))).toEqual(['s.yaml:5:6: metr', 's.yaml:6:6: metr']);
  });

  it('accepts pairs by index, balances by token (LP shares too), the conservation check', () => {
    writeFileSync(join(dir, 'ok.yaml'), `name: t\nscenario: base.yaml\nmetrics:\n  x: agents.lp.pnl.total\n  y: venues.pool.reserves.1\n  z: agents.lp.balances.LP-pool\n  w: conservation.worstGap\n  v: agents.noise.cexBalances.USD\n`);
    expect(Object.keys(loadSweepFile(join(dir, 'ok.yaml')).sweep.metrics)).toEqual(['x', 'y', 'z', 'w', 'v']);
  });
});

describe('a metric a run cannot resolve', () => {
  const task = (metrics: Record<string, string>) => ({ id: 0, scenarioFile: join(dir, 'base.yaml'), baseDir: dir, set: [], values: {}, seed: 1, metrics });

  it('empties its own cell and says why in the run’s error; the run and its other metrics stand', () => {
    const o = executeRun(task({ fees: 'agents.lp.pnl.fees', nope: 'agents.lp.metrics.nope', zero: 'agents.lp.balances.BTC' }));
    expect(o.status).toBe('ok');
    expect(o.metrics.fees).toBeGreaterThan(0);
    expect(o.metrics.nope).toBeNull();
    // Balances list non-zero tokens only: one that is not there holds nothing.
    expect(o.metrics.zero).toBe(0);
    expect(o.error).toBe("metric nope (agents.lp.metrics.nope): no 'nope' in agents.lp.metrics of the run summary");
  });

  it('in a sweep: the option-hedge metric of a hedger without options is empty, with n = 0 in the summary', async () => {
    const scenario = join(ROOT, 'scenarios', 'library', 'seed-rebalancing.yaml');
    writeFileSync(join(dir, 'hedger.yaml'), `name: hedger\nscenario: ${JSON.stringify(scenario)}\nreplicates: 2\nparameters:\n  chain.baseFee.initial: { values: [0, 20] }\nmetrics:\n  rebalances: agents.rebalancer.metrics.rebalances\n  premium: agents.rebalancer.metrics.premiumUsd\n  u: venues.triad.supplies.0\n`);
    const r = await runSweep(join(dir, 'hedger.yaml'), { out: join(dir, 'hedger-out'), workers: 1 });
    const runs = csvObjects(readFileSync(join(r.dir, 'runs.csv'), 'utf8'));
    expect(runs.map((x) => [x.status, x.premium, x.error])).toEqual(Array(4).fill(['ok', '', "metric premium (agents.rebalancer.metrics.premiumUsd): no 'premiumUsd' in agents.rebalancer.metrics of the run summary"]));
    expect(runs.every((x) => Number(x.rebalances) >= 1 && Number(x.u) > 0)).toBe(true);
    const summary = csvObjects(readFileSync(join(r.dir, 'summary.csv'), 'utf8'));
    expect(summary.map((s) => [s.failed, s.rebalances_n, s.premium_n, s.premium_mean])).toEqual([['0', '2', '0', ''], ['0', '2', '0', '']]);
  });
});

describe('scenarios/sweeps/band-vs-gas.yaml', () => {
  it('measures the hedgers by edge, not total: their total is mostly the price move of the ETH they hold', () => {
    const { sweep } = loadSweepFile(join(ROOT, 'scenarios', 'sweeps', 'band-vs-gas.yaml'));
    const pnl = Object.values(sweep.metrics).filter((p) => p.includes('.pnl.'));
    expect(pnl.length).toBeGreaterThan(0);
    // The sweep's own base, a day as the sweep runs it: holding moves total more than anything the hedge does.
    const s = loadScenarioFile(join(ROOT, 'scenarios', 'library', 'l1-vs-l2.yaml'), sweep.set ?? []);
    const r = simulate(buildConfig(s.scenario, s.baseDir));
    for (const path of pnl) {
      const [, id, , line] = path.split('.');
      const a = r.agents.find((x) => x.id === id)!;
      expect(Math.abs(a.pnl.hold), `${id}: hold ${a.pnl.hold} vs edge ${a.pnl.edge}`).toBeGreaterThan(Math.abs(a.pnl.edge));
      expect(['edge', 'gas', 'fees', 'lvr', 'swapFees', 'mev', 'trading', 'cex', 'options'], path).toContain(line);
    }
  }, 60_000);
});
