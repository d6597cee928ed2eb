// The window of the per-second figure: one second of the pipeline clock.
const SECOND_MS = 1000;

/**
 * @internal Spans of time added up two ways: in total, and per whole second of the clock (the
 * last whole second is what Flink's `*TimeMsPerSecond` figures report). Two buckets, the current
 * second and the one before, rolled forward lazily when a span is added or the figure read, so
 * nothing runs on a timer. Backpressure (`FlowMeter`) and busy time (`BusyMeter`) both keep theirs
 * here.
 */
export class TimePerSecond {
  /** Every span added so far, in ms. */
  total = 0;
  // Index of the current second (time / 1000, floored), ms in it and in the one before.
  private second = -Infinity;
  private inSecond = 0;
  private inPreviousSecond = 0;

  /** Adds the span from `from` to `to` (ms of the clock; nothing if empty). Spans must not overlap. */
  add(from: number, to: number): void {
    if (!(to > from)) return;
    this.total += to - from;
    const second = Math.floor(to / SECOND_MS);
    this.rollTo(second);
    const start = second * SECOND_MS;
    this.inSecond += to - Math.max(from, start);
    // Nothing else was added during the span, so its earlier part simply adds up.
    if (from < start) this.inPreviousSecond += start - Math.max(from, start - SECOND_MS);
  }

  /**
   * Ms of the last whole second before `now` (0 to 1000), with a span still going on since
   * `ongoingSince` included.
   */
  lastSecond(now: number, ongoingSince?: number): number {
    const second = Math.floor(now / SECOND_MS);
    let ms = second === this.second ? this.inPreviousSecond : second === this.second + 1 ? this.inSecond : 0;
    if (ongoingSince !== undefined) {
      const start = (second - 1) * SECOND_MS;
      ms += Math.max(0, Math.min(now, start + SECOND_MS) - Math.max(ongoingSince, start));
    }
    return Math.min(SECOND_MS, ms);
  }

  private rollTo(second: number): void {
    if (second === this.second) return;
    this.inPreviousSecond = second === this.second + 1 ? this.inSecond : 0;
    this.inSecond = 0;
    this.second = second;
  }
}
