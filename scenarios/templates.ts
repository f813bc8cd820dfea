/**
 * Agent templates with a count: `agents.h: { count: 5, kind: …, … }` stands for the agents `h-1`
 * … `h-5`, in its place in the agent order, each with its own random stream (`agent:h-3`, as for
 * any agent id). A field varies with the index only through an explicit `{ perIndex: [v1, …, vn] }`,
 * at any depth; every other value, lists included, is the same for every copy. Count 0 is allowed
 * (no agent). Ids of the form `h-<digits>` are the template's: a listed agent with one is refused,
 * so that no count can make two agents share an id.
 *
 * Expansion happens on the raw document after `--set` (so `--set agents.h.x=…` sets the template)
 * and before validation; problems of an expanded agent are reported at the template's field.
 */
import type { RawProblem } from './issues';
import type { Scenario } from './schema';
import { isRecord } from './schema-walk';
import type { PathSeg } from './source';

export interface Template {
  id: string;
  kind: string;
  count: number;
  /** The expanded ids, in order. */
  ids: string[];
  /** The template's entry as written (after --set): what a sweep parameter under agents.<id> changes. */
  raw: Record<string, unknown>;
  /** The agents entries in file order, templates by their own id: where copies go when a count changes. */
  order: string[];
}

export const MAX_COUNT = 10_000;

const registry = new WeakMap<object, Record<string, Template>>();

/** The templates the scenario's agents were expanded from (none for a scenario without). */
export function templatesOf(s: Scenario): Record<string, Template> {
  return registry.get(s) ?? {};
}

export function registerTemplates(s: object, templates: Record<string, Template>): void {
  if (Object.keys(templates).length > 0) registry.set(s, templates);
}

const isPerIndex = (v: unknown): v is { perIndex: unknown } => isRecord(v) && Object.keys(v).length === 1 && Object.hasOwn(v, 'perIndex');

/** Copy i (0-based) of a template's fields: every `{ perIndex: [...] }` replaced by its i-th value. */
function copyAt(v: unknown, i: number): unknown {
  if (isPerIndex(v)) return (v.perIndex as unknown[])[i];
  if (Array.isArray(v)) return v.map((x) => copyAt(x, i));
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyAt(x, i)]));
  return v;
}

/** Problems of a template's `perIndex` lists: not a list, or shorter than `count`. */
function perIndexProblems(v: unknown, path: PathSeg[], count: number, out: RawProblem[]): void {
  if (isPerIndex(v)) {
    const list = v.perIndex;
    if (!Array.isArray(list)) out.push({ path: [...path, 'perIndex'], message: `perIndex must be a list of ${count} values, one per copy` });
    // More values than copies is allowed, so that a sweep or study can vary the count under one list.
    else if (list.length < count) out.push({ path: [...path, 'perIndex'], message: `perIndex has ${list.length} value${list.length === 1 ? '' : 's'}, but count is ${count}: give at least one per copy (copy i takes the i-th)` });
    return;
  }
  if (Array.isArray(v)) v.forEach((x, i) => perIndexProblems(x, [...path, i], count, out));
  else if (isRecord(v)) for (const [k, x] of Object.entries(v)) perIndexProblems(x, [...path, k], count, out);
}

/** The path of a field of an expanded agent in the file: the template's, into its perIndex list when it has one there. */
function templatePath(raw: Record<string, unknown>, rest: readonly PathSeg[], index: number, id: string): PathSeg[] {
  const out: PathSeg[] = ['agents', id];
  let node: unknown = raw;
  for (const seg of rest) {
    if (isPerIndex(node)) return [...out, 'perIndex', index];
    out.push(seg);
    node = isRecord(node) ? node[String(seg)] : Array.isArray(node) ? node[seg as number] : undefined;
  }
  return isPerIndex(node) ? [...out, 'perIndex', index] : out;
}

export interface Expansion {
  data: Record<string, unknown>;
  templates: Record<string, Template>;
  problems: RawProblem[];
  /** A problem's path in the expanded data → its place in the file. */
  mapPath(path: readonly PathSeg[]): PathSeg[];
}

