import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, ValidateBy, ValidateNested } from 'class-validator';
import { OverflowSchema, type OverflowOptions } from '../flow/overflow-options.js';
import { isDuration, type Duration } from '../time/duration.js';
import { NAME_PATTERN } from './stage-options.js';
import { IsDuration, IsFunction } from './validators.js';

/**
 * Options of {@link Source}.
 * @public
 */
export interface SourceOptions<T = never> {
  /** The source's unique name; stages read from it with `from:`. */
  name: string;
  /** The most records asked for in one `read` (default: the pipeline's `batchSize`). */
  batchSize?: number;
  /** Extracts each record's event time in ms since the epoch. */
  eventTime?: (value: T) => number;
  /**
   * How the source's watermark follows event time (needs `eventTime`). A watermark W promises
   * that no further record has an event time below W; event-time windows close on it.
   * - `{ maxDelay }` (bounded out-of-orderness, the default with `maxDelay: 0`): W = the largest
   *   event time seen − `maxDelay`;
   * - `'monotonous'`: event times never decrease, W = the latest event time.
   */
  watermark?: { maxDelay: Duration } | 'monotonous';
  /**
   * A source that has read nothing for this long is marked idle: its watermark stops holding
   * back stages that also read other sources, until it reads again.
   */
  idleTimeout?: Duration;
  /**
   * Replay: where a run that does not restore a checkpoint starts reading.
   * - `{ position }`: a position the source's `position()` returned (the source must have `seek`);
   * - `{ eventTime }`: skip records whose event time (ms since the epoch) is before this one
   *   (needs `eventTime`); they are counted in the source's `skipped`.
   * A restored checkpoint takes precedence: it already says where the source was.
   */
  startAt?: { position: unknown } | { eventTime: number };
  /**
   * Push sources only ({@link PushSourceConnector}): the bounded buffer that holds what the
   * source pushes, and the policy that decides when it is full. See {@link OverflowOptions}.
   */
  overflow?: OverflowOptions;
}

/**
 * The class-validator schema of {@link SourceOptions}: what the engine checks decorator options
 * against when a pipeline is built. Tools (a config loader, a linter) may check with it too.
 *
 * @example
 * ```ts
 * validateOptions(SourceOptionsSchema, options, { decorator: '@X', target: 'MyClass' })
 * ```
 * @public
 */
export class SourceOptionsSchema {
  @IsString()
  @Matches(NAME_PATTERN, { message: 'name must start with a letter, digit or _ and contain only letters, digits, _ . - /' })
  name!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_048_576)
  batchSize?: number;

  @IsOptional()
  @IsFunction()
  eventTime?: (value: never) => number;

  @IsOptional()
  @ValidateBy({
    name: 'isWatermarkStrategy',
    validator: {
      // One rule for both forms: a nested-object rule would also reject the string form.
      validate: (v) => v === 'monotonous' || (typeof v === 'object' && v !== null && isDuration((v as { maxDelay?: unknown }).maxDelay)),
      defaultMessage: () => "$property must be 'monotonous' or { maxDelay: <duration> }",
    },
  })
  watermark?: BoundedWatermarkSchema | 'monotonous';

  @IsOptional()
  @IsDuration()
  idleTimeout?: Duration;

  @IsOptional()
  @ValidateBy({
    name: 'isStartAt',
    validator: {
      validate: (v) =>
        typeof v === 'object' &&
        v !== null &&
        Object.keys(v).length === 1 &&
        ('position' in v || ('eventTime' in v && Number.isFinite((v as { eventTime: unknown }).eventTime))),
      defaultMessage: () => '$property must be { position: <a position of the source> } or { eventTime: <ms since the epoch> }',
    },
  })
  startAt?: { position: unknown } | { eventTime: number };

  @IsOptional()
  @ValidateNested()
  @Type(() => OverflowSchema)
  overflow?: OverflowSchema;
}

/** The schema of a bounded out-of-orderness watermark. @public */
export class BoundedWatermarkSchema {
  @IsDuration()
  maxDelay!: Duration;
}
