import type { SinkStats } from '@sluice/sdk';
import type { LimitCounters } from './limit-counters.js';

/** @internal Mutable counters behind a sink's `SinkStats`. */
export class SinkCounters {
  records = 0;
  batches = 0;

  /** @param limit - the counters of the sink's rate limit, when it has one */
  constructor(readonly limit?: LimitCounters) {}

  snapshot(): SinkStats {
    if (this.limit === undefined) return { records: this.records, batches: this.batches };
    return { records: this.records, batches: this.batches, ...this.limit.snapshot() };
  }
}
