import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../sim/event-queue';

interface Ev {
  time: number;
  kind: number;
  target: number;
  payload: object;
}

/**
 * Reference model: pending events in push order; pop takes the first after a stable sort by time,
 * blocks (kind 0) after every other event at the same time.
 */
class Reference {
  private pending: Ev[] = [];
  push(e: Ev): void {
    this.pending.push(e);
  }
  private sorted(): Ev[] {
    // Stable: ties keep push order, except that a block goes after the other events at its time.
    return this.pending.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : Number(a.kind === 0) - Number(b.kind === 0)));
  }
  pop(): Ev | undefined {
    return this.sorted().shift();
  }
  get length(): number {
    return this.pending.length;
  }
  peekTime(): number {
    return this.sorted()[0]?.time ?? Infinity; // the event that pops next (keeps the sign of a −0)
  }
}

function expectPopped(q: EventQueue, e: Ev): void {
  expect(q.popTime).toBe(e.time);
  expect(q.popKind).toBe(e.kind);
  expect(q.popTarget).toBe(e.target);
  expect(q.popPayload).toBe(e.payload); // the same object, not a copy
}

type Cmd = { op: 'push'; time: number; kind: number; target: number } | { op: 'pop' };

// Few distinct times (many ties), occasionally an arbitrary one; pushes outnumber pops so the heap grows past 64.
const time = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 5 }) }, { weight: 1, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('push' as const), time, kind: fc.integer({ min: 0, max: 5 }), target: fc.integer({ min: -1, max: 1000 }) }) },
  { weight: 2, arbitrary: fc.constant({ op: 'pop' as const }) },
);

describe('EventQueue', () => {
  it('pops in (time, blocks last, push order) like a stable sort, over random interleavings of push and pop (property)', () => {
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 400 }), (cmds) => {
        const q = new EventQueue();
        const ref = new Reference();
        let id = 0;
        const check = () => {
          const want = ref.pop();
          expect(q.pop()).toBe(want !== undefined);
          if (want) expectPopped(q, want);
        };
        for (const c of cmds) {
          if (c.op === 'push') {
            const e: Ev = { time: c.time, kind: c.kind, target: c.target, payload: { id: id++ } };
            q.push(e.time, e.kind, e.target, e.payload);
            ref.push(e);
          } else check();
          expect(q.length).toBe(ref.length);
          expect(q.peekTime()).toBe(ref.peekTime());
        }
        while (ref.length > 0) check();
        expect(q.pop()).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps every payload, kind and target when it grows far beyond its initial capacity', () => {
    const q = new EventQueue();
    const n = 2_000;
    const events: Ev[] = [];
    for (let i = 0; i < n; i++) {
      // Descending times force every push to sift to the root; the modulus makes long runs of ties.
      const e: Ev = { time: Math.floor((n - i) / 7), kind: i % 6, target: i, payload: { i } };
      events.push(e);
      q.push(e.time, e.kind, e.target, e.payload);
    }
    expect(q.length).toBe(n);
    const order = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.time - b.e.time || Number(a.e.kind === 0) - Number(b.e.kind === 0) || a.i - b.i);
    for (const { e } of order) {
      expect(q.pop()).toBe(true);
      expectPopped(q, e);
    }
    expect(q.length).toBe(0);
  });

  it('pops equal times in push order even after interleaved pops reorder the heap', () => {
    const q = new EventQueue();
    const seen: number[] = [];
    for (let i = 0; i < 100; i++) q.push(1, 0, i, null);
    for (let i = 0; i < 50; i++) {
      q.pop();
      seen.push(q.popTarget);
      q.push(1, 0, 100 + i, null);
    }
    while (q.pop()) seen.push(q.popTarget);
    expect(seen).toEqual(Array.from({ length: 150 }, (_, i) => i));
  });

  it('reports an empty queue: pop returns false and peekTime is Infinity', () => {
    const q = new EventQueue();
    expect(q.pop()).toBe(false);
    expect(q.peekTime()).toBe(Infinity);
    q.push(3, 1, 2, 'x');
    expect(q.peekTime()).toBe(3);
    expect(q.pop()).toBe(true);
    expect(q.pop()).toBe(false);
    expect(q.length).toBe(0);
  });
});
