import { ErrorCodes } from './codes.js';
import { SluiceError } from './sluice-error.js';

/**
 * Thrown by a source, a sink or an enrich stage to ask the engine to wait `waitMs` before trying
 * again (e.g. an HTTP 429 with `Retry-After`). The engine waits; it does not count this as a
 * failure nor as a retry. An enrich stage starts no new call meanwhile, calls the same record
 * again after the wait (in its place, when ordered), and tells its concurrency limiter, if it
 * has one, which lowers its limit.
 *
 * @example
 * ```ts
 * if (res.status === 429) throw new BackoffError(Number(res.headers.get('retry-after')) * 1000)
 * ```
 * @public
 */
export class BackoffError extends SluiceError {
  /** How long to wait, in milliseconds. */
  readonly waitMs: number;

  constructor(waitMs: number, message = `back off for ${waitMs} ms`) {
    super(ErrorCodes.BACKOFF, message, { details: { waitMs } });
    this.name = 'BackoffError';
    this.waitMs = waitMs;
  }
}
