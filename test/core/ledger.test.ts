import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../sim/ledger';

const TOKENS = ['ETH', 'USDC', 'LP'];
const ACCOUNTS = ['alice', 'bob', 'pool', 'cex'];
const AUX = 2;
const T = TOKENS.length;
const A = ACCOUNTS.length;

const fresh = () => new Ledger(TOKENS, ACCOUNTS, AUX);
const snapshot = (l: Ledger) => ({ bal: Array.from(l.bal), supply: Array.from(l.supply) });

type Op =
  | { op: 'transfer'; from: number; to: number; token: number; amount: number }
  | { op: 'mint' | 'burn'; account: number; token: number; amount: number }
  | { op: 'aux'; cell: number; delta: number }
  | { op: 'mark' }
  | { op: 'rollback'; depth: number };

function ops(amount: fc.Arbitrary<number>): fc.Arbitrary<Op[]> {
  const account = fc.integer({ min: 0, max: A - 1 });
  const token = fc.integer({ min: 0, max: T - 1 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('transfer' as const), from: account, to: account, token, amount }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('mint' as const, 'burn' as const), account, token, amount }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('aux' as const), cell: fc.integer({ min: 0, max: AUX - 1 }), delta: amount }) },
    { weight: 2, arbitrary: fc.constant({ op: 'mark' as const }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('rollback' as const), depth: fc.nat(5) }) },
  );
  return fc.array(op, { maxLength: 120 });
}

/** Apply a write to the ledger and to a plain-array model of what it should hold. */
function apply(l: Ledger, model: { bal: number[]; supply: number[] }, o: Op): void {
  if (o.op === 'transfer') {
    l.transfer(o.from, o.to, o.token, o.amount);
    model.bal[o.from * T + o.token]! -= o.amount;
    model.bal[o.to * T + o.token]! += o.amount;
  } else if (o.op === 'mint' || o.op === 'burn') {
    const signed = o.op === 'mint' ? o.amount : -o.amount;
    if (o.op === 'mint') l.mint(o.account, o.token, o.amount);
    else l.burn(o.account, o.token, o.amount);
    model.bal[o.account * T + o.token]! += signed;
    model.supply[o.token]! += signed;
  } else if (o.op === 'aux') {
    l.add(l.auxBase + o.cell, o.delta);
    model.bal[A * T + o.cell]! += o.delta;
  }
}

/** Run ops with a stack of nested marks; every rollback must restore its mark's snapshot exactly. */
function runWithMarks(l: Ledger, list: Op[], everyStep: (model: { bal: number[]; supply: number[] }) => void): void {
  let model = snapshot(l);
  const marks: { mark: number; state: ReturnType<typeof snapshot> }[] = [];
  const restore = (i: number) => {
    const m = marks[i]!;
    l.rollback(m.mark);
    expect(snapshot(l)).toEqual(m.state);
    model = { bal: [...m.state.bal], supply: [...m.state.supply] };
    marks.length = i;
  };
  for (const o of list) {
    if (o.op === 'mark') marks.push({ mark: l.mark(), state: snapshot(l) });
    else if (o.op === 'rollback') {
      if (marks.length > 0) restore(marks.length - 1 - (o.depth % marks.length));
    } else apply(l, model, o);
    everyStep(model);
  }
  while (marks.length > 0) restore(marks.length - 1);
}

