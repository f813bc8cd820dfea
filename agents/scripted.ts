/**
 * `scripted`: executes a list of actions at given blocks (or at genesis), to reproduce worked
 * examples and on-chain tests exactly. Each action is sent just before its block is built, with the
 * agent's latency and fees, so with zero latency it lands in that block.
 */
import type { Outbox, SetupContext, TxDraft, VenueInfo, View } from '../sim/agent';
import { moveAtZeroCost, mintToPrice } from '../sim/venues/triad-math';
import { BaseAgent, type CommonSpec } from './common';

export type ScriptedCall =
  /** Pay `amount` of `pay` into the pool. */
  | { do: 'swap'; venue: string; pay: string; amount: number; minOut?: number }
  /** Receive exactly `amount` of `receive`. */
  | { do: 'swapExactOut'; venue: string; receive: string; amount: number; maxIn?: number }
  | { do: 'addLiquidity'; venue: string; amounts: [number, number]; minShares?: number }
  /** Burn LP shares (`all`: every share held). */
  | { do: 'removeLiquidity'; venue: string; shares: number | 'all'; min?: [number, number] }
  /** forge(du, dv) on a triad or compound pool. */
  | { do: 'forge'; venue: string; du: number; dv: number; minOne?: number }
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
    let tx: TxDraft | null = null;
    switch (a.do) {
      case 'swap': {
        const side = r.token === this.token0(view, r.venue) ? 0 : 1;
        tx = out.swap(r.venue, side, a.amount, a.minOut ?? 0);
        break;
      }
      case 'swapExactOut': {
        // The side paid is the other token.
        const side = r.token === this.token0(view, r.venue) ? 1 : 0;
        tx = out.swapExactOut(r.venue, side, a.amount, a.maxIn ?? Infinity);
        break;
      }
      case 'addLiquidity':
        tx = out.addLiquidity(r.venue, a.amounts[0], a.amounts[1], a.minShares ?? 0);
        break;
      case 'removeLiquidity': {
        const shares = a.shares === 'all' ? view.balance(this.shareToken(r.venue)) : a.shares;
        tx = out.removeLiquidity(r.venue, shares, a.min?.[0] ?? 0, a.min?.[1] ?? 0);
        break;
      }
      case 'forge':
        tx = out.forge(r.venue, a.du, a.dv, a.minOne ?? -Infinity);
        break;
      case 'liquidate': {
        const [u, v] = this.triadTokens(r.venue);
        tx = out.forge(r.venue, -view.balance(u), -view.balance(v), -Infinity);
        break;
      }
      case 'movePrice': {
        const u = view.reserve(r.venue, 0);
        const v = view.reserve(r.venue, 1);
        const k = this.info(r.venue).k;
        if (a.mode === 'mint') mintToPrice(u, v, k, a.price, scratch);
        else moveAtZeroCost(u, v, k, a.price, scratch);
        tx = out.forge(r.venue, scratch[0]!, scratch[1]!, -Infinity);
        break;
      }
      case 'cex':
        out.cexOrder(r.token, a.qty);
        break;
    }
    void tx;
  }

  private info: (venue: number) => VenueInfo = () => {
    throw new Error('scripted agent used before setup');
  };

  private token0(_view: View, venue: number): number {
    return this.info(venue).tokens[0];
  }
  private shareToken(venue: number): number {
    return this.info(venue).shareToken;
  }
  private triadTokens(venue: number): readonly [number, number] {
    return this.info(venue).tokens;
  }
}