/** Expand the agent templates of raw scenario data (after --set, before validation). */
export function expandTemplates(data: Record<string, unknown>): Expansion {
  const agents = data.agents;
  const none: Expansion = { data, templates: {}, problems: [], mapPath: (p) => [...p] };
  if (!isRecord(agents) || !Object.values(agents).some((a) => isRecord(a) && Object.hasOwn(a, 'count'))) return none;
  const problems: RawProblem[] = [];
  const templates: Record<string, Template> = {};
  const origin = new Map<string, { template: string; index: number }>();
  for (const [id, a] of Object.entries(agents)) {
    if (!isRecord(a) || !Object.hasOwn(a, 'count')) continue;
    const count = a.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_COUNT) {
      problems.push({ path: ['agents', id, 'count'], message: `count must be a whole number from 0 to ${MAX_COUNT}, found ${JSON.stringify(count)}` });
      continue;
    }
    const { count: _c, ...raw } = a;
    void _c;
    perIndexProblems(raw, ['agents', id], count, problems);
    const ids = Array.from({ length: count }, (_, i) => `${id}-${i + 1}`);
    ids.forEach((x, i) => origin.set(x, { template: id, index: i }));
    templates[id] = { id, kind: String(raw.kind), count, ids, raw, order: Object.keys(agents) };
  }
  // A listed agent with a template's id pattern: some count would give it a twin.
  for (const id of Object.keys(agents)) {
    const m = /^(.*)-(\d+)$/.exec(id);
    const t = m === null ? undefined : templates[m[1]!];
    if (t !== undefined && templates[id] === undefined) {
      const clash = t.ids.includes(id);
      problems.push({ path: ['agents', id], at: 'key', message: `the agent id '${id}' ${clash ? `is also an id the template '${t.id}' expands to (${t.id}-1 … ${t.id}-${t.count})` : `has the form ${t.id}-<n> of the ids of the template '${t.id}', which another count would give it`}: rename the agent` });
    }
  }
  if (problems.length > 0) return { ...none, problems };
  const expanded: Record<string, unknown> = {};
  for (const [id, a] of Object.entries(agents)) {
    const t = templates[id];
    if (t === undefined) expanded[id] = a;
    else t.ids.forEach((x, i) => (expanded[x] = copyAt(t.raw, i)));
  }
  return {
    data: { ...data, agents: expanded },
    templates,
    problems,
    mapPath(path) {
      if (path[0] !== 'agents' || typeof path[1] !== 'string') return [...path];
      const o = origin.get(path[1]);
      return o === undefined ? [...path] : templatePath(templates[o.template]!.raw, path.slice(2), o.index, o.template);
    },
  };
}

/**
 * Agents with the templates' fields changed (a sweep parameter `agents.h.count` or `agents.h.x.y`):
 * each changed template's copies replaced, in place, by the copies of the new template. `set`
 * applies a path (relative to the template) to its raw entry. Returns the agents and templates.
 */
export function reexpand(
  agents: Record<string, unknown>,
  templates: Record<string, Template>,
  changes: Record<string, (raw: Record<string, unknown>) => Record<string, unknown>>,
): { agents: Record<string, unknown>; templates: Record<string, Template>; problems: RawProblem[] } {
  const next: Record<string, Template> = { ...templates };
  const problems: RawProblem[] = [];
  for (const [id, change] of Object.entries(changes)) {
    const t = templates[id]!;
    const raw = change({ count: t.count, ...t.raw });
    const count = raw.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_COUNT) {
      problems.push({ path: ['agents', id, 'count'], message: `count must be a whole number from 0 to ${MAX_COUNT}, found ${JSON.stringify(count)}` });
      continue;
    }
    const { count: _c, ...rest } = raw;
    void _c;
    perIndexProblems(rest, ['agents', id], count, problems);
    next[id] = { ...t, count, ids: Array.from({ length: count }, (_, i) => `${id}-${i + 1}`), raw: rest };
  }
  if (problems.length > 0) return { agents, templates, problems };
  // Rebuild in the file's order: each template's copies where the template was written.
  const order = Object.values(templates)[0]?.order ?? [];
  const copies = new Set(Object.values(templates).flatMap((t) => t.ids));
  const out: Record<string, unknown> = {};
  for (const key of order) {
    const t = next[key];
    if (t === undefined) {
      if (Object.hasOwn(agents, key)) out[key] = agents[key];
    } else if (Object.hasOwn(changes, key)) t.ids.forEach((x, i) => (out[x] = copyAt(t.raw, i)));
    else for (const x of t.ids) out[x] = agents[x];
  }
  // Agents not in the file's list (none, unless a variant added one) keep their order, after it.
  for (const [id, a] of Object.entries(agents)) if (!Object.hasOwn(out, id) && !copies.has(id)) out[id] = a;
  return { agents: out, templates: next, problems };
}
