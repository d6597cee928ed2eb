import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsFunction } from '../options/validators.js';

/**
 * `rateLimit.perKey`: one limiter per key (per symbol, per customer...), each created from the
 * same strategy and options when its key first comes. A key over its limit does not hold back
 * the others: its records wait in a queue of their own while other keys' records pass. Order is
 * kept within a key; across keys it may change.
 *
 * Memory is bounded twice: at most `maxHeld` records wait in the queues (then the stage or sink
 * stops reading its input, and backpressure pauses the source), and at most `maxKeys` limiters
 * exist. A new key takes the place of the least recently used key whose limiter is at rest
 * (`RateLimiter.idleAt`), which a fresh limiter replaces exactly, so no key can exceed its
 * rate by being forgotten; when none is at rest, the new key waits (backpressure).
 *
 * @example
 * ```ts
 * @Sink({ name: 'notify', from: 'alerts', rateLimit: {
 *   strategy: 'token-bucket', options: { rate: '1/s', burst: 3 },
 *   perKey: { key: (a: Alert) => a.customer, maxKeys: 50_000 },
 * } })
 * ```
 * @see docs/flow-control.md
 * @public
 */
export interface PerKeyLimitOptions {
  /**
   * The key of a record. Required for a sink; a stage uses its own `key` option when this is
   * not given.
   */
  key?: (value: never) => unknown;
  /** The most limiters held at once, an integer >= 1 (default 10 000). */
  maxKeys?: number;
  /**
   * The most records waiting in the keys' queues, an integer >= 1 (default: the capacity of the
   * channel in front of the stage or sink).
   */
  maxHeld?: number;
}

/** @internal The class-validator schema of {@link PerKeyLimitOptions}. */
export class PerKeyLimitSchema {
  @IsOptional() @IsFunction() key?: (value: never) => unknown;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  maxKeys?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  maxHeld?: number;
}
