/**
 * The pipeline's source of processing time: the wall clock by default, a virtual clock in
 * tests (`VirtualClock` from `@sluice/core/testing`), so that processing-time windows and timers
 * fire at exactly the instants a test chooses.
 * @public
 */
export interface Clock {
  /** The time in ms since the epoch. */
  now(): number;
  /**
   * Calls `callback` once when `now()` reaches `time` (at once if it has). Returns a function
   * that cancels the call.
   */
  schedule(time: number, callback: () => void): () => void;
}
