import { describe, expect, it } from 'vitest';
import { OKABE_ITO, seriesStyle } from '../../viz/ui/palette';

/** WCAG contrast ratio of a colour against white. */
function contrastOnWhite(hex: string): number {
  const lin = (c: number): number => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const [r, g, b] = [1, 3, 5].map((i) => lin(parseInt(hex.slice(i, i + 2), 16) / 255));
  return 1.05 / (0.2126 * r! + 0.7152 * g! + 0.0722 * b! + 0.05);
}

describe('series colours', () => {
  it('every line colour stands out from the white page (Okabe–Ito’s yellow, 1.3:1, would not)', () => {
    expect(contrastOnWhite('#F0E442')).toBeLessThan(1.5);
    for (const c of OKABE_ITO) expect(contrastOnWhite(c), c).toBeGreaterThan(2.2);
  });

  it('the ninth series and later reuse the colours with a dash, so no two look alike', () => {
    const styles = Array.from({ length: 32 }, (_, i) => seriesStyle(i));
    expect(new Set(styles.map((s) => `${s.color} ${s.dash.join(',')}`)).size).toBe(32);
  });
});
