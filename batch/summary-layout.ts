/**
 * What a sweep metric may name: the numbers of a run's summary (sim/result.ts, docs/outputs.md),
 * laid out from the base scenario — agents and venues by id, an agent's `metrics` by its kind, a
 * venue's fields by its kind, prices by asset, balances by token. Sweep files are checked against
 * it before any run, so that a typo is an error at its line rather than a fault in every run.
 */
import { CASCADE_FIELDS } from './cascade';
import type { AgentKind } from '../agents';
import type { Scenario } from '../scenarios/schema';
import { didYouMean } from '../scenarios/suggest';
import { PNL_LINES } from '../sim/result';
import { OUTSIDE_PARTIES, TRANSFER_KINDS } from '../sim/cells';

/** A number, or something with named parts (a map by id or key, a record of fields, a pair). */
type Node = 'number' | Branch;

interface Branch {
  /** What its parts are, singular ("agent", "field", "token"). */
  noun: string;
  /** How to name the list of parts in a message ("agents", "fields of a cpmm venue"). */
  list: string;
  names: readonly string[];
  child(name: string): Node | undefined;
}

const numbers = (names: readonly string[]): Record<string, Node> => Object.fromEntries(names.map((n) => [n, 'number' as const]));

function fields(parts: Record<string, Node>, list = 'fields'): Branch {
  return { noun: 'field', list, names: Object.keys(parts), child: (n) => (Object.hasOwn(parts, n) ? parts[n] : undefined) };
}

function keyed(noun: string, list: string, names: readonly string[], child: (name: string) => Node = () => 'number'): Branch {
  return { noun, list, names, child: (n) => (names.includes(n) ? child(n) : undefined) };
}

/** A `[a, b]` pair of numbers, read by index: `reserves.0`, `reserves.1`. */
const pair = (): Branch => keyed('index', 'indices', ['0', '1']);

export const PNL_FIELDS = PNL_LINES;

const OPTION_HEDGE_METRICS = ['premiumUsd', 'payoffUsd', 'hedgeTrades', 'hedgeTradesAttempted', 'gammaSlippageUsd'];
/** The entry rule's (agents/entry.ts): present only on agents with `exit`, and only while measured. */
const EXIT_RULE_METRICS = ['trailingEdgeRate', 'trailingCapitalUsd', 'incumbentsEdgeRate'];
const HEDGER_METRICS = ['rebalances', 'rebalancesAttempted', 'checks', ...OPTION_HEDGE_METRICS, 'exits', 'exitsAttempted', 'reentries', 'reentriesAttempted', 'inMarket', ...EXIT_RULE_METRICS];

/**
 * The names in an agent's `metrics`, by kind (docs/outputs.md, "agents[].metrics by kind"). Some
 * depend on the configuration: the option-hedge ones (with several hedges suffixed `[i]`) and the
 * searcher's adversary ones; a run where such a name is absent leaves its cell empty.
 */
export const AGENT_METRICS: Record<AgentKind, readonly string[]> = {
  lp: ['exits', 'exitsAttempted', 'reentries', 'reentriesAttempted', 'inPool', ...EXIT_RULE_METRICS],
  noise: ['trades', 'tradesAttempted', 'skipped'],
  arbitrageur: ['opportunities', 'trades', 'tradesAttempted'],
  tracker: ['moves', 'movesAttempted', 'spentUsd', 'spentGasUsd', 'spentMaxMove', 'spentExcessMax', 'spentMaxDay', 'budgetLeft', 'exhaustedAtBlock', 'blocksExhausted', 'exhaustions', 'trackingRmsLog', 'trackingMaxAbsLog', 'offPegShare', 'trackingRmsLogActive', 'trackingRmsLogExhausted'],
  speculator: ['trades', 'tradesAttempted', 'buys', 'sells', 'unwinds', 'reverted', 'expectedGainUsd', 'active', 'positionFairUsd', 'exits', 'exitsAttempted', 'reentries', ...EXIT_RULE_METRICS],
  scripted: [],
  'static-hedger': HEDGER_METRICS,
  'rebalancing-hedger': HEDGER_METRICS,
  'delta-hedger': HEDGER_METRICS,
  searcher: ['sandwiches', 'sandwichesAttempted', 'backruns', 'backrunsAttempted', 'arbitrages', 'arbitragesAttempted', 'raises', 'raisesAttempted', 'adversaryPushes', 'adversaryPushesAttempted', 'adversaryReversals', 'adversaryReversalsAttempted', 'adversaryCaught', 'adversaryCaughtAttempted', 'adversaryTargetLossUsd'],
};

function agentMetrics(kind: string): Branch {
  const names = (AGENT_METRICS as Record<string, readonly string[] | undefined>)[kind];
  // A kind this table does not know (none today: the Record type lists them all) takes any name.
  if (names === undefined) return { noun: 'metric', list: 'metrics', names: [], child: () => 'number' };
  // With several hedges, an option hedge's names are suffixed with the hedge's index: premiumUsd[1].
  const indexed = (n: string): string | undefined => /^([A-Za-z]+)\[\d+\]$/.exec(n)?.[1];
  return {
    noun: 'metric',
    list: `${kind} metrics`,
    names,
    child(n) {
      const base = indexed(n);
      return names.includes(n) || (base !== undefined && OPTION_HEDGE_METRICS.includes(base) && names.includes(base)) ? 'number' : undefined;
    },
  };
}

/** Every token of the run's ledger: the scenario's, and those its venues create (LP shares, triad tokens). */
export function ledgerTokens(s: Scenario): string[] {
  const out = new Set(Object.keys(s.tokens));
  for (const [id, v] of Object.entries(s.venues ?? {})) {
    if (v.kind === 'cpmm') out.add(v.lpToken ?? `LP-${id}`);
    else for (const t of [v.one ?? '1', v.unit, v.reciprocal ?? `1/${v.unit}`]) out.add(t);
  }
  return [...out];
}

