import type { ChannelStats } from '@sluice/sdk';
import type { Batch } from './batch.js';
import type { FlowMeter } from './flow-meter.js';

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
  private openWriters = 0;
  private discarded = false;
  // Each writer's latest watermark (+Infinity once closed or while idle); the reader gets the
  // minimum, never going back.
  private readonly writerWatermarks: number[] = [];
  private readonly writerIdle: boolean[] = [];
  private readonly writerClosed: boolean[] = [];
  // The flow meter of each writer's task: told when one of its writes has to wait for room.
  private readonly writerMeters: (FlowMeter | undefined)[] = [];
  private readerWatermark = -Infinity;
  // Checkpoint barrier alignment: a writer whose barrier has come has its later batches held here
  // (still counted in `fill`, so it feels backpressure) until every open writer's barrier has come.
  private readonly held: (Batch[] | undefined)[] = [];
  private heldBarrier = 0;
  private readerWake: (() => void) | undefined;
  private writerWakes: (() => void)[] = [];

  constructor(
    readonly name: string,
    readonly capacity: number,
  ) {}

  /** Registers one more writer; returns its index. */
  addWriter(): number {
    this.openWriters++;
    this.writerIdle.push(false);
    this.writerClosed.push(false);
    this.writerMeters.push(undefined);
    this.held.push(undefined);
    return this.writerWatermarks.push(-Infinity) - 1;
  }

  /** Measures the waits of `writer`'s writes for room with `meter` (its task's). */
  meterWriter(writer: number, meter: FlowMeter): void {
    this.writerMeters[writer] = meter;
  }

  /** The watermark the reader has been given so far. */
  get watermark(): number {
    return this.readerWatermark;
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
  closeWriter(writer: number): void {
    this.openWriters--;
    this.writerClosed[writer] = true;
    this.advanceReaderWatermark();
    this.releaseIfAligned();
    this.wakeReader();
  }

  /** Cancellation: drop everything, wake everyone; later writes are ignored. */
  discard(): void {
    this.discarded = true;
    this.queue.length = 0;
    this.held.fill(undefined);
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
    const held = this.held[batch.writer];
    if (held !== undefined) {
      held.push(batch);
      this.count(batch.values.length);
      return;
    }
    if (batch.barrier !== undefined) {
      this.combine(batch);
      this.held[batch.writer] = [];
      this.heldBarrier = batch.barrier;
      this.releaseIfAligned();
      return;
    }
    batch.watermark = this.combine(batch);
    this.queue.push(batch);
    this.count(batch.values.length);
    this.wakeReader();
  }

  private count(n: number): void {
    this.fill += n;
    if (this.fill > this.maxFill) this.maxFill = this.fill;
  }

  // Once every open writer has sent its barrier, the reader gets one barrier, then the held batches.
  private releaseIfAligned(): void {
    let any = false;
    for (let i = 0; i < this.held.length; i++) {
      if (this.held[i] !== undefined) any = true;
      else if (this.writerClosed[i] !== true) return;
    }
    if (!any) return;
    this.queue.push({
      values: [],
      times: [],
      positions: [],
      watermark: this.readerWatermark,
      writer: -1,
      idle: false,
      barrier: this.heldBarrier,
      stamp: Infinity,
    });
    const held = this.held.map((h) => h ?? []);
    this.held.fill(undefined);
    for (const batches of held) {
      for (const b of batches) {
        this.fill -= b.values.length;
        this.enqueue(b);
      }
    }
    this.wakeReader();
  }

  private combine(batch: Batch): number {
    const w = batch.writer;
    this.writerIdle[w] = batch.idle;
    if (batch.watermark > this.writerWatermarks[w]!) this.writerWatermarks[w] = batch.watermark;
    this.advanceReaderWatermark();
    return this.readerWatermark;
  }

  // Minimum over open writers that are not idle. Closed writers no longer count; when every open
  // writer is idle, the furthest of them holds, so windows can still close on it.
  private advanceReaderWatermark(): void {
    let min = Infinity;
    let furthestIdle = -Infinity;
    let anyOpen = false;
    for (let i = 0; i < this.writerWatermarks.length; i++) {
      const wm = this.writerWatermarks[i]!;
      if (this.writerClosed[i] === true) continue;
      anyOpen = true;
      if (this.writerIdle[i] === true) furthestIdle = Math.max(furthestIdle, wm);
      else min = Math.min(min, wm);
    }
    const next = !anyOpen ? Infinity : min === Infinity ? furthestIdle : min;
    if (next > this.readerWatermark) this.readerWatermark = next;
  }

  private async writeWhenRoom(batch: Batch): Promise<void> {
    this.blockedWrites++;
    const meter = this.writerMeters[batch.writer];
    meter?.begin();
    const started = performance.now();
    const n = batch.values.length;
    while (!this.discarded && this.fill > 0 && this.fill + n > this.capacity) {
      await new Promise<void>((resolve) => this.writerWakes.push(resolve));
    }
    this.blockedMs += performance.now() - started;
    meter?.end();
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
