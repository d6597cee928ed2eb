import { IsObject, IsOptional, IsString, Matches } from 'class-validator';
import { NAME_PATTERN } from '../options/stage-options.js';

/**
 * How a sink is rate limited: the name of a rate limiter bound in the container (under
 * `RATE_LIMITER`) and its options. Built in: `token-bucket` (`{ rate, burst }`) and
 * `sliding-window` (`{ limit, interval }`).
 *
 * @example
 * ```ts
 * @Sink({ name: 'api', from: 'orders', rateLimit: { strategy: 'token-bucket', options: { rate: '100/s', burst: 20 } } })
 * ```
 * @see docs/flow-control.md
 * @public
 */
export interface RateLimitOptions {
  /** The limiter's name, e.g. `token-bucket` or `sliding-window`. */
  strategy: string;
  /** Options passed to the limiter's provider. */
  options?: Readonly<Record<string, unknown>>;
}

/** @internal The class-validator schema of {@link RateLimitOptions}. */
export class RateLimitSchema {
  @IsString()
  @Matches(NAME_PATTERN, { message: 'strategy must be a name: letters, digits, _ . - /' })
  strategy!: string;

  @IsOptional() @IsObject() options?: Record<string, unknown>;
}
