import { WINDOW_KEY } from '../metadata/keys.js';
import { defineMetadata } from '../metadata/component-metadata.js';
import type { WindowOptions } from '../options/window-options.js';

/**
 * Declares the window of a keyed aggregate stage. The SDK stores the declaration (checked when
 * the pipeline is built); the engine's window operator executes it.
 *
 * @example
 * ```ts
 * @Stage({ name: 'candles', from: 'enriched', key: (t: RichTick) => t.symbol })
 * @Window({ tumbling: '1s', time: 'event', lateness: '500ms' })
 * class Candles implements Aggregator<RichTick, Acc, Candle> { ... }
 * ```
 * @see docs/concepts.md
 * @beta
 */
export function Window(options: WindowOptions): ClassDecorator {
  return (target) => {
    defineMetadata(WINDOW_KEY, options, target as never);
  };
}
