import { ErrorCodes, SluiceError, type SourceConnector, type SourceContext, type SourceOptions } from '@sluice/sdk';
import { recoverFromConnectorError } from './connector-retry.js';
import type { FusedSegment } from './fused-segment.js';
import type { OutBuffer } from './out-buffer.js';
import type { SegmentMeter } from './segment-meter.js';
import { stampOuts } from './stamp-outs.js';
import { PipelineFailure } from './pipeline-failure.js';
import type { SourceCounters } from './source-counters.js';
import type { TaskControl } from './task-control.js';
import { isThenable, sleep, yieldToEventLoop } from './timing.js';
import type { WatermarkTracker } from './watermark-tracker.js';
import type { DeadLetterQueue } from './dead-letter-queue.js';
import { driveSegment } from './drive-segment.js';
import { fireDueTimers, untilInputOrTimer } from './processing-time.js';
import { resumeParked } from './resume-parked.js';
import { writeOuts } from './write-outs.js';
import { checkpointedEnd, passBarrier, restoreTask, type Checkpointing } from '../checkpoints/task-checkpointing.js';

// A busy source, and the tasks downstream that it wakes through promises only, would otherwise
// never let timers, I/O or signals run: give the event loop a turn at least this often.
const YIELD_EVERY_MS = 10;
// No position was taken before the pending read.
const NOT_CAPTURED = Symbol('not captured');
// Longest wait between reads of a source that keeps returning nothing.
const MAX_IDLE_WAIT_MS = 50;

/**
 * @internal Pulls batches from one source and pushes each through the source's fused segment.
 * It reads only when the previous batch's outputs were accepted, so a full channel downstream
 * pauses the pull: that is where backpressure ends.
 */
export class SourceTask {
  // Clock time of the last batch with records (or of the start): idleness is measured from it.
  private quietSince = 0;
  // The last checkpoint barrier sent.
  private lastBarrier = 0;
  // Ordinal of the next record (positions of records in stage errors and dead letters).
  private position = 0;
  private restored = false;
  private positionBeforeRead: unknown = NOT_CAPTURED;
  private lastReadAsync = true;
  // Positions sent with barriers (and the final one), until their checkpoint is stored: then the
  // connector's commit() releases them (a broker's acks).
  private readonly uncommitted: { id: number; position: unknown }[] = [];
  private finalPosition: unknown = NOT_CAPTURED;
  private lastCommitted: string | undefined;

  constructor(
    readonly name: string,
    private readonly label: string,
    private readonly connector: SourceConnector<unknown>,
    private readonly segment: FusedSegment,
    private readonly outs: readonly OutBuffer[],
    private readonly batchSize: number,
    private readonly eventTime: ((value: unknown) => number) | undefined,
    private readonly watermarks: WatermarkTracker,
    private readonly idleTimeoutMs: number,
    private readonly counters: SourceCounters,
    private readonly control: TaskControl,
    private readonly deadLetters: DeadLetterQueue,
    private readonly checkpointing: Checkpointing | undefined,
    private readonly startAt: SourceOptions<unknown>['startAt'] = undefined,
    // A push source's buffer holds records the engine has already taken from the producer: a
    // stop drains them (the source ends when its read says so) instead of leaving them behind.
    private readonly drainOnStop = false,
    // Batches, busy time and latency of the source's fused loop; the read time stamps the batches.
    private readonly meter?: SegmentMeter,
  ) {
    checkpointing?.coordinator.register({
      name,
      restore: (part) => this.restore(part),
      release: typeof connector.commit === 'function' ? (id) => this.release(id) : undefined,
    });
  }

  run(): Promise<void> {
    const end = checkpointedEnd(this.checkpointing, this.name, this.segment, () => {
      const state = this.ownState();
      this.finalPosition = state.position;
      return state;
    });
    return driveSegment(this.name, this.control, this.segment, this.outs, () => this.pull(), end);
  }

