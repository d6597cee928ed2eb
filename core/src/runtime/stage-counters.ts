import type { BreakerStats, StageStats, WindowStats } from '@sluice/sdk';
import type { LimitStats } from './limit-counters.js';
import type { Channel } from './channel.js';
import type { FlowMeter } from './flow-meter.js';

/** @internal Mutable counters behind a stage's `StageStats`. */
export class StageCounters {
  recordsOut = 0;
  errors = 0;
  retries = 0;
  skipped = 0;
  deadLettered = 0;
  inFlight = 0;
  maxInFlight = 0;

  /** Set for window stages: reads the window operator's counters. */
  windowStats: (() => WindowStats) | undefined;
  /** Set for stages with a circuit breaker: reads its state. */
  breakerStats: (() => BreakerStats) | undefined;
  /** Set for rate-limited stages: reads the limiter's counters. */
  limitStats: (() => LimitStats) | undefined;
  /** The meter of the task that runs this stage (shared by the stages fused in its loop); unset outside a pipeline. */
  flow: FlowMeter | undefined;
  /** Set for stages that start a segment: the channel in front of them. */
  input: Channel | undefined;

  constructor(readonly kind: string) {}

  /** `recordsIn` is what the inputs emitted; the pipeline adds it up (no per-record cost here). */
  snapshot(recordsIn: number): StageStats {
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
      ...(this.input === undefined ? {} : { queueFill: this.input.fill / this.input.capacity }),
      ...(this.breakerStats === undefined ? {} : { breaker: this.breakerStats() }),
      ...(this.windowStats === undefined ? {} : { windows: this.windowStats() }),
      ...(this.limitStats === undefined ? {} : this.limitStats()),
    };
  }
}
