import type { ChannelStats } from '@sluice/sdk';
import type { Batch } from './batch.js';

/**
 * @internal A bounded, credit-based channel between fused segments. `fill` counts records from
 * the moment they are written until the reader releases them after processing, so the credits
 * bound what is queued *and* what is being worked on. A write that would overflow waits: that
 * wait is how backpressure travels upstream to the source. A batch larger than the capacity is
 * let through only into an empty channel (otherwise it could never pass).
 */
export class Channel {
  fill = 0;
  maxFill = 0;
  blockedWrites = 0;
  blockedMs = 0;
  private readonly queue: Batch[] = [];
  private head = 0;
  private openWriters: number;
  private discarded = false;
  private readerWake: (() => void) | undefined;
  private writerWakes: (() => void)[] = [];

  constructor(
    readonly name: string,
    readonly capacity: number,
    writers: number,
  ) {
    this.openWriters = writers;
  }

  /** Enqueues at once and returns undefined when there is room; otherwise a promise of the write. */
  write(batch: Batch): Promise<void> | undefined {
    if (this.discarded) return undefined;
    const n = batch.values.length;
    if (this.fill > 0 && this.fill + n > this.capacity) return this.writeWhenRoom(batch);
    this.enqueue(batch);
    return undefined;
  }

  /** The next batch; undefined when none is queued yet, null when closed and empty. */
  read(): Batch | null | undefined {
    if (this.head < this.queue.length) {
      const b = this.queue[this.head]!;
      this.queue[this.head++] = undefined as never;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      return b;
    }
    return this.openWriters === 0 || this.discarded ? null : undefined;
  }

  /**
   * Resolves when `read()` may return something other than undefined — at once if it already
   * would: a write or close between the reader's last `read()` and this call must not be lost.
   */
  readable(): Promise<void> {
    if (this.head < this.queue.length || this.openWriters === 0 || this.discarded) return Promise.resolve();
    return new Promise((resolve) => {
      this.readerWake = resolve;
    });
  }

  /** The reader is done with `n` records: their credits go back to the writers. */
  release(n: number): void {
    this.fill -= n;
    this.wakeWriters();
  }

  /** One writer has finished; the channel closes when all have. */
  closeWriter(): void {
    this.openWriters--;
    this.wakeReader();
  }

  /** Cancellation: drop everything, wake everyone; later writes are ignored. */
  discard(): void {
    this.discarded = true;
    this.queue.length = 0;
    this.head = 0;
    this.wakeReader();
    this.wakeWriters();
  }

  stats(): ChannelStats {
    return {
      capacity: this.capacity,
      fill: this.fill,
      maxFill: this.maxFill,
      blockedWrites: this.blockedWrites,
      blockedMs: this.blockedMs,
    };
  }

  private enqueue(batch: Batch): void {
    this.queue.push(batch);
    this.fill += batch.values.length;
    if (this.fill > this.maxFill) this.maxFill = this.fill;
    this.wakeReader();
  }

  private async writeWhenRoom(batch: Batch): Promise<void> {
    this.blockedWrites++;
    const started = performance.now();
    const n = batch.values.length;
    while (!this.discarded && this.fill > 0 && this.fill + n > this.capacity) {
      await new Promise<void>((resolve) => this.writerWakes.push(resolve));
    }
    this.blockedMs += performance.now() - started;
    if (!this.discarded) this.enqueue(batch);
  }

  private wakeReader(): void {
    const wake = this.readerWake;
    if (wake !== undefined) {
      this.readerWake = undefined;
      wake();
    }
  }

  private wakeWriters(): void {
    if (this.writerWakes.length === 0) return;
    const wakes = this.writerWakes;
    this.writerWakes = [];
    for (const wake of wakes) wake();
  }
}
