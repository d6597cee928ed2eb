import type { KeyedStore } from '@sluice/sdk';
import { MinHeap } from '../runtime/min-heap.js';

/**
 * @internal The timers of one stage in one time domain. The truth is the backend store (state
 * key -> set of times), so a checkpoint sees the timers as state; the heap is an index over it.
 * Deleted timers stay in the heap and are skipped when they come up.
 */
export class TimerQueue {
  private readonly heap = new MinHeap<unknown>();

  constructor(private readonly store: KeyedStore<Set<number>>) {}

  register(sk: unknown, time: number): void {
    let times = this.store.get(sk);
    if (times === undefined) this.store.set(sk, (times = new Set()));
    if (times.has(time)) return;
    times.add(time);
    this.heap.push(time, sk);
  }

  delete(sk: unknown, time: number): void {
    const times = this.store.get(sk);
    if (times === undefined || !times.delete(time)) return;
    if (times.size === 0) this.store.delete(sk);
  }

  /**
   * The pending timers in firing order: timers due at the same time fire in the order they were
   * registered, and a checkpoint keeps that order (the store alone does not have it).
   */
  order(): [number, unknown][] {
    return this.heap
      .ordered()
      .flatMap(({ at, value }) => (this.store.get(value)?.has(at) === true ? [[at, value] as [number, unknown]] : []));
  }

  /** After a restore of the store: the index is rebuilt in the firing order `order()` kept. */
  rebuild(order: readonly [number, unknown][] = []): void {
    this.heap.clear();
    const seen = new Set<string>();
    for (const [at, sk] of order) {
      if (this.store.get(sk)?.has(at) !== true) continue;
      seen.add(`${at}\u0000${String(sk)}`);
      this.heap.push(at, sk);
    }
    // Timers the order does not list (none, when it comes from the same checkpoint) go after.
    for (const [sk, times] of this.store.entries()) {
      for (const t of [...times].sort((a, b) => a - b)) if (!seen.has(`${t}\u0000${String(sk)}`)) this.heap.push(t, sk);
    }
  }

  /** The earliest pending timer's time, or Infinity. */
  next(): number {
    this.skipDeleted();
    return this.heap.peekAt();
  }

  /**
   * Fires every timer with time <= `limit` in time order, then registration order; timers that
   * `fire` registers at or before `limit` fire in the same call.
   */
  fireUpTo(limit: number, fire: (sk: unknown, time: number) => void): void {
    for (;;) {
      this.skipDeleted();
      if (this.heap.size === 0 || this.heap.peekAt() > limit) return;
      const time = this.heap.peekAt();
      const sk = this.heap.pop();
      this.delete(sk, time);
      fire(sk, time);
    }
  }

  /** The latest pending timer's time, or -Infinity. */
  last(): number {
    let max = -Infinity;
    for (const [, times] of this.store.entries()) for (const t of times) if (t > max) max = t;
    return max;
  }

  private skipDeleted(): void {
    while (this.heap.size > 0 && this.store.get(this.heap.peek())?.has(this.heap.peekAt()) !== true) this.heap.pop();
  }
}
