/**
 * Fictitious play (Brown 1951), the `update: fictitious` of a best-response study: every round each
 * player answers the empirical mixture of the profiles played so far (the start included) — its
 * payoff against the mixture being the average of its payoffs against each past profile, weighted
 * by how often that profile was played, replicate by replicate (common random numbers, so the
 * mixture's scores pair across strategies like any other's). Past profiles recur, and a point once
 * evaluated is not run again (the evaluator's memo): a round costs only the profiles never met.
 * It stops at a pure profile that is its own best response both against the mixture and against
 * itself (a pure equilibrium), else after maxRounds; the empirical frequencies are the answer then
 * (in zero-sum games they converge to a mixed equilibrium, Robinson 1951).
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { objective, scores, type Objective } from './objectives';
import type { Values } from './plan';
import type { Evaluator, PointValues } from './study';

export interface FictitiousStep {
  round: number;
  player: string;
  from: number;
  to: number;
  /** The answer's objective against the mixture, with its 95 % CI. */
  objective: number;
  ciLow: number;
  ciHigh: number;
  /** The player's empirical frequency of `to` after this round. */
  frequency: number;
}

export interface FictitiousOutcome {
  status: 'fixed point' | 'max rounds';
  profile: number[];
  /** Every profile played, the start first. */
  history: number[][];
  path: FictitiousStep[];
  /** By player: how often each strategy was played, over history. */
  counts: number[][];
}

export interface Game {
  ids: string[];
  spaces: Values[][];
  payoff: (p: number) => string;
  deviations: (profile: readonly number[], p: number) => Values[];
  /** Player 0 stands for every player (same strategy lists), the profile being common. */
  symmetric: boolean;
}

/** Scores by replicate, NaN kept in place (pairing across strategies). */
function byReplicate(xs: readonly number[], o: Objective): number[] {
  const s = scores(xs.filter(Number.isFinite), o);
  let k = 0;
  return xs.map((x) => (Number.isFinite(x) ? s[k++]! : NaN));
}

/** The mean of a score vector's finite entries with its t-interval. */
function rated(s: readonly number[]): { value: number; ciLow: number; ciHigh: number } {
  const f = s.filter(Number.isFinite);
  const n = f.length;
  if (n === 0) return { value: NaN, ciLow: NaN, ciHigh: NaN };
  const m = f.reduce((a, b) => a + b, 0) / n;
  const half = n < 2 ? NaN : tQuantile(0.975, n - 1) * Math.sqrt(f.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1) / n);
  return { value: m, ciLow: m - half, ciHigh: m + half };
}

export async function fictitiousPlay(ev: Evaluator, g: Game, start: number[], maxRounds: number, o: Objective): Promise<FictitiousOutcome> {
  const players = g.symmetric ? [0] : g.ids.map((_, p) => p);
  let profile = start.slice();
  const history: number[][] = [profile.slice()];
  const counts = g.spaces.map((sp) => sp.map(() => 0));
  const count = (pr: readonly number[]): void => pr.forEach((s, p) => void counts[p]![s]!++);
  count(profile);
  const path: FictitiousStep[] = [];
  let status: FictitiousOutcome['status'] = 'max rounds';
  for (let round = 1; round <= maxRounds; round++) {
    // Each player's distinct opponent profiles so far (its own strategy is replaced anyway), by weight.
    const beliefs = players.map((p) => {
      const w = new Map<string, { profile: number[]; weight: number }>();
      for (const h of history) {
        const k = JSON.stringify(h.map((s, q) => (q === p ? -1 : s)));
        const e = w.get(k);
        if (e) e.weight++;
        else w.set(k, { profile: h, weight: 1 });
      }
      return [...w.values()];
    });
    const points = players.flatMap((p, i) => beliefs[i]!.flatMap((b) => g.deviations(b.profile, p)));
    const data = await ev.evaluate(`r${round}`, points);
    let at = 0;
    const next = profile.slice();
    let pureBest = true;
    players.forEach((p, i) => {
      const n = g.spaces[p]!.length;
      const m = g.payoff(p);
      const per: PointValues[][] = beliefs[i]!.map(() => {
        const d = data.slice(at, at + n);
        at += n;
        return d;
      });
      const total = history.length;
      const mixture = g.spaces[p]!.map((_, s) => {
        const acc: number[] = [];
        beliefs[i]!.forEach((b, k) => {
          byReplicate(per[k]![s]![m]!, o).forEach((x, r) => (acc[r] = (acc[r] ?? 0) + (x * b.weight) / total));
        });
        return acc;
      });
      const values = mixture.map((s) => rated(s));
      let best = profile[p]!;
      values.forEach((v, s) => {
        if (v.value > values[best]!.value || (!Number.isFinite(values[best]!.value) && Number.isFinite(v.value))) best = s;
      });
      // Against the current pure profile (one of the past ones: already evaluated).
      const last = beliefs[i]!.findIndex((b) => b.profile.every((s, q) => q === p || s === profile[q]));
      const pure = per[last]!.map((d) => objective(d[m]!.filter(Number.isFinite), o));
      if (pure.some((v) => v > pure[profile[p]!]!)) pureBest = false;
      next[p] = best;
      path.push({ round, player: g.ids[p]!, from: profile[p]!, to: best, objective: values[best]!.value, ciLow: values[best]!.ciLow, ciHigh: values[best]!.ciHigh, frequency: NaN });
    });
    const changed = next.some((s, p) => s !== profile[p]);
    profile = g.symmetric ? profile.map(() => next[0]!) : next;
    history.push(profile.slice());
    count(profile);
    for (const step of path.slice(path.length - players.length)) {
      const p = g.ids.indexOf(step.player);
      step.frequency = counts[p]![step.to]! / history.length;
    }
    if (!changed && pureBest) {
      status = 'fixed point';
      break;
    }
  }
  return { status, profile, history, path, counts };
}
