import type { SinkConnector, SinkOptions } from '@sluice/sdk';
import { defineSink, type SinkDefinition } from '../discovery/component-definition.js';

/**
 * A sink that appends every record it receives to `target`.
 *
 * @example
 * ```ts
 * const out: number[] = []
 * createPipeline({ components: [fromArray([1, 2], { name: 'n' }), toArray(out, { name: 'out', from: 'n' })] })
 * ```
 * @see docs/getting-started.md
 * @public
 */
export function toArray<T>(target: T[], options: SinkOptions): SinkDefinition<T> {
  const sink: SinkConnector<T> = {
    write(batch) {
      for (let i = 0; i < batch.length; i++) target.push(batch[i]!);
    },
  };
  return defineSink(options, sink);
}
