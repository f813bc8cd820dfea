/**
 * `searcher`: an MEV searcher with switchable strategies.
 *  - sandwich: the largest front-run a visible swap's slippage bound allows (exact on the CPMM, for
 *    exact-input and exact-output swaps alike), or
 *    the most an unprotected forge's victim can pay (triad), bundled [front, victim, back];
 *  - backrun: arbitrage right after a large visible swap, bundled [victim, backrun];
 *  - arbitrage: the CEX–pool arbitrage in public, bid by its rule — a priority gas auction raises by
 *    replacement each time it sees a rival's bid;
 *  - adversary: push a price across a known rebalancer's trigger, let it trade, reverse (adversary.ts).
 * It skips whatever is unprofitable after gas and priority fees, and makes no new attempt on a venue
 * while one of its own there is on its way (until its receipt), unless it is raising its PGA bid.
 * Its counters count what landed (an included back leg, back-run, arbitrage; an accepted raise),
 * with what it attempted beside them.
 *
 * Under `fcfs` ordering a priority fee buys nothing and a bundle is no `fcfs` concept: it bids no
 * priority fee, does not sandwich (a front-run would have to arrive before a victim it has already
 * seen), and back-runs by racing on arrival — a plain transaction sent as soon as it sees the
 * victim, which the sequencer orders after it; it trades on the post-victim pool, so if the victim
 * does not land first its bound fails and it reverts.
 */
import type { AgentPlan, AgentWarning, Outbox, PreflightContext, SetupContext, TxView, VenueInfo, View } from '../../sim/agent';
import { Op, Revert, TxStatus } from '../../sim/tx';
import { tokenLabel } from '../../sim/preflight';
import { GWEI } from '../../sim/units';
import { getAmountIn, getAmountOut, optimalArbitrageInput } from '../../sim/venues/cpmm-math';
import { BaseAgent, type CommonSpec } from '../common';
import type { TriggerSpec } from '../triggers';
import { Adversary } from './adversary';
import { openingBid, raise, type SearcherBid } from './bidding';
import { bestFrontRun, sandwich, sandwichProfit } from './cpmm-sandwich';
import { bestTriadSandwich } from './triad-sandwich';

export interface SearcherSpec extends CommonSpec {
  strategies: {
    sandwich?: { venues?: string[]; targets?: string[]; minProfitUsd?: number };
    backrun?: { venues?: string[]; minProfitUsd?: number };
    arbitrage?: { venue: string; minProfitUsd?: number };
    adversary?: { target: string; venue: string; trigger: TriggerSpec; margin?: number; patience?: number };
  };
  bid?: SearcherBid;
  /** Seconds between its own looks when it arbitrages (default: every block). */
  every?: number;
}

export class Searcher extends BaseAgent {
  readonly kind = 'searcher';
  readonly extractsMev = true;
  private info: VenueInfo[] = [];
  private sandwichVenues = new Set<number>();
  private backrunVenues = new Set<number>();
  private targetTags: Set<number> | null = null;
  private arbVenue = -1;
  private native = 0;
  private tags = { sandwich: 0, front: 0, back: 0, backrun: 0, arbitrage: 0 };
  private bid: SearcherBid;
  private adversary: Adversary | null = null;
  /** The public arbitrage bid on its way or pending (PGA): its tx id, fee and value ceiling. */
  private arb: { id: number; fee: number; maxFee: number; ceiling: number } | null = null;
  /** A replacement of `arb` on its way: it takes over only once the mempool has accepted it. */
  private raising: { id: number; fee: number; maxFee: number } | null = null;
  /** The chain's replacement rule (`chain.replacementBump`): every raise clears it. */
  private minBump = 0.1;
  private fcfs = false;
  /** Own transactions on their way, by id → venue, and how many per venue. */
  private readonly flying = new Map<number, number>();
  private busy: number[] = [];
  private stats = {
    sandwiches: 0,
    sandwichesAttempted: 0,
    backruns: 0,
    backrunsAttempted: 0,
    arbitrages: 0,
    arbitragesAttempted: 0,
    raises: 0,
    raisesAttempted: 0,
  };

