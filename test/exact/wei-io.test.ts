/**
 * Getting exact amounts in and out: integer wei with a unit in scenario files and `--set` (malformed
 * ones located, exit 2), the exact log's `…Wei` siblings and its format version, and a scripted swap
 * bounded by `slippage` — each through the loader and the simulator (or the command line).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildConfig, parseScenario } from '../../scenarios';
import { recordTransactions, type TxRecord } from '../../sim/record';
import type { SimResult } from '../../sim/result';
import { Simulation } from '../../sim/simulation';
import { parseTransactions } from '../../viz/data/files';
import { TX_LOG_FORMAT } from '../../viz/data/format';
import { TX_LOG_FORMAT as WRITTEN_FORMAT } from '../../sim/record';
import { hedgesim, snapshot, tempDirs } from '../cli/helpers';
import { problems } from '../scenarios/helpers';

const E18 = 10n ** 18n;
const dirs = tempDirs();

/** A (5, 10) TKA/TKB pool, the Uniswap v2 vector's; `trader` acts at block 1; gas costs nothing. */
const world = (numeric: 'exact' | 'float', trader: string, extra = ''): string => `name: wei-io
blocks: 2
numeric: ${numeric}
chain: { blockTime: 12, nativeToken: ETH, baseFee: { initial: 0, mode: fixed } }
market: { assets: { ETH: { kind: constant, price: 2000 } } }
tokens: { ETH: {}, TKA: { usd: 1 }, TKB: { usd: 1 } }
venues:
  pair: { kind: cpmm, tokens: [TKA, TKB], feeBps: 30 }
agents:
  lp:
    kind: scripted
    balances: { TKA: 5, TKB: 10, ETH: 1 }
    actions: [{ genesis: true, do: addLiquidity, venue: pair, amounts: ['5', '10'] }]
  trader:
    kind: scripted
${trader}
${extra}`;

function simulate(text: string, overrides: string[] = []): { r: SimResult; txs: TxRecord[] } {
  const loaded = parseScenario(text, 's.yaml', overrides);
  const sim = new Simulation({ ...buildConfig(loaded.scenario, '.'), checkInvariants: true });
  const txs: TxRecord[] = [];
  recordTransactions(sim, (t) => txs.push(t));
  return { r: sim.run().result(), txs };
}

const weiOf = (r: SimResult, agent: string, token: string): bigint => BigInt(r.agents.find((a) => a.id === agent)!.balancesWei?.[token] ?? '0');
const balance = (r: SimResult, agent: string, token: string): number => r.agents.find((a) => a.id === agent)!.balances[token] ?? 0;

