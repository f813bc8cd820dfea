/**
 * The Nash equilibrium of two triad hedgers' rebalancing bands (scenarios/studies/triad-nash-l1.yaml
 * and triad-nash-l2.yaml, at --quick: 6 replicates of 2 days and of 1 day) on a thin triad, at L1
 * gas ($5 a forge) and L2 gas ($0.025). Checked: the answer's structure; each band of the final
 * profile a best response at the CI level (no other band's paired difference from it significantly
 * positive); the equilibrium bands narrower at L2 gas than at L1 (the closed form's K^(1/4): 5.2 %
 * against 1.4 % for one hedger); the narrower band paying the wider one (a forge pushes the price
 * further the way it moved, to the gain of a holder that has not rebalanced yet); the two hedgers'
 * mutual transfers antisymmetric; and the rebalance count σ²T/b² of the band (docs/studies.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hedgesim, readJson, ROOT, tempDirs } from '../cli/helpers';
import { CLEAN_ENV, csvObjects } from '../batch/fixtures';

const temp = tempDirs();
const SIGMA2 = 1.5 ** 2;
// --quick: 2 days at L1 gas, 1 day at L2 gas (a 1.4 % band rebalances 30 times a day).
const T: Record<string, number> = { 'triad-nash-l1': 2 / 365, 'triad-nash-l2': 1 / 365 };
const GAS = ['triad-nash-l1', 'triad-nash-l2'] as const;
type Row = Record<string, string>;
interface Result { status: string; profile: Record<string, Record<string, number>>; payoffs: { player: string; inProfile: boolean; best: boolean; indistinguishable: boolean; vsProfile: { ciLow: number; ciHigh: number } | null }[] }

describe('Nash bands of two triad hedgers at L1 and L2 gas', () => {
  const res: Record<string, { json: { result: Result }; payoffs: Row[]; stages: Row[] }> = {};
  beforeAll(() => {
    const files = Object.fromEntries(['triad-nash-base', ...GAS].map((n) => [`${n}.yaml`, readFileSync(join(ROOT, 'scenarios/studies', `${n}.yaml`), 'utf8')]));
    const d = temp(files);
    for (const name of GAS) {
      const r = hedgesim(['study', `${name}.yaml`, '--quick', '-q', '--out', name], { cwd: d, env: CLEAN_ENV });
      expect(r.code, r.stderr).toBe(0);
      const json = readJson<{ result: Result; stages: { folder: string }[] }>(join(d, name), 'study.json');
      const stages = json.stages.flatMap((s) => csvObjects(readFileSync(join(d, name, s.folder, 'summary.csv'), 'utf8')));
      res[name] = { json, payoffs: csvObjects(readFileSync(join(d, name, 'payoffs.csv'), 'utf8')), stages };
    }
  }, 200_000);
  const band = (r: Result, p: 'h1' | 'h2'): number => r.profile[p]![`agents.${p}.trigger.threshold`]!;

  it('ends at a fixed point or a cycle, with a payoff table of every band of each player', () => {
    for (const name of GAS) {
      const { json, payoffs } = res[name]!;
      expect(['fixed point', 'cycle']).toContain(json.result.status);
      expect(payoffs).toHaveLength(12);
      for (const p of ['h1', 'h2']) expect(payoffs.filter((r) => r.player === p && r.in_profile === 'true')).toHaveLength(1);
    }
  });

  it('"indistinguishable" ⇔ the Holm-consistent interval of the difference from the best contains 0', () => {
    for (const name of GAS)
      for (const row of res[name]!.payoffs.filter((r) => r.best !== 'true')) {
        const [low, high] = [Number(row.diff_ci_low_holm), Number(row.diff_ci_high_holm)];
        expect(low <= 0 && high >= 0, `${name} ${row.player} ${row.strategy}`).toBe(row.indistinguishable === 'true');
        // Never narrower than the unadjusted 95 % CI of the same difference.
        if (row.in_profile === 'false' && row.diff_vs_profile === row.diff_vs_best) expect(high - low).toBeGreaterThanOrEqual(Number(row.diff_ci_high) - Number(row.diff_ci_low) - 1e-9);
      }
  });

  it('each band of the equilibrium is a best response at the CI level', () => {
    for (const name of GAS) {
      const { json } = res[name]!;
      if (json.result.status !== 'fixed point') continue;
      for (const row of json.result.payoffs.filter((r) => r.inProfile)) expect(row.indistinguishable || row.best, `${name} ${row.player}`).toBe(true);
      // No other band beats the profile's significantly: its paired difference's CI reaches 0 or below.
      for (const row of json.result.payoffs.filter((r) => !r.inProfile && r.vsProfile)) expect(row.vsProfile!.ciLow, `${name} ${row.player}`).toBeLessThanOrEqual(0);
    }
  });

  // From the files' starts (the closed form's bands); the game has other, symmetric, equilibria too
  // (scenarios/studies/README.md), so this compares the equilibria the studies report.
  it('the equilibrium bands are narrower at L2 gas than at L1 gas', () => {
    const l1 = res['triad-nash-l1']!.json.result;
    const l2 = res['triad-nash-l2']!.json.result;
    for (const p of ['h1', 'h2'] as const) expect(band(l2, p)).toBeLessThan(band(l1, p));
  });

  it('the more often a hedger rebalances than the other, the more it hands the other', () => {
    // A rebalance's forge pushes U's price further the way it moved (dilution): a gain to a holder
    // that has not rebalanced yet. So the narrower band pays the wider one, and equal bands ≈ 0.
    for (const name of GAS)
      for (const r of res[name]!.stages) {
        const b1 = Number(r['agents.h1.trigger.threshold']);
        const b2 = Number(r['agents.h2.trigger.threshold']);
        if (b1 < b2) expect(Number(r.h1_from_h2_ci_high), `${name} ${b1} vs ${b2}`).toBeLessThan(0);
        if (b1 > b2) expect(Number(r.h1_from_h2_ci_low), `${name} ${b1} vs ${b2}`).toBeGreaterThan(0);
      }
  });

  it('what one hedger hands the other, the other loses; σ²T/b² rebalances for b from 1 % to 2.8 %', () => {
    for (const name of GAS)
      for (const r of res[name]!.stages) {
        const a = Number(r.h1_from_h2_mean);
        const b = Number(r.h2_from_h1_mean);
        expect(Math.abs(a + b)).toBeLessThan(1e-6 * (1 + Math.abs(a)));
        for (const p of ['h1', 'h2']) {
          const x = Number(r[`agents.${p}.trigger.threshold`]);
          if (x >= 0.01 && x <= 0.028) {
            const ratio = (Number(r[`${p}_rebalances_mean`]) * x ** 2) / (SIGMA2 * T[name]!);
            expect(ratio, `${name} ${p} b=${x}`).toBeGreaterThan(0.75);
            expect(ratio, `${name} ${p} b=${x}`).toBeLessThan(1.25);
          }
        }
      }
  });
});
