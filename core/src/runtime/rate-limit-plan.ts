import type { RateLimiter } from '@sluice/sdk';

/** @internal How a stage's or a sink's records are limited: one limiter, or one per key. */
export interface RateLimitPlan {
  /** The limiter of an unkeyed limit; for a keyed one, a first instance whose `limit` the stats report. */
  readonly limiter: RateLimiter;
  /** Present for `rateLimit.perKey`. */
  readonly perKey?: {
    readonly keyOf: (value: unknown) => unknown;
    /** Makes the limiter of a new key. */
    readonly create: () => RateLimiter;
    readonly maxKeys: number;
    readonly maxHeld: number;
  };
}
