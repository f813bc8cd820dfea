/**
 * AssetProduct (a tracker's target, a speculator's fair value): scale · Π P^exponent. A lone ½
 * exponent takes Math.sqrt instead of Math.pow; both must give the same bits (fdlibm's pow returns
 * sqrt(x) for y = ½ and x ≥ +0), or a tracker's moves would shift.
 */
import { describe, expect, it } from 'vitest';
import { AssetProduct } from '../../agents/asset-product';
import type { SetupContext, View } from '../../sim/agent';

/** A view that answers refPrice with the given prices, and a setup context that names assets by index. */
function at(prices: number[]): View {
  return { refPrice: (a: number) => prices[a]! } as unknown as View;
}
const ctx = { asset: (name: string) => ['A', 'B'].indexOf(name) } as unknown as SetupContext;

describe('AssetProduct', () => {
  it('√P by Math.sqrt equals scale · Math.pow(P, 0.5) bit for bit, over 12 decades and odd bit patterns', () => {
    const p = new AssetProduct({ assets: { A: 0.5 }, scale: 0.02 });
    p.setup(ctx);
    let x = 1e-6;
    for (let i = 0; i < 20_000; i++) {
      x *= 1.0017;
      const price = x * (1 + ((i * 7919) % 1000) * 1e-13);
      expect(p.usd(at([price]))).toBe(0.02 * Math.pow(price, 0.5));
    }
    // Zero and non-positive prices take the general path: pow's answers, NaN included.
    expect(p.usd(at([0]))).toBe(0);
    expect(p.usd(at([-4]))).toBeNaN();
  });

  it('other exponents and several assets: the product of powers', () => {
    const p = new AssetProduct({ assets: { A: 0.5, B: 0.5 } });
    p.setup(ctx);
    expect(p.usd(at([4, 9]))).toBe(6);
    const q = new AssetProduct({ assets: { A: 2 }, scale: 3 });
    q.setup(ctx);
    expect(q.usd(at([5]))).toBe(75);
  });
});
