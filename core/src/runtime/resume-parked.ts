import type { Clock } from '@sluice/sdk';
import type { FusedSegment } from './fused-segment.js';
import type { OutBuffer } from './out-buffer.js';
import type { TaskControl } from './task-control.js';
import { yieldToEventLoop } from './timing.js';
import { writeOuts } from './write-outs.js';

/**
 * @internal A segment has records parked for a retry or a paused circuit breaker: hand on what
 * it emitted so far, wait on the pipeline's clock until the first parked record is due, resume
 * the segment, and repeat until nothing is parked (or the pipeline is cancelled). The task calls
 * this right after the segment call that parked them and takes no new input meanwhile, so a
 * stage's records keep their order and backpressure reaches the source.
 */
export async function resumeParked(segment: FusedSegment, control: TaskControl, outs: readonly OutBuffer[]): Promise<void> {
  while (segment.parked() && !control.cancelled) {
    const blocked = writeOuts(outs);
    if (blocked !== undefined) await blocked;
    await until(control.clock, segment.nextDue(), control.signal);
    if (control.cancelled) return;
    segment.resume(control.clock.now());
  }
  const blocked = writeOuts(outs);
  if (blocked !== undefined) await blocked;
}

/** Resolves when `clock` reaches `time` (after a turn of the event loop if it has), or `signal` aborts. */
export function until(clock: Clock, time: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  if (time <= clock.now()) return yieldToEventLoop();
  return new Promise((resolve) => {
    const done = () => {
      cancel();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const cancel = clock.schedule(time, done);
    signal.addEventListener('abort', done, { once: true });
  });
}
