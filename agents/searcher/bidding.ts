/**
 * How a searcher bids the priority fee for an opportunity worth `valueUsd` (profit before priority
 * fees, after the base fee): a fixed fee, a share of the value, the full value (Bertrand: with
 * identical rivals the winner pays about the opportunity's worth), or a priority gas auction that
 * starts low and raises by replacement each time a rival's bid is seen, up to the value.
 */
export type SearcherBid =
  | { kind: 'fixed'; gwei: number }
  | { kind: 'share'; share: number }
  | { kind: 'full' }
  /** Start at `start` gwei, outbid a rival by `increment` gwei (and the mempool's minimum bump) up to the value. */
  | { kind: 'pga'; start: number; increment: number };

/** Priority fee (gwei per gas) that pays `usd` over `gas` at `nativeUsd` per native token. */
export function gweiFor(usd: number, gas: number, nativeUsd: number): number {
  return usd / (gas * 1e-9 * nativeUsd);
}

/** The opening bid, gwei per gas. */
export function openingBid(bid: SearcherBid, valueUsd: number, gas: number, nativeUsd: number): number {
  const ceiling = Math.max(gweiFor(valueUsd, gas, nativeUsd), 0);
  switch (bid.kind) {
    case 'fixed':
      return Math.min(bid.gwei, ceiling);
    case 'share':
      return bid.share * ceiling;
    case 'full':
      return ceiling;
    case 'pga':
      return Math.min(bid.start, ceiling);
  }
}

/**
 * A PGA raise over a rival's bid: at least `increment` above it and at least the mempool's minimum
 * bump above our own; null when that would exceed the value (give up).
 */
export function raise(bid: { increment: number }, own: number, rival: number, ceiling: number, minBump: number): number | null {
  const next = Math.max(rival + bid.increment, own * (1 + minBump) + 1e-9);
  return next <= ceiling ? next : null;
}
