import { ErrorCodes, SluiceError, type RateLimiter, type SinkConnector } from '@sluice/sdk';
import type { Channel } from './channel.js';
import { recoverFromConnectorError } from './connector-retry.js';
import { PipelineFailure } from './pipeline-failure.js';
import type { SinkCounters } from './sink-counters.js';
import type { TaskControl } from './task-control.js';
import { isThenable } from './timing.js';
import { waitOnClock } from './wait-on-clock.js';
import { crashPoint } from './crash-points.js';
import { fromSnapshotBytes, snapshotBytes } from '../checkpoints/checkpoint-codec.js';
import type { Checkpointing } from '../checkpoints/task-checkpointing.js';

/** A pre-committed transaction of a transactional sink, waiting for its checkpoint to be stored. */
interface PendingCommit {
  readonly id: number;
  readonly handle: unknown;
}

/**
 * @internal Writes a channel's batches to a sink, one at a time: while a write is pending the
 * channel fills and its writers wait.
 *
 * With checkpoints, a transactional sink (`preCommit`/`commit`/`recover`) pre-commits when a
 * barrier arrives, and commits once the coordinator has stored that checkpoint; the pending
 * transactions are part of the sink's snapshot, so a restart commits them again (commits are
 * idempotent) and discards what was written after. Any other sink is at-least-once.
 *
 * A rate-limited sink asks its limiter before each write, in parts of at most `maxPermits`
 * records, and waits on the pipeline clock while the limiter says so. It reads nothing from its
 * channel meanwhile, so the channel fills and backpressure pauses the writers upstream.
 */
export class SinkTask {
  private pending: PendingCommit[] = [];
  // Records written so far, across restarts (checkpointed): the ids of an idempotent sink.
  private ordinal = 0;
  private readonly idempotent: boolean;
  private readonly transactional: boolean;
  // The limiter's limit last seen, to report its changes on the bus.
  private limit = NaN;

  constructor(
    readonly name: string,
    private readonly label: string,
    private readonly input: Channel,
    private readonly connector: SinkConnector<unknown>,
    private readonly counters: SinkCounters,
    private readonly control: TaskControl,
    private readonly checkpointing: Checkpointing | undefined,
    private readonly limiter?: RateLimiter,
  ) {
    this.transactional = typeof connector.preCommit === 'function' && typeof connector.commit === 'function';
    this.idempotent = typeof connector.writeIdempotent === 'function';
    checkpointing?.coordinator.register({
      name,
      restore: (part, id) => this.restore(part, id),
      commit: this.transactional ? (id) => this.commit(id) : undefined,
    });
  }

  async run(): Promise<void> {
    if (this.limiter !== undefined) this.watchLimit('start');
    for (;;) {
      const batch = this.input.read();
      if (batch === null) break;
      if (batch === undefined) {
        await this.input.readable();
        continue;
      }
      if (batch.barrier !== undefined) {
        await this.preCommit(batch.barrier);
        if (this.control.cancelled) return;
        continue;
      }
      if (batch.values.length === 0) continue; // a watermark advance only: nothing for a sink
      if (this.limiter === undefined) {
        if (!(await this.write(batch.values))) return;
        continue;
      }
      const part = this.limiter.maxPermits;
      for (let i = 0; i < batch.values.length; i += part) {
        const values = i === 0 && batch.values.length <= part ? batch.values : batch.values.slice(i, i + part);
        const granted = this.throttle(values.length);
        if (granted !== true && !(await granted)) return;
        if (!(await this.write(values))) return;
      }
    }
    if (this.control.cancelled) return;
    const cp = this.checkpointing;
    if (cp !== undefined && this.transactional) {
      // The last transaction commits with the final checkpoint, not on its own in flush().
      await this.preCommit(cp.coordinator.finalCheckpointId(), false);
      cp.coordinator.finished(this.name, this.snapshot());
      return;
    }
    if (this.connector.flush !== undefined) await this.call(() => this.connector.flush!(), 'flush');
    cp?.coordinator.finished(this.name, this.snapshot());
  }

