/**
 * Property tests (fast-check, fixed seed) for the venue invariants of DESIGN §3 and VALIDATION V4.
 * Oracles are the invariants themselves and Uniswap v2's pair-level K check, never the formulas
 * under test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getAmountIn, getAmountOut } from '../../sim/venues/cpmm-math';
import { forgeQuoteExact, getAmountInExact, getAmountOutExact, isqrt } from '../../sim/venues/exact-math';
import { forgeIsValid, forgeQuote } from '../../sim/venues/triad-math';

fc.configureGlobal({ seed: 42, numRuns: 300 });

const positive = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const swapOp = fc.record({ side: fc.boolean(), exactOut: fc.boolean(), frac: positive(1e-9, 5) });

describe('CPMM (float)', () => {
  it('swap sequences keep reserves positive and never shrink x·y when the fee is positive', () => {
    fc.assert(
      fc.property(positive(1e-3, 1e9), positive(1e-3, 1e9), fc.constantFrom(0.9995, 0.997, 0.99, 0.7), fc.array(swapOp, { maxLength: 40, size: 'max' }), (x0, y0, phi, ops) => {
        let x = x0;
        let y = y0;
        for (const op of ops) {
          const [rin, rout] = op.side ? [x, y] : [y, x];
          let a: number;
          let out: number;
          if (op.exactOut) {
            out = rout * Math.min(op.frac / 5, 0.999);
            a = getAmountIn(out, rin, rout, phi);
          } else {
            a = rin * op.frac;
            out = getAmountOut(a, rin, rout, phi);
          }
          expect(a).toBeGreaterThan(0);
          expect(out).toBeGreaterThanOrEqual(0);
          const k0 = x * y;
          if (op.side) [x, y] = [x + a, y - out];
          else [y, x] = [y + a, x - out];
          expect(x).toBeGreaterThan(0);
          expect(y).toBeGreaterThan(0);
          expect(x * y).toBeGreaterThanOrEqual(k0 * (1 - 1e-12));
        }
      }),
    );
  });
});

const wei = (maxExp: number) => fc.bigInt({ min: 1n, max: 10n ** BigInt(maxExp) });

/** Uniswap v2 pair's swap check for fee 0.3%: (balIn·1000 − in·3)·(balOut·1000) ≥ rIn·rOut·1000². */
function passesV2K(amountIn: bigint, amountOut: bigint, rin: bigint, rout: bigint): boolean {
  const balIn = rin + amountIn;
  const balOut = rout - amountOut;
  return balOut >= 0n && (balIn * 1000n - amountIn * 3n) * (balOut * 1000n) >= rin * rout * 1_000_000n;
}

describe('CPMM (exact)', () => {
  it('swap sequences keep reserves positive and x·y non-decreasing, strictly with a fee', () => {
    const op = fc.record({ side: fc.boolean(), a: wei(30) });
    fc.assert(
      fc.property(wei(30), wei(30), fc.constantFrom(0n, 500n, 3000n, 10000n), fc.array(op, { maxLength: 40, size: 'max' }), (x0, y0, fee, ops) => {
        let x = x0;
        let y = y0;
        for (const { side, a } of ops) {
          const k0 = x * y;
          if (side) {
            const out = getAmountOutExact(a, x, y, fee);
            [x, y] = [x + a, y - out];
          } else {
            const out = getAmountOutExact(a, y, x, fee);
            [y, x] = [y + a, x - out];
          }
          expect(x > 0n && y > 0n).toBe(true);
          expect(x * y >= k0).toBe(true);
          if (fee > 0n) expect(x * y > k0).toBe(true);
        }
      }),
    );
  });

  it("getAmountOutExact passes the v2 pair's K check and one wei more fails it", () => {
    fc.assert(
      fc.property(wei(28), wei(30), wei(30), (a, rin, rout) => {
        const out = getAmountOutExact(a, rin, rout, 3000n);
        expect(passesV2K(a, out, rin, rout)).toBe(true);
        expect(passesV2K(a, out + 1n, rin, rout)).toBe(false);
      }),
    );
  });

  it("getAmountInExact passes the v2 pair's K check; one wei less fails unless v2's +1 was surplus", () => {
    fc.assert(
      fc.property(wei(30), wei(30), fc.double({ min: 1e-9, max: 0.999999, noNaN: true }), (rin, rout, frac) => {
        const out = BigInt(Math.floor(Number(rout) * frac));
        fc.pre(out > 0n && out < rout);
        const a = getAmountInExact(out, rin, rout, 3000n);
        expect(passesV2K(a, out, rin, rout)).toBe(true);
        const exactDivision = (rin * out * 1000n) % ((rout - out) * 997n) === 0n;
        expect(passesV2K(a - 1n, out, rin, rout)).toBe(exactDivision);
      }),
    );
  });

  it('isqrt(n) is the largest r with r² ≤ n', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 256n }), (n) => {
        const r = isqrt(n);
        expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
      }),
    );
  });
});

// A random forge: an actor, and raw (du, dv) clamped so the actor never burns more than it holds.
const forgeOp = <T>(amount: fc.Arbitrary<T>) => fc.record({ actor: fc.integer({ min: 0, max: 3 }), du: amount, dv: amount });

