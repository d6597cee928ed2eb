import type { RateLimiter } from '@sluice/sdk';
import type { LimitCounters } from './limit-counters.js';
import type { TaskControl } from './task-control.js';
import { waitOnClock } from './wait-on-clock.js';

/**
 * @internal Waits on the pipeline clock until `limiter` grants `permits` (at most its
 * `maxPermits`), adding the time waited to `counters.throttledMs`. The caller reads nothing from
 * its channel meanwhile, so the channel fills and backpressure pauses the writers upstream.
 * Returns true at once when the limiter grants at once (the common case: no promise to await, so
 * a limiter that holds nothing back costs a call, not a turn of the event loop), else a promise
 * of the wait; false when the pipeline was cancelled (cancelling interrupts the wait).
 */
export function waitForPermits(
  limiter: RateLimiter,
  permits: number,
  control: TaskControl,
  counters: LimitCounters,
): boolean | Promise<boolean> {
  if (control.cancelled) return false;
  const start = control.clock.now();
  const wait = acquire(limiter, permits, start, counters);
  return wait > 0 ? waitThenAcquire(limiter, permits, control, counters, start, wait) : true;
}

async function waitThenAcquire(
  limiter: RateLimiter,
  permits: number,
  control: TaskControl,
  counters: LimitCounters,
  start: number,
  wait: number,
): Promise<boolean> {
  const clock = control.clock;
  for (;;) {
    await waitOnClock(clock, start + wait, control.signal);
    counters.throttledMs += Math.max(0, clock.now() - start);
    if (control.cancelled) return false;
    start = clock.now();
    wait = acquire(limiter, permits, start, counters);
    if (!(wait > 0)) return true;
  }
}

function acquire(limiter: RateLimiter, permits: number, now: number, counters: LimitCounters): number {
  const wait = limiter.acquire(permits, now);
  // Once per acquire, not per record: a limiter that adapts its limit is reported on the bus
  // without having to know about it.
  counters.watch('limiter');
  return wait;
}
