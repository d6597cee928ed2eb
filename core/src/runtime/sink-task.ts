import { ErrorCodes, SluiceError, type SinkConnector } from '@sluice/sdk';
import type { Channel } from './channel.js';
import { recoverFromConnectorError } from './connector-retry.js';
import { PipelineFailure } from './pipeline-failure.js';
import type { SinkCounters } from './sink-counters.js';
import type { TaskControl } from './task-control.js';
import { isThenable } from './timing.js';
import { feedKeyLanes } from './feed-key-lanes.js';
import { KeyLanes } from './key-lanes.js';
import type { RateLimitPlan } from './rate-limit-plan.js';
import { waitForPermits } from './wait-for-permits.js';
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
 * channel meanwhile, so the channel fills and backpressure pauses the writers upstream. Limited
 * `perKey`, it goes through `KeyLanes` instead (see `feedKeyLanes`): each key waits for its own
 * limiter, and a write may carry several keys' records.
 */
export class SinkTask {
  private pending: PendingCommit[] = [];
  // Records written so far, across restarts (checkpointed): the ids of an idempotent sink.
  private ordinal = 0;
  private readonly idempotent: boolean;
  private readonly transactional: boolean;
  private readonly lanes: KeyLanes | undefined;

  constructor(
    readonly name: string,
    private readonly label: string,
    private readonly input: Channel,
    private readonly connector: SinkConnector<unknown>,
    private readonly counters: SinkCounters,
    private readonly control: TaskControl,
    private readonly checkpointing: Checkpointing | undefined,
    private readonly limit?: RateLimitPlan,
  ) {
    this.transactional = typeof connector.preCommit === 'function' && typeof connector.commit === 'function';
    this.idempotent = typeof connector.writeIdempotent === 'function';
    const k = limit?.perKey;
    if (k !== undefined) {
      // The order across keys depends on timing, so the ordinals would name other records after a restart.
      if (this.idempotent && checkpointing !== undefined)
        throw new SluiceError(
          ErrorCodes.INVALID_OPTION,
          `rateLimit of sink '${name}' (${label}): perKey cannot be used on a sink with writeIdempotent in a checkpointed pipeline: the order of records across keys depends on timing, so their ids would not be the same after a restart`,
          { details: { sink: name, option: 'rateLimit.perKey' } },
        );
      this.lanes = counters.limit!.lanes = new KeyLanes(k.keyOf, k.create, k.maxKeys, k.maxHeld);
    }
    checkpointing?.coordinator.register({
      name,
      restore: (part, id) => this.restore(part, id),
      commit: this.transactional ? (id) => this.commit(id) : undefined,
    });
  }

  async run(): Promise<void> {
    this.counters.limit?.watch('start');
    if (this.lanes !== undefined) {
      // The oldest read time of the batches that entered the lanes since the last write. Keys'
      // queues reorder records, so this is only an estimate of the written records' age.
      let oldest = Infinity;
      const ended = await feedKeyLanes(this.name, this.input, this.lanes, this.control, this.counters.limit!, {
        emit: async (granted) => {
          if (granted.values.length === 0) return true;
          const stamp = oldest;
          oldest = Infinity;
          return this.write(granted.values, false, stamp);
        },
        barrier: (id) => this.preCommit(id),
        stamp: (stamp) => {
          if (stamp !== undefined && stamp < oldest) oldest = stamp;
        },
      });
      if (!ended) return;
      return this.end();
    }
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
      if (this.limit === undefined) {
        if (!(await this.write(batch.values, true, batch.stamp))) return;
        continue;
      }
      const part = this.limit.limiter.maxPermits;
      for (let i = 0; i < batch.values.length; i += part) {
        const values = i === 0 && batch.values.length <= part ? batch.values : batch.values.slice(i, i + part);
        const granted = waitForPermits(this.limit.limiter, values.length, this.control, this.counters.limit!);
        if (granted !== true) {
          // Waiting for the limiter counts as the sink's busy time (it is what holds the sink back).
          const from = this.counters.busy === undefined ? 0 : this.counters.now!();
          const ok = await granted;
          this.counters.busy?.add(from, this.counters.now!());
          if (!ok) return;
        }
        if (!(await this.write(values, true, batch.stamp))) return;
      }
    }
    return this.end();
  }

  // The input has ended and everything read was written: the last transaction, flush, final snapshot.
  private async end(): Promise<void> {
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

  // Writes `values` and releases them from the channel (unless keyed: they were released when
  // queued); false when the pipeline was cancelled meanwhile.
  private async write(values: readonly unknown[], release = true, stamp?: number): Promise<boolean> {
    const firstId = this.ordinal;
    const c = this.counters;
    const from = c.busy === undefined ? 0 : c.now!();
    await this.call(() => (this.idempotent ? this.connector.writeIdempotent!(values, firstId) : this.connector.write(values)), 'write');
    if (this.control.cancelled) return false;
    if (c.busy !== undefined) {
      // One clock read per write: busy time, write latency per record and end-to-end latency.
      const to = c.now!();
      c.busy.add(from, to);
      c.latency!.record((to - from) / values.length, values.length, to);
      if (stamp !== undefined && stamp !== Infinity) c.endToEnd!.record(to - stamp, values.length, to);
    }
    this.ordinal += values.length;
    this.counters.records += values.length;
    this.counters.batches++;
    if (release) this.input.release(values.length);
    return true;
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
        if (what === 'write') this.counters.errors++;
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
