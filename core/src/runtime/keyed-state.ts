import { hashKey } from './hash-key.js';

/**
 * @internal Per-key values split into hash partitions: the unit that a later checkpoint
 * snapshots and that scale-out moves between workers.
 */
export class KeyedState<V> {
  private readonly maps: Map<unknown, V>[];

  constructor(readonly partitions: number) {
    this.maps = Array.from({ length: partitions }, () => new Map<unknown, V>());
  }

  partitionOf(key: unknown): Map<unknown, V> {
    return this.partitions === 1 ? this.maps[0]! : this.maps[hashKey(key) % this.partitions]!;
  }

  clear(): void {
    for (const m of this.maps) m.clear();
  }

  get size(): number {
    let n = 0;
    for (const m of this.maps) n += m.size;
    return n;
  }

  *entries(): IterableIterator<[unknown, V]> {
    for (const m of this.maps) yield* m.entries();
  }
}