  // Writes `values` and releases them from the channel; false when the pipeline was cancelled meanwhile.
  private async write(values: readonly unknown[]): Promise<boolean> {
    const firstId = this.ordinal;
    await this.call(() => (this.idempotent ? this.connector.writeIdempotent!(values, firstId) : this.connector.write(values)), 'write');
    if (this.control.cancelled) return false;
    this.ordinal += values.length;
    this.counters.records += values.length;
    this.counters.batches++;
    this.input.release(values.length);
    return true;
  }

  // Asks the limiter for `permits`: true when it grants them at once (the common case, with no
  // promise to await: a limiter that does not hold anything back costs a call, not a turn of the
  // event loop), else a promise of the wait; false when the pipeline was cancelled.
  private throttle(permits: number): boolean | Promise<boolean> {
    if (this.control.cancelled) return false;
    const start = this.control.clock.now();
    const wait = this.acquire(permits, start);
    return wait > 0 ? this.waitForLimiter(permits, start, wait) : true;
  }

  private async waitForLimiter(permits: number, start: number, wait: number): Promise<boolean> {
    const clock = this.control.clock;
    for (;;) {
      await waitOnClock(clock, start + wait, this.control.signal);
      this.counters.throttledMs += Math.max(0, clock.now() - start);
      if (this.control.cancelled) return false;
      start = clock.now();
      wait = this.acquire(permits, start);
      if (!(wait > 0)) return true;
    }
  }

  private acquire(permits: number, now: number): number {
    const wait = this.limiter!.acquire(permits, now);
    // Once per write, not per record: a limiter that adapts its limit is reported without
    // having to know about the bus.
    if (this.limiter!.limit !== this.limit) this.watchLimit('limiter');
    return wait;
  }

  private watchLimit(reason: string): void {
    this.limit = this.limiter!.limit;
    this.control.events.emitLimitChanged(this.name, 'sink', this.limit, reason);
  }

  private async preCommit(id: number, ack = true): Promise<void> {
    if (this.transactional) {
      let handle: unknown;
      await this.call(async () => {
        handle = await this.connector.preCommit!(id);
      }, 'pre-commit');
      this.pending.push({ id, handle });
      crashPoint('after-pre-commit');
    }
    if (ack) this.checkpointing!.coordinator.ack(this.name, id, this.snapshot());
  }

  private snapshot(): Uint8Array {
    return snapshotBytes({ pending: this.pending, ordinal: this.ordinal });
  }

  // Checkpoint `id` is stored: its transactions and any earlier ones still pending become visible.
  private async commit(id: number): Promise<void> {
    const due = this.pending.filter((p) => p.id <= id);
    for (const p of due) {
      await this.connector.commit!(p.handle);
      this.pending = this.pending.filter((q) => q !== p);
    }
  }

  private async restore(part: Uint8Array | undefined, id: number | undefined): Promise<void> {
    const snap = part === undefined ? { pending: [], ordinal: 0 } : fromSnapshotBytes<{ pending: PendingCommit[]; ordinal: number }>(part);
    const pending = snap.pending;
    this.ordinal = snap.ordinal;
    if (typeof this.connector.recover === 'function') {
      const recover = this.connector.recover.bind(this.connector);
      await this.call(
        () =>
          recover(
            pending.map((p) => p.handle),
            id,
          ),
        'recover',
      );
    }
    this.pending = [];
  }

  openContext() {
    return { name: this.name, signal: this.control.signal };
  }

  private async call(fn: () => void | Promise<void>, what: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const r = fn();
        if (isThenable(r)) await r;
        return;
      } catch (err) {
        let retry: boolean;
        try {
          retry = await recoverFromConnectorError(err, attempt, () => this.connector.open?.(this.openContext()), this.control.signal);
        } catch (e) {
          throw new PipelineFailure(
            new SluiceError(
              ErrorCodes.SINK_FAILED,
              `Sink '${this.name}' (${this.label}) failed to ${what}: ${e instanceof Error ? e.message : String(e)}`,
              {
                cause: e,
                details: { sink: this.name },
              },
            ),
          );
        }
        if (!retry) return;
      }
    }
  }
}
