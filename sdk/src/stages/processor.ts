import type { StageContext } from '../context/stage-context.js';
import type { TimeDomain } from '../state/timer-service.js';

/**
 * The general synchronous stage: receives each record with a {@link StageContext} and emits 0..n
 * records through `ctx.emit`. `flush` runs once when all of the stage's inputs have ended, so
 * a stage that buffers (a custom window, a de-duplicator) can emit what it holds.
 *
 * @example
 * ```ts
 * @Stage({ name: 'dedup', from: 'ticks' })
 * class Dedup implements Processor<Tick, Tick> {
 *   private last = new Map<string, number>()
 *   process(t: Tick, ctx: StageContext<Tick>) {
 *     if (this.last.get(t.symbol) !== t.ts) { this.last.set(t.symbol, t.ts); ctx.emit(t) }
 *   }
 * }
 * ```
 * @see docs/concepts.md
 * @public
 */
export interface Processor<In, Out> {
  process(value: In, ctx: StageContext<Out>): void;
  flush?(ctx: StageContext<Out>): void;
  /**
   * Keyed stages: a timer registered through `ctx.timers` is due. `ctx.key` is the timer's
   * key, `ctx.state` that key's state, and `ctx.eventTime` the timer's time for event-time timers.
   */
  onTimer?(time: number, ctx: StageContext<Out>, domain: TimeDomain): void;
}
