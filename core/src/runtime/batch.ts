/**
 * @internal Records crossing a channel: the values plus per-record metadata in parallel arrays
 * (never an envelope object per record). `times[i]` is NaN when the source assigns no event time.
 */
export interface Batch {
  readonly values: unknown[];
  readonly times: number[];
  readonly positions: number[];
}
