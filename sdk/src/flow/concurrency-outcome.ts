/**
 * How a call of an enrich stage ended, as its {@link ConcurrencySample} tells a concurrency
 * limiter:
 *
 * - `success`: the call returned (a result, or `undefined` to drop the record);
 * - `error`: it threw an ordinary error (the stage's `@OnError` policy decides what follows);
 * - `timeout`: it threw an error that says it timed out (`name` `'TimeoutError'`, as
 *   `AbortSignal.timeout` throws, or `code` `'ETIMEDOUT'`);
 * - `backoff`: it threw a {@link BackoffError}: the service asked to be called less (an HTTP 429
 *   or 503 with `Retry-After`). The engine waits and calls the record again.
 *
 * @example
 * ```ts
 * if (sample.outcome === 'backoff' || sample.outcome === 'timeout') this.decrease()
 * ```
 * @see docs/flow-control.md
 * @public
 */
export type ConcurrencyOutcome = 'success' | 'error' | 'timeout' | 'backoff';
