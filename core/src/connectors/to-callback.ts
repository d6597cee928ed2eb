import type { SinkConnector, SinkOptions } from '@sluice/sdk';
import { defineSink, type SinkDefinition } from '../discovery/component-definition.js';

/**
 * A sink that hands each batch to `write`. If `write` returns a promise, the next batch waits
 * for it, and upstream waits in turn: a slow callback slows the whole pipeline rather than
 * filling memory.
 *
 * @example
 * ```ts
 * toCallback(async (batch: Candle[]) => { await db.insertMany(batch) }, { name: 'db', from: 'candles' })
 * ```
 * @see docs/concepts.md
 * @public
 */
export function toCallback<T>(write: (batch: readonly T[]) => void | Promise<void>, options: SinkOptions): SinkDefinition<T> {
  const sink: SinkConnector<T> = { write };
  return defineSink(options, sink);
}
