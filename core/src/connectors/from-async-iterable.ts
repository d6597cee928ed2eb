import { EndOfStreamError, type SourceConnector, type SourceOptions } from '@sluice/sdk';
import { defineSource, type SourceDefinition } from '../discovery/component-definition.js';

/**
 * @internal Reads an async iterable. A read returns what is already available (up to `max`):
 * it awaits the first item, then takes more only while they are ready, so a slow producer gives
 * small batches and low latency, and a fast one fills them.
 */
export class AsyncIterableSource<T> implements SourceConnector<T> {
  private iterator: AsyncIterator<T> | undefined;
  private pending: Promise<IteratorResult<T>> | undefined;
  private ended = false;

  constructor(private readonly open_: () => AsyncIterator<T>) {}

  open(): void {
    this.iterator = this.open_();
  }

  async read(max: number): Promise<T[]> {
    if (this.ended) throw new EndOfStreamError();
    const it = this.iterator!;
    const out: T[] = [];
    let settled = true;
    while (out.length < max && settled) {
      const p = this.pending ?? it.next();
      this.pending = undefined;
      const r = out.length === 0 ? await p : await Promise.race([p, Promise.resolve(NOT_YET)]);
      if (r === NOT_YET) {
        this.pending = p; // keep it for the next read: an item is never lost
        settled = false;
        continue;
      }
      const result = r as IteratorResult<T>;
      if (result.done === true) {
        this.ended = true;
        if (out.length === 0) throw new EndOfStreamError();
        break;
      }
      out.push(result.value);
    }
    return out;
  }

  async close(): Promise<void> {
    if (!this.ended) await this.iterator?.return?.();
  }
}

const NOT_YET = Symbol('not-yet');

/**
 * A source that reads an async iterable (an async generator, a Node readable stream in object
 * mode, an event iterator).
 *
 * @example
 * ```ts
 * fromAsyncIterable(readline.createInterface({ input: fs.createReadStream('ticks.txt') }), { name: 'lines' })
 * ```
 * @see docs/concepts.md
 * @public
 */
export function fromAsyncIterable<T>(iterable: AsyncIterable<T>, options: SourceOptions<T>): SourceDefinition<T> {
  return defineSource(options, new AsyncIterableSource(() => iterable[Symbol.asyncIterator]()));
}