describe('triad (exact)', () => {
  it('Σ "1" + k·isqrt(u·v) is exactly constant over any sequence of valid forges by several actors', () => {
    const amount = fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n });
    let exactApplied = 0;
    fc.assert(
      fc.property(fc.constantFrom(1n, 2n), fc.array(forgeOp(amount), { minLength: 1, maxLength: 60, size: 'max' }), (k, ops) => {
        const one = [10n ** 24n, 10n ** 24n, 10n ** 24n, 10n ** 24n];
        const U = [0n, 0n, 0n, 0n];
        const V = [0n, 0n, 0n, 0n];
        let u = 0n;
        let v = 0n;
        const total = one.reduce((s, w) => s + w, 0n);
        for (const { actor, du: rawDu, dv: rawDv } of ops) {
          const du = rawDu < 0n && -rawDu > U[actor]! ? -U[actor]! : rawDu;
          const dv = rawDv < 0n && -rawDv > V[actor]! ? -V[actor]! : rawDv;
          const dw = forgeQuoteExact(u, v, du, dv, k);
          if (one[actor]! + dw < 0n) continue; // the caller lacks the "1" to pay: reverts
          one[actor] = one[actor]! + dw;
          U[actor] = U[actor]! + du;
          V[actor] = V[actor]! + dv;
          u += du;
          v += dv;
          exactApplied++;
          expect(u >= 0n && v >= 0n).toBe(true);
          expect(U.reduce((s, b) => s + b, 0n)).toBe(u);
          expect(V.reduce((s, b) => s + b, 0n)).toBe(v);
          expect(one.reduce((s, w) => s + w, 0n) + k * isqrt(u * v)).toBe(total);
        }
      }),
    );
    // The clamping and "1" checks must leave most forges applied, or the property tests little.
    expect(exactApplied).toBeGreaterThan(300 * 20);
  });

  it('a forge and its reverse net exactly zero "1" (so forging then liquidating alone returns everything)', () => {
    const supply = fc.bigInt({ min: 0n, max: 10n ** 24n });
    const delta = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });
    fc.assert(
      fc.property(supply, supply, delta, delta, fc.constantFrom(1n, 2n), (u, v, du, dv, k) => {
        fc.pre(u + du >= 0n && v + dv >= 0n);
        const there = forgeQuoteExact(u, v, du, dv, k);
        const back = forgeQuoteExact(u + du, v + dv, -du, -dv, k);
        expect(there + back).toBe(0n);
      }),
    );
  });
});

describe('triad (float)', () => {
  it('Σ "1" + k·√(u·v) stays constant to 1e-9 relative over valid forges by several actors', () => {
    const amount = fc.double({ min: -1e4, max: 1e4, noNaN: true });
    let floatApplied = 0;
    fc.assert(
      fc.property(fc.constantFrom<1 | 2>(1, 2), fc.array(forgeOp(amount), { minLength: 1, maxLength: 60, size: 'max' }), (k, ops) => {
        const one = [1e6, 1e6, 1e6, 1e6];
        const U = [0, 0, 0, 0];
        const V = [0, 0, 0, 0];
        let u = 0;
        let v = 0;
        const total = 4e6;
        for (const { actor, du: rawDu, dv: rawDv } of ops) {
          const du = Math.max(rawDu, -U[actor]!);
          const dv = Math.max(rawDv, -V[actor]!);
          if (!forgeIsValid(u, v, du, dv)) continue;
          const dw = forgeQuote(u, v, du, dv, k);
          if (one[actor]! + dw < 0) continue;
          one[actor] = one[actor]! + dw;
          U[actor] = U[actor]! + du;
          V[actor] = V[actor]! + dv;
          u += du;
          v += dv;
          floatApplied++;
          const sum = one.reduce((s, w) => s + w, 0) + k * Math.sqrt(u * v);
          expect(Math.abs(sum - total)).toBeLessThanOrEqual(1e-9 * total);
        }
      }),
    );
    expect(floatApplied).toBeGreaterThan(300 * 20);
  });

  it('forging (a, b) then liquidating it alone returns the "1" paid to 1e-9', () => {
    fc.assert(
      fc.property(positive(0, 1e6), positive(0, 1e6), positive(0.01, 10), positive(0.01, 10), fc.constantFrom<1 | 2>(1, 2), (u0, v0, fa, fb, k) => {
        const [a, b] = [Math.max(u0, 1) * fa, Math.max(v0, 1) * fb];
        const paid = -forgeQuote(u0, v0, a, b, k);
        const back = forgeQuote(u0 + a, v0 + b, -a, -b, k);
        expect(paid).toBeGreaterThan(0);
        expect(Math.abs(back - paid)).toBeLessThanOrEqual(1e-9 * paid);
      }),
    );
  });

  it('from an empty triad the round trip is exact even in floats', () => {
    fc.assert(
      fc.property(positive(0, 1e9), positive(0, 1e9), fc.constantFrom<1 | 2>(1, 2), (a, b, k) => {
        expect(forgeQuote(0, 0, a, b, k) + forgeQuote(a, b, -a, -b, k)).toBe(0);
      }),
    );
  });

  it('forge quotes are antisymmetric: forge(du, dv) then forge(−du, −dv) nets 0', () => {
    const d = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(positive(1, 1e6), positive(1, 1e6), d, d, fc.constantFrom<1 | 2>(1, 2), (u, v, du, dv, k) => {
        fc.pre(forgeIsValid(u, v, du, dv));
        const u1 = u + du;
        const v1 = v + dv;
        // The reverse forge must start from and return to representable supplies.
        fc.pre(u1 - du === u && v1 - dv === v);
        const net = forgeQuote(u, v, du, dv, k) + forgeQuote(u1, v1, -du, -dv, k);
        expect(Math.abs(net)).toBeLessThanOrEqual(1e-12 * k * Math.max(Math.sqrt(u * v), Math.sqrt(u1 * v1)));
      }),
    );
  });
});
