/**
 * What a forge hands the other holders of a triad's U and 1/U (agents/math/triad-transfer.ts), against
 * the identity its header states: the marks sum to the custody (u·p + v·q = k·√(u·v)), so the others'
 * gain is exactly what the forger's own marked value (with the "1" it received) loses. The tracker's
 * variant that takes the price it already holds must agree with the plain one to the last bit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transferToOthers, transferToOthersFrom } from '../../agents/math/triad-transfer';
import { forgeQuote } from '../../sim/venues/triad-math';

fc.configureGlobal({ seed: 7, numRuns: 300 });

const amount = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const state = fc.record({
  u: amount(1, 1e7),
  v: amount(1, 1e7),
  k: fc.constantFrom(1, 2),
  ownU: amount(0, 1),
  ownV: amount(0, 1),
  du: amount(-0.5, 2),
  dv: amount(-0.5, 2),
});

describe('transfer to the other holders of a triad', () => {
  it('is what the forger loses at marks, its "1" included', () => {
    fc.assert(
      fc.property(state, ({ u, v, k, ownU, ownV, du, dv }) => {
        // The forger holds a share of each supply; the forge burns at most what it holds.
        const a = ownU * u;
        const b = ownV * v;
        const dU = Math.max(du * u, -a);
        const dV = Math.max(dv * v, -b);
        const mark = (uu: number, vv: number) => [(k / 2) * Math.sqrt(vv / uu), (k / 2) * Math.sqrt(uu / vv)] as const;
        const [p0, q0] = mark(u, v);
        const [p1, q1] = mark(u + dU, v + dV);
        const forgerChange = (a + dU) * p1 + (b + dV) * q1 + forgeQuote(u, v, dU, dV, k) - (a * p0 + b * q0);
        const others = transferToOthers(u, v, k, u - a, v - b, dU, dV);
        const scale = k * Math.sqrt(u * v) + k * Math.sqrt((u + dU) * (v + dV));
        expect(Math.abs(others + forgerChange)).toBeLessThanOrEqual(1e-9 * scale);
      }),
    );
  });

  it('from a price already held gives the same bits as from the supplies', () => {
    fc.assert(
      fc.property(state, ({ u, v, k, ownU, ownV, du, dv }) => {
        const p0 = (k / 2) * Math.sqrt(v / u);
        const args = [u * (1 - ownU), v * (1 - ownV), du * u, dv * v] as const;
        expect(Object.is(transferToOthersFrom(u, v, k, p0, ...args), transferToOthers(u, v, k, ...args))).toBe(true);
      }),
    );
  });

  it('is zero for a forge of nothing and for holders of nothing', () => {
    expect(transferToOthers(4e6, 1e6, 2, 1e6, 2e5, 0, 0)).toBe(0);
    expect(transferToOthers(4e6, 1e6, 2, 0, 0, 1e5, -3e4)).toBe(0);
  });
});
