import type { BreakerStats, StageStats, WindowStats } from '@sluice/sdk';
import type { LimitStats } from './limit-counters.js';
import type { Channel } from './channel.js';
import type { FlowMeter } from './flow-meter.js';
import type { SegmentMeter } from './segment-meter.js';

/** @internal Mutable counters behind a stage's `StageStats`. */
export class StageCounters {
  recordsOut = 0;
  errors = 0;
  retries = 0;
  skipped = 0;
  deadLettered = 0;
  inFlight = 0;
  maxInFlight = 0;

  /** Stages with a concurrency limiter: the limit now (undefined: no limiter). */
  limit: number | undefined;
  /** Stages with a concurrency limiter: how many times the limit changed. */
  limitChanges = 0;
  /** Enrich stages: back-offs asked for with `BackoffError`. */
  backoffs = 0;
  /** Enrich stages: time paused for back-offs, in ms of the pipeline clock. */
  backoffMs = 0;

  /** Set for window stages: reads the window operator's counters. */
  windowStats: (() => WindowStats) | undefined;
  /** Set for stages with a circuit breaker: reads its state. */
  breakerStats: (() => BreakerStats) | undefined;
  /** Set for rate-limited stages: reads the limiter's counters. */
  limitStats: (() => LimitStats) | undefined;
  /** The meter of the task that runs this stage (shared by the stages fused in its loop); unset outside a pipeline. */
  flow: FlowMeter | undefined;
  /** The batch meter of the task that runs this stage (shared like `flow`); unset outside a pipeline. */
  segment: SegmentMeter | undefined;
  /** Set for event-time window stages: the watermark the window operator has seen. */
  watermark: (() => number) | undefined;
  /** Set for stages that start a segment: the channel in front of them. */
  input: Channel | undefined;

  constructor(readonly kind: string) {}

  /**
   * The one place a concurrency limiter's adjustments go through (the metrics bus listens here):
   * records the new limit and counts the change. `reason` is the outcome of the call whose sample
   * changed it (`success`, `error`, `timeout`, `backoff`).
   */
  limitChanged(previous: number, next: number, reason: string): void {
    void previous; // the bus remembers the previous limit it reported
    this.limit = next;
    this.limitChanges++;
    this.reportLimit?.(next, reason);
  }

  /** A concurrency limiter's first limit, reported when the stage starts. */
  limitStarted(limit: number): void {
    this.limit = limit;
    this.reportLimit?.(limit, 'start');
  }

  /** Set by the pipeline: tells the metrics bus of a concurrency limit (`limit-changed`). */
  reportLimit: ((limit: number, reason: string) => void) | undefined;

  /** `recordsIn` is what the inputs emitted; the pipeline adds it up (no per-record cost here). */
  snapshot(recordsIn: number): StageStats {
    const s = this.segment;
    const now = s?.busy === undefined ? 0 : s.now();
    const watermark = this.watermark?.();
    return {
      kind: this.kind,
      recordsIn,
      recordsOut: this.recordsOut,
      errors: this.errors,
      retries: this.retries,
      skipped: this.skipped,
      deadLettered: this.deadLettered,
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      backpressuredMs: this.flow === undefined ? 0 : this.flow.waitedMs(),
      backPressuredTimeMsPerSecond: this.flow === undefined ? 0 : this.flow.waitedMsPerSecond(),
      ...(s === undefined ? {} : { batches: s.batches, maxBatchSize: s.maxBatchSize }),
      ...(s?.busy === undefined ? {} : { busyMs: s.busy.busyMs(now), busyTimeMsPerSecond: s.busy.busyMsPerSecond(now) }),
      ...(s?.latency === undefined ? {} : { latency: s.latency.snapshot(now) }),
      ...(watermark === undefined || watermark === -Infinity ? {} : { watermark }),
      ...(this.input === undefined ? {} : { queueFill: this.input.fill / this.input.capacity }),
      ...(this.breakerStats === undefined ? {} : { breaker: this.breakerStats() }),
      ...(this.windowStats === undefined ? {} : { windows: this.windowStats() }),
      ...(this.limitStats === undefined ? {} : this.limitStats()),
      ...(this.limit === undefined ? {} : { limit: this.limit, limitChanges: this.limitChanges }),
      ...(this.limit === undefined && this.backoffs === 0 ? {} : { backoffs: this.backoffs, backoffMs: this.backoffMs }),
    };
  }
}
