/**
 * A sweep point's scenario: the validated base scenario with the point's values set at their paths,
 * derived immutably with immer (the base is shared by every point and never changes), then validated
 * again — so a value out of range is an error naming the parameter, before anything runs.
 */
import { produce } from 'immer';
import { checkScenario } from '../scenarios/checks';
import { describeIssues } from '../scenarios/issues';
import { parseOverride } from '../scenarios/overrides';
import { scenarioSchema, type Scenario } from '../scenarios/schema';
import { pathText, type PathSeg } from '../scenarios/source';
import { registerTemplates, reexpand, templatesOf } from '../scenarios/templates';
import type { Values } from './plan';

export class VariantError extends Error {
  override readonly name = 'VariantError' as const;
  constructor(readonly parameter: string, message: string) {
    super(message);
  }
}

/**
 * Split a parameter path (`agents.arb.bid.share`, `market.correlation[0][1]`) into segments.
 * loadSweepFile reports malformed paths at their place in the file first; this error names the
 * parameter for callers that build variants directly.
 */
export function pathSegments(path: string): PathSeg[] {
  const parsed = parseOverride(`${path}=0`);
  if ('message' in parsed) throw new VariantError(path, parsed.message);
  return parsed.path;
}

function setIn(root: Record<string, unknown>, segs: readonly PathSeg[], value: unknown, path: string): void {
  let node: unknown = root;
  for (let i = 0; i < segs.length - 1; i++) {
    const next = (node as Record<string | number, unknown>)[segs[i]!];
    if (next === null || typeof next !== 'object') throw new VariantError(path, `the base scenario has no '${pathText(segs.slice(0, i + 1))}' to set '${path}' in`);
    node = next;
  }
  (node as Record<string | number, unknown>)[segs[segs.length - 1]!] = value;
}

/**
 * The base scenario with `values` set, validated. Throws VariantError naming the parameter. A path
 * under an agent template (`agents.h.count`, `agents.h.trigger.band`) changes the template, whose
 * copies are then made again (scenarios/templates.ts).
 */
export function variant(base: Scenario, values: Values): Scenario {
  const templates = templatesOf(base);
  const changes: Record<string, ((raw: Record<string, unknown>) => Record<string, unknown>)> = {};
  const plain: [string, unknown][] = [];
  for (const [path, value] of Object.entries(values)) {
    const segs = pathSegments(path);
    const tid = segs[0] === 'agents' && segs.length > 2 && typeof segs[1] === 'string' && Object.hasOwn(templates, segs[1]) ? segs[1] : undefined;
    if (tid === undefined) {
      plain.push([path, value]);
      continue;
    }
    const before = changes[tid] ?? ((raw: Record<string, unknown>) => raw);
    changes[tid] = (raw) => {
      const next = structuredClone(before(raw));
      setIn(next, segs.slice(2), value, path);
      return next;
    };
  }
  let next = templates;
  const derived = produce(base, (draft) => {
    const root = draft as unknown as Record<string, unknown>;
    if (Object.keys(changes).length > 0) {
      const r = reexpand(root.agents as Record<string, unknown>, templates, changes);
      if (r.problems.length > 0) {
        const p = r.problems[0]!;
        const at = pathText(p.path);
        throw new VariantError(Object.keys(values).find((k) => at.startsWith(k) || k.startsWith(at)) ?? at, `${at}: ${p.message}`);
      }
      root.agents = r.agents;
      next = r.templates;
    }
    for (const [path, value] of plain) setIn(root, pathSegments(path), value, path);
  });
  const result = scenarioSchema.safeParse(derived);
  const problems = [...(result.success ? [] : describeIssues(result.error.issues, derived, scenarioSchema)), ...checkScenario(derived as unknown as Record<string, unknown>)];
  if (problems.length > 0 || !result.success) {
    const p = problems[0]!;
    const at = pathText(p.path);
    const parameter = Object.keys(values).find((k) => at.startsWith(k) || k.startsWith(at)) ?? at;
    throw new VariantError(parameter, `${at}: ${p.message}`);
  }
  registerTemplates(result.data, next);
  return result.data;
}
