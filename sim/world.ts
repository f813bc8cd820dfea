/**
 * The world state: tokens, accounts, venues and the ledger that holds all their balances, plus the
 * valuation of every token at reference prices. Built once from the configuration; mutated only by
 * the executor (venue calls, gas) and the CEX, never by agents.
 */
import type { SimConfig, TokenConfig, VenueConfig } from './config';
import { ConfigError } from './errors';
import { Ledger } from './ledger';
import type { ReferenceMarket } from './market/market';
import { CpmmVenue, POOL_CELLS, PoolCell, totalShares } from './venues/cpmm';
import { TriadVenue, unitPrice } from './venues/triad';

export const enum TokenKind { Reference = 0, Fixed = 1, Lp = 2, Unit = 3, Reciprocal = 4 }

/** Fixed accounts. */
export const BURN = 0;
export const PROPOSER = 1;
export const CEX = 2;

import { AGENT_CELLS, AgentCell, transferCells } from './cells';

export { AgentCell };

export type Venue = CpmmVenue | TriadVenue;

export class World {
  readonly ledger: Ledger;
  readonly venues: readonly Venue[];
  readonly pools: readonly CpmmVenue[];
  readonly triads: readonly TriadVenue[];
  readonly tokenKind: Uint8Array;
  /** Reference tokens: market asset index; Lp/Unit/Reciprocal: venue index. */
  readonly tokenRef: Int32Array;
  /** USD price of Reference and Fixed tokens at the latest tick. */
  readonly basePrice: Float64Array;
  /** The reference-priced tokens (refreshed at each market tick). */
  private readonly referenceTokens: Int32Array;
  /** Their market assets (`tokenRef` of each, read once). */
  private readonly referenceAssets: Int32Array;
  readonly agentIds: readonly string[];
  readonly agentBase: number;
  readonly cexBase: number;
  readonly native: number;
  private readonly agentCellBase: number;
  /** AGENT_CELLS as a field: a module constant is a context load (and a type check) in generated code. */
  private readonly agentCellSize = AGENT_CELLS;
  private readonly debtBase: number;
  /** First auxiliary cell of the transfer ledger (sim/transfers.ts). */
  readonly transferBase: number;
  /** "1" constant of the triad invariant, checked when no other venue mints a triad's tokens. */
  readonly oneInvariantCheckable: boolean;

  /** Diagnostics: the block being built and the transaction being executed (-1 outside). */
  block = 0;
  currentTx = -1;

