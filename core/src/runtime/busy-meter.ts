import { TimePerSecond } from './time-per-second.js';

/**
 * @internal How long one task spent working: the total, and the part of the last whole second
 * (Flink's `busyTimeMsPerSecond`). Tasks tell it spans of work they have timed per batch (never
 * per record), or begin/end around a state that lasts (an enrich task's saturation).
 */
export class BusyMeter {
  private busySince = NaN;
  private readonly time = new TimePerSecond();

  /** @param now - reads the pipeline clock at the finest resolution it has (see `preciseNow`) */
  constructor(private readonly now: () => number) {}

  /** The task worked from `from` to `to` (times of `now`). */
  add(from: number, to: number): void {
    this.time.add(from, to);
  }

  /** A lasting busy state begins (no effect if it already has). */
  begin(at: number = this.now()): void {
    if (Number.isNaN(this.busySince)) this.busySince = at;
  }

  /** The lasting busy state ends. */
  end(at: number = this.now()): void {
    if (Number.isNaN(this.busySince)) return;
    const from = this.busySince;
    this.busySince = NaN;
    this.add(Math.min(from, at), at);
  }

  /** Total busy time so far, a busy state going on now included. */
  busyMs(now = this.now()): number {
    return this.time.total + (Number.isNaN(this.busySince) ? 0 : Math.max(0, now - this.busySince));
  }

  /** Ms busy during the last whole second before `now` (0 to 1000), a busy state going on now included. */
  busyMsPerSecond(now = this.now()): number {
    return this.time.lastSecond(now, Number.isNaN(this.busySince) ? undefined : this.busySince);
  }
}
