/**
 * An outbox that passes everything through and remembers the id of the last transaction created
 * through it: how an agent learns which transaction carries what one of its parts (a hedge) sent,
 * so that it can mark it in flight and move its state on that transaction's receipt.
 */
import type { Outbox, TxDraft } from '../sim/agent';

export class RecordingOutbox implements Outbox {
  private out: Outbox | null = null;
  /** Id of the last transaction created since `wrap` or `mark`, or 0 for none. */
  last = 0;

  /** Point at the agent's outbox for this call. */
  wrap(out: Outbox): this {
    this.out = out;
    this.last = 0;
    return this;
  }

  /** Forget the last id (before a part acts). */
  mark(): void {
    this.last = 0;
  }

  private get o(): Outbox {
    if (this.out === null) throw new Error('RecordingOutbox used before wrap()');
    return this.out;
  }

  private keep(tx: TxDraft): TxDraft {
    this.last = tx.id;
    return tx;
  }

  setPriorityFee(gwei: number): void {
    this.o.setPriorityFee(gwei);
  }
  setPrivate(isPrivate: boolean): void {
    this.o.setPrivate(isPrivate);
  }
  setTag(tag: number): void {
    this.o.setTag(tag);
  }
  setDeadline(blocks: number): void {
    this.o.setDeadline(blocks);
  }
  setTarget(agent: number): void {
    this.o.setTarget(agent);
  }
  swap(venue: number, side: number, amountIn: number, minOut: number): TxDraft {
    return this.keep(this.o.swap(venue, side, amountIn, minOut));
  }
  swapExactOut(venue: number, side: number, amountOut: number, maxIn: number): TxDraft {
    return this.keep(this.o.swapExactOut(venue, side, amountOut, maxIn));
  }
  addLiquidity(venue: number, amount0: number, amount1: number, minShares: number): TxDraft {
    return this.keep(this.o.addLiquidity(venue, amount0, amount1, minShares));
  }
  removeLiquidity(venue: number, shares: number, min0: number, min1: number): TxDraft {
    return this.keep(this.o.removeLiquidity(venue, shares, min0, min1));
  }
  forge(venue: number, du: number, dv: number, minOne: number): TxDraft {
    return this.keep(this.o.forge(venue, du, dv, minOne));
  }
  exact(a?: string, b?: string, boundA?: string, boundB?: string): void {
    this.o.exact(a, b, boundA, boundB);
  }
  batch(on: boolean): void {
    this.o.batch(on);
  }
  andSwap(venue: number, side: number, amountIn: number, minOut: number): void {
    this.o.andSwap(venue, side, amountIn, minOut);
  }
  andForge(venue: number, du: number, dv: number, minOne: number): void {
    this.o.andForge(venue, du, dv, minOne);
  }
  replace(txId: number, priorityFee: number, maxFee: number): TxDraft | null {
    const tx = this.o.replace(txId, priorityFee, maxFee);
    return tx === null ? null : this.keep(tx);
  }
  cancel(txId: number, priorityFee: number, maxFee: number): TxDraft | null {
    const tx = this.o.cancel(txId, priorityFee, maxFee);
    return tx === null ? null : this.keep(tx);
  }
  bundle(parts: readonly (TxDraft | number)[]): void {
    this.o.bundle(parts);
  }
  cexOrder(token: number, qty: number): void {
    this.o.cexOrder(token, qty);
  }
  otc(token: number, amount: number): void {
    this.o.otc(token, amount);
  }
}
