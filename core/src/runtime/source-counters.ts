import type { SourceStats } from '@sluice/sdk';

/** @internal Mutable counters behind a source's `SourceStats`. */
export class SourceCounters {
  records = 0;
  batches = 0;
  pausedCount = 0;
  pausedMs = 0;
  deadLettered = 0;
  skipped = 0;

  snapshot(): SourceStats {
    return {
      records: this.records,
      batches: this.batches,
      pausedCount: this.pausedCount,
      pausedMs: this.pausedMs,
      deadLettered: this.deadLettered,
      skipped: this.skipped,
    };
  }
}
