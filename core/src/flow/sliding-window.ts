import type { RateLimiter } from '@sluice/sdk';

/**
 * @internal The `sliding-window` rate limiter, exact: it remembers each grant of the last
 * `interval` ms and grants only while the permits granted in `(now - interval, now]` plus the
 * new ones stay within `limit`, so no window of `interval` ms ever holds more than `limit`.
 * It keeps at most `limit` grants (each takes at least one permit).
 */
export class SlidingWindow implements RateLimiter {
  private readonly times: number[] = [];
  private readonly counts: number[] = [];
  private head = 0;
  private inWindow = 0;

  constructor(
    private readonly count: number,
    private readonly interval: number,
  ) {}

  get limit(): number {
    return (this.count * 1000) / this.interval;
  }

  get maxPermits(): number {
    return this.count;
  }

  acquire(permits: number, now: number): number {
    // Grants at or before now - interval have left the window.
    while (this.head < this.times.length && this.times[this.head]! <= now - this.interval) {
      this.inWindow -= this.counts[this.head]!;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.counts.splice(0, this.head);
      this.head = 0;
    }
    if (this.inWindow + permits <= this.count) {
      this.times.push(now);
      this.counts.push(permits);
      this.inWindow += permits;
      return 0;
    }
    // Wait until enough of the oldest grants have left the window.
    let left = this.inWindow;
    for (let i = this.head; i < this.times.length; i++) {
      left -= this.counts[i]!;
      if (left + permits <= this.count) return Math.max(1, this.times[i]! + this.interval - now);
    }
    return this.interval; // unreachable while permits <= count
  }

  // Empty again (as a new window starts): when the newest grant has left the window.
  idleAt(now: number): number {
    if (this.head >= this.times.length) return now;
    return Math.max(now, this.times[this.times.length - 1]! + this.interval);
  }
}
