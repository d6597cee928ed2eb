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
}

/**
 * A source that emits the elements of an array, in order, then ends.
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