  /** The adversary's fee is fixed from the bid at setup: with one, the bid stays. */
  get liveParams(): readonly string[] {
    const minimums = ['strategies.sandwich.minProfitUsd', 'strategies.backrun.minProfitUsd', 'strategies.arbitrage.minProfitUsd'];
    return this.spec.strategies.adversary === undefined ? ['bid', ...minimums] : minimums;
  }

  constructor(private spec: SearcherSpec) {
    super(spec, spec.strategies.arbitrage || spec.strategies.adversary ? (spec.every ? { kind: 'interval', seconds: spec.every } : { kind: 'block' }) : { kind: 'never' });
    this.bid = spec.bid ?? { kind: 'share', share: 0.9 };
  }

  reconfigure(spec: SearcherSpec): void {
    this.spec = spec;
    this.bid = spec.bid ?? { kind: 'share', share: 0.9 };
  }

  setup(ctx: SetupContext): void {
    const s = this.spec.strategies;
    this.minBump = ctx.replacementBump;
    this.fcfs = ctx.ordering === 'fcfs';
    const all = (names?: string[]): Set<number> => new Set((names ?? []).map((n) => ctx.venue(n)));
    for (let i = 0; ; i++) {
      try {
        this.info.push(ctx.venueInfo(i));
      } catch {
        break;
      }
    }
    this.sandwichVenues = s.sandwich ? (s.sandwich.venues ? all(s.sandwich.venues) : new Set(this.info.map((v) => v.index))) : new Set();
    this.backrunVenues = s.backrun ? (s.backrun.venues ? all(s.backrun.venues) : new Set(this.info.filter((v) => v.kind === 'cpmm').map((v) => v.index))) : new Set();
    this.targetTags = s.sandwich?.targets ? new Set(s.sandwich.targets.map((t) => ctx.tag(t))) : null;
    if (s.arbitrage) this.arbVenue = ctx.venue(s.arbitrage.venue);
    this.native = ctx.nativeToken;
    this.busy = this.info.map(() => 0);
    this.tags = { sandwich: ctx.tag('sandwich'), front: ctx.tag('sandwich-front'), back: ctx.tag('sandwich-back'), backrun: ctx.tag('backrun'), arbitrage: ctx.tag('arbitrage') };
    // The adversary's bundles must outrank its victim's transaction alone: a fixed bid, else 1 gwei
    // (none under fcfs, where arrival orders them).
    if (s.adversary) this.adversary = new Adversary(s.adversary, ctx, this.fcfs ? 0 : this.bid.kind === 'fixed' ? this.bid.gwei : Math.max(this.priorityFee, 1));
  }

  private usdPerGasGwei(view: View): number {
    return GWEI * view.priceUsd(this.native);
  }

  act(view: View, out: Outbox): void {
    if (this.adversary !== null) {
      this.adversary.act(view, out);
      // Its target is named on its own transactions only.
      out.setTarget(-1);
    }
    if (this.arbVenue >= 0) this.arbitrage(view, out);
  }

  onMempool(view: View, out: Outbox, tx: TxView): void {
    if (this.adversary !== null) {
      const used = this.adversary.onMempool(view, out, tx);
      out.setTarget(-1);
      if (used) return;
    }
    if (this.arb !== null && tx.tag === this.tags.arbitrage) this.outbid(view, out, tx);
    if (tx.callCount !== 1) return;
    const c = tx.calls[0]!;
    // One attempt per venue at a time.
    if (this.busy[c.venue]! > 0) return;
    if (!this.fcfs && this.sandwichVenues.has(c.venue) && (this.targetTags === null || this.targetTags.has(tx.tag))) {
      if (this.sandwich(view, out, tx)) return;
    }
    if (this.backrunVenues.has(c.venue) && (c.op === Op.Swap || c.op === Op.SwapExactOut)) this.backrun(view, out, tx);
  }

  /** Mark a transaction of its own on `venue` as on its way. */
  private fly(id: number, venue: number): void {
    this.flying.set(id, venue);
    this.busy[venue]!++;
  }

