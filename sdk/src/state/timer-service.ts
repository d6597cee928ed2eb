/**
 * Which clock a timer follows: `event` timers fire when the watermark passes their time;
 * `processing` timers fire when the pipeline's clock (wall clock, or a virtual clock in tests)
 * reaches it.
 * @public
 */
export type TimeDomain = 'event' | 'processing';

/**
 * `ctx.timers` of a keyed process stage: timers scoped to the current key. When one is due
 * the stage's `onTimer(time, ctx)` runs with `ctx.key` set to the timer's key. Registering the
 * same time twice for a key sets one timer. Timers fire in time order; at end of input the
 * pending event-time timers fire (the watermark reaches infinity; timers registered then fire
 * only up to the last one that was pending, so a self-re-arming timer ends) and
 * processing-time timers are dropped.
 *
 * @example
 * ```ts
 * process(t: Tick, ctx: StageContext<Quiet>) {
 *   ctx.timers.registerEventTime(t.ts + 5_000)   // "no tick for 5 s"
 * }
 * ```
 * @see docs/windows.md
 * @public
 */
export interface TimerService {
  /** The current watermark (event time), or `-Infinity` before the first. */
  readonly watermark: number;
  /** The pipeline clock's time (processing time), in ms since the epoch. */
  now(): number;
  registerEventTime(time: number): void;
  registerProcessingTime(time: number): void;
  deleteEventTime(time: number): void;
  deleteProcessingTime(time: number): void;
}
