import type { SourceStats } from '@sluice/sdk';

/** @internal Mutable counters behind a source's `SourceStats`. */
export class SourceCounters {
  records = 0;
  batches = 0;
  pausedCount = 0;
  pausedMs = 0;
  deadLettered = 0;
  skipped = 0;
  /** Push sources: the counters of their overflow buffer. */
  overflow: (() => Partial<SourceStats>) | undefined;

  snapshot(): SourceStats {
    return {
      records: this.records,
      batches: this.batches,
      pausedCount: this.pausedCount,
      pausedMs: this.pausedMs,
      deadLettered: this.deadLettered,
      skipped: this.skipped,
      ...this.overflow?.(),
    };
  }
}
