import { EndOfStreamError, type SourceConnector, type SourceContext, type SourceOptions } from '@sluice/sdk';
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
  private stopped: Promise<typeof STOPPED> = new Promise(() => undefined);

  constructor(private readonly open_: () => AsyncIterator<T>) {}

  open(ctx: SourceContext): void {
    this.iterator = this.open_();
    // A stop must not wait for an iterator that may never yield again.
    this.stopped = new Promise((resolve) => {
      if (ctx.signal.aborted) resolve(STOPPED);
      else ctx.signal.addEventListener('abort', () => resolve(STOPPED), { once: true });
    });
  }

  async read(max: number): Promise<T[]> {
    if (this.ended) throw new EndOfStreamError();
    const it = this.iterator!;
    const out: T[] = [];
    let settled = true;
    while (out.length < max && settled) {
      const p = this.pending ?? it.next();
      this.pending = undefined;
      const r = out.length === 0 ? await Promise.race([p, this.stopped]) : await Promise.race([p, Promise.resolve(NOT_YET)]);
      if (r === STOPPED) {
        this.pending = p;
        break;
      }
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
    if (this.ended || this.iterator?.return === undefined) return;
    const returned = this.iterator.return();
    // An async generator queues return() behind a pending next(): do not wait on a feed that
    // has gone silent, or close would hang with it.
    if (this.pending === undefined) await returned;
    else returned.catch(() => undefined);
  }
}

const NOT_YET = Symbol('not-yet');
const STOPPED = Symbol('stopped');

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
