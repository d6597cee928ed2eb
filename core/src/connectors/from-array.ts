import { EndOfStreamError, type SourceConnector, type SourceOptions } from '@sluice/sdk';
import { defineSource, type SourceDefinition } from '../discovery/component-definition.js';

/** @internal Slices an array into batches. */
export class ArraySource<T> implements SourceConnector<T> {
  private next = 0;

  constructor(private readonly items: readonly T[]) {}

  open(): void {
    this.next = 0;
  }

  read(max: number): readonly T[] {
    if (this.next >= this.items.length) throw new EndOfStreamError();
    const batch = this.items.slice(this.next, this.next + max);
    this.next += batch.length;
    return batch;
  }

  // Rewindable: the position is the index of the next element.
  position(): number {
    return this.next;
  }

  seek(position: unknown): void {
    if (typeof position !== 'number' || !Number.isInteger(position) || position < 0 || position > this.items.length) {
      throw new RangeError(`position ${String(position)} is not an index of this array of ${this.items.length}`);
    }
    this.next = position;
  }
}

/**
 * A source that emits the elements of an array, in order, then ends. It can rewind (its position
 * is an index), so it works with exactly-once checkpoints.
 *
 * @example
 * ```ts
 * createPipeline({ components: [fromArray([1, 2, 3], { name: 'numbers' }), Double, toArray(out, { name: 'out', from: 'double' })] })
 * ```
 * @see docs/getting-started.md
 * @public
 */
export function fromArray<T>(items: readonly T[], options: SourceOptions<T>): SourceDefinition<T> {
  return defineSource(options, new ArraySource(items));
}
