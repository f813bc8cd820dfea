/** "Did you mean …?" picks the nearest name, and only when it is a plausible typo. */
import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from '../../scenarios/suggest';

describe('suggestions', () => {
  it('measures edits, counting a transposition as one', () => {
    expect(editDistance('meanIntervl', 'meanInterval')).toBe(1);
    expect(editDistance('prioirty', 'priority')).toBe(1);
    expect(editDistance('gmb', 'gbm')).toBe(1);
    expect(editDistance('ETH', 'eth')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the nearest candidate within a third of the name', () => {
    expect(nearest('arbitrager', ['lp', 'noise', 'arbitrageur', 'tracker'])).toBe('arbitrageur');
    expect(nearest('mu', ['mu', 'sigma'])).toBeUndefined();
    expect(nearest('xyz', ['lp', 'noise'])).toBeUndefined();
    expect(nearest('venu', ['venue', 'value'])).toBe('venue');
  });
});
