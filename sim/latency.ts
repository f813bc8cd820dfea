/** Latency models: a fixed delay, or one drawn per use from the agent's own `latency:<id>` stream. */
import type { Latency } from './agent';
import { ConfigError } from './errors';
import type { Stream } from './rng';

export class LatencyModel {
  private constructor(
    private readonly kind: 0 | 1 | 2,
    private readonly a: number,
    private readonly b: number,
    private readonly rng: Stream | null,
  ) {}

  static of(spec: Latency | undefined, path: string, stream: () => Stream): LatencyModel {
    if (spec === undefined) return new LatencyModel(0, 0, 0, null);
    if (typeof spec === 'number') {
      if (!(spec >= 0 && spec < Infinity)) throw new ConfigError(path, `must be a non-negative number of seconds, got ${spec}`);
      return new LatencyModel(0, spec, 0, null);
    }
    if (spec.kind === 'uniform') {
      if (!(spec.min >= 0 && spec.max >= spec.min && spec.max < Infinity)) throw new ConfigError(path, 'uniform latency needs 0 ≤ min ≤ max');
      return new LatencyModel(1, spec.min, spec.max - spec.min, stream());
    }
    if (!(spec.mean > 0 && spec.mean < Infinity)) throw new ConfigError(`${path}.mean`, 'must be a positive number of seconds');
    if (spec.min !== undefined && !(spec.min >= 0)) throw new ConfigError(`${path}.min`, 'must be a non-negative number of seconds');
    return new LatencyModel(2, spec.min ?? 0, spec.mean, stream());
  }

  /** Smallest delay the model can produce (equal to `max` for a fixed delay). */
  get min(): number {
    return this.a;
  }

  /** Largest delay the model can produce (Infinity for exponential tails). */
  get max(): number {
    return this.kind === 0 ? this.a : this.kind === 1 ? this.a + this.b : Infinity;
  }

  sample(): number {
    if (this.kind === 0) return this.a;
    if (this.kind === 1) return this.a + this.b * this.rng!.uniform();
    return this.a + this.rng!.exponential(this.b);
  }
}
