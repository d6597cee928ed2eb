import { BusyMeter } from './busy-meter.js';
import { RollingHistogram } from '../monitoring/rolling-histogram.js';

/**
 * @internal What one task measures of the batches it runs through its fused segment: how many,
 * the largest, and with detailed metrics its busy time and per-record processing latency. The
 * stages fused in its loop share these figures (as they share the task's `FlowMeter`). Two clock
 * reads per batch at most, none per record; with `metrics: 'basic'`, none at all.
 */
export class SegmentMeter {
  batches = 0;
  maxBatchSize = 0;
  /** Detailed metrics only. */
  readonly busy: BusyMeter | undefined;
  /** Detailed metrics only. */
  readonly latency: RollingHistogram | undefined;

  constructor(
    readonly now: () => number,
    detailed: boolean,
  ) {
    this.busy = detailed ? new BusyMeter(now) : undefined;
    this.latency = detailed ? new RollingHistogram(now) : undefined;
  }

  /** When a batch's work starts (0 when not measured). */
  start(): number {
    return this.busy === undefined ? 0 : this.now();
  }

  /** A batch of `n` records taken at `from` (what `start` returned) is done, its writes not yet waited for. */
  done(from: number, n: number): void {
    this.batches++;
    if (n > this.maxBatchSize) this.maxBatchSize = n;
    if (this.busy === undefined) return;
    const to = this.now();
    this.busy.add(from, to);
    if (n > 0) this.latency!.record((to - from) / n, n, to);
  }
}