  // A rewindable source's position, its watermark and its record count: with the segment's
  // state, what a checkpoint needs to go on from here.
  private ownState(position: unknown = this.connector.position?.()): Record<string, unknown> {
    return { position, watermark: this.watermarks.snapshot(), ordinal: this.position };
  }

  // The newest requested checkpoint's barrier, with this source's state (taken between batches).
  private async sendBarrier(state: Record<string, unknown>): Promise<void> {
    this.lastBarrier = this.checkpointing!.coordinator.requested;
    if (this.connector.commit !== undefined) this.uncommitted.push({ id: this.lastBarrier, position: state.position });
    await passBarrier(this.checkpointing!, this.name, this.lastBarrier, this.segment, this.outs, state);
  }

  // Checkpoint `id` is stored: commit the newest position it covers. A checkpoint this source
  // sent no barrier for, newer than its last barrier, was taken after it finished: its final position.
  private async release(id: number): Promise<void> {
    let position: unknown = NOT_CAPTURED;
    while (this.uncommitted.length > 0 && this.uncommitted[0]!.id <= id) position = this.uncommitted.shift()!.position;
    if (position === NOT_CAPTURED && this.finalPosition !== NOT_CAPTURED && id > this.lastBarrier) {
      position = this.finalPosition;
      this.finalPosition = NOT_CAPTURED;
    }
    if (position === NOT_CAPTURED || position === undefined) return;
    // The final checkpoint often holds the position the last barrier had: commit it once.
    const key = JSON.stringify(position);
    if (key === this.lastCommitted) return;
    this.lastCommitted = key;
    await this.connector.commit!(position);
  }

  private async restore(part: Uint8Array | undefined): Promise<void> {
    if (part === undefined) return;
    this.restored = true;
    const snap = restoreTask(this.checkpointing!, this.name, this.segment, part);
    this.watermarks.restore(snap.watermark as { watermark: number; maxTime: number });
    this.position = snap.ordinal as number;
    if (snap.position !== undefined && this.connector.seek !== undefined) await this.seek(snap.position, 'its checkpointed position');
  }

