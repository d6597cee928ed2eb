import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import type { Duration } from '../time/duration.js';
import { NAME_PATTERN } from './stage-options.js';
import { IsDuration, IsErrorMatcher } from './validators.js';

/**
 * Which errors a retry applies to: error names or codes (`err.name`, or `err.code` as Node and
 * Sluice errors carry it), or a predicate.
 * @public
 */
export type RetryOn = readonly string[] | ((error: unknown) => boolean);

/**
 * Options of {@link OnError}: how a stage treats a record whose processing throws.
 *
 * @example
 * ```ts
 * @OnError({
 *   retry: { attempts: 5, backoff: 'exponential', delay: '100ms', maxDelay: '2s', jitter: true, deadline: '10s', retryOn: ['ETIMEDOUT'] },
 *   breaker: { failures: 10, window: '30s', cooldown: '5s', whileOpen: 'pause' },
 *   then: 'dead-letter',
 * })
 * ```
 * @see docs/fault-tolerance.md
 * @public
 */
export interface OnErrorOptions {
  /** Retry the record before giving up (the built-in strategy `retry`). */
  retry?: {
    /** Attempts in all, including the first (at least 1). */
    attempts: number;
    /** `fixed` waits `delay` each time; `exponential` doubles it after each attempt, up to `maxDelay` (default `fixed`). */
    backoff?: 'fixed' | 'exponential';
    /** The first wait (default 100 ms). */
    delay?: Duration;
    /** The longest wait (default 30 s). */
    maxDelay?: Duration;
    /** Randomise each wait between 0 and the computed delay (full jitter), to avoid retry storms. */
    jitter?: boolean;
    /** No attempt starts later than this after the record's first failure. */
    deadline?: Duration;
    /** Retry only these errors (names or codes, or a predicate); others go straight to `then`. Default: every error. */
    retryOn?: RetryOn;
  };
  /**
   * A circuit breaker: after `failures` failed calls within `window`, the stage is not called
   * for `cooldown`; then one record probes it (half-open): success closes the breaker, failure
   * opens it again. While open, records go to the dead letters (`whileOpen: 'dead-letter'`) or
   * wait, and backpressure pauses the source (`whileOpen: 'pause'`).
   */
  breaker?: {
    failures: number;
    window: Duration;
    cooldown: Duration;
    whileOpen: 'dead-letter' | 'pause';
  };
  /**
   * The name of an error strategy bound in the container (under `ERROR_STRATEGY`), instead of
   * `retry`; built in: `retry`, `dead-letter`, `skip`, `fail`. Plugins add more.
   */
  strategy?: string;
  /** Options passed to the named `strategy`. */
  options?: Readonly<Record<string, unknown>>;
  /** What happens when the strategy gives up, e.g. after the last attempt (default `fail`). */
  then?: 'dead-letter' | 'skip' | 'fail';
}

/** @internal */
export class RetrySchema {
  @IsInt() @Min(1) @Max(1000) attempts!: number;
  @IsOptional() @IsIn(['fixed', 'exponential']) backoff?: 'fixed' | 'exponential';
  @IsOptional() @IsDuration() delay?: Duration;
  @IsOptional() @IsDuration() maxDelay?: Duration;
  @IsOptional() @IsBoolean() jitter?: boolean;
  @IsOptional() @IsDuration() deadline?: Duration;
  @IsOptional() @IsErrorMatcher() retryOn?: RetryOn;
}

/** @internal */
export class BreakerSchema {
  @IsInt() @Min(1) @Max(1_000_000) failures!: number;
  @IsDuration() window!: Duration;
  @IsDuration() cooldown!: Duration;
  @IsIn(['dead-letter', 'pause']) whileOpen!: 'dead-letter' | 'pause';
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
  @IsOptional() @ValidateNested() @Type(() => BreakerSchema) breaker?: BreakerSchema;
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN, { message: 'strategy must be a name: letters, digits, _ . - /' })
  strategy?: string;
  @IsOptional() @IsObject() options?: Record<string, unknown>;
  @IsOptional() @IsIn(['dead-letter', 'skip', 'fail']) then?: 'dead-letter' | 'skip' | 'fail';
}
