/**
 * Which parties a venue call can move (sim/transfers.ts): a call changes its sender's balances and
 * the state of its venue, so besides the sender only holders of tokens whose look-through (World
 * `lookThrough`) reads that state gain or lose by it. Per venue, those tokens; and per venue, the
 * agents that hold (or once held) any of them, kept in party order so that bookings run in the same
 * order as a scan of every party.
 */
import { TokenKind, type World } from './world';

/** Flat lists, `at[v]` … `at[v + 1]` in `items`. */
export interface Lists {
  at: Int32Array;
  items: Int32Array;
}

function lists(rows: number[][]): Lists {
  const at = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => (at[i + 1] = at[i]! + r.length));
  return { at, items: Int32Array.from(rows.flat()) };
}

/**
 * For each venue v, the derived tokens whose look-through can change when a call on v succeeds: a
 * token of a venue whose state v changes (its own; a triad that mints or burns another triad's unit
 * or reciprocal, which set that triad's price through their supplies), and any token looked through
 * into one of those (an LP share of a pool holding them, a unit wrapping one). And the inverse: for
 * each token, the venues whose calls move it.
 */
export function venueTokens(w: World): { byVenue: Lists; byToken: Lists } {
  const V = w.venues.length;
  const T = w.ledger.tokenCount;
  const derived = (t: number): boolean => t >= 0 && w.tokenKind[t] !== TokenKind.Reference && w.tokenKind[t] !== TokenKind.Fixed;
  // Tokens whose supply a venue's calls change, and whose supply a venue's state reads.
  const minted = w.venues.map((v) => (v.kind === 'cpmm' ? [v.lpToken] : [v.unit, v.reciprocal, v.one]));
  const read = w.venues.map((v) => (v.kind === 'cpmm' ? [v.lpToken] : [v.unit, v.reciprocal]));
  // dep[t][u]: token t's look-through reads venue u's state, directly or through the tokens it is looked through to.
  const dep: (Set<number> | null)[] = new Array<Set<number> | null>(T).fill(null);
  const depOf = (t: number, depth: number): Set<number> => {
    if (!derived(t) || depth > 8) return new Set();
    const memo = dep[t];
    if (memo !== null && memo !== undefined) return memo;
    const u = w.tokenRef[t]!;
    const v = w.venues[u]!;
    const s = new Set([u]);
    const inner = v.kind === 'cpmm' ? [v.token0, v.token1] : w.tokenKind[t] === TokenKind.Unit ? [v.one, v.anchor] : [v.one];
    for (const i of inner) for (const x of depOf(i, depth + 1)) s.add(x);
    dep[t] = s;
    return s;
  };
  const byVenue: number[][] = [];
  for (let v = 0; v < V; v++) {
    // Venues whose state a call on v changes: v itself, and those reading a supply v changes.
    const moved = new Set([v]);
    for (let u = 0; u < V; u++) if (read[u]!.some((t) => minted[v]!.includes(t))) moved.add(u);
    const tokens: number[] = [];
    for (let t = 0; t < T; t++) if (derived(t) && [...depOf(t, 0)].some((u) => moved.has(u))) tokens.push(t);
    byVenue.push(tokens);
  }
  const byToken: number[][] = Array.from({ length: T }, () => []);
  byVenue.forEach((tokens, v) => tokens.forEach((t) => byToken[t]!.push(v)));
  return { byVenue: lists(byVenue), byToken: lists(byToken) };
}

/** Per venue, the agents holding any token its calls move, in party order (a superset: holders stay listed). */
export class VenueHolders {
  /** Per venue v, its agents at `v × agents` … (read directly by the ledger's hot path). */
  readonly list: Int32Array;
  private readonly count: Int32Array;
  private readonly mark: Uint8Array;

  constructor(
    private readonly agents: number,
    venues: number,
    private readonly byToken: Lists,
  ) {
    this.list = new Int32Array(venues * agents);
    this.count = new Int32Array(venues);
    this.mark = new Uint8Array(venues * agents);
  }

  /** Note that `agent` holds `token` now: it is listed under every venue whose calls move that token. */
  holds(agent: number, token: number): void {
    const { at, items } = this.byToken;
    for (let k = at[token]!; k < at[token + 1]!; k++) {
      const v = items[k]!;
      if (this.mark[v * this.agents + agent] === 1) continue;
      this.mark[v * this.agents + agent] = 1;
      // Insert in party order (rare: once per agent and venue).
      const base = v * this.agents;
      let i = this.count[v]!++;
      while (i > 0 && this.list[base + i - 1]! > agent) {
        this.list[base + i] = this.list[base + i - 1]!;
        i--;
      }
      this.list[base + i] = agent;
    }
  }

  /** How many agents are listed under venue `v`; the i-th is `at(v, i)`. */
  size(v: number): number {
    return this.count[v]!;
  }
  at(v: number, i: number): number {
    return this.list[v * this.agents + i]!;
  }
}
