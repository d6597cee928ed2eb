import type { Batch } from './batch.js';
import type { Channel } from './channel.js';
import type { FlowMeter } from './flow-meter.js';

/** @internal Collects what a fused segment emits towards one channel during one input batch. */
export class OutBuffer {
  /** The segment's current watermark, sent along with the records (or alone when it advanced). */
  watermark = -Infinity;
  /** Set by an idle source: tells the channel to stop waiting on this writer's watermark. */
  idle = false;
  /** A checkpoint barrier to send after the records collected so far. */
  barrier: number | undefined;
  // The oldest source-read time of the input batches since the last records were sent: a batch
  // assembled from several keeps the oldest (end-to-end latency errs on the high side).
  private oldest = Infinity;
  private sentWatermark = -Infinity;
  private sentIdle = false;
  private values: unknown[] = [];
  private times: number[] = [];
  private positions: number[] = [];
  private readonly writer: number;

  constructor(readonly channel: Channel) {
    this.writer = channel.addWriter();
  }

  /** Counts this buffer's waits for room in `meter`, its task's. */
  meteredBy(meter: FlowMeter): void {
    this.channel.meterWriter(this.writer, meter);
  }

  /** The task runs an input batch read from its source at `stamp` (one call per batch, never per record). */
  stamp(stamp: number): void {
    if (stamp < this.oldest) this.oldest = stamp;
  }

  get size(): number {
    return this.values.length;
  }

  /** Whether there is anything to send: records, a watermark advance, or a change of idleness. */
  get pending(): boolean {
    return this.values.length > 0 || this.watermark > this.sentWatermark || this.idle !== this.sentIdle || this.barrier !== undefined;
  }

  add(value: unknown, position: number, time: number): void {
    this.values.push(value);
    this.positions.push(position);
    this.times.push(time);
  }

  /**
   * Hands the collected records over as a batch and starts afresh (the channel keeps the arrays).
   * A pending barrier goes as a batch of its own, after the records: call again for it.
   */
  take(): Batch {
    if (this.barrier !== undefined && this.values.length === 0) {
      const barrier: Batch = {
        values: [],
        times: [],
        positions: [],
        watermark: this.watermark,
        writer: this.writer,
        idle: this.idle,
        barrier: this.barrier,
        stamp: Infinity,
      };
      this.barrier = undefined;
      this.sentWatermark = this.watermark;
      this.sentIdle = this.idle;
      return barrier;
    }
    const batch: Batch = {
      values: this.values,
      times: this.times,
      positions: this.positions,
      watermark: this.watermark,
      writer: this.writer,
      idle: this.idle,
      stamp: this.values.length > 0 ? this.oldest : Infinity,
    };
    if (this.values.length > 0) this.oldest = Infinity;
    this.sentWatermark = this.watermark;
    this.sentIdle = this.idle;
    this.values = [];
    this.times = [];
    this.positions = [];
    return batch;
  }

  /** This writer is done: the channel closes when all its writers are. */
  close(): void {
    this.channel.closeWriter(this.writer);
  }
}
