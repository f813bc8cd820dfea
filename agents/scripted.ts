/**
 * `scripted`: executes a list of actions at given blocks (or at genesis), to reproduce worked
 * examples and on-chain tests exactly. Each action is sent just before its block is built, with the
 * agent's latency and fees, so with zero latency it lands in that block.
 */
import type { AgentPlan, Amount, Outbox, SetupContext, VenueInfo, View } from '../sim/agent';
import { getAmountOut } from '../sim/venues/cpmm-math';
import { WEI, formatUnits, fromWei, getAmountOutExact, parseUnits, toWei } from '../sim/venues/exact-math';
import { moveAtZeroCost, mintToPrice } from '../sim/venues/triad-math';
import { BaseAgent, type CommonSpec } from './common';

export type ScriptedCall =
  /**
   * Pay `amount` of `pay` into the pool, accepting at least `minOut`, or at least the quote less
   * `slippage` (a fraction) of it, the quote computed at submission from the agent's view.
   */
  | { do: 'swap'; venue: string; pay: string; amount: Amount; minOut?: Amount; slippage?: number }
  /** Receive exactly `amount` of `receive`. */
  | { do: 'swapExactOut'; venue: string; receive: string; amount: Amount; maxIn?: Amount }
  | { do: 'addLiquidity'; venue: string; amounts: [Amount, Amount]; minShares?: Amount }
  /** Burn LP shares (`all`: every share held). */
  | { do: 'removeLiquidity'; venue: string; shares: Amount | 'all'; min?: [Amount, Amount] }
  /** forge(du, dv) on a triad or compound pool. */
  | { do: 'forge'; venue: string; du: Amount; dv: Amount; minOne?: Amount }
  /** Burn every U and 1/U held: forge(−balanceU, −balance1/U). */
  | { do: 'liquidate'; venue: string }
  /** Move a triad's price of U (in "1") to `price`: `zero-cost` along u·v = const (needs inventory) or `mint`. */
  | { do: 'movePrice'; venue: string; price: number; mode?: 'zero-cost' | 'mint' }
  | { do: 'cex'; token: string; qty: number };

export type ScriptedAction = ScriptedCall & {
  /** Block to act before (included in it with zero latency); omit with `genesis: true`. */
  block?: number;
  genesis?: boolean;
  priorityFee?: number;
  private?: boolean;
  tag?: string;
};

export interface ScriptedSpec extends CommonSpec {
  actions: ScriptedAction[];
}

interface Resolved {
  action: ScriptedAction;
  venue: number;
  token: number;
  tag: number;
}

const scratch = new Float64Array(2);

export class ScriptedAgent extends BaseAgent {
  readonly kind = 'scripted';
  private resolved: Resolved[] = [];
  private next = 0;

  constructor(private readonly spec: ScriptedSpec) {
    super(spec, { kind: 'block' });
  }

  setup(ctx: SetupContext): void {
    this.info = (venue) => ctx.venueInfo(venue);
    this.resolved = this.spec.actions.map((action) => ({
      action,
      venue: 'venue' in action ? ctx.venue(action.venue) : -1,
      token: action.do === 'swap' ? ctx.token(action.pay) : action.do === 'swapExactOut' ? ctx.token(action.receive) : action.do === 'cex' ? ctx.token(action.token) : -1,
      tag: ctx.tag(action.tag ?? action.do),
    }));
    // Block actions in block order, stable for equal blocks.
    this.resolved = [...this.resolved.filter((r) => r.action.genesis), ...this.resolved.filter((r) => !r.action.genesis).sort((a, b) => (a.action.block ?? 0) - (b.action.block ?? 0))];
  }

  genesis(view: View, out: Outbox): void {
    while (this.next < this.resolved.length && this.resolved[this.next]!.action.genesis) this.send(view, out, this.resolved[this.next++]!);
  }

  act(view: View, out: Outbox): void {
    while (this.next < this.resolved.length && (this.resolved[this.next]!.action.block ?? 0) <= view.block) {
      this.send(view, out, this.resolved[this.next++]!);
    }
  }

