/**
 * @internal A fixed-capacity FIFO of records on a circular array: a push source's buffer and its
 * dropped-records queue. Pushing, shifting and taking a batch never allocate beyond the batch,
 * and the memory it holds is bounded by its capacity.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  /** Appends; the caller checks `full` first. */
  push(item: T): void {
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count++;
  }

  /** Removes and returns the oldest item (undefined when empty). */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined; // let it be collected
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return item;
  }

  /** Removes and returns up to `max` of the oldest items, in order. */
  take(max: number): T[] {
    const n = Math.min(max, this.count);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = this.shift()!;
    return out;
  }
}
