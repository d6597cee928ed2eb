import type { RateLimiter } from '@sluice/sdk';
import type { LimitCounters } from './limit-counters.js';
import type { TaskControl } from './task-control.js';
import { waitOnClock } from './wait-on-clock.js';

/**
 * @internal Waits on the pipeline clock until `limiter` grants `permits` (at most its
 * `maxPermits`), adding the time waited to `counters.throttledMs`. The caller reads nothing from
 * its channel meanwhile, so the channel fills and backpressure pauses the writers upstream.
 * Returns false when the pipeline was cancelled meanwhile (cancelling interrupts the wait).
 */
export async function waitForPermits(
  limiter: RateLimiter,
  permits: number,
  control: TaskControl,
  counters: LimitCounters,
): Promise<boolean> {
  const clock = control.clock;
  for (;;) {
    if (control.cancelled) return false;
    const start = clock.now();
    const wait = limiter.acquire(permits, start);
    if (!(wait > 0)) return true;
    await waitOnClock(clock, start + wait, control.signal);
    counters.throttledMs += Math.max(0, clock.now() - start);
  }
}
