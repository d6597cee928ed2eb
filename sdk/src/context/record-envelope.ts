/**
 * A record together with what the engine knows about it. Stages receive plain values for
 * speed; an envelope is what the engine hands to tools that need the whole picture (dead
 * letters, test harnesses). Inside the engine these fields live in per-batch arrays, never in
 * an object per record.
 * @public
 */
export interface RecordEnvelope<T = unknown> {
  /** The user's record. */
  readonly value: T;
  /** The key, for keyed streams. */
  readonly key?: unknown;
  /** Event time in ms since the epoch, when known. */
  readonly eventTime?: number;
  /** The record's 0-based ordinal in its source. */
  readonly position: number;
  /** The name of the source the record came from. */
  readonly source?: string;
}
