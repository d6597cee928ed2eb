import { ON_ERROR_KEY } from '../metadata/keys.js';
import { defineMetadata } from '../metadata/component-metadata.js';
import type { OnErrorOptions } from '../options/on-error-options.js';

/**
 * Declares what happens when the stage throws on a record: retries, then dead-letter, skip or
 * fail. The declaration is checked when the pipeline is built.
 *
 * @example
 * ```ts
 * @Stage({ name: 'enriched', from: 'valid', concurrency: 8 })
 * @OnError({ then: 'dead-letter' })   // retry: {...} is validated, and executed from issue #4 on
 * class Enrich implements Enricher<Tick, RichTick> { ... }
 * ```
 * @see docs/concepts.md
 * @beta
 */
export function OnError(options: OnErrorOptions): ClassDecorator {
  return (target) => {
    defineMetadata(ON_ERROR_KEY, options, target as never);
  };
}
