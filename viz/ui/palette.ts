/**
 * Colours: the Okabe–Ito palette, readable with every common colour-vision deficiency — except its
 * yellow #F0E442, whose 1.3:1 contrast on white makes a thin line all but invisible: a darker
 * yellow (#9A8A00, 3.5:1) takes its place. Series past the eighth reuse a colour with a dash
 * pattern, so that no two look alike.
 */

export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#9A8A00'] as const;

const DASHES: number[][] = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

export interface Style {
  color: string;
  /** Canvas/SVG dash pattern, empty for a solid line. */
  dash: number[];
}

export function seriesStyle(i: number): Style {
  return { color: OKABE_ITO[i % OKABE_ITO.length]!, dash: DASHES[Math.floor(i / OKABE_ITO.length) % DASHES.length]! };
}

/** Marker colours by kind (each lane is labelled too, so colour is never the only cue). */
export const MARKER_COLORS: Record<string, string> = {
  rebalance: '#009E73',
  sandwich: '#D55E00',
  arbitrage: '#0072B2',
  push: '#CC79A7',
  reversal: '#CC79A7',
  cex: '#E69F00',
  'lp-entry': '#56B4E9',
  'lp-exit': '#56B4E9',
  forge: '#9A8A00',
  revert: '#000000',
  dropped: '#777777',
};

/** Decomposition components. */
export const COMPONENT_COLORS: Record<string, string> = {
  hold: '#0072B2',
  trading: '#56B4E9',
  fees: '#009E73',
  lvr: '#E69F00',
  swapFees: '#F0E442',
  gas: '#000000',
  cex: '#999999',
  mev: '#D55E00',
  options: '#CC79A7',
};
