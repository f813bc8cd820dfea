import { describe, expect, it } from 'vitest';
import { spaced, symlogTicks } from '../../viz/ui/ticks';

describe('symlogTicks', () => {
  it('zero and the signed powers of ten inside the domain', () => {
    expect(symlogTicks([-2500, 300])).toEqual([-1000, -100, -10, -1, 0, 1, 10, 100]);
    expect(symlogTicks([5, 2000])).toEqual([10, 100, 1000]);
  });

  it('thins the powers to at most `max` ticks, keeping the largest', () => {
    // 10^0 … 10^7 on both sides would be 17 ticks: every other power from 10^7 down.
    expect(symlogTicks([-20_000, 26_000_000])).toEqual([-1000, -10, 0, 10, 1000, 100_000, 10_000_000]);
    expect(symlogTicks([-20_000, 26_000_000], 20)).toHaveLength(5 + 1 + 8);
  });

  it('a domain inside (−1, 1) has zero alone', () => {
    expect(symlogTicks([-0.5, 0.5])).toEqual([0]);
  });
});

describe('spaced', () => {
  it('drops ticks too close to zero or to a larger one', () => {
    // Pixels: 0 → 100, ±1 → 100 ∓ 3, ±10 → 100 ∓ 20, 1000 → 40.
    const px = new Map([[-10, 120], [-1, 103], [0, 100], [1, 97], [10, 80], [1000, 40]]);
    expect(spaced([-10, -1, 0, 1, 10, 1000], (t) => px.get(t)!, 12)).toEqual([-10, 0, 10, 1000]);
  });
});
