/**
 * Named, seeded random streams (DESIGN.md §6).
 *
 * Every consumer of randomness owns one stream derived from (seed, stable name), e.g. `market:ETH` or
 * `agent:noise-3`, so adding an agent or changing one agent's parameters leaves every other draw
 * unchanged (common random numbers across sweep points). The generator is Baagoe's Alea, as seedrandom's
 * `alea` has it (same seeding, same sequence; test/core/rng.test.ts compares them): fast, and identical
 * on every machine because it is pure double arithmetic seeded from a string hash. Its state lives in
 * the stream's own fields rather than behind seedrandom's closure, so a draw is a plain method call.
 */

export class Stream {
  readonly name: string;
  // Initialised as numbers: a field declared bare starts undefined (ES2022 class fields), and V8 then
  // keeps it tagged, boxing every double written to it (an allocation and a write barrier per draw).
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private c = 1;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number | string, name: string) {
    this.name = name;
    // Baagoe's seeding: three mashes of ' ', each less a mash of the key, wrapped into [0, 1).
    const mash = new Mash();
    const key = `${seed}:${name}`;
    this.s0 = mash.hash(' ');
    this.s1 = mash.hash(' ');
    this.s2 = mash.hash(' ');
    this.s0 -= mash.hash(key);
    if (this.s0 < 0) this.s0 += 1;
    this.s1 -= mash.hash(key);
    if (this.s1 < 0) this.s1 += 1;
    this.s2 -= mash.hash(key);
    if (this.s2 < 0) this.s2 += 1;
  }

  /** Alea's step: a multiply-with-carry over three lags, on [0, 1). */
  private u(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10; // 2^-32
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    return (this.s2 = t - this.c);
  }

  /** Uniform on [0, 1). */
  uniform(): number {
    return this.u();
  }

  /** Uniform on (0, 1]: safe inside a logarithm. */
  private open(): number {
    return 1 - this.u();
  }

  /** Standard normal by Box–Muller, caching the second value of each pair. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const r = Math.sqrt(-2 * Math.log(this.open()));
    // 2π as a local: a module constant is a context load at each use in generated code.
    const twoPi = 2 * Math.PI;
    const theta = twoPi * this.u();
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(this.open());
  }

  /** exp(N(mu, sigma²)). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Integer uniform on [0, n). */
  int(n: number): number {
    return Math.floor(this.u() * n);
  }

  /**
   * Poisson count with the given mean: Knuth's product method for small means, Hörmann's
   * transformed rejection (PTRS) above 10, both exact.
   */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean < 10) {
      const limit = Math.exp(-mean);
      let n = 0;
      let p = this.u();
      while (p > limit) {
        n++;
        p *= this.u();
      }
      return n;
    }
    return this.ptrs(mean);
  }

  private ptrs(mu: number): number {
    const slam = Math.sqrt(mu);
    const loglam = Math.log(mu);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = this.u() - 0.5;
      const V = this.u();
      const us = 0.5 - Math.abs(U);
      const k = Math.floor(((2 * a) / us + b) * U + mu + 0.43);
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      const lhs = Math.log(V) + Math.log(invalpha) - Math.log(a / (us * us) + b);
      if (lhs <= -mu + k * loglam - logFactorial(k)) return k;
    }
  }
}

/** Baagoe's Mash, the string hash Alea is seeded with (its running state carries over between calls). */
class Mash {
  private n = 0xefc8249d;

  hash(data: string): number {
    let n = this.n;
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000; // 2^32
    }
    this.n = n;
    return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
  }
}

function logFactorial(k: number): number {
  if (k < 2) return 0;
  if (k < 20) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  // Stirling series, ample for k ≥ 20.
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}

/** The one place streams are made, so every stream name in a run is known and unique. */
export class Streams {
  readonly seed: number | string;
  private readonly made = new Set<string>();

  constructor(seed: number | string) {
    this.seed = seed;
  }

  get(name: string): Stream {
    if (this.made.has(name)) throw new Error(`random stream '${name}' requested twice: each consumer needs its own name`);
    this.made.add(name);
    return new Stream(this.seed, name);
  }
}

/** 32-bit FNV-1a hash of a string (a stable key for a seed or an agent id). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * A uniform 32-bit draw keyed on (seed, block, sender, nonce), by hashing (murmur3's mixing) rather
 * than from a shared stream: each transaction's draw depends on nothing else, so one agent sending
 * more transactions shifts no one else's draws (common random numbers), and no draw depends on the
 * agents' order in the file. `seedKey` and `senderKey` come from `hashString`.
 */
export function tieDraw(seedKey: number, block: number, senderKey: number, nonce: number): number {
  let h = mix(seedKey | 0, block | 0);
  h = mix(h, (block / 4294967296) | 0);
  h = mix(h, senderKey | 0);
  h = mix(h, nonce | 0);
  h ^= 16;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