  /** One of its transactions is final: the state and counters move here, on what landed. */
  onReceipt(_view: View, _out: Outbox, tx: TxView): void {
    this.adversary?.onReceipt(tx);
    const venue = this.flying.get(tx.id);
    if (venue !== undefined) {
      this.flying.delete(tx.id);
      this.busy[venue]!--;
    }
    const landed = tx.status === TxStatus.Included;
    if (landed && tx.tag === this.tags.back) this.stats.sandwiches++;
    if (landed && tx.tag === this.tags.backrun) this.stats.backruns++;
    const raising = this.raising;
    if (raising !== null && tx.id === raising.id) {
      this.raising = null;
      // Refused (the bump, or the bid it replaces had already left): the old bid is still what it has.
      if (tx.revert === Revert.ReplacementRejected) return;
      // Final after replacing the old bid (whose REPLACED receipt may come before or after this one).
      if (this.arb !== null && this.arb.id !== tx.id) this.stats.raises++;
      this.arb = null;
      if (landed) this.stats.arbitrages++;
      return;
    }
    const arb = this.arb;
    if (arb !== null && tx.id === arb.id) {
      if (tx.revert === Revert.Replaced && raising !== null) {
        this.arb = { id: raising.id, fee: raising.fee, maxFee: raising.maxFee, ceiling: arb.ceiling };
        this.raising = null;
        this.stats.raises++;
        return;
      }
      this.arb = null;
      if (landed) this.stats.arbitrages++;
    }
  }

  /** Bundle a sandwich around `tx` if it pays. */
  private sandwich(view: View, out: Outbox, tx: TxView): boolean {
    const c = tx.calls[0]!;
    const v = this.info[c.venue]!;
    const min = this.spec.strategies.sandwich?.minProfitUsd ?? 0;
    const unit = this.usdPerGasGwei(view);
    if (v.kind === 'cpmm' && (c.op === Op.Swap || c.op === Op.SwapExactOut)) {
      // Exact input: c.a paid, boundA its minimum out. Exact output: c.a received, boundA its maximum in.
      const exactOut = c.op === Op.SwapExactOut;
      const s = c.side;
      const x = view.reserve(c.venue, s);
      const y = view.reserve(c.venue, 1 - s);
      const tokenIn = v.tokens[s]!;
      const phi = 1 - v.fee;
      // An exact-output victim pays what the front-run leaves it to pay: at most its maximum, and
      // at most what it holds (or it reverts, and the bundle with it).
      const bound = exactOut ? Math.min(c.boundA, view.balanceOf(tx.agent, tokenIn)) : c.boundA;
      let f = bestFrontRun(x, y, phi, c.a, bound, view.balance(tokenIn), exactOut);
      // Front-running with the native token: keep both transactions' max fees aside (2 × the base
      // fee, and a bid that is at most the profit itself), or the bundle cannot pay its gas.
      if (tokenIn === this.native && f > 0) {
        const reserve = 2 * view.gasFor(Op.Swap) * 2 * view.baseFee * GWEI + Math.max(sandwichProfit(x, y, phi, f, c.a, exactOut), 0);
        if (f + reserve > view.balance(tokenIn)) f = bestFrontRun(x, y, phi, c.a, bound, view.balance(tokenIn) - reserve, exactOut);
      }
      if (f <= 0) return false;
      const o = sandwich(x, y, phi, f, c.a, exactOut);
      const gas = 2 * view.gasFor(Op.Swap);
      const value = o.profit * view.priceUsd(tokenIn) - gas * view.baseFee * unit;
      if (!(value > min)) return false;
      const prio = openingBid(this.bid, value, gas, view.priceUsd(this.native));
      if (!this.keeps(value, prio * gas * unit, min)) return false;
      out.setPriorityFee(prio);
      out.setTag(this.tags.front);
      const front = out.swap(c.venue, s, f, o.frontOut * (1 - 1e-9));
      out.setTag(this.tags.back);
      const back = out.swap(c.venue, 1 - s, o.frontOut, o.backOut * (1 - 1e-9));
      out.bundle([front, tx.id, back]);
      this.fly(front.id, c.venue);
      this.fly(back.id, c.venue);
      this.stats.sandwichesAttempted++;
      return true;
    }
    if (v.kind === 'triad' && c.op === Op.Forge) {
      const u = view.reserve(c.venue, 0);
      const w = view.reserve(c.venue, 1);
      const one = v.shareToken;
      const minOne = v.variant === 'protected' ? c.boundA : -Infinity;
      const best = bestTriadSandwich(u, w, v.k, c.a, c.b, view.balance(one), view.balanceOf(tx.agent, one), minOne);
      if (best === null) return false;
      const gas = 2 * view.gasFor(Op.Forge);
      const value = best.profit * view.priceUsd(one) - gas * view.baseFee * unit;
      if (!(value > min)) return false;
      const prio = openingBid(this.bid, value, gas, view.priceUsd(this.native));
      if (!this.keeps(value, prio * gas * unit, min)) return false;
      const a = best.side === 0 ? best.amount : 0;
      const b = best.side === 1 ? best.amount : 0;
      out.setPriorityFee(prio);
      out.setTag(this.tags.front);
      const front = out.forge(c.venue, a, b, -Infinity);
      out.setTag(this.tags.back);
      const back = out.forge(c.venue, -a, -b, -Infinity);
      out.bundle([front, tx.id, back]);
      this.fly(front.id, c.venue);
      this.fly(back.id, c.venue);
      this.stats.sandwichesAttempted++;
      return true;
    }
    return false;
  }

