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
import { describe, expect, it } from 'vitest';
import { venueTokens } from '../../sim/transfers-deps';
import { eachHolding, loadCapped } from './ledger-holdings';

const load = (file: string) => loadCapped(`scenarios/${file}`);

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
      const t = sim.kernel.transfers;
      let calls = 0;
      let checked = 0;
      let worst = 0;
      const afterCall = t.afterCall.bind(t);
      t.afterCall = (agent: number, venue: number, fee: number): void => {
        afterCall(agent, venue, fee);
        calls++;
        for (let p = 0; p <= t.agents; p++) {
          const party = p < t.agents ? p : t.burn;
          if (party === agent) continue;
          eachHolding(sim, party, (_token, h, recorded) => {
            worst = Math.max(worst, Math.abs(h - recorded) / Math.max(1, Math.abs(h)));
            checked++;
          });
        }
      };
      sim.run();
      expect(calls).toBeGreaterThan(0);
      expect(checked).toBeGreaterThan(0);
      expect(worst).toBe(0);
    });
  }
});
