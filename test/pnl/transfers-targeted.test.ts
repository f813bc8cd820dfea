/**
 * The transfer ledger refreshes, after a venue call, only the holders of the tokens that venue's
 * calls move (sim/transfers-deps.ts) instead of every party. That is sound iff no other party's
 * looked-through holdings move: checked here after every call of every library scenario with a
 * triad or a pool — each party other than the call's sender (whose holdings are brought up to date
 * at the end of its transaction) must hold exactly what the ledger last recorded for it, as a scan
 * of every party would have left it. And the dependency lists on the triad-in-a-pool scenario, by
 * hand: a forge on the triad moves U, 1/U and the pool's LP share (its reserves hold U); a swap in
 * the pool moves only its LP share.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildConfig, loadScenarioFile } from '../../scenarios';
import { Simulation } from '../../sim/simulation';
import { venueTokens } from '../../sim/transfers-deps';
import { BURN } from '../../sim/world';

const SCENARIOS = fileURLToPath(new URL('../../scenarios', import.meta.url));
const MAX_BLOCKS = 1_500;

function load(file: string): Simulation {
  const loaded = loadScenarioFile(join(SCENARIOS, file), []);
  const config = buildConfig(loaded.scenario, loaded.baseDir);
  return new Simulation(config.blocks > MAX_BLOCKS ? { ...config, blocks: MAX_BLOCKS } : config);
}

describe('venues move only the tokens listed', () => {
  it('triad-pool.yaml: T moves U, 1/U and the U/"1" pool share; the pool moves its share', () => {
    const w = load('library/triad-pool.yaml').kernel.world;
    const { byVenue } = venueTokens(w);
    const names = (v: number): string[] => [...byVenue.items.subarray(byVenue.at[v]!, byVenue.at[v + 1]!)].map((t) => w.ledger.tokens[t]!).sort();
    const T = w.venues.findIndex((v) => v.id === 'T');
    const pool = w.venues.findIndex((v) => v.id === 'upool');
    const lp = w.ledger.tokens[(w.venues[pool] as { lpToken: number }).lpToken]!;
    expect(names(T)).toEqual(['1/sqrtETH', lp, 'sqrtETH'].sort());
    expect(names(pool)).toEqual([lp]);
  });
});

describe('after every call, every party but the sender is up to date', () => {
  for (const file of ['library/triad-pool.yaml', 'library/who-pays.yaml', 'default.yaml', 'library/exact-vectors.yaml', 'library/front-running.yaml']) {
    it(file, () => {
      const sim = load(file);
      const k = sim.kernel;
      const w = k.world;
      const t = k.transfers;
      const T = w.ledger.tokenCount;
      const h = new Float64Array(T);
      const base = [...Array(T).keys()].filter((x) => w.tokenKind[x]! <= 1);
      let calls = 0;
      let checked = 0;
      let worst = 0;
      const afterCall = t.afterCall.bind(t);
      t.afterCall = (agent: number, venue: number, fee: number): void => {
        afterCall(agent, venue, fee);
        calls++;
        const bal = w.ledger.bal;
        for (let p = 0; p <= t.agents; p++) {
          const party = p < t.agents ? p : t.burn;
          if (party === agent) continue;
          h.fill(0);
          if (p < t.agents) {
            w.lookThroughAccount(w.agentAccount(p), h);
            w.lookThroughAccount(w.cexAccount(p), h);
          } else w.lookThroughAccount(BURN, h);
          for (const x of base) {
            // The burn's native token is gas's, booked lazily.
            if (party === t.burn && x === w.native) continue;
            const recorded = bal[t.cur + party * T + x]!;
            worst = Math.max(worst, Math.abs(h[x]! - recorded) / Math.max(1, Math.abs(h[x]!)));
            checked++;
          }
        }
      };
      sim.run();
      expect(calls).toBeGreaterThan(0);
      expect(checked).toBeGreaterThan(0);
      expect(worst).toBe(0);
    });
  }
});
