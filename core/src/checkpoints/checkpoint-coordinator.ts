import { ErrorCodes, SluiceError, type CheckpointStats, type CheckpointStore, type Clock } from '@sluice/sdk';
import { crashPoint } from '../runtime/crash-points.js';
import type { MetricsBus } from '../monitoring/metrics-bus.js';
import { CorruptCheckpoint, decodeCheckpoint, encodeCheckpoint, type CheckpointData } from './checkpoint-codec.js';

/** @internal A task that takes part in checkpoints. */
export interface CheckpointParticipant {
  readonly name: string;
  /** Applies this task's part of checkpoint `id`, the one the run starts from; undefined on a fresh start. */
  restore(part: Uint8Array | undefined, id: number | undefined): void | Promise<void>;
  /** Sinks: checkpoint `id` is stored; make the transactions it holds visible. */
  commit?(id: number): Promise<void>;
  /** Sources: checkpoint `id` is stored and committed; release what it covers (broker acks). Failures are logged, not fatal. */
  release?(id: number): Promise<void>;
}

/** @internal How the coordinator runs, from the pipeline's `checkpoints` option. */
export interface CoordinatorSettings {
  readonly pipeline: string;
  readonly store: CheckpointStore;
  readonly intervalMs: number;
  readonly retain: number;
  /** 'latest', 'none' or a checkpoint id. */
  readonly restore: 'latest' | 'none' | number;
  readonly clock: Clock;
  readonly log: (message: string) => void;
  readonly fail: (error: SluiceError) => void;
  /** Where the checkpoint events go (`checkpoint:started`, ...). */
  readonly events?: MetricsBus;
}

interface InProgress {
  readonly id: number;
  readonly startedAt: number;
  readonly createdAt: number;
  readonly parts: Map<string, Uint8Array>;
}

/**
 * @internal Runs the asynchronous barrier snapshot algorithm (Chandy–Lamport, as Flink does): on
 * each interval it asks the sources for a barrier with a new id; a source records its position
 * and its segment's state, then sends the barrier after its records; a task with several inputs
 * lines the barriers up (the channel holds back an input whose barrier came first); each task
 * snapshots when the barrier passes it, and a sink pre-commits. When every task has reported,
 * the checkpoint is stored, then the sinks commit. One checkpoint is in progress at a time.
 *
 * At the end of input (or of a graceful stop) every task reports its final state and a final
 * checkpoint is stored, so a completed run's output is committed too.
 */
export class CheckpointCoordinator {
  /** The newest checkpoint whose barrier the sources must send: they compare it with the last they sent. */
  requested = 0;
  private readonly participants = new Map<string, CheckpointParticipant>();
  private readonly finals = new Map<string, Uint8Array>();
  private current: InProgress | undefined;
  private completing: Promise<void> = Promise.resolve();
  private lastId = 0;
  private finalId: number | undefined;
  private cancelTimer: () => void = () => undefined;
  private stopped = false;
  private completed = 0;
  private failed = 0;
  private lastStored: number | undefined;
  private lastDurationMs = 0;
  private lastSizeBytes = 0;
  private maxDurationMs = 0;
  private maxSizeBytes = 0;
  private restoredFrom: number | undefined;
  private readonly skipped: { id: number; reason: string }[] = [];
  // One promise of the next request, shared by every source waiting on a read.
  private nextRequest: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(private readonly settings: CoordinatorSettings) {}

  /** How often checkpoints are taken (a broker source checks its ack deadline against it). */
  get intervalMs(): number {
    return this.settings.intervalMs;
  }

  register(participant: CheckpointParticipant): void {
    this.participants.set(participant.name, participant);
  }

  /**
   * Before any task runs: opens the store, finds the checkpoint to start from (the newest that
   * reads back intact, skipping and logging corrupt ones), and hands every task its part.
   */
  async restore(): Promise<void> {
    const { store, pipeline } = this.settings;
    let ids: number[];
    try {
      await store.open?.({ pipeline });
      ids = [...(await store.list())].sort((a, b) => b - a);
    } catch (err) {
      throw this.error(`could not open its checkpoint store: ${message(err)}`, err);
    }
    this.lastId = ids[0] ?? 0;
    const data = this.settings.restore === 'none' ? undefined : await this.pick(ids);
    if (data !== undefined) {
      for (const task of Object.keys(data.parts)) {
        if (!this.participants.has(task)) {
          throw this.error(
            `checkpoint ${data.id} holds state of '${task}', which this pipeline does not have; start from another checkpoint (checkpoints.restore) or with checkpoints.restore: 'none'`,
          );
        }
      }
      this.restoredFrom = data.id;
    }
    for (const p of this.participants.values()) await p.restore(data?.parts[p.name], data?.id);
    if (data !== undefined) this.settings.events?.emit('checkpoint:restored', { id: data.id, at: this.settings.clock.now() });
  }

