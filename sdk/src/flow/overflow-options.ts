import { IsInt, IsObject, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { NAME_PATTERN } from '../options/stage-options.js';

/** The buffer of a push source when `overflow.buffer` is not given, in records. @see docs/flow-control.md @public */
export const DEFAULT_OVERFLOW_BUFFER = 10_000;

/** The largest `overflow.buffer` (and `overflow.droppedBuffer`) accepted, in records. @see docs/flow-control.md @public */
export const MAX_OVERFLOW_BUFFER = 16_777_216;

/**
 * How a push source ({@link PushSourceConnector}) overflows: the engine holds what it pushes in a
 * buffer of `buffer` records, and when the buffer is full the policy named `policy` (bound under
 * `OVERFLOW_POLICY`) decides. Built in:
 * - `block`: the producer is told to wait (`emit` returns false until `ready()`); nothing is dropped;
 * - `drop-oldest`: the oldest buffered record makes room for the new one;
 * - `drop-newest`: the new record is dropped;
 * - `sample`: while the buffer is full, the 1st, (every+1)th, (2·every+1)th… record pushed is kept,
 *   taking the place of the oldest buffered record; the others are dropped. The count starts again
 *   each time a record finds room. So an overload leaves a 1-in-`every` sample of the newest records.
 *
 * A push source without `overflow` gets `{ policy: 'block', buffer: 10_000 }`.
 *
 * @example
 * ```ts
 * @Source({ name: 'ticks', overflow: { policy: 'sample', every: 10, buffer: 5_000 } })
 * ```
 * @see docs/flow-control.md
 * @public
 */
export interface OverflowOptions {
  /** The policy's name: `block`, `drop-oldest`, `drop-newest`, `sample`, or one bound by a plugin. */
  policy: string;
  /** The most records held for the source, an integer from 1 (default 10 000). */
  buffer?: number;
  /**
   * When something reads `'<source>:dropped'`: the most dropped records held for it until it reads
   * them (default: `buffer`). Beyond that, dropped records are only counted (`SourceStats.lostDropped`).
   */
  droppedBuffer?: number;
  /** `sample`: keep 1 record in every `every` (an integer ≥ 2) while the buffer is full. */
  every?: number;
  /** Options of a policy bound by a plugin. */
  options?: Readonly<Record<string, unknown>>;
}

/** @internal The class-validator schema of {@link OverflowOptions}. */
export class OverflowSchema {
  @IsString()
  @Matches(NAME_PATTERN, { message: 'policy must be a name: letters, digits, _ . - /' })
  policy!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_OVERFLOW_BUFFER)
  buffer?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_OVERFLOW_BUFFER)
  droppedBuffer?: number;

  @IsOptional()
  @IsInt()
  @Min(2)
  every?: number;

  @IsOptional() @IsObject() options?: Record<string, unknown>;
}
