import { EndOfStreamError, Inject, Source, type SourceConnector, type SourceContext } from '@sluice/sdk';
import type { RawTick } from '../model/raw-tick.js';
import { FeedCounters } from './feed-counters.js';
import { FEED_OPTIONS, resolveFeedOptions, type FeedOptions, type ResolvedFeedOptions } from './feed-options.js';
import { TickGenerator } from './tick-generator.js';

/** When ahead of schedule, sleep until the next tick is due plus this much, to hand out a batch rather than a handful. */
const PACING_QUANTUM_MS = 2;
/** The longest single wait inside `read`, so `stop()` is noticed quickly even at very low rates. */
const MAX_WAIT_MS = 50;
/** Fall at most this far behind the schedule; beyond it the schedule moves on (no tick is dropped, the backlog is just not rushed out). */
const MAX_LAG_MS = 1000;
const NOTHING: readonly RawTick[] = Object.freeze([]);

/**
 * A synthetic market-data feed: ~50 symbols with random-walk prices, bursts, a few late
 * (out-of-order) ticks and ~0.5% malformed records, reproducible from a seed.
 *
 * Pacing: the generator's event-time clock is mapped 1:1 onto the wall clock from `open()`.
 * `read` hands out only the ticks that are due; when none is, it awaits a short timer (it never
 * spins). If downstream falls more than a second behind, the schedule is shifted rather than the
 * backlog rushed out (counted in {@link FeedCounters.skippedMs}); the ticks themselves, and so the
 * results for a seed, do not change. With `rate: 0` it is unpaced.
 *
 * Rewindable: the ticks are a function of the seed, so `position()` is the count handed out and
 * `seek(n)` generates the first `n` again (without counting them) — what checkpoints need for
 * exactly-once results across restarts.
 *
 * Event time is the tick's `ts`. The watermark trails the latest event time by 50 ms: a tick
 * stamped later than that (the feed stamps ~0.1% up to 250 ms late) is late for event-time windows.
 */
@Source<RawTick>({ name: 'ticks', eventTime: (t) => t.ts, watermark: { maxDelay: '50ms' } })
export class SyntheticFeed implements SourceConnector<RawTick> {
  private readonly options: ResolvedFeedOptions;
  private generator: TickGenerator;
  private signal: AbortSignal | undefined;
  private startWall = 0;

  constructor(
    @Inject(FEED_OPTIONS) options: FeedOptions,
    private readonly counters: FeedCounters,
  ) {
    this.options = resolveFeedOptions(options);
    this.generator = new TickGenerator(this.options, counters);
  }

  open(ctx: SourceContext): void {
    this.signal = ctx.signal;
    this.startWall = performance.now();
  }

  read(max: number): readonly RawTick[] | Promise<readonly RawTick[]> {
    const left = this.options.maxTicks - this.generator.produced;
    if (left <= 0) {
      throw new EndOfStreamError('the synthetic feed reached its maxTicks');
    }
    const n = Math.min(max, left);
    if (!this.options.paced) return this.take(n, Infinity);
    const now = performance.now();

    const early = this.startWall + this.generator.nextOffsetMs - now;
    // Ahead of schedule: wait (never spin), then hand out what has become due.
    if (early > 0)
      return this.sleep(Math.min(early + PACING_QUANTUM_MS, MAX_WAIT_MS)).then(() =>
        this.signal?.aborted === true ? NOTHING : this.takeDue(n),
      );
    if (-early > MAX_LAG_MS) {
      const skip = -early - MAX_LAG_MS;
      this.startWall += skip;
      this.counters.skippedMs += skip;
    }
    return this.takeDue(n);
  }

  /** The ticks due by now, at most `n`. */
  private takeDue(n: number): RawTick[] {
    return this.take(n, performance.now() - this.startWall);
  }

  private take(n: number, untilOffsetMs: number): RawTick[] {
    const out: RawTick[] = [];
    const generator = this.generator;
    while (out.length < n && generator.nextOffsetMs <= untilOffsetMs) out.push(generator.next());
    return out;
  }

  /** Ticks handed out so far: where a restart resumes. */
  position(): number {
    return this.generator.produced;
  }

  /**
   * Resumes after the first `position` ticks: they are generated again (the same for the same seed)
   * but not counted, and the pacing schedule goes on from the next one's time.
   */
  seek(position: number): void {
    if (!Number.isSafeInteger(position) || position < 0) throw new RangeError(`SyntheticFeed: bad position ${String(position)}`);
    const generator = new TickGenerator(this.options, this.counters);
    generator.fastForward(position);
    this.generator = generator;
    this.startWall = performance.now() - generator.nextOffsetMs;
  }

  /** Waits `ms`, or less if the pipeline is cancelled. */
  private sleep(ms: number): Promise<void> {
    const signal = this.signal;
    return new Promise((resolve) => {
      if (signal?.aborted === true) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
