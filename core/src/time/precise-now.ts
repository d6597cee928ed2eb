import type { Clock } from '@sluice/sdk';
import { SystemClock } from './system-clock.js';

/**
 * @internal Reads the pipeline clock for measuring durations. On the wall clock that is
 * `performance.now()`: sub-ms resolution (waits for room are often shorter than 1 ms, which
 * `Date.now()` would round away) and it never goes back. On any other clock (a `VirtualClock` in
 * tests), its `now()`, so the figures follow that clock exactly.
 */
export function preciseNow(clock: Clock): () => number {
  return clock instanceof SystemClock ? () => performance.now() : () => clock.now();
}
