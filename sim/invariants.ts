/**
 * Whole-world checks after a block: every token conserved (Σ balances = supply), no negative or
 * non-finite balance where none is allowed, and the triad "1" invariant unchanged. Any failure stops
 * the run with a SimulationFault naming the block.
 */
import { SimulationFault } from './errors';
import type { World } from './world';

export interface InvariantState {
  /** Σ "1" + Σ k·√(u·v) at genesis, per "1" token. */
  one: Map<number, number>;
}

const TOLERANCE = 1e-9;

export function checkInvariants(w: World, state: InvariantState): void {
  const L = w.ledger;
  const bad = L.findBadBalance();
  if (bad >= 0) {
    const account = L.accounts[Math.floor(bad / L.tokenCount)]!;
    const token = L.tokens[bad % L.tokenCount]!;
    const value = L.bal[bad]!;
    throw new SimulationFault(value !== value ? 'NAN' : 'NEGATIVE_BALANCE', w.block, -1, `${account} holds ${value} ${token}`, { account, token, value });
  }
  const gap = L.conservationGap();
  if (!(gap.gap <= TOLERANCE)) {
    const token = L.tokens[gap.token]!;
    throw new SimulationFault('CONSERVATION', w.block, -1, `token ${token}: balances sum to ${gap.sum} but supply is ${gap.supply}`, { token, gap: gap.gap, sum: gap.sum, supply: gap.supply });
  }
  if (!w.oneInvariantCheckable) return;
  for (const [one, initial] of state.one) {
    const now = w.oneInvariant(one);
    if (Math.abs(now - initial) > TOLERANCE * Math.max(Math.abs(initial), 1)) {
      throw new SimulationFault('TRIAD_INVARIANT', w.block, -1, `Σ "1" + Σ k·√(u·v) moved from ${initial} to ${now}`, { token: L.tokens[one], initial, now });
    }
  }
}