  /** Does paying `paid` of `value` leave more than `min`? A full-value (Bertrand) bid keeps nothing by design, and still goes. */
  private keeps(value: number, paid: number, min: number): boolean {
    return this.bid.kind === 'full' || value - paid > min;
  }

  /**
   * The CEX–pool arbitrage on reserves (x, y) of pool `v`: side, input, output and its value after
   * the base fee (USD) — or null when there is none. Short of the optimal input it trades what it
   * holds (the profit is concave in size), keeping back, in the native token, its gas at twice the
   * base fee and a bid of at most the opportunity's value.
   */
  private opportunity(view: View, v: VenueInfo, x: number, y: number): { side: number; amount: number; out: number; value: number; gas: number } | null {
    const phi = 1 - v.fee;
    const p0 = view.priceUsd(v.tokens[0]);
    const p1 = view.priceUsd(v.tokens[1]);
    const input = optimalArbitrageInput(x, y, p0 / p1, phi);
    if (input === 0) return null;
    const side = input > 0 ? 1 : 0;
    const gas = view.gasFor(Op.Swap);
    const baseUsd = gas * view.baseFee * this.usdPerGasGwei(view);
    const valueOf = (amount: number, out: number): number => (side === 1 ? out * p0 - amount * p1 : out * p1 - amount * p0) - baseUsd;
    const outOf = (amount: number): number => (side === 1 ? getAmountOut(amount, y, x, phi) : getAmountOut(amount, x, y, phi));
    let amount = Math.abs(input);
    const tokenIn = v.tokens[side]!;
    let spare = view.balance(tokenIn);
    if (tokenIn === this.native) spare -= 2 * gas * view.baseFee * GWEI + Math.max(valueOf(amount, outOf(amount)), 0) / view.priceUsd(this.native);
    if (spare < amount) amount = spare;
    if (!(amount > 0)) return null;
    const out = outOf(amount);
    return { side, amount, out, value: valueOf(amount, out), gas };
  }

