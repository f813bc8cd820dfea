/** What an agent acting on a triad needs to know of it, read once at setup. */
import type { SetupContext, VenueInfo } from '../../sim/agent';

export interface TriadSeat {
  venue: number;
  /** Token indices of U and 1/U, and of the "1" the triad holds. */
  unit: number;
  reciprocal: number;
  one: number;
  k: number;
  info: VenueInfo;
}

/** The triad named `venue`; `who` words the error when it is not a triad (e.g. "tracker 'mover'"). */
export function triadSeat(ctx: SetupContext, venue: string, who: string): TriadSeat {
  const index = ctx.venue(venue);
  const info = ctx.venueInfo(index);
  if (info.kind !== 'triad') throw new Error(`${who} needs a triad venue, '${venue}' is a ${info.kind}`);
  return { venue: index, unit: info.tokens[0]!, reciprocal: info.tokens[1]!, one: info.shareToken, k: info.k, info };
}
