import type { ConcurrencyLimiter } from './concurrency-limiter.js';
import type { ConcurrencyLimiterContext } from './concurrency-limiter-context.js';

/**
 * A named concurrency limiter, bound in the container under {@link CONCURRENCY_LIMITER} so that
 * `@Stage({ concurrencyLimit: { strategy: name, options } })` can pick it. Core binds the
 * built-ins (`aimd`, `gradient`); a plugin or module adds its own as a provider. `create` is
 * called once per stage that names it, when the pipeline is built; it should check `options` and
 * throw an `Error` with a clear message when they are wrong (the engine adds the stage to it).
 *
 * @example
 * ```ts
 * const HalvingModule: SluiceModule = {
 *   providers: [{ provide: CONCURRENCY_LIMITER, useValue: { name: 'halving', create: () => new Halving() } }],
 * }
 * @Stage({ name: 'prices', from: 'ticks', concurrency: 32, concurrencyLimit: { strategy: 'halving' } })
 * ```
 * @see docs/flow-control.md
 * @public
 */
export interface ConcurrencyLimiterProvider {
  /** The name `concurrencyLimit.strategy` refers to; a later binding of the same name wins. */
  readonly name: string;
  create(options: Readonly<Record<string, unknown>>, context: ConcurrencyLimiterContext): ConcurrencyLimiter;
}
