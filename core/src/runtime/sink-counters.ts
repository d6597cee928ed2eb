import type { SinkStats } from '@sluice/sdk';
import type { Channel } from './channel.js';
import type { LimitCounters } from './limit-counters.js';
import { BusyMeter } from './busy-meter.js';
import { RollingHistogram } from '../monitoring/rolling-histogram.js';

/** @internal Mutable counters behind a sink's `SinkStats`. */
export class SinkCounters {
  records = 0;
  batches = 0;
  /** Writes that threw (each failed attempt). */
  errors = 0;
  /** The connector's own figures (`metrics()`), when it has them. */
  connector: (() => Readonly<Record<string, number>>) | undefined;
  /** The channel in front of the sink (its queue fill). */
  input: Channel | undefined;
  /** Detailed metrics only: time in the connector's write and its limiter's waits. */
  readonly busy: BusyMeter | undefined;
  /** Detailed metrics only: a write's time over its batch size. */
  readonly latency: RollingHistogram | undefined;
  /** Detailed metrics only: from the source's read of a batch's oldest record to the write's return. */
  readonly endToEnd: RollingHistogram | undefined;

  /**
   * @param limit - the counters of the sink's rate limit, when it has one
   * @param now - the precise pipeline clock (see `preciseNow`), when metrics are detailed
   */
  constructor(
    readonly limit?: LimitCounters,
    readonly now?: () => number,
  ) {
    this.busy = now === undefined ? undefined : new BusyMeter(now);
    this.latency = now === undefined ? undefined : new RollingHistogram(now);
    this.endToEnd = now === undefined ? undefined : new RollingHistogram(now);
  }

  snapshot(): SinkStats {
    const now = this.now?.();
    return {
      records: this.records,
      batches: this.batches,
      errors: this.errors,
      ...(this.input === undefined ? {} : { queueFill: this.input.fill / this.input.capacity }),
      ...(this.busy === undefined ? {} : { busyMs: this.busy.busyMs(now), busyTimeMsPerSecond: this.busy.busyMsPerSecond(now) }),
      ...(this.latency === undefined ? {} : { latency: this.latency.snapshot(now) }),
      ...(this.endToEnd === undefined ? {} : { endToEnd: this.endToEnd.snapshot(now) }),
      ...this.limit?.snapshot(),
      ...(this.connector === undefined ? {} : { connector: this.connector() }),
    };
  }
}
