/**
 * Whole-world checks: every token conserved (Σ balances = supply), no negative or non-finite
 * balance where none is allowed, and the triad "1" invariant unchanged. The kernel runs them after
 * every transaction (naming it when one fails) and again after the block (which also covers CEX
 * fills and settlements). Any failure stops the run with a SimulationFault.
 */
import { SimulationFault } from './errors';
import type { World } from './world';
import { isqrt, WEI } from './venues/exact-math';

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

/** Relative gap allowed between a token's Σ balances and its supply in float mode (rounding is ~1e-16). */
export const TOLERANCE = 1e-9;

/** The end-of-run conservation check, as summary.json reports it. */
export interface ConservationResult {
  /** Largest relative gap allowed: 1e-9 in float mode, 0 in exact mode (wei sums must be equal). */
  tolerance: number;
  /** Every token within the tolerance (always true in a result: a gap beyond it is a fault). */
  withinTolerance: boolean;
  /** The largest gap over the tokens, and the token it is on (null when there are no tokens). */
  worstGap: number;
  worstToken: string | null;
  /** Per token: |Σ balances − supply| / max(Σ |balances|, |supply|, 1 token unit) at the end of the run. */
  tokens: Record<string, number>;
}

/**
 * Conservation of every token at the end of the run, whether or not `checkInvariants` checked it
 * after every transaction: O(tokens × accounts), once. A gap beyond the tolerance throws a
 * CONSERVATION fault (tx -1: not tied to one transaction), as the per-block check would have.
 */
export function checkConservation(w: World): ConservationResult {
  const L = w.ledger;
  const x = L.exact;
  const tolerance = x === null ? TOLERANCE : 0;
  const tokens: Record<string, number> = {};
  let worstGap = 0;
  let worst = -1;
  for (let t = 0; t < L.tokenCount; t++) {
    const gap = x === null ? L.tokenGap(t).gap : exactGap(L.tokens.length, L.accounts.length, x.bal, x.supply[t]!, t);
    tokens[L.tokens[t]!] = gap;
    // NaN is the worst there is, and stays so.
    if (worst < 0 || (!(gap <= worstGap) && worstGap === worstGap)) {
      worstGap = gap;
      worst = t;
    }
  }
  if (worst >= 0 && !(worstGap <= tolerance)) {
    const token = L.tokens[worst]!;
    const detail = x === null ? L.tokenGap(worst) : { gap: worstGap, sum: Number(sumExact(L.tokens.length, L.accounts.length, x.bal, worst)), supply: Number(x.supply[worst]!) };
    throw new SimulationFault(
      'CONSERVATION',
      w.block,
      -1,
      `at the end of the run, token ${token}: balances sum to ${detail.sum}${x === null ? '' : ' wei'} but supply is ${detail.supply}${x === null ? '' : ' wei'} (relative gap ${worstGap}, tolerance ${tolerance})`,
      { token, gap: worstGap, sum: detail.sum, supply: detail.supply, tolerance },
    );
  }
  return { tolerance, withinTolerance: true, worstGap, worstToken: worst >= 0 ? L.tokens[worst]! : null, tokens };
}

function sumExact(n: number, accounts: number, bal: readonly bigint[], t: number): bigint {
  let sum = 0n;
  for (let a = 0; a < accounts; a++) sum += bal[a * n + t]!;
  return sum;
}

/** The relative gap of a token in wei: 0 exactly when the sums agree. */
function exactGap(n: number, accounts: number, bal: readonly bigint[], supply: bigint, t: number): number {
  let sum = 0n;
  let scale = 0n;
  for (let a = 0; a < accounts; a++) {
    const b = bal[a * n + t]!;
    sum += b;
    scale += b < 0n ? -b : b;
  }
  const diff = sum > supply ? sum - supply : supply - sum;
  if (diff === 0n) return 0;
  const abs = supply < 0n ? -supply : supply;
  // As in float mode, relative to at least one token unit.
  const denom = scale > abs ? scale : abs;
  return Number(diff) / Number(denom > WEI ? denom : WEI);
}

/** Relative gap allowed between what moved and what was minted (see Ledger.flowGap): some 4,500 roundings. */
export const FLOW_TOLERANCE = 1e-12;

/**
 * Check the world; `tx` is the id of the transaction just executed, or -1 after the block. With a
 * journal `mark` (audit mode) also check that what moved since it conserves every token.
 */
export function checkInvariants(w: World, state: InvariantState, tx = -1, mark = -1): void {
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
  if (mark >= 0) {
    const flow = L.flowGap(mark);
    if (!(flow.gap <= FLOW_TOLERANCE)) {
      const token = L.tokens[flow.token]!;
      const what = tx >= 0 ? 'this transaction' : 'this block';
      throw new SimulationFault('CONSERVATION', w.block, tx, `token ${token}: ${what} moved ${flow.moved} in balances but minted ${flow.minted}`, { token, gap: flow.gap, moved: flow.moved, minted: flow.minted });
    }
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