  constructor(config: SimConfig, readonly market: ReferenceMarket) {
    const tokens: string[] = [];
    const kind: number[] = [];
    const ref: number[] = [];
    const fixed: number[] = [];
    const addToken = (id: string, k: number, r: number, usd: number): number => {
      if (tokens.includes(id)) throw new ConfigError('tokens', `token '${id}' is defined twice`);
      tokens.push(id);
      kind.push(k);
      ref.push(r);
      fixed.push(usd);
      return tokens.length - 1;
    };
    config.tokens.forEach((t: TokenConfig, i) => {
      const price = t.price ?? { asset: t.id };
      if ('usd' in price) {
        if (!(price.usd >= 0)) throw new ConfigError(`tokens[${i}].price.usd`, 'must be a non-negative number');
        addToken(t.id, TokenKind.Fixed, -1, price.usd);
      } else {
        const a = market.ids.indexOf(price.asset);
        if (a < 0) throw new ConfigError(`tokens[${i}].price.asset`, `no market asset '${price.asset}'; assets: ${market.ids.join(', ') || '(none)'}`);
        addToken(t.id, TokenKind.Reference, a, NaN);
      }
    });
    const tokenOf = (name: string, path: string): number => {
      const i = tokens.indexOf(name);
      if (i < 0) throw new ConfigError(path, `unknown token '${name}'; tokens: ${tokens.join(', ')}`);
      return i;
    };

    // Venue tokens first, accounts after (a pool needs its account index).
    const plans: { v: VenueConfig; i: number; t0: number; t1: number; lp: number; unit: number; recip: number; one: number; anchor: number }[] = [];
    const seenVenues = new Set<string>();
    config.venues.forEach((v, i) => {
      if (seenVenues.has(v.id)) throw new ConfigError(`venues[${i}].id`, `venue '${v.id}' is defined twice`);
      seenVenues.add(v.id);
      if (v.kind === 'cpmm') {
        const t0 = tokenOf(v.tokens[0], `venues[${i}].tokens[0]`);
        const t1 = tokenOf(v.tokens[1], `venues[${i}].tokens[1]`);
        if (t0 === t1) throw new ConfigError(`venues[${i}].tokens`, 'a pool needs two different tokens');
        const lp = addToken(v.lpToken ?? `LP-${v.id}`, TokenKind.Lp, i, NaN);
        plans.push({ v, i, t0, t1, lp, unit: -1, recip: -1, one: -1, anchor: -1 });
      } else {
        let one = tokens.indexOf(v.one ?? '1');
        if (one < 0) one = addToken(v.one ?? '1', TokenKind.Fixed, -1, 1);
        let unit = tokens.indexOf(v.unit);
        if (unit < 0) unit = addToken(v.unit, TokenKind.Unit, i, NaN);
        else {
          kind[unit] = TokenKind.Unit;
          ref[unit] = i;
        }
        const recip = addToken(v.reciprocal ?? `1/${v.unit}`, TokenKind.Reciprocal, i, NaN);
        const anchor = v.anchor === undefined ? -1 : tokenOf(v.anchor, `venues[${i}].anchor`);
        plans.push({ v, i, t0: -1, t1: -1, lp: -1, unit, recip, one, anchor });
      }
    });

    const accounts = ['burn', 'proposer', 'cex'];
    const venueAccount: number[] = plans.map((p) => {
      if (p.v.kind === 'cpmm') return accounts.push(`pool:${p.v.id}`) - 1;
      if (p.anchor >= 0) return accounts.push(`custody:${p.v.id}`) - 1;
      return -1;
    });
    this.agentIds = config.agents.map((a) => a.id);
    const seenAgents = new Set<string>();
    config.agents.forEach((a, i) => {
      if (seenAgents.has(a.id)) throw new ConfigError(`agents[${i}].id`, `agent '${a.id}' is defined twice`);
      seenAgents.add(a.id);
    });
    this.agentBase = accounts.length;
    for (const id of this.agentIds) accounts.push(`agent:${id}`);
    this.cexBase = accounts.length;
    for (const id of this.agentIds) accounts.push(`cex:${id}`);

    const poolCount = plans.filter((p) => p.v.kind === 'cpmm').length;
    const agents = this.agentIds.length;
    const auxCells = poolCount * POOL_CELLS + agents * AGENT_CELLS + agents * poolCount * 2 + transferCells(agents, tokens.length, plans.length);
    this.ledger = new Ledger(tokens, accounts, auxCells);
    this.ledger.mayGoNegative[CEX] = 1;
    for (let i = 0; i < agents; i++) this.ledger.mayGoNegative[this.cexBase + i] = 1;

    const n = tokens.length;
    let cell = this.ledger.auxBase;
    const venues: Venue[] = [];
    const pools: CpmmVenue[] = [];
    const triads: TriadVenue[] = [];
    plans.forEach((p, idx) => {
      const v = p.v;
      if (v.kind === 'cpmm') {
        if (!(v.feeBps >= 0 && v.feeBps < 10_000)) throw new ConfigError(`venues[${p.i}].feeBps`, `must lie in [0, 10000), got ${v.feeBps}`);
        const invariant = v.shares === 'invariant';
        if (invariant && v.feeBps !== 0) throw new ConfigError(`venues[${p.i}].feeBps`, 'a compound pool (shares: invariant) has no fee: set feeBps to 0');
        const pool = new CpmmVenue(v.id, idx, venueAccount[idx]!, p.t0, p.t1, p.lp, v.feeBps / 10_000, invariant, n, cell);
        cell += POOL_CELLS;
        venues.push(pool);
        pools.push(pool);
      } else {
        const triad = new TriadVenue(v.id, idx, p.unit, p.recip, p.one, p.anchor >= 0 ? 1 : 2, p.anchor, venueAccount[idx]!, v.protected === true);
        venues.push(triad);
        triads.push(triad);
      }
    });
    this.venues = venues;
    this.pools = pools;
    this.triads = triads;
    this.agentCellBase = cell;
    this.debtBase = cell + agents * AGENT_CELLS;
    this.transferBase = this.debtBase + agents * poolCount * 2;
    this.tokenKind = Uint8Array.from(kind);
    this.tokenRef = Int32Array.from(ref);
    this.basePrice = Float64Array.from(fixed);
    this.referenceTokens = Int32Array.from(kind.flatMap((k, t) => (k === TokenKind.Reference ? [t] : [])));
    this.referenceAssets = this.referenceTokens.map((t) => ref[t]!);
    const native = tokens.indexOf(config.chain.nativeToken);
    if (native < 0) throw new ConfigError('chain.nativeToken', `unknown token '${config.chain.nativeToken}'; tokens: ${tokens.join(', ')}`);
    this.native = native;
    // The "1" invariant holds only if triad units are minted by their triad alone.
    const unitTokens = new Set(triads.flatMap((t) => [t.unit, t.reciprocal]));
    this.oneInvariantCheckable = !pools.some((p) => unitTokens.has(p.lpToken));
    this.refreshBasePrices();
  }

