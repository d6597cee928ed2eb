import { injectable } from 'inversify';
import { SINK_KEY } from '../metadata/keys.js';
import { defineMetadata } from '../metadata/component-metadata.js';
import type { SinkOptions } from '../options/sink-options.js';

/**
 * Declares a class implementing {@link SinkConnector} as a named sink, injectable.
 *
 * @example
 * ```ts
 * @Sink({ name: 'db', from: 'candles' })
 * class DbSink implements SinkConnector<Candle> { async write(batch: readonly Candle[]) { ... } }
 * ```
 * @see docs/concepts.md
 * @public
 */
export function Sink(options: SinkOptions): ClassDecorator {
  return (target) => {
    injectable()(target as never);
    defineMetadata(SINK_KEY, options, target as never);
  };
}
