/**
 * Derived metrics: a sweep or study metric is an arithmetic expression over paths of the run's
 * summary — `agents.band.pnl.edge - agents.static.pnl.edge`, `agents.lp.pnl.fees / venues.pool.volumeUsd`,
 * `sum(kind:lp, pnl.edge)`. A plain path is the simplest expression.
 *
 * Agent ids contain `-` (`band-5pct`, a template's `h-3`), so a path is a word run: `a.b-c.d` is
 * one path; subtract with spaces around the `-`. Paths and selectors (`kind:lp`, `template:h`) are
 * replaced by placeholder identifiers of the same length before jsep parses the text, so jsep's
 * error positions and ours are columns of the text as written. The AST is evaluated by the small
 * closure compiler below — no eval, no Function.
 */
import jsep from 'jsep';
import { metricValue } from './metrics';

export class ExpressionError extends Error {
  override readonly name = 'ExpressionError' as const;
  /** 0-based offset in the expression text. */
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

/** A path in the expression: absolute (`agents.lp.pnl.fees`) or, under an aggregate, relative to each agent (`pnl.edge`). */
export interface PathRef {
  path: string;
  offset: number;
  /** Relative to the agents an aggregate selects (its second argument). */
  relative: boolean;
}

/** The agents an aggregate runs over: by kind, or those a template with a count expanded into. */
export interface Selector {
  by: 'kind' | 'template';
  name: string;
  offset: number;
}

export interface Aggregate {
  fn: string;
  selector: Selector;
  /** The per-agent path (absent for `count`). */
  path?: PathRef;
}

export interface MetricExpression {
  text: string;
  /** Absolute paths, each to check against the summary's layout. */
  paths: PathRef[];
  aggregates: Aggregate[];
  evaluate(summary: unknown): number;
}

/** Functions of numbers. */
const FUNCTIONS: Record<string, { arity: [number, number]; f: (...xs: number[]) => number }> = {
  abs: { arity: [1, 1], f: Math.abs },
  sqrt: { arity: [1, 1], f: Math.sqrt },
  log: { arity: [1, 1], f: Math.log },
  exp: { arity: [1, 1], f: Math.exp },
  min: { arity: [2, Infinity], f: Math.min },
  max: { arity: [2, Infinity], f: Math.max },
};
/** Aggregates over the agents a selector picks: `sum(kind:lp, pnl.edge)`, `count(template:h)`. */
const AGGREGATES = ['sum', 'mean', 'min', 'max', 'count'] as const;
const BINARY: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': (a, b) => a ** b,
  '**': (a, b) => a ** b,
};

// `^` is a power (as `**`), right-associative and above * and /, not jsep's bitwise xor.
jsep.addBinaryOp('^', 16, true);

