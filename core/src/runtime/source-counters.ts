import type { SourceStats } from '@sluice/sdk';
import type { FlowMeter } from './flow-meter.js';

/** @internal Mutable counters behind a source's `SourceStats`. */
export class SourceCounters {
  records = 0;
  batches = 0;
  pausedCount = 0;
  deadLettered = 0;
  skipped = 0;
  /** Push sources: the counters of their overflow buffer. */
  overflow: (() => Partial<SourceStats>) | undefined;
  /** The connector's own figures (`metrics()`), when it has them. */
  connector: (() => Readonly<Record<string, number>>) | undefined;
  /** Sources with an `eventTime`: their watermark and how far it is behind the pipeline clock. */
  watermark: (() => { watermark: number; watermarkLagMs: number } | undefined) | undefined;

  /** @param flow - the source task's meter: its waits for room downstream are the source's pauses */
  constructor(private readonly flow: FlowMeter) {}

  snapshot(): SourceStats {
    return {
      records: this.records,
      batches: this.batches,
      pausedCount: this.pausedCount,
      pausedMs: this.flow.waitedMs(),
      backPressuredTimeMsPerSecond: this.flow.waitedMsPerSecond(),
      deadLettered: this.deadLettered,
      skipped: this.skipped,
      ...this.watermark?.(),
      ...this.overflow?.(),
      ...(this.connector === undefined ? {} : { connector: this.connector() }),
    };
  }
}