  /** Starts triggering checkpoints every interval of the pipeline's clock. */
  start(): void {
    const schedule = () => {
      if (this.stopped) return;
      this.cancelTimer = this.settings.clock.schedule(this.settings.clock.now() + this.settings.intervalMs, () => {
        this.trigger();
        schedule();
      });
    };
    schedule();
  }

  /** Stops triggering (the run ends or failed). */
  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  /** Resolves when no checkpoint is being stored or committed. */
  settled(): Promise<void> {
    return this.completing;
  }

  /** Resolves once a checkpoint newer than `id` is requested: a source blocked in a read sends its barrier then. */
  requestAfter(id: number): Promise<void> {
    if (this.requested > id) return Promise.resolve();
    if (this.nextRequest === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.nextRequest = { promise, resolve };
    }
    return this.nextRequest.promise;
  }

  /** Asks for a checkpoint now, unless one is in progress or the sources have finished. */
  trigger(): number | undefined {
    if (this.current !== undefined || this.finalId !== undefined || this.stopped) return undefined;
    const id = ++this.lastId;
    this.current = { id, startedAt: performance.now(), createdAt: Date.now(), parts: new Map(this.finals) };
    this.requested = id;
    this.nextRequest?.resolve();
    this.nextRequest = undefined;
    this.settings.events?.emit('checkpoint:started', { id, at: this.settings.clock.now() });
    return id;
  }

  /** A task has taken its snapshot for checkpoint `id` (and passed the barrier on). */
  ack(task: string, id: number, part: Uint8Array): void {
    const c = this.current;
    if (c === undefined || c.id !== id) return;
    c.parts.set(task, part);
    if (c.parts.size === this.participants.size) this.complete(c);
  }

  /**
   * A task has finished (end of input or graceful stop) with its final state. That state stands
   * for the task in every later checkpoint: a finished task has no input left, so what it holds
   * is consistent with any barrier that comes after it (its inputs finished before sending one).
   */
  finished(task: string, part: Uint8Array): void {
    this.finals.set(task, part);
    const c = this.current;
    if (c !== undefined && !c.parts.has(task)) this.ack(task, c.id, part);
  }

  /**
   * The id of the final checkpoint, which a finishing sink pre-commits under. Every source has
   * finished by then (a sink finishes last), so no later barrier can come.
   */
  finalCheckpointId(): number {
    if (this.finalId === undefined) {
      this.stop();
      this.finalId = ++this.lastId;
    }
    return this.finalId;
  }

  /** After every task finished normally: stores the final checkpoint and commits the sinks. */
  async finish(): Promise<void> {
    this.stop();
    await this.completing;
    const id = this.finalCheckpointId();
    const started = performance.now();
    const missing = [...this.participants.keys()].filter((name) => !this.finals.has(name));
    if (missing.length > 0) return; // a task did not finish normally: the run failed, no final checkpoint
    this.settings.events?.emit('checkpoint:started', { id, at: this.settings.clock.now() });
    await this.store(
      { id, pipeline: this.settings.pipeline, createdAt: Date.now(), final: true, parts: Object.fromEntries(this.finals) },
      started,
    );
  }

  /** At the very end of the run: closes the store. */
  async close(): Promise<void> {
    try {
      await this.settings.store.close?.();
    } catch (err) {
      this.settings.log(`Pipeline '${this.settings.pipeline}': closing the checkpoint store failed: ${message(err)}`);
    }
  }

  stats(): CheckpointStats {
    return {
      completed: this.completed,
      failed: this.failed,
      lastId: this.lastStored,
      lastDurationMs: this.lastDurationMs,
      lastSizeBytes: this.lastSizeBytes,
      maxDurationMs: this.maxDurationMs,
      maxSizeBytes: this.maxSizeBytes,
      restoredFrom: this.restoredFrom,
      skipped: [...this.skipped],
    };
  }