  private send(view: View, out: Outbox, r: Resolved): void {
    const a = r.action;
    out.setTag(r.tag);
    out.setPriorityFee(a.priorityFee ?? this.priorityFee);
    out.setPrivate(a.private === true);
    switch (a.do) {
      case 'swap': {
        const side = r.token === this.token0(r.venue) ? 0 : 1;
        if (a.slippage === undefined) {
          out.swap(r.venue, side, Number(a.amount), Number(a.minOut ?? 0));
          out.exact(text(a.amount), undefined, text(a.minOut));
        } else this.swapWithSlippage(view, out, r.venue, side, a.amount, a.slippage);
        break;
      }
      case 'swapExactOut': {
        // The side paid is the other token.
        const side = r.token === this.token0(r.venue) ? 1 : 0;
        out.swapExactOut(r.venue, side, Number(a.amount), Number(a.maxIn ?? Infinity));
        out.exact(text(a.amount), undefined, text(a.maxIn));
        break;
      }
      case 'addLiquidity':
        out.addLiquidity(r.venue, Number(a.amounts[0]), Number(a.amounts[1]), Number(a.minShares ?? 0));
        out.exact(text(a.amounts[0]), text(a.amounts[1]), text(a.minShares));
        break;
      case 'removeLiquidity': {
        const share = this.info(r.venue).shareToken;
        const shares = a.shares === 'all' ? (view.balanceExact(share) ?? view.balance(share)) : a.shares;
        out.removeLiquidity(r.venue, Number(shares), Number(a.min?.[0] ?? 0), Number(a.min?.[1] ?? 0));
        out.exact(text(shares), undefined, text(a.min?.[0]), text(a.min?.[1]));
        break;
      }
      case 'forge':
        out.forge(r.venue, Number(a.du), Number(a.dv), Number(a.minOne ?? -Infinity));
        out.exact(text(a.du), text(a.dv), text(a.minOne));
        break;
      case 'liquidate': {
        const [u, v] = this.info(r.venue).tokens;
        out.forge(r.venue, -view.balance(u), -view.balance(v), -Infinity);
        out.exact(negate(view.balanceExact(u)), negate(view.balanceExact(v)));
        break;
      }
      case 'movePrice': {
        const u = view.reserve(r.venue, 0);
        const v = view.reserve(r.venue, 1);
        const k = this.info(r.venue).k;
        if (a.mode === 'mint') mintToPrice(u, v, k, a.price, scratch);
        else moveAtZeroCost(u, v, k, a.price, scratch);
        out.forge(r.venue, scratch[0]!, scratch[1]!, -Infinity);
        break;
      }
      case 'cex':
        out.cexOrder(r.token, a.qty);
        break;
    }
  }

  /**
   * A swap bounded by the quote less `slippage` of it, quoted from the reserves this agent sees now
   * (as the noise trader does): in exact mode ⌊quote·(1 − slippage)⌋ in wei, from the exact reserves.
   */
  private swapWithSlippage(view: View, out: Outbox, venue: number, side: number, amount: Amount, slippage: number): void {
    const fee = this.info(venue).fee;
    const xIn = view.reserveWei(venue, side);
    const xOut = view.reserveWei(venue, 1 - side);
    if (xIn === undefined || xOut === undefined) {
      const quote = getAmountOut(Number(amount), view.reserve(venue, side), view.reserve(venue, 1 - side), 1 - fee);
      out.swap(venue, side, Number(amount), quote * (1 - slippage));
      return;
    }
    const a = typeof amount === 'string' ? parseUnits(amount) : toWei(amount);
    const quote = xIn > 0n && xOut > 0n ? getAmountOutExact(a, xIn, xOut, BigInt(Math.round(fee * 1e6))) : 0n;
    const min = (quote * (WEI - toWei(slippage))) / WEI;
    out.swap(venue, side, Number(amount), fromWei(min));
    out.exact(formatUnits(a), undefined, formatUnits(min));
  }

  private info: (venue: number) => VenueInfo = () => {
    throw new Error('scripted agent used before setup');
  };

  private token0(venue: number): number {
    return this.info(venue).tokens[0];
  }

  /** Preflight: its actions after genesis (other than CEX orders) are transactions, sent just before their block. */
  preflight(): AgentPlan {
    const later = this.spec.actions.filter((a) => a.genesis !== true && a.do !== 'cex');
    return { sends: later.length > 0, bids: later.some((a) => (a.priorityFee ?? 0) > 0), publicTxs: later.some((a) => a.private !== true) ? 'on-schedule' : 'never' };
  }
}

/** A decimal string amount, kept for exact-integer mode. */
function text(x: Amount | undefined): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

function negate(x: string | undefined): string | undefined {
  if (x === undefined) return undefined;
  return x.startsWith('-') ? x.slice(1) : x === '0' ? x : `-${x}`;
}
