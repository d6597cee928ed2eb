import { ErrorCodes, SluiceError, type ConcurrencyLimitOptions, type ConcurrencyLimiter } from '@sluice/sdk';
import { BUILTIN_CONCURRENCY_LIMITERS } from './builtin-concurrency-limiters.js';

/**
 * Creates one of the built-in concurrency limiters (`aimd`, `gradient`) outside a pipeline: to
 * check its decisions on chosen samples, or to bound calls in your own code. `concurrency` is
 * what the stage's `concurrency` would be: the highest limit, and the default of `max`. Inside a
 * pipeline, name the limiter in `@Stage({ concurrencyLimit })` instead.
 *
 * @example
 * ```ts
 * const aimd = createConcurrencyLimiter({ strategy: 'aimd', options: { initial: 10, latencyTarget: 100 } }, 32)
 * aimd.onSample({ rttMs: 250, inFlight: 10, outcome: 'success', now: 250 })
 * aimd.limit   // 9: slower than the target
 * ```
 * @see docs/flow-control.md
 * @beta
 */
export function createConcurrencyLimiter(options: ConcurrencyLimitOptions, concurrency: number): ConcurrencyLimiter {
  const provider = BUILTIN_CONCURRENCY_LIMITERS.find((p) => p.name === options.strategy);
  const refuse = (message: string, cause?: unknown) =>
    new SluiceError(ErrorCodes.INVALID_OPTION, `createConcurrencyLimiter: ${message}`, { cause, details: { strategy: options.strategy } });
  if (provider === undefined)
    throw refuse(
      `strategy '${options.strategy}' is not built in (built in: ${BUILTIN_CONCURRENCY_LIMITERS.map((p) => p.name).join(', ')})`,
    );
  if (!Number.isInteger(concurrency) || concurrency < 1) throw refuse(`concurrency must be an integer >= 1, got ${String(concurrency)}`);
  try {
    return provider.create(options.options ?? {}, { stage: '(none)', concurrency });
  } catch (err) {
    throw refuse(`strategy '${options.strategy}' refused its options: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}
