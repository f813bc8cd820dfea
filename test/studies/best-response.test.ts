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

const study = (update: 'sequential' | 'simultaneous' | 'fictitious', maxRounds = 20): BestResponseStudy =>
  studySchema.parse({
    name: 'g',
    kind: 'best-response',
    scenario: 'x.yaml',
    replicates: R,
    metrics: { pa: 'x', pb: 'x' },
    update,
    maxRounds,
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

  it('matching pennies under fictitious play: the empirical frequencies tend to (1/2, 1/2), where plain best responses cycle', async () => {
    const distinct = new Set<string>();
    const ev = fake((x) => {
      distinct.add(JSON.stringify(x));
      const same = x['agents.a.x'] === x['agents.b.x'];
      return { pa: same ? 1 : -1, pb: same ? -1 : 1 };
    });
    const r = await runBestResponse(ev, study('fictitious', 400));
    expect(r.json.status).toBe('max rounds');
    expect(r.json.update).toBe('fictitious');
    const f = r.json.frequencies as { player: string; strategy: number; count: number; frequency: number }[];
    expect(f.map((x) => x.count).reduce((a, b) => a + b, 0)).toBe(2 * 401);
    // Robinson (1951): in a zero-sum game the frequencies converge to the mixed equilibrium, here
    // (1/2, 1/2) for both; the error falls roughly as t^(-1/2), about 0.05 at 400 rounds.
    for (const x of f) expect(Math.abs(x.frequency - 0.5)).toBeLessThan(0.05);
    // Against the mixture a player's best payoff tends to the game's value, 0, plus the replicates'
    // common effect (the mean of sin r), inside its CI.
    const common = Array.from({ length: R }, (_, k) => Math.sin(k)).reduce((a, b) => a + b, 0) / R;
    const path = r.json.path as { round: number; player: string; objective: number; ciLow: number; ciHigh: number; frequency: number }[];
    expect(path.length).toBe(800);
    for (const s of path.slice(-2)) {
      expect(Math.abs(s.objective - common)).toBeLessThan(0.1);
      expect(s.ciLow).toBeLessThan(s.objective);
      expect(s.ciHigh).toBeGreaterThan(s.objective);
    }
    expect(r.tables.frequencies!.rows.length).toBe(4);
    expect(r.tables.path!.columns).toContain('frequency');
    // The page states the frequencies.
    expect(r.sections[0]).toMatch(/Fictitious play over 400 rounds: empirical frequencies \(of the start and every round's profile\) a \(agents\.a\.x\): 0\.\d+ at 0, 0\.\d+ at 1; b \(agents\.b\.x\): /);
    expect(r.sections.join('')).toContain('Empirical frequencies');
    // Every round asks again for the four profiles of the game, which the study's memo does not run twice.
    expect(distinct.size).toBe(4);
  });

  it("prisoner's dilemma under fictitious play: (defect, defect), a pure equilibrium, ends it", async () => {
    const table: Record<string, [number, number]> = { '0,0': [3, 3], '0,1': [0, 5], '1,0': [5, 0], '1,1': [1, 1] };
    const ev = fake((x) => {
      const [pa, pb] = table[`${String(x['agents.a.x'])},${String(x['agents.b.x'])}`]!;
      return { pa, pb };
    });
    const r = await runBestResponse(ev, study('fictitious'));
    expect(r.json.status).toBe('fixed point');
    expect(r.json.profile).toEqual({ a: { 'agents.a.x': 1 }, b: { 'agents.b.x': 1 } });
    // Round 1 answers (C, C) with (D, D); round 2 keeps it, and (D, D) answers itself: 3 profiles, C once.
    expect(r.json.rounds).toBe(2);
    expect((r.json.frequencies as { frequency: number }[]).map((x) => x.frequency)).toEqual([1 / 3, 2 / 3, 1 / 3, 2 / 3]);
  });

  it('hawk-dove, symmetric, under fictitious play: the frequency of hawk tends to V/C = 1/2', async () => {
    // V = 2, C = 4: hawk against hawk (V − C)/2 = −1, hawk against dove V = 2, dove against hawk 0, dove against dove V/2 = 1.
    const pay = (me: unknown, other: unknown): number => (me === 1 ? (other === 1 ? -1 : 2) : other === 1 ? 0 : 1);
    const ev = fake((x) => ({ pa: pay(x['agents.a.x'], x['agents.b.x']), pb: pay(x['agents.b.x'], x['agents.a.x']) }));
    const s = studySchema.parse({ ...study('fictitious', 400), symmetric: true }) as BestResponseStudy;
    const r = await runBestResponse(ev, s);
    expect([r.json.update, r.json.symmetric, r.json.status]).toEqual(['fictitious', true, 'max rounds']);
    const f = r.json.frequencies as { player: string; strategy: number; frequency: number }[];
    expect(f.map((x) => x.player)).toEqual(['a', 'a']);
    expect(Math.abs(f.find((x) => x.strategy === 1)!.frequency - 0.5)).toBeLessThan(0.05);
  });
});
