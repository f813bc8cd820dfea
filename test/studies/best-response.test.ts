/**
 * The best-response iteration on games whose payoffs are given (a stand-in for the stages'
 * sweeps): the prisoner's dilemma reaches its dominant-strategy equilibrium, matching pennies
 * (no pure equilibrium) is reported as a cycle, and the payoff table pairs each strategy with the
 * profile's.
 */
import { describe, expect, it } from 'vitest';
import type { Values } from '../../batch/plan';
import type { Evaluator, PointValues } from '../../batch/study';
import { runBestResponse } from '../../batch/study-kinds';
import type { LoadedStudy } from '../../batch/study-load';
import { studySchema, type BestResponseStudy } from '../../batch/study-schema';

const R = 5;

/** An evaluator whose payoffs are a function of the profile, plus a replicate effect shared by every strategy (common random numbers). */
function fake(payoffs: (x: Values) => Record<string, number>): Evaluator & { labels: string[] } {
  const labels: string[] = [];
  return {
    loaded: { replicates: R } as LoadedStudy,
    stages: [],
    labels,
    evaluate(label: string, points: readonly Values[]): Promise<PointValues[]> {
      labels.push(label);
      return Promise.resolve(points.map((p) => Object.fromEntries(Object.entries(payoffs(p)).map(([m, v]) => [m, Array.from({ length: R }, (_, r) => v + Math.sin(r) + 0.01 * r * v)]))));
    },
  };
}

const study = (update: 'sequential' | 'simultaneous'): BestResponseStudy =>
  studySchema.parse({
    name: 'g',
    kind: 'best-response',
    scenario: 'x.yaml',
    replicates: R,
    metrics: { pa: 'x', pb: 'x' },
    objective: { metric: 'pa' },
    update,
    players: { a: { strategies: { 'agents.a.x': { values: [0, 1] } }, payoff: 'pa' }, b: { strategies: { 'agents.b.x': { values: [0, 1] } }, payoff: 'pb' } },
  }) as BestResponseStudy;

describe('best responses', () => {
  it("prisoner's dilemma: defecting (1) is dominant; from cooperation, (1, 1) in one simultaneous round, then a fixed point", async () => {
    // Payoffs (row a, column b): CC 3/3, CD 0/5, DC 5/0, DD 1/1.
    const table: Record<string, [number, number]> = { '0,0': [3, 3], '0,1': [0, 5], '1,0': [5, 0], '1,1': [1, 1] };
    const ev = fake((x) => {
      const [pa, pb] = table[`${String(x['agents.a.x'])},${String(x['agents.b.x'])}`]!;
      return { pa, pb };
    });
    const r = await runBestResponse(ev, study('simultaneous'));
    expect(r.json.status).toBe('fixed point');
    expect(r.json.profile).toEqual({ a: { 'agents.a.x': 1 }, b: { 'agents.b.x': 1 } });
    expect(r.json.rounds).toBe(2);
    expect(ev.labels).toEqual(['r1', 'r2', 'payoffs']);
    // Against (D, D), cooperating costs each player 1 (0 against 1): a paired difference of −1 with a tight CI.
    const coop = (r.json.payoffs as { player: string; strategy: number; vsProfile: { mean: number; ciHigh: number } | null; indistinguishable: boolean }[]).filter((p) => p.strategy === 0);
    for (const p of coop) {
      expect(p.vsProfile!.mean).toBeCloseTo(-1 - 0.01 * 2, 10);
      expect(p.vsProfile!.ciHigh).toBeLessThan(0);
      expect(p.indistinguishable).toBe(false);
    }
  });

  it('matching pennies: no pure equilibrium, the sequential path cycles and says so', async () => {
    const ev = fake((x) => {
      const same = x['agents.a.x'] === x['agents.b.x'];
      return { pa: same ? 1 : -1, pb: same ? -1 : 1 };
    });
    const r = await runBestResponse(ev, study('sequential'));
    expect(r.json.status).toBe('cycle');
    // (0,0) → a keeps 0, b answers 1 → (0,1); then a 1, b 0 → (1,0); then (0,1) again.
    expect(r.json.cycle).toEqual([
      { a: { 'agents.a.x': 0 }, b: { 'agents.b.x': 1 } },
      { a: { 'agents.a.x': 1 }, b: { 'agents.b.x': 0 } },
    ]);
    expect((r.json.path as { round: number; player: string; to: number }[]).map((s) => `${s.round}${s.player}${s.to}`)).toEqual(['1a0', '1b1', '2a1', '2b0', '3a0', '3b1']);
  });
});
