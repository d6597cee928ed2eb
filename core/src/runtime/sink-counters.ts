import type { SinkStats } from '@sluice/sdk';

/** @internal Mutable counters behind a sink's `SinkStats`. */
export class SinkCounters {
  records = 0;
  batches = 0;

  snapshot(): SinkStats {
    return { records: this.records, batches: this.batches };
  }
}
