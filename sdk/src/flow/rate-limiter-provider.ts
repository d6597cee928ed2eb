import type { RateLimiter } from './rate-limiter.js';

/**
 * A named rate limiter, bound in the container under {@link RATE_LIMITER} so that
 * `@Sink({ rateLimit: { strategy: name, options } })` (or `@Stage`) can pick it. Core binds the
 * built-ins (`token-bucket`, `sliding-window`); a plugin or module adds its own as a provider.
 * `create` is called once per sink or stage that names it, when the pipeline is built, and with
 * `rateLimit.perKey` once more per key as keys come; it should check `options` and throw an
 * `Error` with a clear message when they are wrong (the engine adds the sink or stage to it).
 *
 * @example
 * ```ts
 * const OnePerTickModule: SluiceModule = {
 *   providers: [{ provide: RATE_LIMITER, useValue: { name: 'one-per-tick', create: () => new OnePerTick() } }],
 * }
 * @Sink({ name: 'out', from: 'ticks', rateLimit: { strategy: 'one-per-tick' } })
 * ```
 * @see docs/flow-control.md
 * @public
 */
export interface RateLimiterProvider {
  /** The name `rateLimit.strategy` refers to; a later binding of the same name wins. */
  readonly name: string;
  create(options: Readonly<Record<string, unknown>>): RateLimiter;
}
