import type { LatencyStats } from '@sluice/sdk';
import { build, type Histogram } from 'hdr-histogram-js';

// The quantiles cover the last minute, kept as six slots of ten seconds: a slot older than the
// window is dropped whole, so the window slides in steps of 10 s without per-record bookkeeping.
const SLOT_MS = 10_000;
const SLOTS = 6;
const WINDOW_MS = SLOT_MS * SLOTS;
// Values are kept as integer microseconds: sub-ms latencies are the common case.
const US_PER_MS = 1000;

function histogram(): Histogram {
  // The pure-JS implementation: no WebAssembly to load, and cheap enough at one record per batch.
  return build({ numberOfSignificantValueDigits: 3, useWebAssembly: false });
}

/**
 * @internal A latency histogram (HdrHistogram, 3 significant digits) whose quantiles cover the
 * last 60 s of the pipeline clock, plus a cumulative count and sum. Recorded once per batch with
 * the batch's size as the count, never per record. Slots rotate lazily when recording or reading,
 * so nothing runs on a timer.
 */
export class RollingHistogram {
  private count = 0;
  private sumMs = 0;
  // Slot i holds the values of the 10 s period `epochs[i]` (time / SLOT_MS, floored); created on first use.
  private readonly slots: (Histogram | undefined)[] = new Array<Histogram | undefined>(SLOTS).fill(undefined);
  private readonly epochs: number[] = new Array<number>(SLOTS).fill(-Infinity);
  private merged: Histogram | undefined;

  /** @param now - the pipeline clock (ms), read when a caller does not pass the time it already has */
  constructor(private readonly now: () => number) {}

  /** Records `count` values of `valueMs` each (a batch of `count` records). */
  record(valueMs: number, count: number, at: number = this.now()): void {
    if (!(count > 0)) return;
    const ms = valueMs > 0 ? valueMs : 0;
    this.count += count;
    this.sumMs += ms * count;
    const epoch = Math.floor(at / SLOT_MS);
    const i = ((epoch % SLOTS) + SLOTS) % SLOTS;
    let slot = this.slots[i];
    if (slot === undefined) slot = this.slots[i] = histogram();
    if (this.epochs[i] !== epoch) {
      slot.reset();
      this.epochs[i] = epoch;
    }
    slot.recordValueWithCount(Math.round(ms * US_PER_MS), count);
  }

  /** The quantiles of the slots within the last minute before `now`, merged; count and sum since the start. */
  snapshot(now: number = this.now()): LatencyStats {
    const epoch = Math.floor(now / SLOT_MS);
    const merged = (this.merged ??= histogram());
    merged.reset();
    for (let i = 0; i < SLOTS; i++) {
      const slot = this.slots[i];
      const age = epoch - this.epochs[i]!;
      if (slot !== undefined && age >= 0 && age < SLOTS) merged.add(slot);
    }
    const windowCount = merged.totalCount;
    const q = (p: number) => (windowCount === 0 ? 0 : merged.getValueAtPercentile(p) / US_PER_MS);
    return {
      count: this.count,
      sumMs: this.sumMs,
      windowCount,
      windowMs: WINDOW_MS,
      p50: q(50),
      p90: q(90),
      p99: q(99),
      p999: q(99.9),
      max: windowCount === 0 ? 0 : merged.maxValue / US_PER_MS,
    };
  }
}