/** The parties of the transfer ledger (sim/transfers.ts): the agents, then builder, burn and the CEX desk. */
export function transferParties(s: Scenario): string[] {
  return [...Object.keys(s.agents ?? {}), ...OUTSIDE_PARTIES];
}

/** An agent's `transfers` (docs/outputs.md): totals, by kind, and by every other party. */
function agentTransfers(self: string, parties: readonly string[]): Branch {
  return fields({
    ...numbers(['received', 'paid', 'net', 'revaluation', 'gross']),
    byKind: fields(numbers(TRANSFER_KINDS)),
    byCounterparty: keyed('party', 'parties', parties.filter((p) => p !== self), () => fields(numbers(['paid', 'received']))),
  });
}

/** A parties × parties matrix, by index. */
function matrix(n: number): Branch {
  const indices = Array.from({ length: n }, (_, i) => String(i));
  return keyed('index', 'indices', indices, () => keyed('index', 'indices', indices));
}

function agent(id: string, kind: string, tokens: readonly string[], parties: readonly string[]): Branch {
  return fields({
    pnl: fields(numbers(PNL_FIELDS)),
    ...numbers(['initialValue', 'finalValue', 'hodlValue']),
    txs: fields(numbers(['sent', 'included', 'reverted', 'dropped'])),
    gasPaid: fields(numbers(['baseUsd', 'priorityUsd'])),
    balances: keyed('token', 'tokens', tokens),
    cexBalances: keyed('token', 'tokens', tokens),
    metrics: agentMetrics(kind),
    transfers: agentTransfers(id, parties),
  }, `fields of an agent`);
}

const CPMM = (): Branch => fields({ reserves: pair(), ...numbers(['price', 'totalShares', 'feesUsd', 'lvrUsd', 'volumeUsd', 'swaps']) }, 'fields of a cpmm venue');
const TRIAD = (): Branch => fields({ supplies: pair(), k: 'number', prices: pair() }, 'fields of a triad venue');

/** The numbers of a run's summary for this scenario, as a tree of named parts. */
export function summaryLayout(s: Scenario): Branch {
  const tokens = ledgerTokens(s);
  const agents = s.agents ?? {};
  const venues = s.venues ?? {};
  const parties = transferParties(s);
  return fields({
    agents: keyed('agent', 'agents', Object.keys(agents), (id) => agent(id, agents[id]!.kind, tokens, parties)),
    venues: keyed('venue', 'venues', Object.keys(venues), (id) => (venues[id]!.kind === 'cpmm' ? CPMM() : TRIAD())),
    builder: fields(numbers(['priorityFeesNative', 'priorityFeesUsd', 'burnedNative', 'burnedUsd'])),
    prices: keyed('asset', 'assets', Object.keys(s.market.assets)),
    ...numbers(['blocks', 'simulatedSeconds', 'finalBaseFee']),
    // A fixed base fee aims at no gas target: the summary has none.
    chain: fields(numbers(s.chain.baseFee?.mode === 'fixed' ? ['gasLimit'] : ['gasLimit', 'gasTarget'])),
    conservation: fields({ ...numbers(['tolerance', 'worstGap']), tokens: keyed('token', 'tokens', tokens) }),
    measureFrom: fields(numbers(['block', 'time'])),
    mev: fields(numbers(['bundles', 'victimLossUsd', 'capturedUsd', 'othersGainUsd', 'worstGapUsd'])),
    transfers: fields({ paid: matrix(parties.length), byKind: fields(Object.fromEntries(TRANSFER_KINDS.map((k) => [k, matrix(parties.length)]))), ...numbers(['residual', 'gross']) }),
    // Counted by sweeps and studies when a metric names one (batch/cascade.ts), not in summary.json.
    cascade: fields(numbers([...CASCADE_FIELDS])),
  });
}

/** Why `path` names no number of the run summary of `s`, or undefined when it does. */
export function metricPathProblem(path: string, s: Scenario): string | undefined {
  return pathProblem(path, summaryLayout(s));
}

/** Why `path`, under an agent of this kind (`pnl.edge`, `metrics.rebalances`), names no number of its summary. */
export function agentPathProblem(path: string, kind: string, s: Scenario): string | undefined {
  return pathProblem(path, agent('', kind, ledgerTokens(s), transferParties(s)), `an agent's summary (${kind})`);
}

function pathProblem(path: string, root: Branch, top?: string): string | undefined {
  const segs = path.split('.');
  let node: Node = root;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const here = segs.slice(0, i).join('.');
    if (node === 'number') return `'${path}': ${here} is a number, with nothing under it`;
    const next: Node | undefined = node.child(seg);
    if (next === undefined) {
      const hint = didYouMean(seg, node.names);
      if (i === 0 && top !== undefined) return `'${path}' names no field '${seg}' of ${top}${hint}; fields: ${node.names.join(', ')}`;
      if (i === 0) return `'${path}' must start with agents.<id>, venues.<id>, builder, prices, blocks, simulatedSeconds, finalBaseFee, chain, conservation, measureFrom, mev, transfers or cascade${hint}`;
      const where = node.noun === 'field' || node.noun === 'metric' || node.noun === 'index' ? ` in ${here}` : '';
      return `'${path}' names no ${node.noun} '${seg}'${where}${hint}; ${node.list}: ${node.names.length === 0 ? 'none' : node.names.join(', ')}`;
    }
    node = next;
  }
  if (node !== 'number') return `'${path}' is not a number: name one of its ${node.list} (${node.names.map((n) => `${path}.${n}`).join(', ')})`;
  return undefined;
}
