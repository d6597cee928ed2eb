import type { KeyedStore } from '@sluice/sdk';

interface Entry {
  readonly time: number;
  readonly seq: number;
  readonly sk: unknown;
}

/**
 * @internal The timers of one stage in one time domain. The truth is the backend store (state
 * key -> set of times), so a checkpoint sees the timers as state; the binary heap is an index
 * over it. Deleted timers stay in the heap and are skipped when they come up.
 */
export class TimerQueue {
  private readonly heap: Entry[] = [];
  private seq = 0;

  constructor(private readonly store: KeyedStore<Set<number>>) {}

  register(sk: unknown, time: number): void {
    let times = this.store.get(sk);
    if (times === undefined) this.store.set(sk, (times = new Set()));
    if (times.has(time)) return;
    times.add(time);
    this.push({ time, seq: this.seq++, sk });
  }

  delete(sk: unknown, time: number): void {
    const times = this.store.get(sk);
    if (times === undefined || !times.delete(time)) return;
    if (times.size === 0) this.store.delete(sk);
  }

  /** The earliest pending timer's time, or Infinity. */
  next(): number {
    this.skipDeleted();
    return this.heap.length === 0 ? Infinity : this.heap[0]!.time;
  }

  /**
   * Fires every timer with time <= `limit` in time order, then registration order; timers that
   * `fire` registers at or before `limit` fire in the same call.
   */
  fireUpTo(limit: number, fire: (sk: unknown, time: number) => void): void {
    for (;;) {
      this.skipDeleted();
      const top = this.heap[0];
      if (top === undefined || top.time > limit) return;
      this.pop();
      this.delete(top.sk, top.time);
      fire(top.sk, top.time);
    }
  }

  get size(): number {
    let n = 0;
    for (const [, times] of this.store.entries()) n += times.size;
    return n;
  }

  private skipDeleted(): void {
    while (this.heap.length > 0) {
      const top = this.heap[0]!;
      if (this.store.get(top.sk)?.has(top.time) === true) return;
      this.pop();
    }
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