describe('Ledger conservation', () => {
  it('keeps conservationGap exactly 0 and matches a plain model under transfer, mint, burn and aux writes (property)', () => {
    // Integer amounts: every sum is exact, so the gap must be exactly zero, not merely small.
    fc.assert(
      fc.property(ops(fc.integer({ min: -1e9, max: 1e9 })), (list) => {
        const l = fresh();
        runWithMarks(l, list, (model) => {
          expect(Array.from(l.bal)).toEqual(model.bal);
          expect(Array.from(l.supply)).toEqual(model.supply);
          expect(l.conservationGap().gap).toBe(0);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reports the token whose balances were changed without a mint or burn', () => {
    const l = fresh();
    l.mint(0, 1, 1000);
    l.transfer(0, 2, 1, 400);
    expect(l.conservationGap()).toMatchObject({ token: -1, gap: 0 });
    l.add(l.index(3, 1), 5); // a raw write that creates tokens
    const g = l.conservationGap();
    expect(g.token).toBe(1);
    expect(g.gap).toBeGreaterThan(0);
    expect(g.sum - g.supply).toBe(5);
  });

  it('reports a NaN gap on any token, even when later tokens are clean or have a finite gap', () => {
    for (let nanToken = 0; nanToken < T; nanToken++) {
      const l = fresh();
      for (let t = 0; t < T; t++) l.mint(0, t, 100);
      l.add(l.index(2, nanToken), NaN);
      const g = l.conservationGap();
      expect(g.token, `NaN on token ${nanToken}`).toBe(nanToken);
      expect(Number.isNaN(g.gap)).toBe(true);
      if (nanToken < T - 1) l.add(l.index(1, T - 1), 5); // a finite gap after it must not hide it
      expect(Number.isNaN(l.conservationGap().gap)).toBe(true);
    }
  });

  it('measures a gap against at least one token unit: rounding dust of a token traded back to nothing passes, a lost millionth of a unit does not', () => {
    const l = fresh();
    // All of token 1 bought and sold back on margin: a residue of 6e-14 on one side, nothing on
    // the other. Against the amounts left (6e-14) that is a gap of 1; against one unit, dust.
    l.add(l.index(1, 1), 5.684341886080802e-14);
    expect(l.tokenGap(1)).toEqual({ gap: 5.684341886080802e-14, sum: 5.684341886080802e-14, supply: 0 });
    l.add(l.index(2, 1), 1e-6);
    expect(l.tokenGap(1).gap).toBeGreaterThan(1e-9);
    // Above one unit the gap stays relative to the amounts in play.
    l.mint(0, 2, 1e6);
    l.add(l.index(3, 2), 0.5);
    expect(l.tokenGap(2).gap).toBe(0.5 / 1000000.5);
  });

  it('leaves conservation alone when only aux cells change', () => {
    const l = fresh();
    l.mint(1, 0, 10);
    for (let c = 0; c < AUX; c++) l.add(l.auxBase + c, 123.5 * (c + 1));
    expect(l.conservationGap().gap).toBe(0);
    expect(l.auxBase).toBe(A * T);
  });
});

describe('Ledger journal', () => {
  it('restores balances and supplies bit for bit on rollback to nested marks, with arbitrary float amounts (property)', () => {
    const amount = fc.double({ min: -1e12, max: 1e12, noNaN: true });
    fc.assert(
      fc.property(ops(amount), (list) => {
        const l = fresh();
        l.mint(0, 0, 1 / 3); // start from a non-trivial state
        l.commit();
        const start = snapshot(l);
        const outer = l.mark();
        runWithMarks(l, list, () => {});
        l.rollback(outer);
        expect(snapshot(l)).toEqual(start);
      }),
      { numRuns: 300 },
    );
  });

  it('journals aux cells so a rollback undoes them too', () => {
    const l = fresh();
    const m = l.mark();
    l.add(l.auxBase + 1, 7.25);
    l.transfer(0, 1, 0, 3);
    l.rollback(m);
    expect(Array.from(l.bal)).toEqual(new Array(A * T + AUX).fill(0));
  });

  it('forgets the journal on commit: an earlier mark undoes nothing, later marks work as usual', () => {
    const l = fresh();
    const before = l.mark();
    l.mint(0, 0, 100);
    l.transfer(0, 1, 0, 30);
    l.add(l.auxBase, 2);
    l.commit();
    const committed = snapshot(l);
    expect(l.mark()).toBe(0);
    l.rollback(before);
    expect(snapshot(l)).toEqual(committed);
    const m = l.mark();
    l.burn(1, 0, 30);
    l.rollback(m);
    expect(snapshot(l)).toEqual(committed);
  });

  it('undoes thousands of writes after the journal outgrows its initial size', () => {
    const l = fresh();
    l.mint(0, 0, 1e6);
    l.commit();
    const start = snapshot(l);
    const m0 = l.mark();
    let mid: { mark: number; state: ReturnType<typeof snapshot> } | null = null;
    for (let i = 0; i < 3000; i++) {
      if (i === 1500) mid = { mark: l.mark(), state: snapshot(l) };
      l.transfer(i % A, (i * 7 + 1) % A, 0, (i % 13) + 0.1);
    }
    l.rollback(mid!.mark);
    expect(snapshot(l)).toEqual(mid!.state);
    l.rollback(m0);
    expect(snapshot(l)).toEqual(start);
  });

  it('does not journal writes made while journaling is off', () => {
    const l = fresh();
    const m = l.mark();
    l.journaling = false;
    l.mint(0, 0, 5);
    l.journaling = true;
    l.transfer(0, 1, 0, 2);
    l.rollback(m);
    expect(l.get(0, 0)).toBe(5);
    expect(l.get(1, 0)).toBe(0);
    expect(l.supply[0]).toBe(5);
  });
});

describe('Ledger.findBadBalance', () => {
  it('returns -1 for a clean ledger and the index of the first negative balance otherwise', () => {
    const l = fresh();
    l.mint(0, 1, 10);
    expect(l.findBadBalance()).toBe(-1);
    l.transfer(2, 0, 2, 1); // pool goes to −1 LP
    l.transfer(1, 0, 0, 1); // bob goes to −1 ETH: earlier in the array
    expect(l.findBadBalance()).toBe(l.index(1, 0));
    l.transfer(0, 1, 0, 1);
    expect(l.findBadBalance()).toBe(l.index(2, 2));
  });

  it('allows negative balances on accounts marked mayGoNegative, but not on the others', () => {
    const l = fresh();
    l.mayGoNegative[l.accountId('cex')] = 1;
    l.transfer(3, 0, 1, 1e6);
    expect(l.findBadBalance()).toBe(-1);
    l.transfer(0, 2, 1, 2e6);
    expect(l.findBadBalance()).toBe(l.index(0, 1));
  });

  it('flags NaN and infinite balances even on accounts that may go negative', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const l = fresh();
      l.mayGoNegative.fill(1);
      l.add(l.index(3, 2), bad);
      expect(l.findBadBalance()).toBe(l.index(3, 2));
    }
  });

  it('ignores aux cells, which may be negative or NaN without being balances', () => {
    const l = fresh();
    l.add(l.auxBase, -5);
    l.add(l.auxBase + 1, NaN);
    expect(l.findBadBalance()).toBe(-1);
  });

  it('interns names to indices and rejects unknown ones', () => {
    const l = fresh();
    expect(l.tokenId('USDC')).toBe(1);
    expect(l.accountId('pool')).toBe(2);
    expect(l.index(2, 1)).toBe(2 * T + 1);
    expect(() => l.tokenId('DAI')).toThrow(/DAI/);
    expect(() => l.accountId('carol')).toThrow(/carol/);
  });
});