  private complete(c: InProgress): void {
    this.completing = this.completing.then(async () => {
      try {
        await this.store(
          { id: c.id, pipeline: this.settings.pipeline, createdAt: c.createdAt, final: false, parts: Object.fromEntries(c.parts) },
          c.startedAt,
        );
      } finally {
        if (this.current === c) this.current = undefined;
      }
    });
    // A failure here was reported to the pipeline already (it fails the run).
    this.completing = this.completing.catch(() => undefined);
  }

  private async store(data: CheckpointData, startedAt: number): Promise<void> {
    const bytes = encodeCheckpoint(data);
    crashPoint('before-checkpoint-write');
    try {
      await this.settings.store.write(data.id, bytes);
    } catch (err) {
      // The run goes on; the next checkpoint tries again. Sinks keep their transactions pending.
      this.failed++;
      this.settings.log(`Pipeline '${this.settings.pipeline}': checkpoint ${data.id} could not be stored: ${message(err)}`);
      this.settings.events?.emit('checkpoint:failed', { id: data.id, error: message(err), at: this.settings.clock.now() });
      if (data.final) throw this.error(`could not store its final checkpoint ${data.id}: ${message(err)}`, err);
      return;
    }
    this.completed++;
    this.lastStored = data.id;
    this.lastDurationMs = performance.now() - startedAt;
    this.lastSizeBytes = bytes.byteLength;
    this.maxDurationMs = Math.max(this.maxDurationMs, this.lastDurationMs);
    this.maxSizeBytes = Math.max(this.maxSizeBytes, this.lastSizeBytes);
    crashPoint('before-commit');
    let committed = 0;
    for (const p of this.participants.values()) {
      if (p.commit === undefined) continue;
      if (committed++ > 0) crashPoint('between-commits');
      try {
        await p.commit(data.id);
      } catch (err) {
        // Stored but not committed: a restart from this checkpoint commits again (commits are idempotent).
        const error = this.error(`sink '${p.name}' failed to commit checkpoint ${data.id}: ${message(err)}; a restart commits it`, err);
        this.settings.fail(error);
        throw error;
      }
    }
    for (const p of this.participants.values()) {
      if (p.release === undefined) continue;
      try {
        await p.release(data.id);
      } catch (err) {
        // Unacknowledged messages come again; the source drops those it has returned already.
        this.settings.log(
          `Pipeline '${this.settings.pipeline}': source '${p.name}' could not release what checkpoint ${data.id} covers: ${message(err)}; its messages may be delivered again (the source skips them)`,
        );
      }
    }
    this.settings.events?.emit('checkpoint:completed', {
      id: data.id,
      durationMs: this.lastDurationMs,
      sizeBytes: this.lastSizeBytes,
      at: this.settings.clock.now(),
    });
    await this.prune(data.id);
  }

  private async prune(newest: number): Promise<void> {
    try {
      const ids = [...(await this.settings.store.list())].filter((id) => id <= newest).sort((a, b) => b - a);
      for (const id of ids.slice(this.settings.retain)) await this.settings.store.remove(id);
    } catch (err) {
      this.settings.log(`Pipeline '${this.settings.pipeline}': could not remove old checkpoints: ${message(err)}`);
    }
  }

  private async pick(ids: readonly number[]): Promise<CheckpointData | undefined> {
    const wanted = this.settings.restore;
    const candidates = typeof wanted === 'number' ? ids.filter((id) => id === wanted) : ids;
    if (typeof wanted === 'number' && candidates.length === 0) {
      throw this.error(
        `checkpoint ${wanted} (checkpoints.restore) is not in the store; it holds ${ids.length === 0 ? 'none' : ids.join(', ')}`,
      );
    }
    for (const id of candidates) {
      let reason: string;
      try {
        const bytes = await this.settings.store.read(id);
        if (bytes === undefined) reason = 'listed but not readable';
        else return decodeCheckpoint(bytes, id);
      } catch (err) {
        if (!(err instanceof CorruptCheckpoint)) throw this.error(`could not read checkpoint ${id}: ${message(err)}`, err);
        reason = err.message;
      }
      this.skipped.push({ id, reason });
      this.settings.log(`Pipeline '${this.settings.pipeline}': skipping checkpoint ${id}: ${reason}`);
      if (typeof wanted === 'number') throw this.error(`checkpoint ${id} (checkpoints.restore) is unusable: ${reason}`);
    }
    return undefined;
  }

  private error(text: string, cause?: unknown): SluiceError {
    return new SluiceError(ErrorCodes.CHECKPOINT_FAILED, `Pipeline '${this.settings.pipeline}' ${text}`, {
      cause,
      details: { pipeline: this.settings.pipeline },
    });
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
