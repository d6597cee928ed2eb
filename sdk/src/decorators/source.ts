import { injectable } from 'inversify';
import { SOURCE_KEY } from '../metadata/keys.js';
import { defineMetadata } from '../metadata/component-metadata.js';
import type { SourceOptions } from '../options/source-options.js';

/**
 * Declares a class implementing {@link SourceConnector} (a pull source, with `read`) or
 * {@link PushSourceConnector} (a push source, with `subscribe`) as a named source, injectable.
 * The engine tells the two apart by the method the class implements.
 *
 * @example
 * ```ts
 * @Source({ name: 'ticks', batchSize: 1024, eventTime: (t: Tick) => t.ts })
 * class TickFeed implements SourceConnector<Tick> { read(max: number) { ... } }
 *
 * @Source({ name: 'quotes', overflow: { policy: 'drop-oldest', buffer: 10_000 } })
 * class QuoteFeed implements PushSourceConnector<Quote> { subscribe(emitter: PushEmitter<Quote>) { ... } }
 * ```
 * @see docs/concepts.md
 * @public
 */
export function Source<T = never>(options: SourceOptions<T>): ClassDecorator {
  return (target) => {
    injectable()(target as never);
    defineMetadata(SOURCE_KEY, options, target as never);
  };
}