  /** Arbitrage the pool back to the reference right after a visible swap. */
  private backrun(view: View, out: Outbox, tx: TxView): void {
    const c = tx.calls[0]!;
    const v = this.info[c.venue]!;
    if (v.kind !== 'cpmm') return;
    const phi = 1 - v.fee;
    let x = view.reserve(c.venue, 0);
    let y = view.reserve(c.venue, 1);
    // The pool after the victim's swap: it pays `paid` of the side it names and receives `got`.
    const exactOut = c.op === Op.SwapExactOut;
    if (c.side === 0) {
      if (exactOut && !(c.a < y)) return;
      const paid = exactOut ? getAmountIn(c.a, x, y, phi) : c.a;
      const got = exactOut ? c.a : getAmountOut(c.a, x, y, phi);
      x += paid;
      y -= got;
    } else {
      if (exactOut && !(c.a < x)) return;
      const paid = exactOut ? getAmountIn(c.a, y, x, phi) : c.a;
      const got = exactOut ? c.a : getAmountOut(c.a, y, x, phi);
      y += paid;
      x -= got;
    }
    const o = this.opportunity(view, v, x, y);
    if (o === null || !(o.value > (this.spec.strategies.backrun?.minProfitUsd ?? 0))) return;
    const { side, amount: amt, out: outAmt, value, gas } = o;
    const prio = this.opening(value, gas, view);
    out.setPriorityFee(prio);
    out.setTag(this.tags.backrun);
    const arb = out.swap(c.venue, side, amt, outAmt * (1 - 1e-9));
    // Under fcfs: no bundle, a plain transaction racing on arrival (sent now, it arrives after the victim).
    if (!this.fcfs) out.bundle([tx.id, arb]);
    this.fly(arb.id, c.venue);
    this.stats.backrunsAttempted++;
  }

  /** The opening bid by its rule; none under fcfs, where a priority fee buys nothing. */
  private opening(value: number, gas: number, view: View): number {
    return this.fcfs ? 0 : openingBid(this.bid, value, gas, view.priceUsd(this.native));
  }

  /** The CEX–pool arbitrage in public, bid by the rule (a PGA raises in outbid()). */
  private arbitrage(view: View, out: Outbox): void {
    this.settleRaise(view);
    // Its bid (or a raise of it) is on its way: no second attempt before the receipt.
    if (this.arb !== null || this.raising !== null) return;
    const venue = this.arbVenue;
    if (this.busy[venue]! > 0) return;
    const v = this.info[venue]!;
    const o = this.opportunity(view, v, view.reserve(venue, 0), view.reserve(venue, 1));
    if (o === null || !(o.value > (this.spec.strategies.arbitrage?.minProfitUsd ?? 0))) return;
    const { side, amount: amt, out: outAmt, value, gas } = o;
    const unit = this.usdPerGasGwei(view);
    const ceiling = value / (gas * unit);
    const prio = this.opening(value, gas, view);
    out.setPriorityFee(prio);
    out.setTag(this.tags.arbitrage);
    const tx = out.swap(venue, side, amt, outAmt * (1 - 1e-9));
    // A max fee for this bid alone: every replacement must raise it by the bump as well, so one that
    // started at the ceiling would grow geometrically past what the searcher can fund.
    tx.maxFee = 2 * view.baseFee + prio;
    this.arb = { id: tx.id, fee: prio, maxFee: tx.maxFee, ceiling };
    this.fly(tx.id, venue);
    this.stats.arbitragesAttempted++;
  }

  /**
   * A raise seen pending in the mempool has been accepted: it is the bid now (the receipts — REPLACED
   * for the old bid, or REPLACEMENT_REJECTED for the raise — come only when they are final).
   */
  private settleRaise(view: View): void {
    const r = this.raising;
    if (r === null || this.arb === null) return;
    const own = view.ownPending();
    for (let i = 0; i < own.length; i++) {
      const t = own[i]!;
      if (t.id !== r.id || t.status !== TxStatus.Pending) continue;
      this.arb = { id: r.id, fee: r.fee, maxFee: r.maxFee, ceiling: this.arb.ceiling };
      this.raising = null;
      this.stats.raises++;
      return;
    }
  }

