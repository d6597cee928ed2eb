/**
 * A record that a stage could not process, with everything needed to understand and replay it.
 * @public
 */
export interface DeadLetter<T = unknown> {
  /** The stage that rejected the record. */
  readonly stage: string;
  /** The record as the stage received it. */
  readonly value: T;
  /** The record's 0-based ordinal in its source (-1 for records emitted at end of input). */
  readonly position: number;
  /** Event time in ms, when the source assigns one. */
  readonly eventTime: number | undefined;
  /** What went wrong. */
  readonly error: { readonly name: string; readonly message: string; readonly code?: string; readonly stack?: string };
  /** How many times the record was tried. */
  readonly attempts: number;
  /** When it was rejected, ms since the epoch. */
  readonly time: number;
}
