/**
 * `tracker`: keeps a triad's price of U (in "1") on a target made from reference prices,
 * target = scale · Π P_asset^exponent / P("1") — e.g. √(pA·pB) for the seed's U = √(A·B). Each time it
 * acts and the price is off by more than its tolerance it forges toward the target: along u·v = const
 * at zero "1" (burning the side it holds), or, when it lacks that inventory or is told to, by minting
 * only — which costs "1". Either way it is the price mover whose mark-to-market the hedgers gain.
 * One move at a time: it waits for the receipt of the last before looking again.
 */
import type { Outbox, SetupContext, TxView, View } from '../sim/agent';
import { TxStatus } from '../sim/tx';
import { mintToPrice, moveAtZeroCost } from '../sim/venues/triad-math';
import { BaseAgent, type CommonSpec } from './common';

export interface TrackerSpec extends CommonSpec {
  venue: string;
  /** Target USD value of one U as scale · Π P_asset^exponent. */
  target: { assets: Record<string, number>; scale?: number };
  /** `zero-cost` (default) or `mint`. */
  mode?: 'zero-cost' | 'mint';
  /** Relative deviation tolerated before forging. Default 0. */
  tolerance?: number;
  /** Forge at genesis to create inventory: [U, 1/U] (pays "1"). */
  initial?: [number, number];
  /** Act every this many blocks. Default 1. */
  every?: number;
}

const scratch = new Float64Array(2);

export class Tracker extends BaseAgent {
  readonly kind = 'tracker';
  private venue = 0;
  private unit = 0;
  private reciprocal = 0;
  private one = 0;
  private k = 2;
  private tag = 0;
  private assets: number[] = [];
  private exponents: number[] = [];
  /** Moves included (not reverted), and sent. */
  private moves = 0;
  private movesAttempted = 0;
  /** Its move on its way (tx id, 0: none). */
  private inFlight = 0;
  private readonly every: number;

  constructor(private readonly spec: TrackerSpec) {
    super(spec, { kind: 'block' });
    this.every = spec.every ?? 1;
  }

  setup(ctx: SetupContext): void {
    this.venue = ctx.venue(this.spec.venue);
    const info = ctx.venueInfo(this.venue);
    if (info.kind !== 'triad') throw new Error(`tracker '${this.id}' needs a triad venue`);
    [this.unit, this.reciprocal] = info.tokens;
    this.one = info.shareToken;
    this.k = info.k;
    this.tag = ctx.tag('track');
    for (const [name, e] of Object.entries(this.spec.target.assets)) {
      this.assets.push(ctx.asset(name));
      this.exponents.push(e);
    }
  }

  genesis(_view: View, out: Outbox): void {
    const init = this.spec.initial;
    if (init) out.forge(this.venue, init[0], init[1], -Infinity);
  }

  /** The target price of U in "1" as this agent sees the market. */
  targetPrice(view: View): number {
    let usd = this.spec.target.scale ?? 1;
    for (let i = 0; i < this.assets.length; i++) usd *= Math.pow(view.refPrice(this.assets[i]!), this.exponents[i]!);
    return usd / view.priceUsd(this.one);
  }

  act(view: View, out: Outbox): void {
    if (view.block % this.every !== 0) return;
    // A move still on its way would be sent twice (and overshoot): wait for its receipt.
    if (this.inFlight !== 0) return;
    const u = view.reserve(this.venue, 0);
    const v = view.reserve(this.venue, 1);
    if (!(u > 0 && v > 0)) return;
    const target = this.targetPrice(view);
    const current = view.venuePrice(this.venue);
    if (Math.abs(current / target - 1) <= (this.spec.tolerance ?? 0)) return;
    let mint = this.spec.mode === 'mint';
    if (!mint) {
      moveAtZeroCost(u, v, this.k, target, scratch);
      // Burning needs inventory: fall back to minting when it lacks the side to burn.
      if ((scratch[0]! < 0 && view.balance(this.unit) < -scratch[0]!) || (scratch[1]! < 0 && view.balance(this.reciprocal) < -scratch[1]!)) mint = true;
    }
    if (mint) mintToPrice(u, v, this.k, target, scratch);
    // Along u·v = const the "1" due is zero but rounds either way: minting a hair less makes it
    // never negative, so the move needs no "1" it may not hold (the price lands within 1e-12).
    else if (scratch[1]! > 0) scratch[1] = scratch[1]! * (1 - 1e-12);
    else if (scratch[0]! > 0) scratch[0] = scratch[0]! * (1 - 1e-12);
    out.setTag(this.tag);
    this.inFlight = out.forge(this.venue, scratch[0]!, scratch[1]!, -Infinity).id;
    this.movesAttempted++;
  }

  onReceipt(_view: View, _out: Outbox, tx: TxView): void {
    if (tx.id !== this.inFlight) return;
    this.inFlight = 0;
    if (tx.status === TxStatus.Included) this.moves++;
  }

  metrics(): Record<string, number> {
    return { moves: this.moves, movesAttempted: this.movesAttempted };
  }
}
