// The window of the per-second figure: one second of the pipeline clock.
const SECOND_MS = 1000;

/**
 * @internal How long one task waited for room downstream: the total, and the part of the last
 * whole second (Flink's `backPressuredTimeMsPerSecond`). The channels call `begin`/`end` around
 * a write that has to wait, so the clock is read only when a wait happens — never per record,
 * nor per batch that goes through at once. Waits on several channels at once (a fan-out) count
 * once: the meter measures the time during which at least one of them waits.
 *
 * Seconds are kept in two buckets, the current one and the one before, rolled forward lazily (at
 * the end of a wait, and when read), so nothing runs on a timer.
 */
export class FlowMeter {
  // Writes of this task waiting now, and when the first of them began.
  private waiting = 0;
  private since = 0;
  // Completed waits, ms.
  private total = 0;
  // Index of the current second (time / 1000, floored), ms waited in it and in the one before.
  private second = -Infinity;
  private inSecond = 0;
  private inPreviousSecond = 0;

  /** @param now - reads the pipeline clock at the finest resolution it has (see `preciseNow`) */
  constructor(private readonly now: () => number) {}

  /** A write of this task has to wait for room. */
  begin(): void {
    if (this.waiting++ === 0) this.since = this.now();
  }

  /** A write that waited has gone through (or the pipeline was cancelled). */
  end(): void {
    if (this.waiting === 0 || --this.waiting !== 0) return;
    const to = this.now();
    const from = Math.min(this.since, to);
    this.total += to - from;
    const second = Math.floor(to / SECOND_MS);
    this.rollTo(second);
    const start = second * SECOND_MS;
    this.inSecond += to - Math.max(from, start);
    // Nothing else of this task was counted during the wait, so its earlier part simply adds up.
    if (from < start) this.inPreviousSecond += start - Math.max(from, start - SECOND_MS);
  }

  /** Total time waited so far, a wait going on now included. */
  waitedMs(now = this.now()): number {
    return this.total + (this.waiting > 0 ? Math.max(0, now - this.since) : 0);
  }

  /** Ms waited during the last whole second before `now` (0 to 1000), a wait going on now included. */
  waitedMsPerSecond(now = this.now()): number {
    const second = Math.floor(now / SECOND_MS);
    let ms = second === this.second ? this.inPreviousSecond : second === this.second + 1 ? this.inSecond : 0;
    if (this.waiting > 0) {
      const start = (second - 1) * SECOND_MS;
      ms += Math.max(0, Math.min(now, start + SECOND_MS) - Math.max(this.since, start));
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
