/**
 * Building blocks of the scenario schema: finite numbers with units and ranges, durations, ids and
 * token amounts. Every number is finite (YAML's `.inf` and `.nan` are refused); units are recorded
 * in a registry so that error messages can name them.
 */
import * as z from 'zod';
import { formatUnits } from '../sim/venues/exact-math';
import { kindTags } from './schema-walk';

// A scenario is parsed once per run: zod's compiled fast path (built with `new Function` on first
// use) costs more at start-up than it saves; the checks are the same either way.
z.config({ jitless: true });

/**
 * Message hints per schema: the unit of a numeric field ("must be ≥ 0 seconds") and, for unions,
 * what to say is expected ("a number of seconds or a duration such as 1.5h").
 */
export const hints = z.registry<{ unit?: string; expect?: string }>();

/** Human words for the string patterns used in the schema, keyed by the pattern's source. */
export const patternWords = new Map<string, string>();

function pattern(re: RegExp, words: string): RegExp {
  patternWords.set(re.source, words);
  return re;
}

/** The largest run the schema accepts; more is surely a typo (and would not fit in memory anyway). */
export const MAX_BLOCKS = 1_000_000_000;
/** The base fee of the first block when a scenario does not give `chain.baseFee.initial`, gwei. */
export const DEFAULT_INITIAL_BASE_FEE = 10;

/** `build`, called once: a schema made the first time it is needed, the same instance after. */
export function once<T>(build: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= build());
}

/**
 * A union of object schemas told apart by `key` (`kind`), each built the first time a value of its
 * kind is parsed or the union is walked into it: a run builds the schemas of the kinds its scenario
 * uses, not the whole format (building schemas was half of hedgesim's start-up). The options are
 * z.lazy with their tag declared up front (zod dispatches on it without building them); messages
 * list every tag, from the table, as they did. Every builder returns an object schema (no
 * optional or default wrapper), which the declared optin and optout say.
 */
export function kindUnion<K extends string, T extends Record<string, () => z.ZodObject>>(key: K, builders: T) {
  const options = Object.entries(builders).map(([tag, build]) => {
    const option = z.lazy(build);
    Object.defineProperty(option._zod, 'propValues', { value: { [key]: new Set([tag]) } });
    for (const k of ['optin', 'optout', 'values', 'pattern'] as const) Object.defineProperty(option._zod, k, { value: undefined });
    kindTags.set(option, { key, value: tag });
    return option;
  }) as { [Tag in keyof T]: z.ZodLazy<ReturnType<T[Tag]>> }[keyof T][];
  return z.discriminatedUnion(key, options as [(typeof options)[number], ...(typeof options)[number][]]);
}

function withUnit<T extends z.ZodType>(schema: T, unit: string | undefined): T {
  if (unit !== undefined) hints.add(schema, { unit });
  return schema;
}

/** A finite number (z.number refuses NaN and ±Infinity). */
export function finite(unit?: string): z.ZodNumber {
  return withUnit(z.number(), unit);
}

/** A finite number ≥ 0. */
export function nonNegative(unit?: string): z.ZodNumber {
  return withUnit(z.number().min(0), unit);
}

/** A finite number > 0. */
export function positive(unit?: string): z.ZodNumber {
  return withUnit(z.number().positive(), unit);
}

/** A probability or share in [0, 1]. */
export function fraction(): z.ZodNumber {
  return withUnit(z.number().min(0).max(1), 'fraction in [0, 1]');
}

/** An integer in [min, max]. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER, unit?: string): z.ZodNumber {
  return withUnit(z.number().int().min(min).max(max), unit);
}

/** Basis points in [0, 10000) (a fee of 30 bp is 0.3 %). */
export function feeBps(): z.ZodNumber {
  return withUnit(z.number().min(0).lt(10_000), 'basis points');
}

