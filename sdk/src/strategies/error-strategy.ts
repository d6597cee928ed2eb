import type { ErrorDecision } from './error-decision.js';
import type { StageFailure } from './stage-failure.js';

/**
 * Decides what happens to a record on which a stage threw. A strategy only decides; the engine
 * waits, retries, dead-letters, skips or fails. `decide` is called once per failed attempt, on
 * the failure path only, and must not throw (a throw fails the pipeline).
 *
 * @example
 * ```ts
 * class RetryRateLimited implements ErrorStrategy {
 *   decide(f: StageFailure): ErrorDecision {
 *     const wait = (f.error as { retryAfterMs?: number }).retryAfterMs
 *     return wait !== undefined && f.attempt < 5 ? { retryInMs: wait } : 'dead-letter'
 *   }
 * }
 * ```
 * @see docs/fault-tolerance.md
 * @public
 */
export interface ErrorStrategy {
  decide(failure: StageFailure): ErrorDecision;
}
