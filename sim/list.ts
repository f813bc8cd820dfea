/**
 * A growable list with an explicit size, for the per-block loop: clearing is `size = 0` (V8's
 * `array.length = 0` is a slow runtime call), and slots are reused instead of reallocated.
 */
export class List<T> {
  items: T[] = [];
  size = 0;

  push(x: T): void {
    if (this.size < this.items.length) this.items[this.size] = x;
    else this.items.push(x);
    this.size++;
  }

  get(i: number): T {
    return this.items[i]!;
  }

  clear(): void {
    this.size = 0;
  }

  /** A copy of the live part, for callers outside the hot path. */
  toArray(): T[] {
    return this.items.slice(0, this.size);
  }
}