  private async seek(position: unknown, what: string): Promise<void> {
    try {
      await this.connector.seek!(position);
    } catch (err) {
      throw new PipelineFailure(
        new SluiceError(
          ErrorCodes.SOURCE_FAILED,
          `Source '${this.name}' (${this.label}) failed to seek to ${what} ${JSON.stringify(position)}: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err, details: { source: this.name } },
        ),
      );
    }
  }

  // Replay from an event time: records before it are skipped (always, so that a restored run
  // skips the same out-of-order ones as the run it continues).
  private skipEarly(
    values: readonly unknown[],
    times: number[],
    from: number,
  ): { values: unknown[]; times: number[]; positions: number[] } {
    const kept: { values: unknown[]; times: number[]; positions: number[] } = { values: [], times: [], positions: [] };
    for (let i = 0; i < values.length; i++) {
      if (times[i]! < from) continue;
      kept.values.push(values[i]);
      kept.times.push(times[i]!);
      kept.positions.push(this.position + i);
    }
    this.counters.skipped += values.length - kept.values.length;
    return kept;
  }

  private async pull(): Promise<void> {
    const clock = this.control.clock;
    const checkpoints = this.checkpointing?.coordinator;
    let lastYield = performance.now();
    let attempt = 0;
    const startAt = this.startAt;
    if (!this.restored && startAt !== undefined && 'position' in startAt) await this.seek(startAt.position, 'its startAt position');
    const skipBefore = startAt !== undefined && 'eventTime' in startAt ? startAt.eventTime : undefined;
    let idle = 0;
    this.quietSince = clock.now();
    while ((!this.control.stopping || this.drainOnStop) && !this.control.cancelled) {
      // Between two reads nothing is in flight in this task: the place for a barrier.
      if (checkpoints !== undefined && checkpoints.requested > this.lastBarrier) {
        await this.sendBarrier(this.ownState());
        // Let the tasks downstream take the barrier now rather than after this source's next
        // stretch of reads: the checkpoint completes sooner (one event-loop turn per checkpoint).
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      const due = fireDueTimers(this.segment, clock, this.outs, this.control);
      if (due !== undefined) await due;
      let values: readonly unknown[];
      try {
        // A barrier sent while this read is pending must not see what the read has consumed so
        // far: keep the position from before it. Only for a source whose last read was async (a
        // sync read is never pending, and position() may cost a copy); without it, a barrier
        // waits for the read.
        this.positionBeforeRead = checkpoints !== undefined && this.lastReadAsync ? this.connector.position?.() : NOT_CAPTURED;
        const r = this.connector.read(this.batchSize);
        this.lastReadAsync = isThenable(r);
        values = isThenable(r) ? await this.awaitRead(r as PromiseLike<readonly unknown[]>) : r;
        attempt = 0;
      } catch (err) {
        // A read cut short by stop() is the end of this source, not a failure.
        if (SluiceError.is(err, ErrorCodes.END_OF_STREAM) || (this.control.stopping && !this.drainOnStop)) break;
        if (await this.recover(err, attempt++)) continue;
        break;
      }
      if (this.control.cancelled) break;
      if (!Array.isArray(values)) throw this.badBatch(values);
      const n = values.length;
      if (n === 0) {
        // Nothing ready: poll again soon, but back off so an idle source does not spin a core.
        if (idle === 0) await yieldToEventLoop();
        else await untilInputOrTimer(sleep(Math.min(2 ** (idle - 1), MAX_IDLE_WAIT_MS), this.control.stopSignal), this.segment, clock);
        idle++;
        lastYield = performance.now();
        await this.markIdleIfQuiet();
        continue;
      }
      idle = 0;
      // The read has returned: from here to the end of the segment's run is this task's work, and
      // this moment is when the records entered the pipeline (end-to-end latency starts here).
      const from = this.meter === undefined ? 0 : this.meter.start();
      if (this.meter?.busy !== undefined) stampOuts(this.outs, from);
      let times: number[] | undefined;
      let positions: number | number[] = this.position;
      if (this.eventTime !== undefined) {
        times = this.times(values);
        if (skipBefore !== undefined) ({ values, times, positions } = this.skipEarly(values, times, skipBefore));
        this.watermarks.observe(times);
      }
      this.quietSince = clock.now();
      if (this.outs.some((o) => o.idle)) for (const out of this.outs) out.idle = false;
      this.segment.run(values, times, positions, this.watermarks.watermark);
      if (this.segment.parked()) await resumeParked(this.segment, this.control, this.outs);
      this.meter?.done(from, n);
      this.position += n;
      this.counters.records += n;
      this.counters.batches++;
      const blocked = writeOuts(this.outs);
      if (blocked !== undefined) {
        // How long it waits is measured by the channels (the task's flow meter): see pausedMs.
        this.counters.pausedCount++;
        await blocked;
      }
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
  }

  /**
   * Awaits a pending read; meanwhile runs the segment's processing-time work as it falls due, and
   * marks the source idle once it has been quiet for `idleTimeout`: a read that blocks is as
   * quiet as one that returns nothing.
   */
  private async awaitRead(r: PromiseLike<readonly unknown[]>): Promise<readonly unknown[]> {
    const checkpoints = this.checkpointing?.coordinator;
    if (!this.segment.usesProcessingTime && this.idleTimeoutMs === 0 && checkpoints === undefined) return r;
    const clock = this.control.clock;
    const read = Promise.resolve(r);
    const settled = read.then(
      () => true,
      () => true,
    );
    for (;;) {
      const idleAt = this.idleTimeoutMs > 0 && !this.outs.every((o) => o.idle) ? this.quietSince + this.idleTimeoutMs : Infinity;
      const next = Math.min(this.segment.usesProcessingTime ? this.segment.nextProcessingTime() : Infinity, idleAt);
      if (next === Infinity && checkpoints === undefined) return read;
      let cancel: () => void = () => undefined;
      const timer =
        next === Infinity
          ? new Promise<boolean>(() => undefined)
          : new Promise<boolean>((resolve) => {
              cancel = clock.schedule(next, () => resolve(false));
            });
      // A read that blocks (a quiet feed) must not hold a checkpoint back: nothing of this source
      // is in flight meanwhile, so its barrier can go now, with the position of what it returned.
      const barrier =
        checkpoints === undefined || this.positionBeforeRead === NOT_CAPTURED
          ? timer
          : checkpoints.requestAfter(this.lastBarrier).then(() => false);
      const done = await Promise.race([settled, timer, barrier]);
      cancel();
      if (done) return read;
      if (checkpoints !== undefined && this.positionBeforeRead !== NOT_CAPTURED && checkpoints.requested > this.lastBarrier) {
        await this.sendBarrier(this.ownState(this.positionBeforeRead));
      }
      const due = fireDueTimers(this.segment, clock, this.outs, this.control);
      if (due !== undefined) await due;
      await this.markIdleIfQuiet();
    }
  }

  private async markIdleIfQuiet(): Promise<void> {
    if (this.idleTimeoutMs <= 0 || this.outs.every((o) => o.idle)) return;
    if (this.control.clock.now() - this.quietSince < this.idleTimeoutMs) return;
    // Quiet for too long: tell downstream to stop waiting on this source's watermark.
    for (const out of this.outs) out.idle = true;
    await writeOuts(this.outs);
  }

  private badBatch(values: unknown): PipelineFailure {
    return new PipelineFailure(
      new SluiceError(
        ErrorCodes.SOURCE_FAILED,
        `Source '${this.name}' (${this.label}): read() returned ${values === null ? 'null' : typeof values}, not an array of records; return [] when nothing is ready and throw EndOfStreamError at the end`,
        { details: { source: this.name } },
      ),
    );
  }

  private times(values: readonly unknown[]): number[] {
    const times = new Array<number>(values.length);
    for (let i = 0; i < values.length; i++) {
      let t: number;
      try {
        t = this.eventTime!(values[i]);
      } catch (err) {
        throw new PipelineFailure(
          new SluiceError(
            ErrorCodes.SOURCE_FAILED,
            `Source '${this.name}' (${this.label}): its eventTime option threw: ${err instanceof Error ? err.message : String(err)}`,
            {
              cause: err,
              details: { source: this.name },
            },
          ),
        );
      }
      if (typeof t !== 'number' || Number.isNaN(t)) {
        throw new PipelineFailure(
          new SluiceError(
            ErrorCodes.SOURCE_FAILED,
            `Source '${this.name}' (${this.label}): its eventTime option returned ${String(t)} for a record; it must return ms since the epoch as a number`,
            { details: { source: this.name } },
          ),
        );
      }
      times[i] = t;
    }
    return times;
  }

  private async recover(err: unknown, attempt: number): Promise<boolean> {
    try {
      return await recoverFromConnectorError(err, attempt, () => this.connector.open?.(this.openContext()), this.control.stopSignal);
    } catch (e) {
      throw new PipelineFailure(
        new SluiceError(
          ErrorCodes.SOURCE_FAILED,
          `Source '${this.name}' (${this.label}) failed to read: ${e instanceof Error ? e.message : String(e)}`,
          {
            cause: e,
            details: { source: this.name },
          },
        ),
      );
    }
  }

  openContext(): SourceContext {
    return {
      name: this.name,
      batchSize: this.batchSize,
      signal: this.control.stopSignal,
      checkpointIntervalMs: this.checkpointing?.coordinator.intervalMs,
      deadLetter: (payload, error, position) => {
        this.counters.deadLettered++;
        this.deadLetters.add({
          stage: this.name,
          value: payload,
          position,
          eventTime: undefined,
          error: { name: error.name, message: error.message, stack: error.stack, ...(SluiceError.is(error) ? { code: error.code } : {}) },
          attempts: 1,
          time: Date.now(),
        });
      },
    };
  }
}