export const DURATION_PATTERN = pattern(/^\s*(\d+(?:\.\d+)?|\.\d+)\s*(s|m|h|d)\s*$/, 'a number of seconds, or a number with a unit s, m, h or d (e.g. 90s, 30m, 1.5h, 1d)');
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Seconds in a duration string such as `1.5h` (assumes DURATION_PATTERN matched). */
export function parseDuration(text: string): number {
  const m = DURATION_PATTERN.exec(text);
  if (m === null) return NaN;
  return Number(m[1]) * UNIT_SECONDS[m[2]!]!;
}

/**
 * A time span: a number of seconds, or a string with a unit (`90s`, `30m`, `1.5h`, `1d`).
 * Parsed to seconds; must be > 0 (or ≥ 0 with `allowZero`).
 */
export function seconds(opts: { allowZero?: boolean; max?: number } = {}) {
  const max = opts.max ?? 1e12;
  const num = withUnit(opts.allowZero ? z.number().min(0).max(max) : z.number().positive().max(max), 'seconds');
  const text = z.string().regex(DURATION_PATTERN);
  const either = z.union([num, text]);
  hints.add(either, { expect: 'a number of seconds or a duration such as 90s, 30m, 1.5h, 1d' });
  return either.transform((v, ctx) => {
    if (typeof v === 'number') return v;
    const s = parseDuration(v);
    if (!opts.allowZero && !(s > 0)) ctx.addIssue({ code: 'custom', message: `must be a positive duration, found '${v}'`, input: v });
    else if (s > max) ctx.addIssue({ code: 'custom', message: `must be at most ${max} seconds, found '${v}' (${s} s)`, input: v });
    return s;
  });
}

