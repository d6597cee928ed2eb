import type { ValueState } from '../state/keyed-state.js';
import { parseDuration, type Duration } from '../time/duration.js';

/**
 * What a {@link Trigger} decides: keep collecting, emit the key's current result (`fire`),
 * forget the key's accumulator (`purge`), or both.
 * @public
 */
export type TriggerResult = 'continue' | 'fire' | 'purge' | 'fire-and-purge';

/**
 * What a trigger sees of the current key: its own small per-key state, the times, and timers
 * that call it back.
 * @public
 */
export interface TriggerContext {
  /** The key the trigger decides for. */
  readonly key: unknown;
  /** The stage's watermark (event time). */
  readonly watermark: number;
  /** The pipeline clock's time (processing time). */
  now(): number;
  /** Per-key trigger state, named; kept in the pipeline's state backend with the window's. */
  state<T>(name: string): ValueState<T>;
  /** Calls `onEventTime` for this key when the watermark reaches `time`. */
  registerEventTime(time: number): void;
  /** Calls `onProcessingTime` for this key when the clock reaches `time`. */
  registerProcessingTime(time: number): void;
}

/**
 * Decides when a global window (`@Window({ global: { trigger } })`) emits. The engine calls
 * `onRecord` after adding each record to its key's accumulator, and the timer methods when
 * timers registered through the context are due. Built-ins: {@link Triggers}.
 *
 * @example
 * ```ts
 * // Emit a key's result on every 100th record, and purge it then.
 * const every100: Trigger<Tick> = {
 *   onRecord(_t, _time, ctx) {
 *     const n = ctx.state<number>('n')
 *     n.set((n.get() ?? 0) + 1)
 *     if (n.get()! < 100) return 'continue'
 *     n.clear()
 *     return 'fire-and-purge'
 *   },
 * }
 * ```
 * @see docs/windows.md
 * @public
 */
export interface Trigger<T = unknown> {
  onRecord(value: T, time: number, ctx: TriggerContext): TriggerResult;
  onEventTime?(time: number, ctx: TriggerContext): TriggerResult;
  onProcessingTime?(time: number, ctx: TriggerContext): TriggerResult;
}

/**
 * Built-in triggers for global windows. Each fires (emits the key's current result); whether
 * the accumulator is then kept or cleared is the window's `mode` (`accumulate` by default, or
 * `discard`). Combine them with `any`.
 *
 * @example
 * ```ts
 * @Window({ global: { trigger: Triggers.any(Triggers.count(1000), Triggers.processingTime('1s')), mode: 'discard' } })
 * ```
 * @see docs/windows.md
 * @public
 */
export const Triggers = Object.freeze({
  /** Fires on every `n`-th record of a key. */
  count<T = unknown>(n: number): Trigger<T> {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`Triggers.count(n): n must be an integer >= 1, got ${String(n)}`);
    return {
      onRecord(_value, _time, ctx) {
        const seen = ctx.state<number>('count');
        const next = (seen.get() ?? 0) + 1;
        if (next < n) {
          seen.set(next);
          return 'continue';
        }
        seen.clear();
        return 'fire';
      },
    };
  },

  /** Fires on each record for which `test` returns true (e.g. an end-of-batch marker). */
  predicate<T = unknown>(test: (value: T) => boolean): Trigger<T> {
    return { onRecord: (value) => (test(value) ? 'fire' : 'continue') };
  },

  /**
   * Fires periodically in event time: when the watermark passes each multiple of `interval`
   * after a key's record (e.g. a running VWAP emitted once per event-time second).
   */
  eventTime<T = unknown>(interval: Duration): Trigger<T> {
    const every = positive(interval, 'Triggers.eventTime(interval)');
    return {
      onRecord(_value, time, ctx) {
        const next = ctx.state<number>('next');
        const due = Math.floor(time / every) * every + every;
        // One timer per key at a time: the earliest boundary after a record not yet reported.
        if (next.get() === undefined || due < next.get()!) {
          next.set(due);
          ctx.registerEventTime(due);
        }
        return 'continue';
      },
      onEventTime(time, ctx) {
        const next = ctx.state<number>('next');
        if (next.get() !== time) return 'continue';
        next.clear();
        return 'fire';
      },
    };
  },

  /** Fires every `interval` of processing time while a key has records (early, periodic results). */
  processingTime<T = unknown>(interval: Duration): Trigger<T> {
    const every = positive(interval, 'Triggers.processingTime(interval)');
    return {
      onRecord(_value, _time, ctx) {
        const next = ctx.state<number>('next');
        if (next.get() === undefined) {
          const due = ctx.now() + every;
          next.set(due);
          ctx.registerProcessingTime(due);
        }
        return 'continue';
      },
      onProcessingTime(time, ctx) {
        const next = ctx.state<number>('next');
        if (next.get() !== time) return 'continue';
        next.clear();
        return 'fire';
      },
    };
  },

  /** Fires when any of `triggers` fires; purges when any purges. */
  any<T = unknown>(...triggers: Trigger<T>[]): Trigger<T> {
    if (triggers.length === 0) throw new RangeError('Triggers.any(...triggers): give at least one trigger');
    // Each inner trigger gets its own state names, so that two count triggers do not share a counter.
    const scoped = (ctx: TriggerContext, i: number): TriggerContext => ({
      key: ctx.key,
      watermark: ctx.watermark,
      now: () => ctx.now(),
      state: (name) => ctx.state(`${i}.${name}`),
      registerEventTime: (t) => ctx.registerEventTime(t),
      registerProcessingTime: (t) => ctx.registerProcessingTime(t),
    });
    const combine = (results: TriggerResult[]): TriggerResult => {
      const fire = results.some((r) => r === 'fire' || r === 'fire-and-purge');
      const purge = results.some((r) => r === 'purge' || r === 'fire-and-purge');
      return fire && purge ? 'fire-and-purge' : fire ? 'fire' : purge ? 'purge' : 'continue';
    };
    return {
      onRecord: (value, time, ctx) => combine(triggers.map((t, i) => t.onRecord(value, time, scoped(ctx, i)))),
      onEventTime: (time, ctx) => combine(triggers.map((t, i) => t.onEventTime?.(time, scoped(ctx, i)) ?? 'continue')),
      onProcessingTime: (time, ctx) => combine(triggers.map((t, i) => t.onProcessingTime?.(time, scoped(ctx, i)) ?? 'continue')),
    };
  },
});

function positive(interval: Duration, where: string): number {
  const ms = parseDuration(interval, where);
  if (!(ms > 0)) throw new RangeError(`${where}: the interval must be longer than 0 ms`);
  return ms;
}
