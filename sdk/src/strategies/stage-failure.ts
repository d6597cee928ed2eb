/**
 * What an {@link ErrorStrategy} is told about a failed call of a stage on a record.
 * @see docs/fault-tolerance.md
 * @public
 */
export interface StageFailure {
  /** The stage's name. */
  readonly stage: string;
  /** What the stage threw (or the rejection reason of an `enrich` promise). */
  readonly error: unknown;
  /** How many times the record has been tried so far, this failed attempt included (1 after the first failure). */
  readonly attempt: number;
  /** Processing time (the pipeline's clock) of the record's first failure, in ms. */
  readonly firstFailureAt: number;
  /** Processing time now, in ms. */
  readonly now: number;
  /** The record as the stage received it. */
  readonly value: unknown;
  /** The record's 0-based position in its source. */
  readonly position: number;
}
