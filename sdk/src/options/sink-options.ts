import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { RateLimitSchema, type RateLimitOptions } from '../flow/rate-limit-options.js';
import { NAME_PATTERN } from './stage-options.js';
import { IsNameOrNames } from './validators.js';

/**
 * Options of {@link Sink}.
 * @public
 */
export interface SinkOptions {
  /** The sink's unique name. */
  name: string;
  /** What it writes: a source, stage or composite name, or several. */
  from?: string | readonly string[];
  /** Capacity, in records, of the channel in front of the sink (default: the pipeline's). */
  channelCapacity?: number;
  /**
   * Limits how fast the sink writes, in records: before each write the sink waits for the
   * limiter, and meanwhile backpressure pauses the source. With `perKey` (and its `key`), one
   * limiter per key. See {@link RateLimitOptions}.
   */
  rateLimit?: RateLimitOptions;
}

/**
 * The class-validator schema of {@link SinkOptions}: what the engine checks decorator options
 * against when a pipeline is built. Tools (a config loader, a linter) may check with it too.
 *
 * @example
 * ```ts
 * validateOptions(SinkOptionsSchema, options, { decorator: '@X', target: 'MyClass' })
 * ```
 * @public
 */
export class SinkOptionsSchema {
  @IsString()
  @Matches(NAME_PATTERN, { message: 'name must start with a letter, digit or _ and contain only letters, digits, _ . - /' })
  name!: string;

  @IsOptional()
  @IsNameOrNames()
  from?: string | string[];

  @IsOptional()
  @IsInt()
  @Min(1)
  channelCapacity?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitSchema)
  rateLimit?: RateLimitSchema;
}
