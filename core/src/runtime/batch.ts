/**
 * @internal Records crossing a channel: the values plus per-record metadata in parallel arrays
 * (never an envelope object per record). `times[i]` is NaN when the source assigns no event time.
 * A batch may carry no records and only a watermark advance.
 */
export interface Batch {
  readonly values: unknown[];
  readonly times: number[];
  readonly positions: number[];
  /** The writer's watermark after these records; the channel turns it into the reader's. */
  watermark: number;
  /** The writer (its index among the channel's writers). */
  readonly writer: number;
  /** The writer's source has gone idle: its watermark must not hold the reader back. */
  readonly idle: boolean;
  /**
   * When the source read the oldest record behind this batch (`preciseNow` time), for end-to-end
   * latency; Infinity when unknown (basic metrics, a barrier, a watermark advance only).
   */
  readonly stamp?: number;
  /** A checkpoint barrier (its id): a batch with no records that every task passes on after taking its snapshot. */
  readonly barrier?: number;
}
