import type { Clock } from '@sluice/sdk';
import type { FusedSegment } from './fused-segment.js';
import type { OutBuffer } from './out-buffer.js';
import { resumeParked } from './resume-parked.js';
import type { TaskControl } from './task-control.js';
import { writeOuts } from './write-outs.js';

/**
 * @internal Waits for `input`, or for the segment's next processing-time instant if that comes
 * first: a processing-time window must close, and a timer fire, even when no record arrives.
 * Segments without processing-time work wait for the input alone (no timer is set).
 */
export function untilInputOrTimer(input: Promise<unknown>, segment: FusedSegment, clock: Clock): Promise<unknown> {
  if (!segment.usesProcessingTime) return input;
  const next = segment.nextProcessingTime();
  if (next === Infinity) return input;
  let cancel: () => void = () => undefined;
  const timer = new Promise<void>((resolve) => {
    cancel = clock.schedule(next, resolve);
  });
  return Promise.race([input, timer]).finally(cancel);
}

/**
 * @internal Runs the segment's processing-time work that is due, and hands what it emitted to
 * the outputs. Returns the outputs' backpressure, as `writeOuts` does.
 */
export function fireDueTimers(
  segment: FusedSegment,
  clock: Clock,
  outs: readonly OutBuffer[],
  control?: TaskControl,
): Promise<void> | undefined {
  if (!segment.usesProcessingTime) return undefined;
  const now = clock.now();
  if (segment.nextProcessingTime() > now) return undefined;
  segment.onProcessingTime(now);
  // What a timer emitted may be parked for a retry downstream: wait for it like for a batch.
  if (control !== undefined && segment.parked()) return resumeParked(segment, control, outs);
  return writeOuts(outs);
}
