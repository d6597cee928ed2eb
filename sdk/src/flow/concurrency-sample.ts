import type { ConcurrencyOutcome } from './concurrency-outcome.js';

/**
 * What a concurrency limiter learns from one finished call of an enrich stage: each call (a
 * retry and a call again after a back-off are calls too) gives exactly one sample.
 *
 * @example
 * ```ts
 * limiter.onSample({ rttMs: 120, inFlight: 8, outcome: 'success', now: clock.now() })
 * ```
 * @see docs/flow-control.md
 * @public
 */
export interface ConcurrencySample {
  /** The call's round-trip time in ms, on the pipeline clock: from the call to its result or error. */
  readonly rttMs: number;
  /** Calls of the stage in flight when this one started, itself included. */
  readonly inFlight: number;
  /** How the call ended. */
  readonly outcome: ConcurrencyOutcome;
  /** The pipeline clock when the call ended, in ms. */
  readonly now: number;
}