  /** PGA: a rival bid on the same opportunity was seen — replace ours with a higher one. */
  private outbid(view: View, out: Outbox, rival: TxView): void {
    this.settleRaise(view);
    const mine = this.arb!;
    // Under fcfs a higher fee buys nothing; one raise at a time (the last one's receipt decides).
    if (this.bid.kind !== 'pga' || this.fcfs || this.raising !== null || rival.agent === view.self || rival.priorityFee < mine.fee) return;
    const next = raise(this.bid, mine.fee, rival.priorityFee, mine.ceiling, this.minBump);
    if (next === null) return;
    const maxFee = Math.max(mine.maxFee * (1 + this.minBump) + 1e-9, next + view.baseFee);
    // A raise it could not fund (gas limit × max fee) would be dropped unpaid: keep the bid it has.
    if (view.gasFor(Op.Swap) * maxFee * GWEI > view.balance(this.native)) return;
    // Null when its bid is no longer pending (still on its way, or final): nothing to replace.
    const tx = out.replace(mine.id, next, maxFee);
    if (tx === null) return;
    this.raising = { id: tx.id, fee: next, maxFee };
    this.fly(tx.id, this.arbVenue);
    this.stats.raisesAttempted++;
  }

  metrics(): Record<string, number> {
    return { ...this.stats, ...(this.adversary?.metrics() ?? {}) };
  }

  /**
   * Preflight: each strategy needs capital on its venue — either pool token (a front-run, back-run,
   * arbitrage or push can go either way), or "1" on a triad — and the mempool strategies need
   * someone's public transactions to see in time. Venues taken by default (every venue) are reported
   * only when it can trade on none of them.
   */
  preflight(view: View, ctx: PreflightContext): AgentPlan {
    const s = this.spec.strategies;
    const funded = (v: VenueInfo): boolean => (v.kind === 'triad' ? view.balance(v.shareToken) > 0 : view.balance(v.tokens[0]) > 0 || view.balance(v.tokens[1]) > 0);
    const lacking = new Map<number, string[]>();
    const need = (what: string, venues: Iterable<number>, listed: boolean): void => {
      const list = [...venues];
      if (!listed && list.some((v) => funded(this.info[v]!))) return;
      for (const v of list) if (!funded(this.info[v]!)) lacking.set(v, [...(lacking.get(v) ?? []), what]);
    };
    need('sandwich', this.sandwichVenues, s.sandwich?.venues !== undefined);
    need('back-run', this.backrunVenues, s.backrun?.venues !== undefined);
    if (this.arbVenue >= 0) need('arbitrage', [this.arbVenue], true);
    if (s.adversary) need('push', [ctx.venue(s.adversary.venue)], true);
    const warnings: AgentWarning[] = [...lacking].map(([venue, what]) => {
      const v = this.info[venue]!;
      const held = v.kind === 'triad' ? `no ${tokenLabel(ctx.tokenName(v.shareToken))}` : `neither ${tokenLabel(ctx.tokenName(v.tokens[0]))} nor ${tokenLabel(ctx.tokenName(v.tokens[1]))}`;
      return { code: 'NO_CAPITAL', field: 'balances', venue, message: `searcher '${this.id}' holds ${held}: its ${what.join(' and ')} on '${v.id}' can never trade` };
    });
    // A sandwich is a bundle, and a bundle is no fcfs concept: it would never make an attempt.
    if (this.fcfs && s.sandwich !== undefined) {
      const others = s.backrun !== undefined || s.arbitrage !== undefined || s.adversary !== undefined;
      warnings.push({
        code: 'NO_BUNDLES_UNDER_FCFS',
        field: 'strategies.sandwich',
        message: `searcher '${this.id}' sandwiches, but under chain.ordering fcfs there are no bundles and a front-run cannot arrive before a victim it has already seen: its sandwich never makes an attempt${others ? '' : ', and it has no other strategy'}`,
      });
    }
    const watchesAny = s.sandwich !== undefined || s.backrun !== undefined;
    return {
      sends: s.sandwich !== undefined || s.backrun !== undefined || s.arbitrage !== undefined || s.adversary !== undefined,
      bids: true,
      // A priority gas auction raises its bid on what it sees in the mempool; pushes go on its schedule.
      publicTxs: s.arbitrage !== undefined ? 'also-on-events' : s.adversary !== undefined ? 'on-schedule' : 'never',
      ...(watchesAny ? { watches: true } : s.adversary !== undefined ? { watches: [ctx.agent(s.adversary.target)] } : {}),
      warnings,
    };
  }
}
