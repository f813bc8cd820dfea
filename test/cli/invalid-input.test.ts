/**
 * Invalid input exits 2 with the precise `file:line:col: path: message` (or flag) message on stderr,
 * and writes nothing: no output folder, no temporary folder, an existing output folder untouched.
 * Each case runs in a fresh folder holding tiny.yaml, its own files and `prev/`, a previous run's
 * output; the whole folder is compared before and after.
 */
import { chmodSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { edit, hedgesim, ROOT, snapshot, tempDirs, TINY } from './helpers';

const temp = tempDirs();
const PREV = { 'prev/summary.json': '{ "previous": true }\n', 'prev/blocks.csv': 'block\n1\n' };
const CSV_ETH = (file: string) => edit('ETH: { kind: gbm, price: 2500, sigma: 0.8 }', `ETH: { kind: csv, file: ${file} }`);
const RUN = (file = 's.yaml', ...rest: string[]) => ['run', file, '--out', 'prev', ...rest];
/** A library scenario with a tracker and hedgers that pay "1" for their genesis forges. */
const L1VSL2 = join(ROOT, 'scenarios', 'library', 'l1-vs-l2.yaml');
/** A valid sweep of tiny.yaml (two points); its line numbers are relied on. */
const SWEEP = `name: sw
scenario: tiny.yaml
parameters:
  agents.arb.bid.share: { values: [0.3, 0.5] }
metrics: { total: agents.arb.pnl.total }
`;
/** Nine copies of nine copies …: 9^4 strings from four lines, past the yaml library's alias limit. */
const BOMB = `a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]
`;

interface Case {
  name: string;
  files?: Record<string, string>;
  /** What else to make in the folder (links). */
  setup?: (dir: string) => void;
  /** The subfolder to run in (default: the case's folder itself); the whole folder is compared. */
  cwd?: string;
  args: string[];
  env?: Record<string, string>;
  /** A whole line of stderr; `{cwd}` stands for the case's folder (in args too). */
  line: string;
}

const cases: Case[] = [
  // The file itself.
  { name: 'a missing file', args: RUN('nope.yaml'), line: 'nope.yaml:1:1: cannot read the scenario file: no such file' },
  { name: 'a folder instead of a file', files: { 'adir/x': '' }, args: RUN('adir'), line: 'adir:1:1: cannot read the scenario file: it is a folder' },
  { name: 'an empty file', files: { 's.yaml': '' }, args: RUN(), line: 's.yaml:1:1: the file is empty; a scenario needs at least name, blocks or duration, chain, market and tokens' },
  { name: 'a file of comments only', files: { 's.yaml': '# nothing yet\n' }, args: RUN(), line: 's.yaml:1:1: the file holds only comments; a scenario needs at least name, blocks or duration, chain, market and tokens' },
  { name: 'a list at the top level', files: { 's.yaml': '- name: tiny\n' }, args: RUN(), line: 's.yaml:1:1: the top level must be a map of fields (name, chain, market, …), found a list' },
  { name: 'a YAML syntax error', files: { 's.yaml': edit('mode: fixed }', 'mode: fixed') }, args: RUN(), line: 's.yaml:8:1: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }' },
  { name: 'a duplicate key', files: { 's.yaml': edit('blocks: 50', 'blocks: 50\nblocks: 60') }, args: RUN(), line: 's.yaml:4:1: YAML syntax error: Map keys must be unique' },
  // Types and values.
  { name: 'a string for a number', files: { 's.yaml': edit('blockTime: 12', 'blockTime: fast') }, args: RUN(), line: "s.yaml:5:14: chain.blockTime: expected a number (seconds), found the string 'fast'" },
  { name: 'a negative block time', files: { 's.yaml': edit('blockTime: 12', 'blockTime: -2') }, args: RUN(), line: 's.yaml:5:14: chain.blockTime: must be > 0 seconds, found -2' },
  { name: 'NaN', files: { 's.yaml': edit('sigma: 0.8', 'sigma: .nan') }, args: RUN(), line: 's.yaml:10:43: market.assets.ETH.sigma: expected a finite number (per year), found .nan' },
  { name: 'infinity', files: { 's.yaml': edit('price: 2500', 'price: .inf') }, args: RUN(), line: 's.yaml:10:30: market.assets.ETH.price: expected a finite number (USD), found .inf' },
  { name: 'too many blocks', files: { 's.yaml': edit('blocks: 50', 'blocks: 1e12') }, args: RUN(), line: 's.yaml:3:9: blocks: must be ≤ 1,000,000,000 blocks, found 1,000,000,000,000' },
  { name: 'a balance beyond float range', files: { 's.yaml': edit('{ ETH: 1000, USD: 2500000 } }\n  noise', '{ ETH: 1e400, USD: 2500000 } }\n  noise') }, args: RUN(), line: "s.yaml:17:49: agents.lp.balances.ETH: expected a number, a decimal string (token units) or a whole number of wei such as '1000 wei', found .inf" },
  { name: 'a negative balance', files: { 's.yaml': edit('{ ETH: 10000,', '{ ETH: -5,') }, args: RUN(), line: 's.yaml:23:22: agents.noise.balances.ETH: must be ≥ 0 token units, found -5' },
  { name: 'a fee of 100 %', files: { 's.yaml': edit('feeBps: 30', 'feeBps: 10000') }, args: RUN(), line: 's.yaml:15:51: venues.pool.feeBps: must be < 10000 basis points, found 10000' },
  { name: 'a bad name', files: { 's.yaml': edit('name: tiny', 'name: Tiny Run') }, args: RUN(), line: "s.yaml:2:7: name: found 'Tiny Run', must be lower-case letters, digits and '-' (e.g. l2-default)" },
  { name: 'a bad duration', files: { 's.yaml': edit('meanInterval: 60s', 'meanInterval: 60 parsecs') }, args: RUN(), line: "s.yaml:21:19: agents.noise.meanInterval: found '60 parsecs', must be a number of seconds, or a number with a unit s, m, h or d (e.g. 90s, 30m, 1.5h, 1d)" },
  { name: 'a bad enum value', files: { 's.yaml': edit('mode: fixed', 'mode: fixd') }, args: RUN(), line: "s.yaml:7:32: chain.baseFee.mode: found 'fixd', allowed: eip1559, fixed, csv (did you mean 'fixed'?)" },
  { name: 'a JSON file with a wrong type', files: { 's.json': JSON.stringify({ name: 'j', blocks: 'ten', chain: { blockTime: 12, nativeToken: 'ETH' }, market: { assets: { ETH: { kind: 'constant', price: 1 } } }, tokens: { ETH: {} } }, null, 2) }, args: RUN('s.json'), line: "s.json:3:13: blocks: expected an integer (blocks), found the string 'ten'" },
  { name: 'an initial base fee below its floor', files: { 's.yaml': edit('mode: fixed }', 'mode: fixed, min: 5 }') }, args: RUN(), line: 's.yaml:7:23: chain.baseFee.initial: must be ≥ chain.baseFee.min (5 gwei), the floor of the base fee, found 2: the fee would start below its floor; lower min to 2 or less as well' },
  { name: 'a correlation entry out of range', files: { 's.yaml': edit('tokens:\n', '  correlation: [[1, 2], [2, 1]]\ntokens:\n') }, args: RUN(), line: 's.yaml:11:21: market.correlation[0][1]: must be ≤ 1, found 2' },
  // Fields and references.
  { name: 'an unknown top-level field', files: { 's.yaml': edit('blocks: 50', 'blocks: 50\nblokcs: 3') }, args: RUN(), line: "s.yaml:4:1: blokcs: unknown field 'blokcs' (did you mean 'blocks'?); allowed: $schema, name, description, seed, blocks, duration, numeric, checkInvariants, measureFrom, chain, market, tokens, venues, agents" },
  { name: 'an unknown agent field', files: { 's.yaml': edit('meanInterval: 60s', 'meanInterval: 60s\n    meanIntervl: 60s') }, args: RUN(), line: "s.yaml:22:5: agents.noise.meanIntervl: unknown field 'meanIntervl' (did you mean 'meanInterval'?); allowed: kind, venue, meanInterval, medianUsd, logSd, buyProbability, slippage, privateShare, deadlineBlocks, balances, cexBalances, latency, priorityFee" },
  { name: 'an unknown agent kind', files: { 's.yaml': edit('kind: arbitrageur', 'kind: arbitrager') }, args: RUN(), line: "s.yaml:24:16: agents.arb.kind: unknown kind 'arbitrager' (did you mean 'arbitrageur'?); allowed: lp, noise, arbitrageur, tracker, speculator, scripted, static-hedger, rebalancing-hedger, delta-hedger, searcher" },
  { name: 'an unknown venue', files: { 's.yaml': edit('lp: { kind: lp, venue: pool', 'lp: { kind: lp, venue: pol') }, args: RUN(), line: "s.yaml:17:26: agents.lp.venue: unknown venue 'pol' (did you mean 'pool'?); venues: pool" },
  { name: 'an unknown token', files: { 's.yaml': edit('{ ETH: 10000,', '{ DAI: 3, ETH: 10000,') }, args: RUN(), line: "s.yaml:23:17: agents.noise.balances.DAI: unknown token 'DAI'; tokens: ETH, USD, LP-pool" },
  { name: 'a missing required field', files: { 's.yaml': edit('  nativeToken: ETH\n', '') }, args: RUN(), line: "s.yaml:5:3: chain.nativeToken: missing required field 'nativeToken' (a string)" },
  { name: 'both blocks and duration', files: { 's.yaml': edit('blocks: 50', 'blocks: 50\nduration: 1h') }, args: RUN(), line: 's.yaml:4:1: duration: give either blocks or duration, not both' },
  // Given by --set over the file's other one: the way out is to set the file's one (--set removes no field).
  { name: 'blocks by --set over a duration in the file', files: { 's.yaml': edit('blocks: 50', 'duration: 1h') }, args: RUN('s.yaml', '--set', 'blocks=100'), line: 's.yaml:3:1: duration: give either blocks or duration, not both (the file gives duration, --set gives blocks: to change the length, use --set duration=… instead; --set cannot remove a field)' },
  { name: 'a duration by --set over blocks in the file', files: { 's.yaml': TINY }, args: RUN('s.yaml', '--set', 'duration=1h'), line: '--set:1:1: duration: give either blocks or duration, not both (the file gives blocks, --set gives duration: to change the length, use --set blocks=… instead; --set cannot remove a field) (in --set duration=1h)' },
  { name: 'a deposit the pool refuses at genesis', files: { 's.yaml': edit('{ ETH: 1000, USD: 2500000 } }\n  noise', '{ ETH: 1e-300, USD: 1e-300 } }\n  noise') }, args: RUN(), line: "s.yaml:17:7: agents.lp: genesis call of agent 'lp' failed: INVALID_AMOUNT — the deposit (1e-300 ETH, 1e-300 USD) is too small to mint a share of pool 'pool'" },
  // Genesis: the likely cause, and the --set that touched the agent.
  { name: 'an LP with no balances', files: { 's.yaml': edit('lp: { kind: lp, venue: pool, balances: { ETH: 1000, USD: 2500000 } }', 'lp: { kind: lp, venue: pool }') }, args: RUN(), line: "s.yaml:17:7: agents.lp: genesis call of agent 'lp' failed: INVALID_AMOUNT — it holds none of ETH or USD to deposit (give it balances)" },
  { name: 'an LP with one token only, into an empty pool', files: { 's.yaml': edit('balances: { ETH: 1000, USD: 2500000 } }\n  noise', 'balances: { ETH: 1000 } }\n  noise') }, args: RUN(), line: "s.yaml:17:7: agents.lp: genesis call of agent 'lp' failed: INVALID_AMOUNT — the first deposit into the empty pool 'pool' needs both tokens, and it deposits no USD" },
  { name: 'an LP depositing more than it holds', files: { 's.yaml': edit('lp: { kind: lp, venue: pool,', 'lp: { kind: lp, venue: pool, deposit: [1500, 3750000],') }, args: RUN(), line: "s.yaml:17:7: agents.lp: genesis call of agent 'lp' failed: INSUFFICIENT_BALANCE — it lacks 500 ETH to deposit (it needs 1,500, holds 1,000)" },
  { name: 'a genesis failure caused by --set, at the --set', args: RUN('tiny.yaml', '--set', 'seed=2', '--set', 'agents.lp.balances.USD=0'), line: "--set:2:24: agents.lp: genesis call of agent 'lp' failed: INVALID_AMOUNT — the first deposit into the empty pool 'pool' needs both tokens, and it deposits no USD (in --set agents.lp.balances.USD=0)" },
  { name: 'a genesis failure with a --set of another agent, in the file', files: { 's.yaml': edit('lp: { kind: lp, venue: pool, balances: { ETH: 1000, USD: 2500000 } }', 'lp: { kind: lp, venue: pool }') }, args: RUN('s.yaml', '--set', 'agents.arb.bid.share=0.3', '--set', 'agents.noise.balances.USD=5'), line: "s.yaml:17:7: agents.lp: genesis call of agent 'lp' failed: INVALID_AMOUNT — it holds none of ETH or USD to deposit (give it balances)" },
  { name: 'a tracker that cannot pay for its first forge, after --set of its "1"', args: RUN(L1VSL2, '--set', 'agents.tracker.balances.1=5'), line: "--set:1:27: agents.tracker: genesis call of agent 'tracker' failed: INSUFFICIENT_BALANCE — it lacks 1,999,995 \"1\" to pay for the forge (it needs 2,000,000, holds 5) (in --set agents.tracker.balances.1=5)" },
  { name: 'a hedger that cannot pay for its hedge', args: RUN(L1VSL2, '--set', 'agents.band-5pct.balances={ETH: 1}'), line: "--set:1:27: agents.band-5pct: genesis call of agent 'band-5pct' failed: INSUFFICIENT_BALANCE — it lacks 20,000 \"1\" to pay for the forge (it needs 20,000, holds 0) (in --set agents.band-5pct.balances={ETH: 1})" },
  { name: 'a scripted genesis swap beyond the agent’s balance', files: { 's.yaml': `${TINY}  whale:\n    kind: scripted\n    balances: { ETH: 1 }\n    actions:\n      - { do: swap, genesis: true, venue: pool, pay: ETH, amount: 5 }\n` }, args: RUN(), line: "s.yaml:26:5: agents.whale: genesis call of agent 'whale' failed: INSUFFICIENT_BALANCE — it lacks 4 ETH to pay for the swap (it needs 5, holds 1)" },
  // CSV price files.
  { name: 'a missing CSV file', files: { 's.yaml': CSV_ETH('prices.csv') }, args: RUN(), line: 's.yaml:10:29: market.assets.ETH.file: cannot read the CSV file prices.csv: no such file' },
  { name: 'a folder as CSV file', files: { 's.yaml': CSV_ETH('data'), 'data/x.csv': '' }, args: RUN(), line: 's.yaml:10:29: market.assets.ETH.file: cannot read the CSV file data: it is a folder' },
  { name: 'an empty CSV file', files: { 's.yaml': CSV_ETH('prices.csv'), 'prices.csv': '' }, args: RUN(), line: 'prices.csv:1:1: market.assets.ETH: the CSV file is empty; it needs a header row and at least 2 rows of prices' },
  { name: 'an unreadable CSV price', files: { 's.yaml': CSV_ETH('prices.csv'), 'prices.csv': 'time,ETH\n0,2500\n600,abc\n1200,2510\n' }, args: RUN(), line: "prices.csv:3:5: market.assets.ETH: price must be a positive number, found 'abc'" },
  { name: 'an unclosed CSV quote', files: { 's.yaml': CSV_ETH('prices.csv'), 'prices.csv': 'time,ETH\n0,"2500\n' }, args: RUN(), line: 'prices.csv:2:1: market.assets.ETH: CSV syntax error: Quote Not Closed: the parsing is finished with an opening quote at line 2' },
  { name: 'CSV prices too short for the run', files: { 's.yaml': CSV_ETH('prices.csv'), 'prices.csv': 'time,ETH\n0,2500\n60,2501\n' }, args: RUN(), line: 'prices.csv:3:1: market.assets.ETH: the prices cover 60 s, but the run lasts 600 s (50 blocks × 12 s); shorten the run or add prices' },
  // --set and --seed.
  { name: '--set of an unknown field', args: RUN('tiny.yaml', '--set', 'agents.arb.bdi.share=0.3'), line: "--set:1:12: agents.arb.bdi: unknown field 'bdi' (did you mean 'bid'?); allowed: kind, venue, bid, minProfitUsd, hedge, ignoreGas, every, triad, balances, cexBalances, latency, priorityFee (in --set agents.arb.bdi.share=0.3)" },
  { name: '--set of an unknown entry', args: RUN('tiny.yaml', '--set', 'agents.nobody.kind=lp'), line: "--set:1:8: agents.nobody: no entry 'nobody' in agents; entries: lp, noise, arb (in --set agents.nobody.kind=lp)" },
  { name: '--set with a malformed path', args: RUN('tiny.yaml', '--set', 'agents..lp=1'), line: "--set:1:8: malformed path 'agents..lp' at '.lp' (use a.b.c or a.b[0]) (in --set agents..lp=1)" },
  { name: '--set without =', args: RUN('tiny.yaml', '--set', 'seed'), line: "--set:1:1: expected path=value, found 'seed' (in --set seed)" },
  { name: '--set without a value', args: RUN('tiny.yaml', '--set', 'seed='), line: "--set:1:6: seed: no value after '=' (in --set seed=)" },
  { name: '--set of a string for a number', args: RUN('tiny.yaml', '--set', 'market.assets.ETH.sigma=abc'), line: "--set:1:25: market.assets.ETH.sigma: expected a number (per year), found the string 'abc' (in --set market.assets.ETH.sigma=abc)" },
  { name: '--set of unreadable YAML', args: RUN('tiny.yaml', '--set', 'agents.lp.balances={ETH: 1'), line: "--set:1:27: agents.lp.balances: cannot read the value '{ETH: 1': Flow map must end with a } (in --set agents.lp.balances={ETH: 1)" },
  { name: '--set of an index out of range', args: RUN('tiny.yaml', '--set', 'venues.pool.tokens[5]=DAI'), line: "--set:1:19: venues.pool.tokens[5]: index 5 is out of range: 'venues.pool.tokens' has 2 items (in --set venues.pool.tokens[5]=DAI)" },
  { name: 'the second of two --set', args: RUN('tiny.yaml', '--set', 'seed=3', '--set', 'chain.blockTime=0'), line: '--set:2:17: chain.blockTime: must be > 0 seconds, found 0 (in --set chain.blockTime=0)' },
  { name: '--seed that is not an integer', args: RUN('tiny.yaml', '--seed', '1.5'), line: '--set:1:6: seed: expected an integer or a string, found 1.5 (in --set seed=1.5)' },
  // Flags and commands.
  { name: 'an unknown flag', args: RUN('tiny.yaml', '--bogus'), line: "error: unknown option '--bogus'" },
  { name: 'a bad --record value', args: RUN('tiny.yaml', '--record', 'everything'), line: "error: option '--record <level>' argument 'everything' is invalid. Allowed choices are summary, blocks, full." },
  { name: 'a missing file argument', args: ['run', '--out', 'prev'], line: "error: missing required argument 'file'" },
  { name: 'a missing --out value', args: ['run', 'tiny.yaml', '--out'], line: "error: option '-o, --out <dir>' argument missing" },
  { name: 'two files', args: RUN('tiny.yaml', 'tiny.yaml'), line: "error: too many arguments for 'run'. Expected 1 argument but got 2." },
  { name: 'an unknown command', args: ['runn', 'tiny.yaml'], line: "error: unknown command 'runn'" },
  { name: '--out naming a file', args: ['run', 'tiny.yaml', '--out', 'tiny.yaml'], line: "error: --out: 'tiny.yaml' is a file, not a folder" },
  { name: '--out naming a folder that is not an output folder', files: { 'notes/todo.txt': 'keep me' }, args: ['run', 'tiny.yaml', '--out', 'notes'], line: "error: --out: 'notes' holds an entry a run does not write (todo.txt); a run replaces its output folder as a whole, which would delete it: give another --out, or move or remove it" },
  { name: '--out naming a folder with only a file a run writes, but no summary.json', files: { 'mine/blocks.csv': 'block\n1\n' }, args: ['run', 'tiny.yaml', '--out', 'mine'], line: "error: --out: 'mine' is not a run's output folder (it has no summary.json); a run replaces its output folder as a whole, which would delete what it holds: give another --out, or remove it" },
  { name: '--out inside a file', args: ['run', 'tiny.yaml', '--out', 'tiny.yaml/runs/o'], line: "error: --out: 'tiny.yaml/runs/o' is under {cwd}/tiny.yaml, which is a file: no folder can be made there" },
  // An --out that would take the current folder or the inputs with it: a run replaces its output
  // folder whole (the old one renamed away and deleted). An empty name is the current folder.
  { name: '--out . (the current folder)', args: ['run', 'tiny.yaml', '--out', '.'], line: "error: --out: '.' is the current folder; the output goes into a folder of its own, e.g. out/run-1" },
  { name: "--out '' (an unset shell variable)", args: ['run', 'tiny.yaml', '--out', ''], line: 'error: --out: the folder name is empty (an unset shell variable?); give a folder such as out/run-1' },
  { name: '--out of only spaces', args: ['run', 'tiny.yaml', '--out', '  '], line: 'error: --out: the folder name is only spaces; give a folder such as out/run-1' },
  { name: "-o '' (the short flag)", args: ['run', 'tiny.yaml', '-o', ''], line: 'error: --out: the folder name is empty (an unset shell variable?); give a folder such as out/run-1' },
  { name: '--out . in a folder that holds a summary.json (an earlier output folder)', cwd: 'prev', args: ['run', '../tiny.yaml', '--out', '.'], line: "error: --out: '.' is the current folder; the output goes into a folder of its own, e.g. out/run-1" },
  { name: '--out .. (a folder above the current one)', files: { 'sub/summary.json': '{}', 'summary.json': '{}' }, cwd: 'sub', args: ['run', '../tiny.yaml', '--out', '..'], line: "error: --out: '..' is a folder that holds the current folder ({cwd}/sub); the output goes into a folder of its own, e.g. out/run-1" },
  { name: '--out of the current folder by its absolute path', setup: (dir) => mkdirSync(join(dir, 'here')), cwd: 'here', args: ['run', '../tiny.yaml', '--out', '{cwd}/here'], line: "error: --out: '{cwd}/here' is the current folder; the output goes into a folder of its own, e.g. out/run-1" },
  { name: '--out through a symbolic link to the current folder', setup: (dir) => symlinkSync('.', join(dir, 'self')), args: ['run', 'tiny.yaml', '--out', 'self'], line: "error: --out: 'self' is the current folder; the output goes into a folder of its own, e.g. out/run-1" },
  { name: '--out holding the scenario file', files: { 'old/summary.json': '{}', 'old/s.yaml': TINY }, args: ['run', 'old/s.yaml', '--out', 'old'], line: "error: --out: 'old' holds the scenario file old/s.yaml; choose an output folder apart from the inputs" },
  { name: '--out holding a CSV price file', files: { 's.yaml': CSV_ETH('data/prices.csv'), 'data/summary.json': '{}', 'data/prices.csv': 'time,ETH\n0,2500\n600,2510\n' }, args: RUN('s.yaml', '--out', 'data'), line: "error: --out: 'data' holds the price file of ETH data/prices.csv; choose an output folder apart from the inputs" },
  { name: "sweep --out ''", files: { 'sw.yaml': SWEEP }, args: ['sweep', 'sw.yaml', '--out', ''], line: 'error: --out: the folder name is empty (an unset shell variable?); give a folder such as out/run-1' },
  { name: 'sweep --out .', files: { 'sw.yaml': SWEEP }, args: ['sweep', 'sw.yaml', '--out', '.'], line: "error: --out: '.' is the current folder; the output goes into a folder of its own, e.g. out/run-1" },
  { name: 'sweep --out holding the sweep file', files: { 'sweeps/sw.yaml': SWEEP.replace('tiny.yaml', '../tiny.yaml') }, args: ['sweep', 'sweeps/sw.yaml', '--out', 'sweeps'], line: "error: --out: 'sweeps' holds the sweep file sweeps/sw.yaml; choose an output folder apart from the inputs" },
  { name: 'sweep --out holding the base scenario', files: { 'sw.yaml': SWEEP.replace('tiny.yaml', 'base/s.yaml'), 'base/s.yaml': TINY }, args: ['sweep', 'sw.yaml', '--out', 'base'], line: "error: --out: 'base' holds the base scenario base/s.yaml; choose an output folder apart from the inputs" },
  { name: "merge --out ''", args: ['merge', 'prev', '--out', ''], line: 'error: --out: the folder name is empty (an unset shell variable?); give a folder such as out/run-1' },
  { name: 'merge --out ..', cwd: 'prev', args: ['merge', '.', '--out', '..'], line: "error: --out: '..' is a folder that holds the current folder ({cwd}/prev); the output goes into a folder of its own, e.g. out/run-1" },
  // Aliases that expand exponentially ("billion laughs"), in a scenario, a sweep file and --set.
  { name: 'a YAML alias bomb', files: { 's.yaml': `${TINY}${BOMB}` }, args: RUN(), line: 's.yaml:26:8: YAML aliases: its aliases (*name) expand to too many copies of their anchors (more than 100); write the values out or use fewer aliases' },
  { name: 'a YAML alias bomb in a sweep file', files: { 'sw.yaml': `${SWEEP}${BOMB}` }, args: ['sweep', 'sw.yaml', '--out', 'o'], line: 'sw.yaml:7:8: YAML aliases: its aliases (*name) expand to too many copies of their anchors (more than 100); write the values out or use fewer aliases' },
  { name: 'a YAML alias bomb in --set', args: RUN('tiny.yaml', '--set', 'description=[&a [x,x,x,x,x,x,x,x,x,x], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]]'), line: '--set:1:13: description: cannot read the value: YAML aliases: they expand to too many copies of their anchors (more than 100) (in --set description=[&a [x,x,x,x,x,x,x,x,x,x], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]])' },
  // Unreadable in ways root cannot override.
  { name: 'a path through a file', args: RUN('tiny.yaml/s.yaml'), line: 'tiny.yaml/s.yaml:1:1: cannot read the scenario file: a part of its path is a file, not a folder' },
  { name: 'a CSV path through a file', files: { 's.yaml': CSV_ETH('tiny.yaml/prices.csv') }, args: RUN(), line: 's.yaml:10:29: market.assets.ETH.file: cannot read the CSV file tiny.yaml/prices.csv: a part of its path is a file, not a folder' },
  { name: 'a sweep file that is a folder', files: { 'sw/x': '' }, args: ['sweep', 'sw', '--out', 'o'], line: 'sw:1:1: cannot read the sweep file: it is a folder' },
  // Progress timing from the environment.
  { name: 'a HEDGESIM_PROGRESS_INTERVAL that is not a number', env: { HEDGESIM_PROGRESS_INTERVAL: 'soon' }, args: RUN('tiny.yaml'), line: "error: HEDGESIM_PROGRESS_INTERVAL must be a number of seconds ≥ 0, found 'soon'" },
  { name: 'a negative HEDGESIM_PROGRESS_DELAY', env: { HEDGESIM_PROGRESS_DELAY: '-1' }, args: RUN('tiny.yaml'), line: "error: HEDGESIM_PROGRESS_DELAY must be a number of seconds ≥ 0, found '-1'" },
  // validate rejects what run rejects.
  { name: 'validate: a negative block time', files: { 's.yaml': edit('blockTime: 12', 'blockTime: -2') }, args: ['validate', 's.yaml'], line: 's.yaml:5:14: chain.blockTime: must be > 0 seconds, found -2' },
  { name: 'validate: a bad --set', args: ['validate', 'tiny.yaml', '--set', 'chain.ordering=fastest'], line: "--set:1:16: chain.ordering: found 'fastest', allowed: priority, fcfs, random (in --set chain.ordering=fastest)" },
  { name: 'validate: a missing CSV file', files: { 's.yaml': CSV_ETH('prices.csv') }, args: ['validate', 's.yaml'], line: 's.yaml:10:29: market.assets.ETH.file: cannot read the CSV file prices.csv: no such file' },
  { name: 'validate: a deposit refused at genesis', files: { 's.yaml': edit('{ ETH: 1000, USD: 2500000 } }\n  noise', '{ ETH: 0, USD: 0 } }\n  noise') }, args: ['validate', 's.yaml'], line: "s.yaml:17:7: agents.lp: genesis call of agent 'lp' failed: INVALID_AMOUNT — it holds none of ETH or USD to deposit (give it balances)" },
];

function check(c: Case): void {
  const dir = temp({ 'tiny.yaml': TINY, ...PREV, ...c.files });
  c.setup?.(dir);
  const before = snapshot(dir);
  const real = realpathSync(dir);
  const r = hedgesim(c.args.map((a) => a.replace('{cwd}', real)), { cwd: join(dir, c.cwd ?? ''), ...(c.env ? { env: c.env } : {}) });
  expect(r.stderr.split('\n')).toContain(c.line.replaceAll('{cwd}', real));
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(snapshot(dir)).toEqual(before);
}

describe('invalid input exits 2 with a precise message and writes nothing', () => {
  it('covers at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases)('$name', check);

  // Root reads any file whatever its mode, so as root (as CI runs) the command runs as the
  // unprivileged user nobody, for whom mode 000 means what it means for anyone.
  const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

  it('an unreadable scenario file, sweep file or CSV file: permission denied, exit 2, nothing written', () => {
    const dir = temp({ 's.yaml': TINY, 'sw.yaml': SWEEP, 'c.yaml': CSV_ETH('prices.csv'), 'prices.csv': 'time,ETH\n0,2500\n600,2510\n' });
    chmodSync(dir, 0o777);
    const before = snapshot(dir);
    const locked = ['s.yaml', 'sw.yaml', 'prices.csv'];
    for (const f of locked) chmodSync(join(dir, f), 0o000);
    const cases: [string[], string][] = [
      [['run', 's.yaml', '--out', 'o'], 's.yaml:1:1: cannot read the scenario file: permission denied'],
      [['validate', 's.yaml'], 's.yaml:1:1: cannot read the scenario file: permission denied'],
      [['sweep', 'sw.yaml', '--out', 'o'], 'sw.yaml:1:1: cannot read the sweep file: permission denied'],
      [['run', 'c.yaml', '--out', 'o'], 'c.yaml:10:29: market.assets.ETH.file: cannot read the CSV file prices.csv: permission denied'],
    ];
    for (const [args, line] of cases) {
      const r = hedgesim(args, { cwd: dir, ...unprivileged });
      expect([r.code, r.stderr.split('\n')], args.join(' ')).toEqual([2, ['invalid scenario', line, '']]);
    }
    for (const f of locked) chmodSync(join(dir, f), 0o644);
    expect(snapshot(dir)).toEqual(before);
  });

  it('starts a scenario problem report with "invalid scenario" and lists every problem, one per line', () => {
    const dir = temp({ 's.yaml': edit('blockTime: 12', 'blockTime: -2', edit('feeBps: 30', 'feeBps: 10000')) });
    const r = hedgesim(['validate', 's.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('invalid scenario\ns.yaml:5:14: chain.blockTime: must be > 0 seconds, found -2\ns.yaml:15:51: venues.pool.feeBps: must be < 10000 basis points, found 10000\n');
  });
});

describe('problems of CSV price files are reported with the scenario’s other problems, not after them', () => {
  const BAD_FEE = (text: string) => edit('feeBps: 30', 'feeBps: 10000', text);
  const FEE = 's.yaml:15:51: venues.pool.feeBps: must be < 10000 basis points, found 10000';
  it.each<[string, Record<string, string>, string[]]>([
    ['a missing CSV file', { 's.yaml': BAD_FEE(CSV_ETH('prices.csv')) }, ['s.yaml:10:29: market.assets.ETH.file: cannot read the CSV file prices.csv: no such file', FEE]],
    ['an unreadable CSV price', { 's.yaml': BAD_FEE(CSV_ETH('prices.csv')), 'prices.csv': 'time,ETH\n0,2500\n600,abc\n' }, ["prices.csv:3:5: market.assets.ETH: price must be a positive number, found 'abc'", FEE]],
    ['CSV prices too short for the run (its length is valid)', { 's.yaml': BAD_FEE(CSV_ETH('prices.csv')), 'prices.csv': 'time,ETH\n0,2500\n60,2501\n' }, ['prices.csv:3:1: market.assets.ETH: the prices cover 60 s, but the run lasts 600 s (50 blocks × 12 s); shorten the run or add prices', FEE]],
    ['a missing CSV file, when the run length is invalid too', { 's.yaml': edit('blockTime: 12', 'blockTime: -2', CSV_ETH('prices.csv')) }, ['s.yaml:5:14: chain.blockTime: must be > 0 seconds, found -2', 's.yaml:10:29: market.assets.ETH.file: cannot read the CSV file prices.csv: no such file']],
  ])('%s', (_name, files, lines) => {
    const dir = temp({ 'tiny.yaml': TINY, ...PREV, ...files });
    const before = snapshot(dir);
    for (const command of ['validate', 'run']) {
      const r = hedgesim([command, 's.yaml', ...(command === 'run' ? ['--out', 'prev'] : [])], { cwd: dir });
      expect([r.code, r.stdout, r.stderr], command).toEqual([2, '', `invalid scenario\n${lines.join('\n')}\n`]);
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('does not read the file of a CSV asset whose own entry is invalid (its problem is the entry)', () => {
    const dir = temp({ 's.yaml': BAD_FEE(edit('ETH: { kind: gbm, price: 2500, sigma: 0.8 }', 'ETH: { kind: csv, file: nope.csv, colum: ETH }')) });
    const r = hedgesim(['validate', 's.yaml'], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([2, `invalid scenario\ns.yaml:10:39: market.assets.ETH.colum: unknown field 'colum' (did you mean 'column'?); allowed: kind, file, column, timeColumn, interpolate\n${FEE}\n`]);
  });
});

describe('the wrong command for the file', () => {
  it.each([
    ['run', ['run', 'sw.yaml', '--out', 'o'], 'sw.yaml:2:1: sw.yaml is a sweep file: use `hedgesim sweep sw.yaml`'],
    ['run --set', ['run', 'sw.yaml', '--set', 'chain.blockTime=2'], 'sw.yaml:2:1: sw.yaml is a sweep file: use `hedgesim sweep sw.yaml`'],
    ['validate', ['validate', 'sw.yaml'], 'sw.yaml:2:1: sw.yaml is a sweep file: use `hedgesim sweep sw.yaml`'],
    ['sweep', ['sweep', 'tiny.yaml', '--out', 'o'], 'tiny.yaml:4:1: tiny.yaml is a scenario file: use `hedgesim run tiny.yaml`'],
  ])('%s: one message naming the right command instead of a field error per key, exit 2, nothing written', (_name, args, line) => {
    const dir = temp({ 'tiny.yaml': TINY, 'sw.yaml': SWEEP });
    const before = snapshot(dir);
    const r = hedgesim(args, { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `invalid scenario\n${line}\n`]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('still reports the fields of a scenario that merely has a `scenario` key, or of a sweep file with a `chain` beside its base scenario', () => {
    const dir = temp({ 's.yaml': `${TINY}scenario: x\n`, 'sw.yaml': `${SWEEP}chain: {}\n` });
    expect(hedgesim(['validate', 's.yaml'], { cwd: dir }).stderr).toContain("s.yaml:25:1: scenario: unknown field 'scenario'");
    expect(hedgesim(['sweep', 'sw.yaml'], { cwd: dir }).stderr).toContain("sw.yaml:6:1: chain: unknown field 'chain'");
  });
});

describe('known problems outside the CLI (scenarios/)', () => {
  // scenarios/issues.ts reports zod's implicit safe-integer bound next to the schema's own
  // maximum, so one bad value gives two problems, the first with a misleading limit.
  it('reports a huge integer once, with the real limit', () => {
    const dir = temp({ 'tiny.yaml': TINY });
    const r = hedgesim(['validate', 'tiny.yaml', '--set', 'blocks=1e300'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('--set:'))).toEqual(['--set:1:8: blocks: must be ≤ 1,000,000,000 blocks, found 1e+300 (in --set blocks=1e300)']);
  });
});
