/**
 * Decides whether `permits` records may pass now. A limiter only decides; the engine waits and
 * asks again. While it waits, the channel in front of the limited sink fills and backpressure
 * pauses the source: a limiter never makes the engine buffer more than a full channel.
 *
 * `acquire` takes the permits when it returns 0; otherwise it takes nothing and returns how many
 * ms to wait before asking again (a positive number). `permits` is never more than
 * `maxPermits`: the engine splits a larger batch into parts. `now` is the pipeline's clock.
 *
 * @example
 * ```ts
 * class OnePerTick implements RateLimiter {
 *   readonly limit = 1_000
 *   readonly maxPermits = 1
 *   private next = 0
 *   acquire(permits: number, now: number): number {
 *     if (now < this.next) return this.next - now
 *     this.next = now + 1
 *     return 0
 *   }
 * }
 * ```
 * @see docs/flow-control.md
 * @public
 */
export interface RateLimiter {
  /** Takes `permits` and returns 0, or takes nothing and returns the ms to wait before asking again. */
  acquire(permits: number, now: number): number;
  /**
   * The rate the limiter allows now, in permits (records) per second, as `SinkStats.limit` reports
   * it. The sink reads it after each `acquire`: a limiter that adapts it is reported on
   * `pipeline.events` as `limit-changed` with no more code.
   */
  readonly limit: number;
  /** The most permits one `acquire` can ever be granted (a token bucket's burst, a window's count). */
  readonly maxPermits: number;
  /**
   * When the limiter is at rest, if it grants nothing more from `now` on: the earliest time
   * (>= `now`) from which it decides exactly as a newly created limiter would (a token bucket
   * refilled to full, a window with no grant left in it). Optional; `rateLimit.perKey` needs it,
   * to drop the limiter of a key that has gone quiet and give the key a fresh one later without
   * letting it exceed its rate.
   */
  idleAt?(now: number): number;
}
