import { ErrorCodes, SluiceError, type RateLimitOptions, type RateLimiter } from '@sluice/sdk';
import { BUILTIN_RATE_LIMITERS } from './builtin-rate-limiters.js';

/**
 * Creates one of the built-in rate limiters (`token-bucket`, `sliding-window`) outside a
 * pipeline: to test a limiter's decisions on chosen times, or to pace calls in your own code.
 * Inside a pipeline, name the limiter in `@Sink({ rateLimit })` instead; the sink waits for it.
 *
 * @example
 * ```ts
 * const bucket = createRateLimiter({ strategy: 'token-bucket', options: { rate: '10/s', burst: 5 } })
 * bucket.acquire(5, 0)   // 0: granted (the burst)
 * bucket.acquire(1, 0)   // 100: wait 100 ms
 * ```
 * @see docs/flow-control.md
 * @beta
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const provider = BUILTIN_RATE_LIMITERS.find((p) => p.name === options.strategy);
  const refuse = (message: string, cause?: unknown) =>
    new SluiceError(ErrorCodes.INVALID_OPTION, `createRateLimiter: ${message}`, { cause, details: { strategy: options.strategy } });
  if (provider === undefined)
    throw refuse(`strategy '${options.strategy}' is not built in (built in: ${BUILTIN_RATE_LIMITERS.map((p) => p.name).join(', ')})`);
  try {
    return provider.create(options.options ?? {});
  } catch (err) {
    throw refuse(`strategy '${options.strategy}' refused its options: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}