/** Ids of agents, venues and assets: also used as `--set` path segments, so no dots or spaces. */
export const ID_PATTERN = pattern(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "letters, digits, '-' and '_', starting with a letter or digit");
/** Token names may also hold '/' (a triad's `1/U`). */
export const TOKEN_PATTERN = pattern(/^[A-Za-z0-9][A-Za-z0-9_/-]*$/, "letters, digits, '-', '_' and '/', starting with a letter or digit");
export const NAME_PATTERN = pattern(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and '-' (e.g. l2-default)");

export const id = () => z.string().regex(ID_PATTERN);
export const tokenName = () => z.string().regex(TOKEN_PATTERN);

const SIGNED_AMOUNT = pattern(
  /^\s*(?:-?\d+(?:\.\d+)?|-?\d+\s*wei)\s*$/,
  "a decimal number of token units such as 1000 or 0.5, or a whole number of wei such as '1000 wei' (wei is the only unit; 1 wei = 10⁻¹⁸ token)",
);
const UNSIGNED_AMOUNT = pattern(
  /^\s*(?:\d+(?:\.\d+)?|\d+\s*wei)\s*$/,
  "a non-negative decimal number of token units such as 1000 or 0.5, or a whole number of wei such as '1000 wei' (wei is the only unit; 1 wei = 10⁻¹⁸ token)",
);
const WEI_AMOUNT = /^\s*(-?)(\d+)\s*wei\s*$/;

/**
 * A token amount as the engine reads it: `'1000 wei'` becomes the decimal string of token units it
 * is (`'0.000000000000001'`: exact in exact mode, the nearest float in float mode); a decimal string
 * loses its surrounding spaces; numbers are kept.
 */
export function normaliseAmount<T extends number | string>(v: T): T {
  if (typeof v !== 'string') return v;
  const m = WEI_AMOUNT.exec(v);
  if (m === null) return v.trim() as T;
  const wei = BigInt(m[2]!);
  return (wei === 0n ? '0' : `${m[1]}${formatUnits(wei)}`) as T;
}

/**
 * A token amount in token units: a number, a decimal string (exact to the wei in `numeric: exact`),
 * or a whole number of wei with the unit (`'1000 wei'`), read as the decimal string it is.
 * `signed` allows negative amounts (CEX margin, burns).
 */
export function amount(opts: { signed?: boolean; positive?: boolean } = {}) {
  const num = opts.signed ? finite('token units') : opts.positive ? positive('token units') : nonNegative('token units');
  const either = z.union([num, z.string().regex(opts.signed ? SIGNED_AMOUNT : UNSIGNED_AMOUNT)]);
  hints.add(either, { expect: "a number, a decimal string (token units) or a whole number of wei such as '1000 wei'" });
  return either.transform((v, ctx) => {
    const n = normaliseAmount(v);
    if (opts.positive && typeof n === 'string' && /^0+(\.0+)?$/.test(n)) ctx.addIssue({ code: 'custom', message: `must be > 0 token units, found '${v}'`, input: v });
    return n;
  });
}

/** A network or CEX delay: fixed seconds, or drawn per use from the agent's `latency:<id>` stream. */
export const latencySchema = z
  .union([
    nonNegative('seconds').describe('Fixed delay, seconds.'),
    z.discriminatedUnion('kind', [
      z
        .strictObject({
          kind: z.literal('uniform'),
          min: nonNegative('seconds').describe('Shortest delay, seconds.'),
          max: nonNegative('seconds').describe('Longest delay, seconds (≥ min).'),
        })
        .superRefine((v, ctx) => {
          if (v.max < v.min) ctx.addIssue({ code: 'custom', path: ['max'], message: `must be ≥ min (${v.min} s), found ${v.max}`, input: v.max });
        })
        .describe('Uniform delay in [min, max] seconds.'),
      z
        .strictObject({
          kind: z.literal('exponential'),
          mean: positive('seconds').describe('Mean of the exponential part, seconds.'),
          min: nonNegative('seconds').default(0).describe('Fixed part added to the draw, seconds. Default 0.'),
        })
        .describe('min + an exponential delay of the given mean, seconds.'),
    ]),
  ])
  .describe('A delay in seconds: a number, { kind: uniform, min, max } or { kind: exponential, mean, min }.');
hints.add(latencySchema, { expect: 'a number of seconds, { kind: uniform, min, max } or { kind: exponential, mean, min }' });

/**
 * The entry and exit rule (agents/entry.ts) of LPs and triad hedgers: trailing edge per unit of
 * capital against an outside rate, with hysteresis.
 */
export const exitRule = () =>
  z
    .strictObject({
      outsideRate: finite('per year').describe('Annual rate the agent could earn elsewhere, e.g. 0.05.'),
      window: seconds().describe('Trailing window its edge is measured over, seconds (or 1d, 12h).'),
      hysteresis: nonNegative('per year').default(0.01).describe('Exit below outsideRate − hysteresis, re-enter above outsideRate + hysteresis. Default 0.01.'),
      checkEvery: integer(1).optional().describe('Blocks between checks. Default: one check per window/10.'),
      reenter: z.boolean().default(true).describe("Re-enter once the other rule-following agents of its kind on its venue earn more than outsideRate + hysteresis. Default true."),
    })
    .optional()
    .describe('Exit rule: leave when the trailing edge per unit of capital, per year, is below the outside rate less the hysteresis; come back on the incumbents\' edge.');

export const venue = () => z.string().min(1).describe('Id of the venue it trades on (a key of `venues`).');

/** Fields every agent kind has (agents/common.ts CommonSpec, without the id). */
export const commonAgentFields = {
  balances: z.record(tokenName(), amount()).optional().describe('Initial wallet balances by token, in token units (decimal strings are exact in exact mode).'),
  cexBalances: z.record(tokenName(), amount({ signed: true })).optional().describe('Initial CEX balances by token, in token units; may be negative (margin).'),
  latency: z
    .strictObject({
      network: latencySchema.default(0).describe('From submission to the mempool (or the builder, for private transactions), seconds. Default 0.'),
      price: nonNegative('seconds').default(0).describe('Age of the reference prices the agent sees, seconds. Default 0.'),
      mempool: nonNegative('seconds').default(0).describe('From a public transaction\'s arrival in the mempool to the agent seeing it, seconds. Default 0.'),
      cex: latencySchema.default(0).describe('From a CEX order to its fill, seconds. Default 0.'),
    })
    .prefault({})
    .describe('Delays of this agent, seconds. Default: none (every delay 0).'),
  priorityFee: nonNegative('gwei').default(0).describe('Default priority fee of its transactions, gwei per gas. Default 0.'),
};
