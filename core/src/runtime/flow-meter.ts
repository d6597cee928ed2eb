import { TimePerSecond } from './time-per-second.js';

/**
 * @internal How long one task waited for room downstream: the total, and the part of the last
 * whole second (Flink's `backPressuredTimeMsPerSecond`). The channels call `begin`/`end` around
 * a write that has to wait, so the clock is read only when a wait happens — never per record,
 * nor per batch that goes through at once. Waits on several channels at once (a fan-out) count
 * once: the meter measures the time during which at least one of them waits.
 */
export class FlowMeter {
  // Writes of this task waiting now, and when the first of them began.
  private waiting = 0;
  private since = 0;
  // Completed waits.
  private readonly time = new TimePerSecond();

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
    this.time.add(Math.min(this.since, to), to);
  }

  /** Total time waited so far, a wait going on now included. */
  waitedMs(now = this.now()): number {
    return this.time.total + (this.waiting > 0 ? Math.max(0, now - this.since) : 0);
  }

  /** Ms waited during the last whole second before `now` (0 to 1000), a wait going on now included. */
  waitedMsPerSecond(now = this.now()): number {
    return this.time.lastSecond(now, this.waiting > 0 ? this.since : undefined);
  }
}
