import type { Clock } from '@sluice/sdk';

interface Scheduled {
  readonly time: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to, for tests: processing-time windows and timers fire at
 * exactly the instants the test chooses, however fast or slow the machine is. Scheduled calls
 * run synchronously inside `advance`/`set`, in time order (then in the order they were
 * scheduled), with `now()` equal to their time while they run.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock(0)
 * const pipeline = createPipeline({ components, clock })
 * clock.advance(1_000)   // fires what is due up to t = 1000
 * ```
 * @see docs/windows.md
 * @public
 */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private queue: Scheduled[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule(time: number, callback: () => void): () => void {
    const entry: Scheduled = { time, seq: this.seq++, callback, cancelled: false };
    this.queue.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }

  /** Moves time forward by `ms`, running every call scheduled up to the new time. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`VirtualClock.advance: ms must be a number >= 0, got ${String(ms)}`);
    this.set(this.time + ms);
  }

  /** Moves time to `time` (never backwards), running every call scheduled up to it. */
  set(time: number): void {
    if (!(time >= this.time))
      throw new RangeError(`VirtualClock.set: time ${String(time)} is before now (${this.time}); time never goes back`);
    for (;;) {
      const next = this.nextDue(time);
      if (next === undefined) break;
      this.time = Math.max(this.time, next.time);
      next.callback();
    }
    this.time = time;
  }

  /** The time of the earliest call scheduled and not yet run nor cancelled, or undefined: where `set` would go next. */
  get nextTime(): number | undefined {
    let best: number | undefined;
    for (const e of this.queue) if (!e.cancelled && (best === undefined || e.time < best)) best = e.time;
    return best;
  }

  /**
   * Drives `work` (a pipeline's `run()`, say) on this clock until it settles: lets it go on until
   * it waits on the clock (several turns of the event loop), then moves to the next scheduled
   * call, and so on. Time moves only here, so every wait is exact and nothing depends on real time.
   * After `maxSteps` moves it stops moving the clock and just waits for `work`.
   *
   * @example
   * ```ts
   * const stats = await clock.run(createPipeline({ components, clock }).run())
   * ```
   */
  async run<T>(work: Promise<T>, maxSteps = 10_000): Promise<T> {
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined);
    for (let step = 0; step < maxSteps && !settled; step++) {
      for (let i = 0; i < 20 && !settled; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      if (settled) break;
      const next = this.nextTime;
      if (next !== undefined) this.set(Math.max(next, this.now()));
    }
    return work;
  }

  /** Calls scheduled and not yet run nor cancelled. */
  get pending(): number {
    return this.queue.filter((e) => !e.cancelled).length;
  }

  private nextDue(limit: number): Scheduled | undefined {
    this.queue = this.queue.filter((e) => !e.cancelled);
    let best: Scheduled | undefined;
    for (const e of this.queue)
      if (e.time <= limit && (best === undefined || e.time < best.time || (e.time === best.time && e.seq < best.seq))) best = e;
    if (best !== undefined) best.cancelled = true;
    return best;
  }
}
