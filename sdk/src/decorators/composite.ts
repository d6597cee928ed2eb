import { COMPOSITE_KEY } from '../metadata/keys.js';
import { defineMetadata } from '../metadata/component-metadata.js';
import type { CompositeOptions } from '../options/composite-options.js';

/**
 * Packages a sub-graph of stages (one input, one output) so a pipeline or a plugin uses it like a
 * single stage. Inner stages read the composite's input through {@link COMPOSITE_INPUT}; in the
 * running graph they are named `<composite>/<stage>`.
 *
 * @example
 * ```ts
 * @Stage({ name: 'valid', from: COMPOSITE_INPUT }) class Valid implements Filter<Tick> { ... }
 * @Stage({ name: 'priced', from: 'valid' }) class Priced implements Mapper<Tick, Priced> { ... }
 *
 * @Composite({ name: 'clean', from: 'ticks', stages: [Valid, Priced], output: 'priced' })
 * class CleanTicks {}
 * ```
 * @see docs/concepts.md
 * @public
 */
export function Composite(options: CompositeOptions): ClassDecorator {
  return (target) => {
    defineMetadata(COMPOSITE_KEY, options, target as never);
  };
}
