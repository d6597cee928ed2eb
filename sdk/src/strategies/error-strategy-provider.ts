import type { ErrorStrategy } from './error-strategy.js';
import type { ErrorStrategyContext } from './error-strategy-context.js';

/**
 * A named error strategy, bound in the container under {@link ERROR_STRATEGY} so that
 * `@OnError({ strategy: name, options })` can pick it. Core binds the built-ins (`retry`,
 * `dead-letter`, `skip`, `fail`); a plugin or module adds its own as a provider. `create` is
 * called once per stage that names it, when the pipeline is built; it should check `options`
 * and throw an `Error` with a clear message when they are wrong (the engine adds the stage and
 * class to it).
 *
 * @example
 * ```ts
 * const RateLimitModule: SluiceModule = {
 *   providers: [{ provide: ERROR_STRATEGY, useValue: { name: 'rate-limited', create: (options) => new RetryRateLimited(options) } }],
 * }
 * @OnError({ strategy: 'rate-limited', options: { attempts: 5 }, then: 'dead-letter' })
 * ```
 * @see docs/fault-tolerance.md
 * @public
 */
export interface ErrorStrategyProvider {
  /** The name `@OnError({ strategy })` refers to; a later binding of the same name wins. */
  readonly name: string;
  create(options: Readonly<Record<string, unknown>>, context: ErrorStrategyContext): ErrorStrategy;
}
