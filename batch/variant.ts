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

/** The base scenario with `values` set, validated. Throws VariantError naming the parameter. */
export function variant(base: Scenario, values: Values): Scenario {
  const derived = produce(base, (draft) => {
    for (const [path, value] of Object.entries(values)) setIn(draft as unknown as Record<string, unknown>, pathSegments(path), value, path);
  });
  const result = scenarioSchema.safeParse(derived);
  const problems = [...(result.success ? [] : describeIssues(result.error.issues, derived, scenarioSchema)), ...checkScenario(derived as unknown as Record<string, unknown>)];
  if (problems.length > 0 || !result.success) {
    const p = problems[0]!;
    const at = pathText(p.path);
    const parameter = Object.keys(values).find((k) => at.startsWith(k) || k.startsWith(at)) ?? at;
    throw new VariantError(parameter, `${at}: ${p.message}`);
  }
  return result.data;
}
