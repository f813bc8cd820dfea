/**
 * Whole-world checks: every token conserved (Σ balances = supply), no negative or non-finite
 * balance where none is allowed, and the triad "1" invariant unchanged. The kernel runs them after
 * every transaction (naming it when one fails) and again after the block (which also covers CEX
 * fills and settlements). Any failure stops the run with a SimulationFault.
 */
import { SimulationFault } from './errors';
import type { World } from './world';
import { isqrt } from './venues/exact-math';

export interface InvariantState {
  /** Σ "1" + Σ k·√(u·v) at genesis, per "1" token. */
  one: Map<number, number>;
  /** The same in exact-integer mode, with floor square roots: it must not move by one wei. */
  oneExact: Map<number, bigint>;
}

/** Exact mode: Σ "1" + Σ k·isqrt(u·v) over the triads sharing that "1". */
export function oneInvariantExact(w: World, one: number): bigint {
  const s = w.ledger.exact!.supply;
  let total = s[one]!;
  for (const t of w.triads) if (t.one === one) total += BigInt(t.k) * isqrt(s[t.unit]! * s[t.reciprocal]!);
  return total;
}

const TOLERANCE = 1e-9;

/** Check the world; `tx` is the id of the transaction just executed, or -1 after the block. */
export function checkInvariants(w: World, state: InvariantState, tx = -1): void {
  const L = w.ledger;
  const bad = L.findBadBalance();
  if (bad >= 0) {
    const account = L.accounts[Math.floor(bad / L.tokenCount)]!;
    const token = L.tokens[bad % L.tokenCount]!;
    const value = L.bal[bad]!;
    throw new SimulationFault(value !== value ? 'NAN' : 'NEGATIVE_BALANCE', w.block, tx, `${account} holds ${value} ${token}`, { account, token, value });
  }
  const gap = L.conservationGap();
  if (!(gap.gap <= TOLERANCE)) {
    const token = L.tokens[gap.token]!;
    throw new SimulationFault('CONSERVATION', w.block, tx, `token ${token}: balances sum to ${gap.sum} but supply is ${gap.supply}`, { token, gap: gap.gap, sum: gap.sum, supply: gap.supply });
  }
  if (L.exact !== null) checkExact(w, state, tx);
  if (!w.oneInvariantCheckable) return;
  for (const [one, initial] of state.one) {
    const now = w.oneInvariant(one);
    if (Math.abs(now - initial) > TOLERANCE * Math.max(Math.abs(initial), 1)) {
      throw new SimulationFault('TRIAD_INVARIANT', w.block, tx, `Σ "1" + Σ k·√(u·v) moved from ${initial} to ${now}`, { token: L.tokens[one], initial, now });
    }
  }
}

function checkExact(w: World, state: InvariantState, tx: number): void {
  const L = w.ledger;
  const x = L.exact!;
  const n = L.tokenCount;
  const accounts = L.accounts.length;
  for (let t = 0; t < n; t++) {
    let sum = 0n;
    for (let a = 0; a < accounts; a++) sum += x.bal[a * n + t]!;
    if (sum !== x.supply[t]) {
      throw new SimulationFault('CONSERVATION', w.block, tx, `token ${L.tokens[t]}: balances sum to ${sum} wei but supply is ${x.supply[t]} wei`, { token: L.tokens[t] });
    }
  }
  if (!w.oneInvariantCheckable) return;
  for (const [one, initial] of state.oneExact) {
    const now = oneInvariantExact(w, one);
    if (now !== initial) {
      throw new SimulationFault('TRIAD_INVARIANT', w.block, tx, `Σ "1" + Σ k·isqrt(u·v) moved from ${initial} to ${now} wei`, { token: L.tokens[one] });
    }
  }
}
