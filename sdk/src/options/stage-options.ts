import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { RateLimitSchema, type RateLimitOptions } from '../flow/rate-limit-options.js';
import { ConcurrencyLimitSchema, type ConcurrencyLimitOptions } from '../flow/concurrency-limit-options.js';
import { NAME_PATTERN } from './name-pattern.js';
import { IsFunction, IsNameOrNames } from './validators.js';

export { NAME_PATTERN };

/**
 * Options of {@link Stage}.
 * @public
 */
export interface StageOptions {
  /** The stage's unique name; other stages and sinks read from it with `from:`. */
  name: string;
  /** The input(s): a source, stage or composite name, or several (a union of their outputs). */
  from?: string | readonly string[];
  /** For `enrich` stages: how many calls may run at once (default 1). */
  concurrency?: number;
  /**
   * For `enrich` stages: keep input order (`true`, the default), emit as calls complete
   * (`false`), or keep the order of each key's records only (`'keyed'`, which needs `key`):
   * different keys run at once and may overtake each other, a key's records run one at a time.
   */
  ordered?: boolean | 'keyed';
  /** Partitions the stream by this key (required by `aggregate` and `reduce` stages). */
  key?: (value: never) => unknown;
  /** Number of key partitions that hold the stage's keyed state (default 1). */
  partitions?: number;
  /** For keyed `aggregate`/`reduce` without a window: emit every update or each key's final result. */
  emit?: 'updates' | 'final';
  /** Capacity, in records, of the channel in front of this stage when it starts a segment. */
  channelCapacity?: number;
  /**
   * Limits how fast records enter the stage: the stage runs in a segment of its own and waits
   * for the limiter before each batch (meanwhile backpressure pauses the source). With `perKey`,
   * one limiter per key (by default the stage's `key`). See {@link RateLimitOptions}.
   */
  rateLimit?: RateLimitOptions;
  /**
   * For `enrich` stages: adapt how many calls run at once to how the called service copes, with
   * a concurrency limiter (`aimd`, `gradient`, or one bound by a plugin). `concurrency` stays
   * the most calls ever in flight. See {@link ConcurrencyLimitOptions}.
   */
  concurrencyLimit?: ConcurrencyLimitOptions;
}

/**
 * The class-validator schema of {@link StageOptions}: what the engine checks decorator options
 * against when a pipeline is built. Tools (a config loader, a linter) may check with it too.
 *
 * @example
 * ```ts
 * validateOptions(StageOptionsSchema, options, { decorator: '@X', target: 'MyClass' })
 * ```
 * @public
 */
export class StageOptionsSchema {
  @IsString()
  @Matches(NAME_PATTERN, { message: 'name must start with a letter, digit or _ and contain only letters, digits, _ . - /' })
  name!: string;

  @IsOptional()
  @IsNameOrNames()
  from?: string | string[];

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65_536)
  concurrency?: number;

  @IsOptional()
  @IsIn([true, false, 'keyed'], { message: "ordered must be true, false or 'keyed'" })
  ordered?: boolean | 'keyed';

  @IsOptional()
  @IsFunction()
  key?: (value: never) => unknown;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65_536)
  partitions?: number;

  @IsOptional()
  @IsIn(['updates', 'final'])
  emit?: 'updates' | 'final';

  @IsOptional()
  @IsInt()
  @Min(1)
  channelCapacity?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitSchema)
  rateLimit?: RateLimitSchema;

  @IsOptional()
  @ValidateNested()
  @Type(() => ConcurrencyLimitSchema)
  concurrencyLimit?: ConcurrencyLimitSchema;
}
