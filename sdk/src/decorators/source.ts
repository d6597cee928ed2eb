import { injectable } from 'inversify';
import { SOURCE_KEY } from '../metadata/keys.js';
import { defineMetadata } from '../metadata/component-metadata.js';
import type { SourceOptions } from '../options/source-options.js';

/**
 * Declares a class implementing {@link SourceConnector} as a named source, injectable.
 *
 * @example
 * ```ts
 * @Source({ name: 'ticks', batchSize: 1024, eventTime: (t: Tick) => t.ts })
 * class TickFeed implements SourceConnector<Tick> { read(max: number) { ... } }
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