  /** Copy the market's latest tick into the reference-priced tokens. */
  refreshBasePrices(): void {
    const refs = this.referenceTokens;
    const assets = this.referenceAssets;
    const price = this.market.price;
    const base = this.basePrice;
    for (let j = 0; j < refs.length; j++) base[refs[j]!] = price[assets[j]!]!;
  }

  agentAccount(agent: number): number {
    return this.agentBase + agent;
  }

  cexAccount(agent: number): number {
    return this.cexBase + agent;
  }

  agentCells(agent: number): number {
    return this.agentCellBase + agent * this.agentCellSize;
  }

  /** USD mark of a token at current reference prices: LP shares at their share of reserves, triad units at their marginal price. */
  markPrice(token: number): number {
    const k = this.tokenKind[token];
    if (k === TokenKind.Reference || k === TokenKind.Fixed) return this.basePrice[token]!;
    // `- 0` (exact for every number) types the call's result as a number, so that inlined into a
    // caller the two paths join as a raw double rather than boxing the base price in a heap number.
    return this.derivedMark(token, 0) - 0;
  }

  /** As markPrice, but reference prices are read `lag` seconds in the past (an agent's view). */
  markPriceLagged(token: number, lag: number, now: number): number {
    const k = this.tokenKind[token];
    if (k === TokenKind.Reference) return lag > 0 ? this.market.priceAt(this.tokenRef[token]!, now - lag) : this.basePrice[token]!;
    if (k === TokenKind.Fixed) return this.basePrice[token]!;
    return this.derivedMark(token, lag, now);
  }

  private derivedMark(token: number, lag: number, now = 0): number {
    const v = this.venues[this.tokenRef[token]!]!;
    if (v.kind === 'cpmm') {
      const s = totalShares(this, v);
      if (!(s > 0)) return 0;
      const bal = this.ledger.bal;
      return (bal[v.r0]! * this.markPriceLagged(v.token0, lag, now) + bal[v.r1]! * this.markPriceLagged(v.token1, lag, now)) / s;
    }
    const one = this.markPriceLagged(v.one, lag, now);
    const s = this.ledger.supply;
    if (!(s[v.unit]! > 0 && s[v.reciprocal]! > 0)) return 0;
    const pu = unitPrice(this, v);
    if (this.tokenKind[token] !== TokenKind.Unit) return ((v.k * v.k) / 4 / pu) * one;
    // An anchored unit wraps one anchor token besides its price in "1".
    return pu * one + (v.anchor >= 0 ? this.markPriceLagged(v.anchor, lag, now) : 0);
  }

  /**
   * Add `amount` of `token` to `out` looked through to the tokens priced directly (reference or fixed
   * USD) at the current state: an LP share as its pro-rata reserves, U and 1/U as "1" at the triad's
   * marginal price (an anchored U also as one anchor token). Valued at current prices, `out` is worth
   * what `markPrice` says the holding is worth.
   */
  lookThrough(token: number, amount: number, out: Float64Array, depth = 0): void {
    if (amount === 0) return;
    const k = this.tokenKind[token];
    if (k === TokenKind.Reference || k === TokenKind.Fixed || depth > 8) {
      out[token]! += amount;
      return;
    }
    const v = this.venues[this.tokenRef[token]!]!;
    if (v.kind === 'cpmm') {
      const s = totalShares(this, v);
      if (!(s > 0)) return;
      const bal = this.ledger.bal;
      this.lookThrough(v.token0, (amount * bal[v.r0]!) / s, out, depth + 1);
      this.lookThrough(v.token1, (amount * bal[v.r1]!) / s, out, depth + 1);
      return;
    }
    const s = this.ledger.supply;
    if (!(s[v.unit]! > 0 && s[v.reciprocal]! > 0)) return;
    const pu = unitPrice(this, v);
    if (k === TokenKind.Unit) {
      this.lookThrough(v.one, amount * pu, out, depth + 1);
      if (v.anchor >= 0) this.lookThrough(v.anchor, amount, out, depth + 1);
    } else this.lookThrough(v.one, (amount * (v.k * v.k)) / 4 / pu, out, depth + 1);
  }

