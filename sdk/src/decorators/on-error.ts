import { ON_ERROR_KEY } from '../metadata/keys.js';
import { defineMetadata } from '../metadata/component-metadata.js';
import type { OnErrorOptions } from '../options/on-error-options.js';

/**
 * Declares what happens when the stage throws on a record: retries with fixed or exponential
 * back-off (and jitter, a deadline, a filter of retryable errors), a circuit breaker, or a
 * strategy bound in the container by name; then dead-letter, skip or fail. The declaration is
 * checked when the pipeline is built. Retries wait on the pipeline's clock and never reorder a
 * stage's records when the stage is ordered.
 *
 * @example
 * ```ts
 * @Stage({ name: 'enriched', from: 'valid', concurrency: 8 })
 * @OnError({ retry: { attempts: 5, backoff: 'exponential', delay: '50ms', jitter: true }, then: 'dead-letter' })
 * class Enrich implements Enricher<Tick, RichTick> { ... }
 * ```
 * @see docs/fault-tolerance.md
 * @beta
 */
export function OnError(options: OnErrorOptions): ClassDecorator {
  return (target) => {
    defineMetadata(ON_ERROR_KEY, options, target as never);
  };
}
