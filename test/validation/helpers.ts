/** Small helpers shared by the validation tests: find an agent's result, compare with stated tolerances. */
import { expect } from 'vitest';
import type { AgentResult, SimResult } from '../../sim/result';

export function agent(r: SimResult, id: string): AgentResult {
  const a = r.agents.find((x) => x.id === id);
  if (a === undefined) throw new Error(`no agent ${id}`);
  return a;
}

/** |actual/expected − 1| ≤ tol (absolute when expected is 0). */
export function expectRel(actual: number, expected: number, tol: number, what: string): void {
  const err = expected === 0 ? Math.abs(actual) : Math.abs(actual / expected - 1);
  expect(err, `${what}: ${actual} vs ${expected} (relative error ${err})`).toBeLessThanOrEqual(tol);
}

/** |actual − literal| within half a unit of the published literal's last printed digit. */
export function expectLiteral(actual: number, literal: string, what: string): void {
  const half = 0.5 * 10 ** -(literal.split('.')[1]?.length ?? 0);
  expect(Math.abs(actual - Number(literal)), `${what}: ${actual} vs published ${literal}`).toBeLessThanOrEqual(half);
}
