import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Min, ValidateBy, ValidateNested } from 'class-validator';
import type { Duration } from '../time/duration.js';
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
  /** Count windows of `size` records, optionally sliding every `slide` records. */
  count?: { size: number; slide?: number };
  /** Event time (default) or processing time. */
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
export class CountSchema {
  @IsInt() @Min(1) size!: number;
  @IsOptional() @IsInt() @Min(1) slide?: number;
}

const KINDS = ['tumbling', 'sliding', 'session', 'count'] as const;

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
      defaultMessage: () => 'exactly one of tumbling, sliding, session, count must be given',
    },
  })
  tumbling?: Duration;

  @IsOptional() @ValidateNested() @Type(() => SlidingSchema) sliding?: SlidingSchema;
  @IsOptional() @ValidateNested() @Type(() => SessionSchema) session?: SessionSchema;
  @IsOptional() @ValidateNested() @Type(() => CountSchema) count?: CountSchema;
  @IsOptional() @IsIn(['event', 'processing']) time?: 'event' | 'processing';
  @IsOptional() @IsDuration() lateness?: Duration;
  @IsOptional() @IsIn(['side-output', 'update', 'drop']) late?: 'side-output' | 'update' | 'drop';
}
