import type { Clock } from '@sluice/sdk';

/**
 * @internal Waits until `clock` reaches `time`, or less if `signal` aborts first (cancellation
 * interrupts the wait). On a virtual clock it resolves when the test advances time.
 */
export function waitOnClock(clock: Clock, time: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const cancel = clock.schedule(time, done);
    function done() {
      cancel();
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
