import type { WindowResult, WindowStats } from '@sluice/sdk';

/**
 * @internal What the fused segment drives for a `@Window` stage, whatever the window kind
 * (tumbling, sliding, session, count, global with a trigger). The segment sets the three
 * callbacks once, calls `add` per record, `advance` after each batch with the batch's watermark
 * (event time) or the clock's time (processing time), and `flush` at end of input.
 */
export interface WindowingOperator {
  /** Where results go. */
  emit: (result: WindowResult<unknown>) => void;
  /** Where records later than the allowed lateness go, when the stage's late output has readers. */
  emitLate: ((value: unknown) => void) | undefined;
  /** How a failing `result()` for one key is handled (the stage's `@OnError` policy). */
  onError: (error: unknown, value: unknown) => void;
  /** Event time of the result being emitted (the window's last instant), read by the fused segment. */
  readonly resultTime: number[];
  /** Adds one record with its time (event time, or the arrival time for processing-time windows). */
  add(value: unknown, time: number): void;
  /** Time has reached `watermark`: fires every window it closes. Never goes back. */
  advance(watermark: number): void;
  /**
   * The earliest processing time at which `onProcessingTime` has work (a processing-time
   * window's end, a trigger's timer), or `Infinity`. The segment's task wakes up then, even
   * without input. Absent: the operator never needs processing time.
   */
  nextProcessingTime?(): number;
  /** Processing time has reached `now`: fires what is due. */
  onProcessingTime?(now: number): void;
  /**
   * For time-based windows: the earliest time at which `advance` would fire something, or
   * Infinity. Processing-time windows use it to wake up when a window ends.
   */
  nextFireTime?(): number;
  /** End of input: every window that holds records fires. */
  flush(): void;
  /**
   * Checkpoints: what the operator keeps outside the state backend (its watermark); indexes over
   * the backend's stores are not included, `restoreState` rebuilds them.
   */
  snapshotState(): unknown;
  /** After the backend's stores were restored: takes `snapshotState()`'s value back and rebuilds indexes. */
  restoreState(state: unknown): void;
  stats(): WindowStats;
}
