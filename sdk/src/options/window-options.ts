import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Min, ValidateBy, ValidateNested } from 'class-validator';
import type { Duration } from '../time/duration.js';
import type { Trigger } from '../windows/trigger.js';
import { IsDuration, IsOptionalDuration } from './validators.js';

/**
 * Options of {@link Window}: exactly one window kind, plus time semantics and lateness.
 * @public
 */
export interface WindowOptions {
  /** Tumbling windows of this size, aligned to multiples of it. */
  tumbling?: Duration;
  /** Sliding (hopping) windows of `size` starting every `slide`. */
  sliding?: { size: Duration; slide: Duration };
  /** Session windows closed after `gap` without records for the key. */
  session?: { gap: Duration };
  /**
   * Count windows of `size` records of a key, ending after every `slide`-th record (default
   * `size`: tumbling). Time plays no part; a result's start/end are the earliest and latest
   * time of its records (+ 1 for end). At end of input a window with records not yet in a result fires.
   */
  count?: { size: number; slide?: number };
  /**
   * One window per key for the whole stream, emitted when `trigger` says so (see `Triggers`).
   * `mode: 'accumulate'` (default) keeps the accumulator after a firing, so each result covers
   * everything so far and is an update of the previous one; `'discard'` starts afresh.
   */
  global?: { trigger: Trigger<never>; mode?: 'accumulate' | 'discard' };
  /** Event time (default) or processing time (tumbling, sliding and session windows). */
  time?: 'event' | 'processing';
  /** How long after its end a window still accepts late records (default 0). */
  lateness?: Duration;
  /** What happens to records later than `lateness` (default `side-output`). */
  late?: 'side-output' | 'update' | 'drop';
}

/** @internal */
export class SlidingSchema {
  @IsDuration() size!: Duration;
  @IsDuration() slide!: Duration;
}

/** @internal */
export class SessionSchema {
  @IsDuration() gap!: Duration;
}

/** @internal */
export class GlobalSchema {
  @ValidateBy({
    name: 'isTrigger',
    validator: {
      validate: (v) => typeof v === 'object' && v !== null && typeof (v as { onRecord?: unknown }).onRecord === 'function',
      defaultMessage: () => '$property must be a Trigger: an object with an onRecord(value, time, ctx) method (see Triggers)',
    },
  })
  trigger!: Trigger<never>;

  @IsOptional() @IsIn(['accumulate', 'discard']) mode?: 'accumulate' | 'discard';
}

/** @internal */
export class CountSchema {
  @IsInt() @Min(1) size!: number;
  @IsOptional() @IsInt() @Min(1) slide?: number;
}

const KINDS = ['tumbling', 'sliding', 'session', 'count', 'global'] as const;

/**
 * The class-validator schema of {@link WindowOptions}: what the engine checks decorator options
 * against when a pipeline is built. Tools (a config loader, a linter) may check with it too.
 *
 * @example
 * ```ts
 * validateOptions(WindowOptionsSchema, options, { decorator: '@X', target: 'MyClass' })
 * ```
 * @public
 */
export class WindowOptionsSchema {
  // No @IsOptional here: it would skip the exactly-one rule when `tumbling` is absent.
  @IsOptionalDuration()
  @ValidateBy({
    name: 'exactlyOneWindowKind',
    validator: {
      validate: (_v, args) => KINDS.filter((k) => (args?.object as Record<string, unknown>)[k] !== undefined).length === 1,
      defaultMessage: () => 'exactly one of tumbling, sliding, session, count, global must be given',
    },
  })
  tumbling?: Duration;

  @IsOptional() @ValidateNested() @Type(() => SlidingSchema) sliding?: SlidingSchema;
  @IsOptional() @ValidateNested() @Type(() => SessionSchema) session?: SessionSchema;
  @IsOptional() @ValidateNested() @Type(() => CountSchema) count?: CountSchema;
  @IsOptional() @ValidateNested() @Type(() => GlobalSchema) global?: GlobalSchema;
  @IsOptional() @IsIn(['event', 'processing']) time?: 'event' | 'processing';
  @IsOptional() @IsDuration() lateness?: Duration;
  @IsOptional() @IsIn(['side-output', 'update', 'drop']) late?: 'side-output' | 'update' | 'drop';
}
