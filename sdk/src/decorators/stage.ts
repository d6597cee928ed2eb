import { injectable } from 'inversify';
import { STAGE_KEY } from '../metadata/keys.js';
import { defineMetadata } from '../metadata/component-metadata.js';
import type { StageOptions } from '../options/stage-options.js';

/**
 * Declares a class as a pipeline stage and makes it injectable (constructor parameters are
 * resolved by the container). The kind of stage is told by the method it implements
 * (`filter`, `map`, `flatMap`, `enrich`, `process`, `create/add/result`, `reduce`). Options are
 * checked when the pipeline is built; a bad one stops the build naming this class.
 *
 * @example
 * ```ts
 * @Stage({ name: 'valid', from: 'ticks' })
 * class ValidTicks implements Filter<Tick> { filter(t: Tick) { return t.size > 0 } }
 * ```
 * @see docs/concepts.md
 * @public
 */
export function Stage(options: StageOptions): ClassDecorator {
  return (target) => {
    injectable()(target as never);
    defineMetadata(STAGE_KEY, options, target as never);
  };
}
