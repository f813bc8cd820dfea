/**
 * The event queue: a binary min-heap over parallel typed arrays keyed by (time, sequence). The
 * sequence number grows monotonically, so events at equal times pop in the order they were pushed
 * (blocks last) and runs are deterministic. No object per event: a payload reference travels in a side array.
 * The kernel holds its one scheduled block outside the queue (Kernel.next) and runs it after every
 * queued event at or before its time, the order this queue gives a Block event.
 */
export const enum EventKind {
  Block = 0,
  /** An agent's scheduled wake-up; target = agent index. */
  Wake = 1,
  /** A transaction reaches the mempool (or the builder); payload = Tx. */
  Arrival = 2,
  /** A public transaction becomes visible to an agent; target = agent index, payload = Tx. */
  Observe = 3,
  /** A CEX order fills; target = agent index, payload = order. */
  CexFill = 4,
  /** A bundle reaches the builder; payload = Bundle. */
  BundleArrival = 5,
  /** A receipt reaches its sender; target = agent index, payload = Tx. */
  Receipt = 6,
}

const BLOCK_LAST = 2 ** 50;

export class EventQueue {
  private time = new Float64Array(64);
  private seq = new Float64Array(64);
  private kind = new Uint8Array(64);
  private target = new Int32Array(64);
  private payload: unknown[] = new Array<unknown>(64).fill(null);
  private size = 0;
  private nextSeq = 0;

  /** Fields of the event last returned by `pop`. */
  popTime = 0;
  popKind = 0;
  popTarget = 0;
  popPayload: unknown = null;

  get length(): number {
    return this.size;
  }

  peekTime(): number {
    return this.size > 0 ? this.time[0]! : Infinity;
  }

  /**
   * The time of the event `pushAt` queues. The hot callers write it here and call pushAt: a double passed
   * as an argument to a function V8 does not inline is boxed (a heap allocation per event).
   */
  pushTime = 0;

  push(time: number, kind: number, target: number, payload: unknown): void {
    this.pushTime = time;
    this.pushAt(kind, target, payload);
  }

  /** Queue an event at `pushTime`. */
  pushAt(kind: number, target: number, payload: unknown): void {
    const time = this.pushTime;
    if (this.size === this.time.length) this.grow();
    let i = this.size++;
    // At equal times a block comes after every other event, whenever it was queued: what arrives at
    // a block's time makes it into that block.
    const s = kind === EventKind.Block ? BLOCK_LAST + this.nextSeq++ : this.nextSeq++;
    // Sift up.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = this.time[parent]!;
      if (pt < time || (pt === time && this.seq[parent]! < s)) break;
      this.move(parent, i);
      i = parent;
    }
    this.time[i] = time;
    this.seq[i] = s;
    this.kind[i] = kind;
    this.target[i] = target;
    this.payload[i] = payload;
  }

  /** Remove the earliest event; its fields are left in popTime/popKind/popTarget/popPayload. */
  pop(): boolean {
    if (this.size === 0) return false;
    this.popTime = this.time[0]!;
    this.popKind = this.kind[0]!;
    this.popTarget = this.target[0]!;
    this.popPayload = this.payload[0];
    const last = --this.size;
    if (last > 0) {
      const t = this.time[last]!;
      const s = this.seq[last]!;
      const k = this.kind[last]!;
      const g = this.target[last]!;
      const p = this.payload[last];
      let i = 0;
      // Sift down.
      for (;;) {
        const l = 2 * i + 1;
        if (l >= last) break;
        const r = l + 1;
        let c = l;
        if (r < last && (this.time[r]! < this.time[l]! || (this.time[r] === this.time[l] && this.seq[r]! < this.seq[l]!))) c = r;
        const ct = this.time[c]!;
        if (t < ct || (t === ct && s < this.seq[c]!)) break;
        this.move(c, i);
        i = c;
      }
      this.time[i] = t;
      this.seq[i] = s;
      this.kind[i] = k;
      this.target[i] = g;
      this.payload[i] = p;
    }
    this.payload[last] = null;
    return true;
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from]!;
    this.seq[to] = this.seq[from]!;
    this.kind[to] = this.kind[from]!;
    this.target[to] = this.target[from]!;
    this.payload[to] = this.payload[from];
  }

  private grow(): void {
    const n = this.time.length * 2;
    const time = new Float64Array(n);
    const seq = new Float64Array(n);
    const kind = new Uint8Array(n);
    const target = new Int32Array(n);
    time.set(this.time);
    seq.set(this.seq);
    kind.set(this.kind);
    target.set(this.target);
    this.time = time;
    this.seq = seq;
    this.kind = kind;
    this.target = target;
    this.payload.length = n;
    this.payload.fill(null, this.size);
  }
}
