import type { Channel } from './channel.js';
import type { Granted, KeyLanes, Mark } from './key-lanes.js';
import type { LimitCounters } from './limit-counters.js';
import type { TaskControl } from './task-control.js';
import { waitOnClock } from './wait-on-clock.js';
import { ErrorCodes, SluiceError } from '@sluice/sdk';

/** @internal What a task limited per key does with what its lanes let go. */
export interface KeyedOutlet {
  /**
   * Hands granted records on (possibly none: only a watermark advance), with the watermark that
   * may follow them. Returns false when the pipeline was cancelled meanwhile.
   */
  emit(granted: Granted, watermark: number): Promise<boolean>;
  /** Checkpoint barrier `id`: every record read before it has been emitted. */
  barrier(id: number): Promise<void>;
  /** Processing-time work of the task, if any: run what is due (awaited when it returns a promise). */
  timers?(): Promise<void> | undefined;
  /** When the task's processing-time work is next due (Infinity when never). */
  nextTime?(): number;
  /** A batch read from the source at `stamp` enters the lanes (end-to-end latency; see `Batch.stamp`). */
  stamp?(stamp: number | undefined): void;
}

/**
 * @internal Feeds a channel's records through per-key limiters (`KeyLanes`) to `outlet` until the
 * input ends and every held record has gone on; false if the pipeline was cancelled.
 *
 * A record's channel credit goes back when it enters its key's queue, so a hot key's backlog
 * does not stop the task from reading other keys' records; `maxHeld` bounds that backlog
 * instead. When a record does not fit (the held records or the keys are at their bound), the
 * task reads nothing more until the lanes have let records go or a key's limiter has come to
 * rest: the channel fills and backpressure pauses the source. A barrier waits until the records
 * read before it have gone on (they are in no snapshot), then passes at once.
 */
export async function feedKeyLanes(
  task: string,
  input: Channel,
  lanes: KeyLanes,
  control: TaskControl,
  counters: LimitCounters,
  outlet: KeyedOutlet,
): Promise<boolean> {
  const clock = control.clock;
  let emitted = -Infinity;
  const out = (): { values: unknown[]; times: number[]; positions: number[] } => ({ values: [], times: [], positions: [] });
  // Grants what the limiters allow now; -1 when cancelled meanwhile, else the records granted.
  const flush = async (): Promise<number> => {
    const granted = out();
    lanes.grant(clock.now(), granted);
    if (granted.values.length === 0 && !(lanes.watermark > emitted)) return 0;
    emitted = lanes.watermark;
    return (await outlet.emit(granted, lanes.watermark)) ? granted.values.length : -1;
  };
  const wake = () => Math.min(lanes.nextWake(clock.now()), outlet.nextTime?.() ?? Infinity);
  // The task reads nothing until `time`: that is the time the limits hold the input back.
  const throttle = async (time: number): Promise<void> => {
    if (time === Infinity)
      throw new SluiceError(
        ErrorCodes.STAGE_FAILED,
        `'${task}': no key's limiter will ever come to rest (idleAt returned Infinity), so no new key can be let in`,
      );
    const start = clock.now();
    await waitOnClock(clock, Math.max(time, start), control.signal);
    counters.throttledMs += Math.max(0, clock.now() - start);
  };
  const drain = async (): Promise<boolean> => {
    for (;;) {
      const timers = outlet.timers?.();
      if (timers !== undefined) await timers;
      if ((await flush()) < 0 || control.cancelled) return false;
      if (lanes.held === 0) return true;
      await throttle(wake());
    }
  };

  let batch: { values: unknown[]; times: number[]; positions: number[] } | undefined;
  let mark: Mark | undefined;
  let next = 0;
  for (;;) {
    if (control.cancelled) return false;
    const timers = outlet.timers?.();
    if (timers !== undefined) await timers;
    let admitted = 0;
    if (batch !== undefined) {
      const taken = lanes.admit(batch.values, batch.times, batch.positions, next, mark!, clock.now());
      admitted = taken - next;
      input.release(admitted);
      next = taken;
      if (next === batch.values.length) batch = undefined;
    }
    const granted = await flush();
    if (granted < 0 || control.cancelled) return false;
    if (batch !== undefined) {
      // Blocked on a bound: go on at once if anything moved, else wait for a lane.
      if (admitted === 0 && granted === 0) await throttle(wake());
      continue;
    }
    const b = input.read();
    if (b === null) break;
    if (b === undefined) {
      await untilInputOr(input.readable(), wake(), control);
      continue;
    }
    mark = lanes.begin(b.values.length, b.watermark);
    if (b.barrier !== undefined) {
      if (!(await drain())) return false;
      await outlet.barrier(b.barrier);
      continue;
    }
    outlet.stamp?.(b.stamp);
    batch = b;
    next = 0;
  }
  return drain();
}

// Waits for input, or until `time` on the clock (when a lane may grant again), whichever is first.
async function untilInputOr(input: Promise<void>, time: number, control: TaskControl): Promise<void> {
  if (time === Infinity) return input;
  let cancel: () => void = () => undefined;
  const timer = new Promise<void>((resolve) => {
    cancel = control.clock.schedule(Math.max(time, control.clock.now()), resolve);
  });
  try {
    await Promise.race([input, timer]);
  } finally {
    cancel();
  }
}
