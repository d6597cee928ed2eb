import type { Batch } from './batch.js';
import type { Channel } from './channel.js';

/** @internal Collects what a fused segment emits towards one channel during one input batch. */
export class OutBuffer {
  private values: unknown[] = [];
  private times: number[] = [];
  private positions: number[] = [];

  constructor(readonly channel: Channel) {}

  get size(): number {
    return this.values.length;
  }

  add(value: unknown, position: number, time: number): void {
    this.values.push(value);
    this.positions.push(position);
    this.times.push(time);
  }

  /** Hands the collected records over as a batch and starts afresh (the channel keeps the arrays). */
  take(): Batch {
    const batch: Batch = { values: this.values, times: this.times, positions: this.positions };
    this.values = [];
    this.times = [];
    this.positions = [];
    return batch;
  }
}
