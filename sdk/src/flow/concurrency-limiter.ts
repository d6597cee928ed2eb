import type { ConcurrencySample } from './concurrency-sample.js';

/**
 * Decides how many calls an enrich stage may have in flight at once, from what the finished
 * calls tell it. A limiter only decides; the engine starts a call only while fewer than `limit`
 * are in flight (and never more than the stage's `concurrency`), and gives the limiter one
 * {@link ConcurrencySample} per finished call.
 *
 * `limit` is read after every sample; the engine rounds it down and keeps it within
 * `[1, concurrency]`. A limiter keeps its state in memory: it is not checkpointed.
 *
 * @example
 * ```ts
 * // Halves the limit on a back-off, adds one after every 10 quick successes.
 * class Halving implements ConcurrencyLimiter {
 *   limit = 4
 *   private quick = 0
 *   onSample(s: ConcurrencySample): void {
 *     if (s.outcome === 'backoff') this.limit = Math.max(1, Math.floor(this.limit / 2))
 *     else if (s.outcome === 'success' && s.rttMs < 50 && ++this.quick % 10 === 0) this.limit++
 *   }
 * }
 * ```
 * @see docs/flow-control.md
 * @public
 */
export interface ConcurrencyLimiter {
  /** How many calls may be in flight now. */
  readonly limit: number;
  /** Learns from one finished call; may change `limit`. */
  onSample(sample: ConcurrencySample): void;
}
