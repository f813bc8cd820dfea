/** Golden-section search, shared by the searchers' and arbitrageurs' sizing. */

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** Golden-section maximum of a unimodal `f` on [lo, hi], after `iterations` steps (each shrinks it by 0.618). */
export function maximise(f: (t: number) => number, lo: number, hi: number, iterations = 32): number {
  let a = lo;
  let b = hi;
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < iterations; i++) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLDEN * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLDEN * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}
