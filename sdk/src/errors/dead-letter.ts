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
  /** The record's key, for keyed stages (a `key` option); undefined otherwise. */
  readonly key?: unknown;
  /** Event time in ms, when the source assigns one. */
  readonly eventTime: number | undefined;
  /** What went wrong: what the stage threw, or a `SLUICE_ERR_CIRCUIT_OPEN` error when its circuit breaker was open. */
  readonly error: { readonly name: string; readonly message: string; readonly code?: string; readonly stack?: string };
  /** How many times the stage was called with the record (0 when its circuit breaker was open). */
  readonly attempts: number;
  /** When it was rejected: the pipeline clock's time, ms since the epoch. */
  readonly time: number;
}