  /** Add an account's balances, looked through (see `lookThrough`), to `out`. */
  lookThroughAccount(account: number, out: Float64Array): void {
    const n = this.ledger.tokenCount;
    const bal = this.ledger.bal;
    for (let t = 0; t < n; t++) {
      const b = bal[account * n + t]!;
      if (b !== 0) this.lookThrough(t, b, out);
    }
  }

  /** USD value of an account's balances at marks. */
  accountValue(account: number): number {
    const n = this.ledger.tokenCount;
    const bal = this.ledger.bal;
    let value = 0;
    for (let t = 0; t < n; t++) {
      const b = bal[account * n + t]!;
      if (b !== 0) value += b * this.markPrice(t);
    }
    return value;
  }

  /**
   * Credit an agent with the fees and LVR accrued on its LP shares since it last changed them
   * (per-share accumulators), and reset its checkpoint. Called before its shares change.
   */
  settleLp(agent: number, pool: CpmmVenue): void {
    this.syncPerShare(pool);
    const L = this.ledger;
    const bal = L.bal;
    const shares = bal[this.agentAccount(agent) * L.tokenCount + pool.lpToken]!;
    const debt = this.debtCell(agent, pool);
    const feeAcc = bal[pool.cells + PoolCell.FeePerShare]!;
    const lvrAcc = bal[pool.cells + PoolCell.LvrPerShare]!;
    const cells = this.agentCells(agent);
    if (shares !== 0) {
      L.add(cells + AgentCell.FeesUsd, shares * (feeAcc - bal[debt]!));
      L.add(cells + AgentCell.LvrUsd, shares * (lvrAcc - bal[debt + 1]!));
    }
    L.add(debt, feeAcc - bal[debt]!);
    L.add(debt + 1, lvrAcc - bal[debt + 1]!);
  }

  /** Fold the fees and LVR accrued since the last share change into the per-share accumulators. */
  syncPerShare(pool: CpmmVenue): void {
    const L = this.ledger;
    const bal = L.bal;
    const c = pool.cells;
    const fees = bal[c + PoolCell.FeesUsd]! - bal[c + PoolCell.FeesAtSync]!;
    const lvr = bal[c + PoolCell.LvrUsd]! - bal[c + PoolCell.LvrAtSync]!;
    if (fees === 0 && lvr === 0) return;
    const shares = totalShares(this, pool);
    if (shares > 0) {
      L.add(c + PoolCell.FeePerShare, fees / shares);
      L.add(c + PoolCell.LvrPerShare, lvr / shares);
    }
    L.add(c + PoolCell.FeesAtSync, fees);
    L.add(c + PoolCell.LvrAtSync, lvr);
  }

  /** Fee and LVR per share including what accrued since the last sync (read-only). */
  private perShare(pool: CpmmVenue, lvr: boolean): number {
    const bal = this.ledger.bal;
    const c = pool.cells;
    const acc = bal[c + (lvr ? PoolCell.LvrPerShare : PoolCell.FeePerShare)]!;
    const pending = lvr ? bal[c + PoolCell.LvrUsd]! - bal[c + PoolCell.LvrAtSync]! : bal[c + PoolCell.FeesUsd]! - bal[c + PoolCell.FeesAtSync]!;
    const shares = totalShares(this, pool);
    return pending !== 0 && shares > 0 ? acc + pending / shares : acc;
  }

  private debtCell(agent: number, pool: CpmmVenue): number {
    return this.debtBase + (agent * this.pools.length + this.pools.indexOf(pool)) * 2;
  }

  /** Fees and LVR (USD) accrued to an agent's LP shares, settled or not; read-only. */
  lpAccrued(agent: number): { fees: number; lvr: number } {
    const L = this.ledger;
    const bal = L.bal;
    const cells = this.agentCells(agent);
    let fees = bal[cells + AgentCell.FeesUsd]!;
    let lvr = bal[cells + AgentCell.LvrUsd]!;
    for (const pool of this.pools) {
      const shares = bal[this.agentAccount(agent) * L.tokenCount + pool.lpToken]!;
      if (shares === 0) continue;
      const debt = this.debtCell(agent, pool);
      fees += shares * (this.perShare(pool, false) - bal[debt]!);
      lvr += shares * (this.perShare(pool, true) - bal[debt + 1]!);
    }
    return { fees, lvr };
  }

  /** Σ "1" + Σ k·√(u·v) over triads sharing that "1": the quantity a forge never changes. */
  oneInvariant(one: number): number {
    let total = this.ledger.supply[one]!;
    const s = this.ledger.supply;
    for (const t of this.triads) if (t.one === one) total += t.k * Math.sqrt(s[t.unit]! * s[t.reciprocal]!);
    return total;
  }
}