describe("amounts in integer wei ('1000 wei')", () => {
  const trader = `    balances: { TKA: '1000000000000000001 wei', TKB: '1000 wei', ETH: 1 }
    actions: [{ block: 1, do: swap, venue: pair, pay: TKA, amount: '1000000000000000000 wei', minOut: '1662497915624478906 wei' }]`;

  it('are exact to the wei in exact mode, in balances, amounts and bounds', () => {
    const { r, txs } = simulate(world('exact', trader));
    expect(weiOf(r, 'trader', 'TKA')).toBe(1n);
    expect(weiOf(r, 'trader', 'TKB')).toBe(1000n + 1662497915624478906n);
    const swap = txs.find((t) => t.agent === 'trader')!;
    expect(swap.status).toBe('included');
    expect(swap.calls[0]!.boundAWei).toBe('1662497915624478906');
  });

  it('are the same amount as the decimal string of token units, and the nearest float in float mode', () => {
    const a = parseScenario(world('exact', trader), 's.yaml');
    const b = parseScenario(world('exact', trader.replace("'1000 wei'", "'0.000000000000001'").replace("'1000000000000000001 wei'", "'1.000000000000000001'")), 's.yaml');
    expect(a.hash).toBe(b.hash);
    const { r } = simulate(world('float', trader));
    expect(balance(r, 'trader', 'TKB')).toBe(1e-15 + 1.662497915624478906);
  });

  it('are accepted in --set, exactly', () => {
    const { r } = simulate(world('exact', trader), ['agents.trader.balances.TKB=7 wei', 'agents.lp.balances.ETH= 3 wei ']);
    expect(weiOf(r, 'trader', 'TKB')).toBe(7n + 1662497915624478906n);
    expect(weiOf(r, 'lp', 'ETH')).toBe(3n);
  });

  const allowed = "a non-negative decimal number of token units such as 1000 or 0.5, or a whole number of wei such as '1000 wei' (wei is the only unit; 1 wei = 10⁻¹⁸ token)";
  it.each([
    ["'1.5 wei'", `found '1.5 wei', must be ${allowed}`],
    ["'-3 wei'", `found '-3 wei', must be ${allowed}`],
    ["'12 gwei'", `found '12 gwei', must be ${allowed}`],
  ])('refuse %s with its position and what is allowed', (value, message) => {
    const text = world('exact', trader.replace("TKB: '1000 wei'", `TKB: ${value}`));
    const col = text.split('\n')[15]!.indexOf(value) + 1;
    expect(problems(text)).toEqual([`s.yaml:16:${col}: agents.trader.balances.TKB: ${message}`]);
  });

  it('refuse a zero wei amount where a positive one is needed, and a malformed one in --set', () => {
    expect(problems(world('exact', trader.replace("amount: '1000000000000000000 wei'", "amount: '0 wei'")))).toEqual([expect.stringMatching(/^s\.yaml:17:\d+: agents\.trader\.actions\[0\]\.amount: must be > 0 token units, found '0 wei'$/)]);
    expect(problems(world('exact', trader), ['agents.trader.actions[0].minOut=2.5 wei'])).toEqual([
      `--set:1:33: agents.trader.actions[0].minOut: found '2.5 wei', must be ${allowed} (in --set agents.trader.actions[0].minOut=2.5 wei)`,
    ]);
  });

  it('make the command line exit 2 and write nothing for a malformed one', () => {
    const dir = dirs({ 's.yaml': world('exact', trader) });
    const before = snapshot(dir);
    const r = hedgesim(['run', 's.yaml', '--out', 'out', '--set', 'agents.trader.balances.TKA=12 gwei'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--set:1:28: agents.trader.balances.TKA: found '12 gwei'");
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('transactions.jsonl in exact mode', () => {
  const trader = `    balances: { TKA: 100, '1': 1000, ETH: 1 }
    priorityFee: 2
    actions:
      - { block: 1, do: swap, venue: pair, pay: TKA, amount: '1', minOut: '1.5' }
      - { block: 1, do: forge, venue: tri, du: '3', dv: '12' }
      - { block: 1, do: forge, venue: guarded, du: '3', dv: '12', minOne: '-13' }`;
  const venues = `  tri: { kind: triad, unit: U }
  guarded: { kind: triad, unit: G, protected: true }`;
  const text = world('exact', trader).replace('chain: { blockTime: 12, nativeToken: ETH, baseFee: { initial: 0, mode: fixed } }', 'chain: { blockTime: 12, nativeToken: ETH, baseFee: { initial: 10, mode: fixed } }').replace("  pair: { kind: cpmm, tokens: [TKA, TKB], feeBps: 30 }", `  pair: { kind: cpmm, tokens: [TKA, TKB], feeBps: 30 }\n${venues}`);
  const dir = dirs({ 's.yaml': text, 'f.yaml': text.replace('numeric: exact', 'numeric: float') });
  const exact = hedgesim(['run', 's.yaml', '--out', 'x', '--record', 'full', '--quiet'], { cwd: dir });
  const float = hedgesim(['run', 'f.yaml', '--out', 'f', '--record', 'full', '--quiet'], { cwd: dir });
  const lines = (folder: string) => readFileSync(join(dir, folder, 'transactions.jsonl'), 'utf8');
  const records = (folder: string): TxRecord[] => lines(folder).split('\n').filter(Boolean).map((l) => JSON.parse(l) as TxRecord);

  it('gives every amount a Wei sibling: calls, bounds, results and fees, as decimal integer strings', () => {
    expect([exact.code, exact.stderr]).toEqual([0, '']);
    const [swap, forge] = records('x').filter((t) => t.agent === 'trader');
    const c = swap!.calls[0]!;
    expect([c.aWei, c.bWei, c.boundAWei, c.boundBWei]).toEqual([String(E18), '0', String((15n * E18) / 10n), '0']);
    expect([c.outAWei, c.outBWei, c.outCWei]).toEqual(['1662497915624478906', String(E18), '0']);
    // 110,000 gas at 10 gwei + a 2 gwei tip: 1.32e15 wei.
    expect([swap!.baseFeeWei, swap!.priorityFeeWei, swap!.effectivePriorityFeeWei, swap!.gasCostWei]).toEqual(['10000000000', '2000000000', '2000000000', String(110_000n * 12n * 10n ** 9n)]);
    // isqrt(3e18 · 12e18) = 6e18: the forge costs 2·6e18 wei of "1".
    expect(forge!.calls[0]!.outCWei).toBe(String(-12n * E18));
    expect(forge!.gasCostWei).toBe(String(100_000n * 12n * 10n ** 9n));
    // The sender's asset changes, to the wei: what the swap paid and received (its gas is in ETH).
    const wei = swap!.assetChanges.map((a) => a.amountWei);
    expect(wei).toContain(c.outAWei);
    expect(wei).toContain(String(-E18));
    expect(swap!.assetChanges.find((a) => a.token === 'ETH')?.amountWei).toBe(String(-110_000n * 12n * 10n ** 9n));
  });

  it("leaves out a forge's bounds when the triad has none, keeps a protected triad's minimum", () => {
    const [, open, guarded] = records('x').filter((t) => t.agent === 'trader');
    expect(lines('x')).not.toContain('"boundA":null');
    expect(Object.keys(open!.calls[0]!)).not.toContain('boundA');
    expect(Object.keys(open!.calls[0]!)).not.toContain('boundB');
    expect([guarded!.calls[0]!.boundA, guarded!.calls[0]!.boundAWei]).toEqual([-13, String(-13n * E18)]);
    expect(Object.keys(guarded!.calls[0]!)).not.toContain('boundB');
  });

  it('versions every line, in float mode too, which has no Wei fields; the viewer reads both', () => {
    expect(WRITTEN_FORMAT).toBe(TX_LOG_FORMAT);
    expect([float.code, float.stderr]).toEqual([0, '']);
    for (const t of [...records('x'), ...records('f')]) expect(t.format).toBe(3);
    expect(lines('f')).not.toContain('Wei"');
    const read = parseTransactions(lines('x'));
    const open = read.find((t) => t.calls[0]!.venue === 'tri')!;
    expect(open.calls[0]!.boundA).toBeNull();
    // A format-1 line (no field) still reads; a newer format is refused in words.
    const v1 = lines('f').split('\n')[0]!.replace('{"format":3,', '{');
    expect(parseTransactions(v1)).toHaveLength(1);
    expect(() => parseTransactions(v1.replace('{', '{"format":4,'))).toThrow('transactions.jsonl: line 1 has format 4; this viewer reads formats 1 to 3');
  });
});

describe("a scripted swap's slippage", () => {
  // The pool is (5 TKA, 10 TKB); a whale at block 1 pays `whale` TKA first (it is listed first and
  // arrives first), the trader's 1 TKA follows in the same block, quoted on the state before the whale.
  const trader = (bound: string) => `    balances: { TKA: 10, ETH: 1 }
    actions: [{ block: 1, do: swap, venue: pair, pay: TKA, amount: '1', ${bound} }]`;
  const whale = (amount: string) => `  whale:
    kind: scripted
    balances: { TKA: 10, ETH: 1 }
    actions: [{ block: 1, do: swap, venue: pair, pay: TKA, amount: '${amount}' }]`;
  const withWhale = (numeric: 'exact' | 'float', bound: string, amount: string) =>
    world(numeric, trader(bound)).replace('  trader:\n', `${whale(amount)}\n  trader:\n`);

  it('bounds the swap at ⌊quote·(1 − slippage)⌋ wei, the quote from the reserves the agent saw (exact)', () => {
    const { txs } = simulate(world('exact', trader('slippage: 0.01')));
    const c = txs.find((t) => t.agent === 'trader')!.calls[0]!;
    // Uniswap v2's vector: 1 into (5, 10) quotes 1662497915624478906 wei; 99 % of it, floored.
    expect(c.boundAWei).toBe(String((1662497915624478906n * 99n) / 100n));
    expect(c.outAWei).toBe('1662497915624478906');
  });

  it('reverts when the price moved more than the slippage before it executes, lands when it moved less', () => {
    // 0.05 TKA ahead moves the 1-TKA quote by about 1.6 %; 0.01 TKA by about 0.3 %.
    const tight = simulate(withWhale('exact', 'slippage: 0.01', '0.05')).txs.find((t) => t.agent === 'trader')!;
    expect([tight.status, tight.revert]).toEqual(['reverted', 'SLIPPAGE']);
    const loose = simulate(withWhale('exact', 'slippage: 0.01', '0.01')).txs.find((t) => t.agent === 'trader')!;
    expect(loose.status).toBe('included');
    // The bound is still the pre-whale quote's 99 %: computed at submission, not at execution.
    expect(loose.calls[0]!.boundAWei).toBe(String((1662497915624478906n * 99n) / 100n));
    const float = simulate(withWhale('float', 'slippage: 0.01', '0.05')).txs.find((t) => t.agent === 'trader')!;
    expect(float.revert).toBe('SLIPPAGE');
    // Float mode: the quote 10·0.997 / (5 + 0.997) less 1 %.
    const f = simulate(world('float', trader('slippage: 0.01'))).txs.find((t) => t.agent === 'trader')!;
    expect(f.calls[0]!.boundA).toBeCloseTo(((10 * 0.997) / (5 + 0.997)) * 0.99, 12);
  });

  it('is refused beside minOut, and outside [0, 1]', () => {
    expect(problems(world('exact', trader("minOut: '1', slippage: 0.01")))).toEqual([expect.stringMatching(/agents\.trader\.actions\[0\]\.slippage: give either minOut \(an absolute bound\) or slippage \(a fraction of the quote\), not both$/)]);
    expect(problems(world('exact', trader('slippage: 1.5')))).toEqual([expect.stringMatching(/agents\.trader\.actions\[0\]\.slippage: must be ≤ 1/)]);
  });
});

