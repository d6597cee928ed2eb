import type { BreakerStats, StageStats, WindowStats } from '@sluice/sdk';

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

  constructor(readonly kind: string) {}

  /**
   * The one place a concurrency limiter's adjustments go through (the metrics bus listens here):
   * records the new limit and counts the change. `reason` is the outcome of the call whose sample
   * changed it (`success`, `error`, `timeout`, `backoff`).
   */
  limitChanged(previous: number, next: number, reason: string): void {
    void previous;
    void reason;
    this.limit = next;
    this.limitChanges++;
  }

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
      ...(this.breakerStats === undefined ? {} : { breaker: this.breakerStats() }),
      ...(this.windowStats === undefined ? {} : { windows: this.windowStats() }),
      ...(this.limit === undefined ? {} : { limit: this.limit, limitChanges: this.limitChanges }),
      ...(this.limit === undefined && this.backoffs === 0 ? {} : { backoffs: this.backoffs, backoffMs: this.backoffMs }),
    };
  }
}
