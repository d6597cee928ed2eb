/**
 * A trade print as it arrives from the feed, before validation. A well-formed tick has every
 * field; a malformed one may lack `price`, carry `NaN`, or have a negative `size`.
 */
export interface RawTick {
  /** The feed's sequence number, from 0. */
  readonly seq: number;
  readonly symbol: string;
  /** Missing on some malformed records. */
  readonly price?: number;
  readonly size: number;
  /** Event time, ms since the epoch. Mostly increasing; a few ticks arrive late. */
  readonly ts: number;
}
