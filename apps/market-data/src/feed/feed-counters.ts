/**
 * What the synthetic feed has produced so far, by category. The feed writes it; the app and
 * tests read it (e.g. to check that every malformed tick reached the dead letters).
 */
export class FeedCounters {
  /** Ticks produced, malformed ones included. */
  generated = 0;
  /** Ticks deliberately corrupted (negative size, missing price, NaN price). */
  malformed = 0;
  /** Ticks stamped with an event time earlier than the feed's clock. */
  outOfOrder = 0;
  /** Bursts started: stretches where ticks come several times faster. */
  bursts = 0;
  /** Price jumps (news-like moves of 1–4%) injected into the random walk. */
  jumps = 0;
  /** How far the pacing schedule was shifted because downstream could not keep up, in ms (no tick is lost). */
  skippedMs = 0;
}