const SELECTOR = /(kind|template):([A-Za-z0-9_][A-Za-z0-9_-]*)/y;
/** A path: words joined by `.` (or `[i]`), each word letters, digits and _ joined by single `-`. */
const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*(?:\.[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*|\[\d+\])*/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;

interface Token {
  kind: 'path' | 'selector' | 'function';
  text: string;
  offset: number;
  placeholder: string;
}

/** Replace paths and selectors by same-length identifiers; function names and numbers stay. */
function substitute(text: string): { code: string; tokens: Map<string, Token> } {
  let code = '';
  const tokens = new Map<string, Token>();
  let i = 0;
  const placeholder = (n: number, length: number): string => {
    const base = `$${n}`;
    return base.length >= length ? base : base + '_'.repeat(length - base.length);
  };
  while (i < text.length) {
    SELECTOR.lastIndex = i;
    NUMBER.lastIndex = i;
    WORD.lastIndex = i;
    const prev = i > 0 ? text[i - 1]! : ' ';
    // Only at the start of a token (not inside `abc1.5`).
    const startable = !/[A-Za-z0-9_$.]/.test(prev);
    let m: RegExpExecArray | null;
    if (startable && (m = SELECTOR.exec(text)) !== null) {
      const p = placeholder(tokens.size, m[0].length);
      tokens.set(p, { kind: 'selector', text: m[0], offset: i, placeholder: p });
      code += p;
      i += m[0].length;
    } else if (startable && (m = NUMBER.exec(text)) !== null) {
      code += m[0];
      i += m[0].length;
    } else if (startable && (m = WORD.exec(text)) !== null) {
      const after = text.slice(i + m[0].length).trimStart();
      const p = placeholder(tokens.size, m[0].length);
      tokens.set(p, { kind: after.startsWith('(') ? 'function' : 'path', text: m[0], offset: i, placeholder: p });
      code += p;
      i += m[0].length;
    } else {
      code += text[i];
      i++;
    }
  }
  return { code, tokens };
}

type Node = jsep.Expression;
type Compiled = (summary: unknown) => number;

/** Parse a metric expression; throws ExpressionError at the offending offset. */
export function parseMetric(text: string): MetricExpression {
  if (text.trim() === '') throw new ExpressionError(0, 'the metric is empty: give a summary path or an expression');
  const { code, tokens } = substitute(text);
  let ast: Node;
  try {
    ast = jsep(code);
  } catch (e) {
    const err = e as { index?: number; description?: string; message: string };
    throw new ExpressionError(err.index ?? 0, `cannot read the expression: ${(err.description ?? err.message).replace(/\$\d+_*/g, (p) => tokens.get(p)?.text ?? p)}`);
  }
  const paths: PathRef[] = [];
  const aggregates: Aggregate[] = [];
  // Offsets of nodes without positions of their own: the first token under them.
  const offsetOf = (n: Node): number => {
    if (n.type === 'CallExpression') return offsetOf((n as jsep.CallExpression).callee);
    if (n.type === 'Identifier') return tokens.get(n.name as string)?.offset ?? Math.max(0, text.indexOf(n.name as string));
    for (const v of Object.values(n)) {
      if (v !== null && typeof v === 'object' && 'type' in (v as object)) return offsetOf(v as Node);
      if (Array.isArray(v) && v[0] !== undefined && v[0] !== null && typeof v[0] === 'object') return offsetOf(v[0] as Node);
    }
    return 0;
  };
  const fail = (n: Node, message: string): never => {
    throw new ExpressionError(offsetOf(n), message);
  };
  const compile = (n: Node): Compiled => {
    switch (n.type) {
      case 'Literal': {
        const v = (n as jsep.Literal).value;
        if (typeof v !== 'number') return fail(n, `only numbers may be written in an expression, found ${(n as jsep.Literal).raw}`);
        return () => v;
      }
      case 'Identifier': {
        const t = tokens.get((n as jsep.Identifier).name);
        if (t === undefined) return fail(n, `'${(n as jsep.Identifier).name}' is not a summary path`);
        if (t.kind === 'function') return fail(n, `'${t.text}' is a function: call it as ${t.text}(…)`);
        if (t.kind === 'selector') return fail(n, `'${t.text}' selects agents: use it as the first argument of ${AGGREGATES.join(', ')} (e.g. sum(${t.text}, pnl.edge))`);
        const ref: PathRef = { path: t.text, offset: t.offset, relative: false };
        paths.push(ref);
        return (s) => metricValue(s, ref.path);
      }
      case 'UnaryExpression': {
        const u = n as jsep.UnaryExpression;
        const arg = compile(u.argument);
        if (u.operator === '-') return (s) => -arg(s);
        if (u.operator === '+') return arg;
        return fail(n, `the operator '${u.operator}' is not arithmetic (use + - * / ^)`);
      }
      case 'BinaryExpression': {
        const b = n as jsep.BinaryExpression;
        const op = BINARY[b.operator];
        if (op === undefined) return fail(b.right, `the operator '${b.operator}' is not arithmetic (use + - * / ^)`);
        const l = compile(b.left);
        const r = compile(b.right);
        return (s) => op(l(s), r(s));
      }
      case 'CallExpression': {
        const c = n as jsep.CallExpression;
        const callee = c.callee.type === 'Identifier' ? tokens.get(String((c.callee as jsep.Identifier).name)) : undefined;
        if (callee?.kind !== 'function') return fail(c, 'only a function name may be called');
        const name = callee.text;
        if ((AGGREGATES as readonly string[]).includes(name) && c.arguments[0]?.type === 'Identifier' && tokens.get(String((c.arguments[0] as jsep.Identifier).name))?.kind === 'selector') return aggregate(c, name);
        const fn = FUNCTIONS[name];
        if (fn === undefined) return fail(c, `unknown function '${name}'; functions: ${Object.keys(FUNCTIONS).join(', ')}, and ${AGGREGATES.join(', ')} over agents (sum(kind:lp, pnl.edge))`);
        const [lo, hi] = fn.arity;
        if (c.arguments.length < lo || c.arguments.length > hi) return fail(c, `${name} takes ${lo === hi ? lo : `at least ${lo}`} argument${lo === 1 && hi === 1 ? '' : 's'}, found ${c.arguments.length}`);
        const args = c.arguments.map(compile);
        return (s) => fn.f(...args.map((a) => a(s)));
      }
      default:
        return fail(n, `a metric is arithmetic over summary paths (+ - * / ^, numbers, functions): '${n.type}' is not allowed`);
    }
  };
  const aggregate = (c: jsep.CallExpression, fn: string): Compiled => {
    const sel = tokens.get(String((c.arguments[0] as jsep.Identifier).name))!;
    const m = /^(kind|template):(.*)$/.exec(sel.text)!;
    const selector: Selector = { by: m[1] as 'kind' | 'template', name: m[2]!, offset: sel.offset };
    const want = fn === 'count' ? 1 : 2;
    if (c.arguments.length !== want) return fail(c, fn === 'count' ? `count takes one argument, the agents (count(${sel.text}))` : `${fn} takes the agents and a path under each (${fn}(${sel.text}, pnl.edge)), found ${c.arguments.length} argument${c.arguments.length === 1 ? '' : 's'}`);
    let ref: PathRef | undefined;
    if (want === 2) {
      const a = c.arguments[1]!;
      const t = a.type === 'Identifier' ? tokens.get(String((a as jsep.Identifier).name)) : undefined;
      if (t?.kind !== 'path') return fail(a, `the second argument of ${fn} is a path under each agent (e.g. pnl.edge), not an expression`);
      ref = { path: t.text, offset: t.offset, relative: true };
    }
    aggregates.push({ fn, selector, ...(ref ? { path: ref } : {}) });
    return (s) => {
      const values = selectAgents(s, selector).map((id) => (ref === undefined ? 1 : metricValue(s, `agents.${id}.${ref.path}`)));
      if (fn === 'count' || fn === 'sum') return values.reduce((a, b) => a + b, 0);
      // The mean, min or max of no agents is not a number: the cell is left empty, with the reason.
      if (values.length === 0) return NaN;
      if (fn === 'mean') return values.reduce((a, b) => a + b, 0) / values.length;
      return fn === 'min' ? Math.min(...values) : Math.max(...values);
    };
  };
  const evaluate = compile(ast);
  return { text, paths, aggregates, evaluate };
}

/**
 * The ids of the summary's agents a selector picks: by kind, or `<template>-<n>`, the ids a template
 * with a count expands into (scenarios/templates.ts), in the summary's order.
 */
export function selectAgents(summary: unknown, sel: Pick<Selector, 'by' | 'name'>): string[] {
  const agents = (summary as { agents?: { id: string; kind: string }[] }).agents ?? [];
  const re = new RegExp(`^${sel.name.replace(/[-]/g, '\\-')}-\\d+$`);
  return agents.filter((a) => (sel.by === 'kind' ? a.kind === sel.name : re.test(a.id))).map((a) => a.id);
}

const cache = new Map<string, MetricExpression>();

/** A metric's value in a run summary (parsed once per process). */
export function metricOf(summary: unknown, text: string): number {
  let e = cache.get(text);
  if (e === undefined) cache.set(text, (e = parseMetric(text)));
  return e.evaluate(summary);
}

/** A problem of a metric expression against a scenario: its offset in the text and what is wrong. */
export interface ExpressionProblem {
  offset: number;
  message: string;
}
