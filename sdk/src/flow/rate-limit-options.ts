import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { NAME_PATTERN } from '../options/name-pattern.js';
import { PerKeyLimitSchema, type PerKeyLimitOptions } from './per-key-limit-options.js';

/**
 * How a sink or a stage is rate limited: the name of a rate limiter bound in the container (under
 * `RATE_LIMITER`) and its options. Built in: `token-bucket` (`{ rate, burst }`) and
 * `sliding-window` (`{ limit, interval }`). With `perKey`, each key gets a limiter of its own
 * (see {@link PerKeyLimitOptions}).
 *
 * @example
 * ```ts
 * @Sink({ name: 'api', from: 'orders', rateLimit: { strategy: 'token-bucket', options: { rate: '100/s', burst: 20 } } })
 * @Stage({ name: 'quotes', from: 'ticks', key: (t: Tick) => t.symbol,
 *   rateLimit: { strategy: 'token-bucket', options: { rate: '10/s' }, perKey: { maxKeys: 5_000 } } })
 * ```
 * @see docs/flow-control.md
 * @public
 */
export interface RateLimitOptions {
  /** The limiter's name, e.g. `token-bucket` or `sliding-window`. */
  strategy: string;
  /** Options passed to the limiter's provider. */
  options?: Readonly<Record<string, unknown>>;
  /** One limiter per key instead of one for all records, with bounded memory. */
  perKey?: PerKeyLimitOptions;
}

/** @internal The class-validator schema of {@link RateLimitOptions}. */
export class RateLimitSchema {
  @IsString()
  @Matches(NAME_PATTERN, { message: 'strategy must be a name: letters, digits, _ . - /' })
  strategy!: string;

  @IsOptional() @IsObject() options?: Record<string, unknown>;

  @IsOptional()
  @ValidateNested()
  @Type(() => PerKeyLimitSchema)
  perKey?: PerKeyLimitSchema;
}
