import type { SinkStats } from '@sluice/sdk';

/** @internal Mutable counters behind a sink's `SinkStats`. */
export class SinkCounters {
  records = 0;
  batches = 0;
  throttledMs = 0;

  /** @param limit - the current limit of the sink's rate limiter, when it has one */
  constructor(private readonly limit?: () => number) {}

  snapshot(): SinkStats {
    if (this.limit === undefined) return { records: this.records, batches: this.batches };
    return { records: this.records, batches: this.batches, throttledMs: this.throttledMs, limit: this.limit() };
  }
}
