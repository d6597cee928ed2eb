import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import type { Duration } from '../time/duration.js';
import { IsDuration } from './validators.js';

/**
 * Options of {@link OnError}: how a stage treats a record whose processing throws.
 * @public
 */
export interface OnErrorOptions {
  /** Retry the record before giving up. */
  retry?: {
    /** Attempts in all, including the first (at least 1). */
    attempts: number;
    /** `fixed` waits `delay` each time; `exponential` doubles it up to `maxDelay`. */
    backoff?: 'fixed' | 'exponential';
    delay?: Duration;
    maxDelay?: Duration;
    /** Randomise each wait (full jitter) to avoid retry storms. */
    jitter?: boolean;
  };
  /** What happens after the last attempt fails (default `fail`). */
  then?: 'dead-letter' | 'skip' | 'fail';
}

/** @internal */
export class RetrySchema {
  @IsInt() @Min(1) @Max(1000) attempts!: number;
  @IsOptional() @IsIn(['fixed', 'exponential']) backoff?: 'fixed' | 'exponential';
  @IsOptional() @IsDuration() delay?: Duration;
  @IsOptional() @IsDuration() maxDelay?: Duration;
  @IsOptional() @IsBoolean() jitter?: boolean;
}

/**
 * The class-validator schema of {@link OnErrorOptions}: what the engine checks decorator options
 * against when a pipeline is built. Tools (a config loader, a linter) may check with it too.
 *
 * @example
 * ```ts
 * validateOptions(OnErrorOptionsSchema, options, { decorator: '@X', target: 'MyClass' })
 * ```
 * @public
 */
export class OnErrorOptionsSchema {
  @IsOptional() @ValidateNested() @Type(() => RetrySchema) retry?: RetrySchema;
  @IsOptional() @IsIn(['dead-letter', 'skip', 'fail']) then?: 'dead-letter' | 'skip' | 'fail';
}
