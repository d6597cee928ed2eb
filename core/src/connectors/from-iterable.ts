import { EndOfStreamError, type SourceConnector, type SourceOptions } from '@sluice/sdk';
import { defineSource, type SourceDefinition } from '../discovery/component-definition.js';

/** @internal Reads any synchronous iterable in batches, lazily: nothing is materialised up front. */
export class IterableSource<T> implements SourceConnector<T> {
  private iterator: Iterator<T> | undefined;

  constructor(private readonly open_: () => Iterator<T>) {}

  open(): void {
    this.iterator = this.open_();
  }

  read(max: number): T[] {
    const it = this.iterator!;
    const out: T[] = [];
    while (out.length < max) {
      const r = it.next();
      if (r.done === true) {
        this.iterator = EMPTY as Iterator<T>;
        if (out.length === 0) throw new EndOfStreamError();
        break;
      }
      out.push(r.value);
    }
    return out;
  }

  close(): void {
    this.iterator?.return?.();
  }
}

const EMPTY: Iterator<never> = { next: () => ({ done: true, value: undefined }) };

/**
 * A source that reads a synchronous iterable (a `Set`, a `Map`'s values, a custom iterator)
 * lazily, batch by batch.
 *
 * @example
 * ```ts
 * fromIterable(new Set([1, 2, 3]), { name: 'numbers' })
 * ```
 * @see docs/concepts.md
 * @public
 */
export function fromIterable<T>(iterable: Iterable<T>, options: SourceOptions<T>): SourceDefinition<T> {
  return defineSource(options, new IterableSource(() => iterable[Symbol.iterator]()));
}

/**
 * A source that calls a generator function (sync) and reads what it yields, lazily: a generator
 * that never returns is an unbounded source, stopped by `pipeline.stop()`.
 *
 * @example
 * ```ts
 * fromGenerator(function* () { for (let i = 0; ; i++) yield { seq: i } }, { name: 'seq' })
 * ```
 * @see docs/concepts.md
 * @public
 */
export function fromGenerator<T>(generator: () => Iterator<T>, options: SourceOptions<T>): SourceDefinition<T> {
  return defineSource(options, new IterableSource(generator));
}
