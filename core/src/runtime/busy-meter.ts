// The window of the per-second figure: one second of the pipeline clock.
const SECOND_MS = 1000;

/**
 * @internal How long one task spent working: the total, and the part of the last whole second
 * (Flink's `busyTimeMsPerSecond`). Tasks tell it spans of work they have timed per batch (never
 * per record), or begin/end around a state that lasts (an enrich task's saturation). Kept like
 * `FlowMeter`: two buckets (the current second and the one before), rolled forward lazily.
 */
export class BusyMeter {
  private busySince = NaN;
  private total = 0;
  private second = -Infinity;
  private inSecond = 0;
  private inPreviousSecond = 0;

  /** @param now - reads the pipeline clock at the finest resolution it has (see `preciseNow`) */
  constructor(private readonly now: () => number) {}

  /** The task worked from `from` to `to` (times of `now`). */
  add(from: number, to: number): void {
    if (!(to > from)) return;
    this.total += to - from;
    const second = Math.floor(to / SECOND_MS);
    this.rollTo(second);
    const start = second * SECOND_MS;
    this.inSecond += to - Math.max(from, start);
    if (from < start) this.inPreviousSecond += start - Math.max(from, start - SECOND_MS);
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
    return this.total + (Number.isNaN(this.busySince) ? 0 : Math.max(0, now - this.busySince));
  }

  /** Ms busy during the last whole second before `now` (0 to 1000), a busy state going on now included. */
  busyMsPerSecond(now = this.now()): number {
    const second = Math.floor(now / SECOND_MS);
    let ms = second === this.second ? this.inPreviousSecond : second === this.second + 1 ? this.inSecond : 0;
    if (!Number.isNaN(this.busySince)) {
      const start = (second - 1) * SECOND_MS;
      ms += Math.max(0, Math.min(now, start + SECOND_MS) - Math.max(this.busySince, start));
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
