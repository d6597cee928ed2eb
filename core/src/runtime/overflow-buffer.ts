import type { Clock, OverflowDecision, OverflowPolicy, SourceStats } from '@sluice/sdk';
import { RingBuffer } from './ring-buffer.js';

/**
 * @internal The bounded buffer between a push source and its source task. The producer offers
 * records (`offer`), the task takes them as downstream has room (`take`); when the buffer is
 * full, the source's overflow policy decides, and every record is accounted for:
 * `pushed = taken + size + dropped`, exactly, at any moment. Dropped records also go to the
 * `'<source>:dropped'` output's own bounded queue when something reads it.
 */
export class OverflowBuffer {
  pushed = 0;
  taken = 0;
  refused = 0;
  maxFill = 0;
  blockedMs = 0;
  lostDropped = 0;
  readonly dropped: Record<string, number> = {};
  /** No more records are accepted: the source stopped, the producer ended, or it failed. */
  closed = false;
  /** The source task has finished reading: the dropped output ends once it has drained. */
  finished = false;
  /** The policy threw: the source fails with this at its next read. */
  failure: Error | undefined;
  private readonly records: RingBuffer<unknown>;
  private droppedQueue: RingBuffer<unknown> | undefined;
  // Records pushed since a record last found room: what `sample` counts with.
  private overflowed = 0;
  private blockedSince: number | undefined;
  private roomWaiters: (() => void)[] = [];
  private readerWake: (() => void) | undefined;
  private droppedWake: (() => void) | undefined;

  constructor(
    readonly capacity: number,
    readonly policyName: string,
    private readonly policy: OverflowPolicy,
    private readonly clock: Clock,
    private readonly droppedCapacity = capacity,
  ) {
    this.records = new RingBuffer(capacity);
  }

  get size(): number {
    return this.records.size;
  }

  /** Something reads `'<source>:dropped'`: keep dropped records (up to the buffer's size) for it. */
  routeDropped(): void {
    this.droppedQueue ??= new RingBuffer(this.droppedCapacity);
  }

  /** Offers one record; true when the engine took it (buffered or dropped), false when refused. */
  offer(record: unknown): boolean {
    if (this.closed) {
      this.refused++;
      return false;
    }
    if (!this.records.full) {
      this.overflowed = 0;
      this.accept(record);
      return true;
    }
    let decision: OverflowDecision;
    try {
      decision = this.policy.decide(this.overflowed++);
    } catch (err) {
      // A policy that throws fails the source, not the producer that happened to push.
      this.failure ??= err instanceof Error ? err : new Error(String(err));
      this.refused++;
      this.close();
      return false;
    }
    if (decision === 'drop-newest') {
      this.pushed++;
      this.drop(record, decision);
    } else if (decision === 'drop-oldest') {
      this.drop(this.records.shift(), decision);
      this.accept(record);
    } else {
      this.refused++;
      // Time the producer is held back, from the first refusal until the buffer has room again.
      this.blockedSince ??= this.clock.now();
      return false;
    }
    return true;
  }

  /** Takes up to `max` records for the source task, oldest first. */
  take(max: number): unknown[] {
    const batch = this.records.take(max);
    this.taken += batch.length;
    if (batch.length > 0) this.wakeProducers();
    return batch;
  }

  /** Takes up to `max` dropped records for the `'<source>:dropped'` output. */
  takeDropped(max: number): unknown[] {
    return this.droppedQueue?.take(max) ?? [];
  }

  get droppedPending(): number {
    return this.droppedQueue?.size ?? 0;
  }

  /** Resolves when there is room, or once the buffer is closed. */
  ready(): Promise<void> {
    if (!this.records.full || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Resolves at the next offer, close or failure: the source task's pending read looks again. */
  readable(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.readerWake;
      this.readerWake = () => {
        previous?.();
        resolve();
      };
    });
  }

  /** Resolves when a dropped record is queued, or when the source task has finished. */
  droppedReadable(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.droppedWake;
      this.droppedWake = () => {
        previous?.();
        resolve();
      };
    });
  }

  /** Wakes a pending read (a failure to report). */
  wakeReader(): void {
    const wake = this.readerWake;
    this.readerWake = undefined;
    wake?.();
  }

  /** Accepts no more records; wakes the reader and every waiting producer. */
  close(): void {
    this.closed = true;
    this.wakeReader();
    this.wakeProducers();
  }

  /** The source task is done: the dropped output may end. */
  finish(): void {
    this.finished = true;
    this.close();
    this.wakeDropped();
  }

  stats(): Partial<SourceStats> {
    return {
      pushed: this.pushed,
      dropped: { ...this.dropped },
      refused: this.refused,
      bufferFill: this.records.size,
      maxBufferFill: this.maxFill,
      bufferCapacity: this.capacity,
      blockedMs: this.blockedMs + (this.blockedSince === undefined ? 0 : this.clock.now() - this.blockedSince),
      ...(this.droppedQueue === undefined ? {} : { lostDropped: this.lostDropped }),
    };
  }

  private accept(record: unknown): void {
    this.pushed++;
    this.records.push(record);
    if (this.records.size > this.maxFill) this.maxFill = this.records.size;
    this.wakeReader();
  }

  private drop(record: unknown, reason: string): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1;
    const queue = this.droppedQueue;
    if (queue === undefined) return;
    // The dropped output is bounded too: a reader that falls behind loses records, counted.
    if (queue.full) {
      this.lostDropped++;
      return;
    }
    queue.push(record);
    this.wakeDropped();
  }

  private wakeProducers(): void {
    if (this.blockedSince !== undefined) {
      this.blockedMs += this.clock.now() - this.blockedSince;
      this.blockedSince = undefined;
    }
    if (this.roomWaiters.length === 0) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  private wakeDropped(): void {
    const wake = this.droppedWake;
    this.droppedWake = undefined;
    wake?.();
  }
}
