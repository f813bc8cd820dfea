/**
 * One table, two number systems: every case runs through `floatMath` and `exactMath` and the results
 * agree to 1e-12 relative. Cases avoid catastrophic cancellation (a float difference of two nearly
 * equal square roots cannot agree to 1e-12 with anything), and the exact first mint's locked
 * MINIMUM_LIQUIDITY is added back before comparing.
 */
import { describe, expect, it } from 'vitest';
import { MINIMUM_LIQUIDITY } from '../../sim/venues/exact-math';
import { exactMath, floatMath, type VenueMath } from '../../sim/venues/math';

type Case =
  | { op: 'getAmountOut' | 'getAmountIn'; amount: string; rin: string; rout: string; fee: number }
  | { op: 'sharesMinted'; a0: string; a1: string; r0: string; r1: string; total: string }
  | { op: 'invariantSharesMinted'; a0: string; a1: string; r0: string; r1: string }
  | { op: 'amountForShares'; shares: string; reserve: string; total: string }
  | { op: 'forgeQuote'; u: string; v: string; du: string; dv: string; k: 1 | 2 };

const cases: Case[] = [
  { op: 'getAmountOut', amount: '1', rin: '1000', rout: '2000000', fee: 3000 },
  { op: 'getAmountOut', amount: '6978.8334', rin: '2000000', rout: '1000', fee: 3000 },
  { op: 'getAmountOut', amount: '5.5', rin: '123.456', rout: '789.01', fee: 3000 },
  { op: 'getAmountOut', amount: '1000', rin: '1000', rout: '1000', fee: 0 },
  { op: 'getAmountOut', amount: '0.001', rin: '10', rout: '10', fee: 500 },
  { op: 'getAmountOut', amount: '250000', rin: '1000000', rout: '3', fee: 10000 },
  { op: 'getAmountIn', amount: '3.466887', rin: '2000000', rout: '1000', fee: 3000 },
  { op: 'getAmountIn', amount: '500', rin: '1000', rout: '1000', fee: 0 },
  { op: 'getAmountIn', amount: '0.75', rin: '42.42', rout: '1', fee: 3000 },
  { op: 'getAmountIn', amount: '1999999', rin: '1000', rout: '2000000', fee: 100 },
  { op: 'sharesMinted', a0: '1', a1: '4', r0: '0', r1: '0', total: '0' },
  { op: 'sharesMinted', a0: '0.000000001', a1: '0.000000001', r0: '0', r1: '0', total: '0' },
  { op: 'sharesMinted', a0: '2', a1: '3', r0: '0', r1: '0', total: '0' },
  { op: 'sharesMinted', a0: '10', a1: '30000', r0: '1000', r1: '2000000', total: '44721.359549995793928183' },
  { op: 'sharesMinted', a0: '0.3', a1: '0.7', r0: '3', r1: '5', total: '3.87' },
  { op: 'invariantSharesMinted', a0: '125', a1: '500', r0: '100', r1: '400' },
  { op: 'invariantSharesMinted', a0: '-75', a1: '-300', r0: '100', r1: '400' },
  { op: 'invariantSharesMinted', a0: '0', a1: '500', r0: '100', r1: '400' },
  { op: 'invariantSharesMinted', a0: '2', a1: '3', r0: '0', r1: '0' },
  { op: 'amountForShares', shares: '25', reserve: '1000', total: '100' },
  { op: 'amountForShares', shares: '1', reserve: '3', total: '7' },
  { op: 'amountForShares', shares: '0.123', reserve: '98765.4321', total: '17.5' },
  { op: 'forgeQuote', u: '0', v: '0', du: '100', dv: '100', k: 2 },
  { op: 'forgeQuote', u: '0', v: '0', du: '1', dv: '2', k: 1 },
  { op: 'forgeQuote', u: '1000', v: '1000', du: '-1000', dv: '-1000', k: 2 },
  { op: 'forgeQuote', u: '100', v: '400', du: '50', dv: '-20', k: 2 },
  { op: 'forgeQuote', u: '50', v: '200', du: '10', dv: '35', k: 1 },
  { op: 'forgeQuote', u: '7.25', v: '3.5', du: '-7.25', dv: '10', k: 2 },
];

function run<T>(m: VenueMath<T>, c: Case): number {
  const n = (s: string): T => m.units(s);
  switch (c.op) {
    case 'getAmountOut':
      return m.toNumber(m.getAmountOut(n(c.amount), n(c.rin), n(c.rout), c.fee));
    case 'getAmountIn':
      return m.toNumber(m.getAmountIn(n(c.amount), n(c.rin), n(c.rout), c.fee));
    case 'sharesMinted':
      return m.toNumber(m.sharesMinted(n(c.a0), n(c.a1), n(c.r0), n(c.r1), n(c.total)));
    case 'invariantSharesMinted':
      return m.toNumber(m.invariantSharesMinted(n(c.a0), n(c.a1), n(c.r0), n(c.r1)));
    case 'amountForShares':
      return m.toNumber(m.amountForShares(n(c.shares), n(c.reserve), n(c.total)));
    case 'forgeQuote':
      return m.toNumber(m.forgeQuote(n(c.u), n(c.v), n(c.du), n(c.dv), c.k));
  }
}

function label(c: Case): string {
  const { op, ...args } = c;
  return `${op}(${Object.values(args).join(', ')})`;
}

describe('floatMath and exactMath share one table', () => {
  it('the two implementations are named for their number systems', () => {
    expect(floatMath.name).toBe('float');
    expect(exactMath.name).toBe('exact');
  });

  it('units parse the same decimal text into the same amount', () => {
    for (const text of ['0', '1.5', '2000000', '0.000000001', '-75']) {
      expect(exactMath.toNumber(exactMath.units(text))).toBe(floatMath.toNumber(floatMath.units(text)));
    }
  });

  it.each(cases.map((c) => [label(c), c] as const))('%s agrees to 1e-12 relative', (_label, c) => {
    const f = run(floatMath, c);
    let x = run(exactMath, c);
    const firstMint = c.op === 'sharesMinted' && c.total === '0';
    if (firstMint) x += exactMath.toNumber(MINIMUM_LIQUIDITY);
    expect(Number.isFinite(f) && Number.isFinite(x)).toBe(true);
    const scale = Math.max(Math.abs(f), Math.abs(x));
    expect(Math.abs(f - x), `float ${f} vs exact ${x}`).toBeLessThanOrEqual(1e-12 * scale);
  });

  it('the exact first mint is short by exactly MINIMUM_LIQUIDITY wei', () => {
    const a = exactMath.units('0.000000001');
    const shares = exactMath.sharesMinted(a, a, 0n, 0n, 0n);
    expect(shares).toBe(10n ** 9n - 1000n);
    // Without the allowance the two modes differ by 1e-6 relative here, far outside 1e-12.
    const f = floatMath.sharesMinted(1e-9, 1e-9, 0, 0, 0);
    expect(Math.abs(exactMath.toNumber(shares) - f) / f).toBeGreaterThan(1e-7);
  });
});
