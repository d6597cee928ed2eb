import type { Enricher, RateLimiter } from '@sluice/sdk';
import type { Channel } from './channel.js';
import type { FusedSegment } from './fused-segment.js';
import type { OutBuffer } from './out-buffer.js';
import type { StageCounters } from './stage-counters.js';
import { PipelineFailure } from './pipeline-failure.js';
import type { Attempted, StageErrorHandler } from './stage-error-handler.js';
import type { TaskControl } from './task-control.js';
import type { LimitCounters } from './limit-counters.js';
import { isThenable } from './timing.js';
import { driveSegment } from './drive-segment.js';
import { fireDueTimers, untilInputOrTimer } from './processing-time.js';
import { resumeParked, until } from './resume-parked.js';
import { writeOuts } from './write-outs.js';
import { checkpointedEnd, passBarrier, registerSegmentTask, type Checkpointing } from '../checkpoints/task-checkpointing.js';

interface Slot extends Attempted {
  readonly mark: Mark;
  done: boolean;
  failed: boolean;
  result: unknown;
  /** This call is the half-open circuit breaker's probe. */
  probe: boolean;
  /** For a failed slot: what to do with it when it is delivered (`reject`: the breaker was open). */
  action: 'dead-letter' | 'skip' | 'fail' | 'reject';
}

/** An input batch's watermark, released downstream once every record before it has left. */
interface Mark {
  remaining: number;
  readonly watermark: number;
}

/**
 * @internal Runs an async `enrich` stage with up to `concurrency` calls at once. Ordered mode
 * keeps a FIFO of slots and releases results from its head, so at most `concurrency` records
 * are held in all, finished or not (as Flink's ordered async I/O); unordered mode releases each
 * result as it completes. Results are gathered into batches and pushed through the fused
 * segment that follows the stage.
 *
 * A rate-limited enrich stage takes one permit of its limiter per call it starts (a retry takes
 * none: the record already entered the stage); while it waits for one it hands on what is ready
 * and reads nothing, so backpressure pauses the source.
 */
export class EnrichTask {
  private readonly queue: Slot[] = [];
  private queueHead = 0;
  private ready: Slot[] = [];
  private inFlight = 0;
  private wake: (() => void) | undefined;
  private signalled = false;
  private readonly marks: Mark[] = [];
  private watermark = -Infinity;
  private emittedWatermark = -Infinity;
  private values: unknown[] = [];
  private times: number[] = [];
  private positions: number[] = [];
  /** Retries waiting for their back-off on the clock: cancelled if the pipeline is. */
  private readonly timers = new Set<() => void>();

  constructor(
    readonly name: string,
    private readonly input: Channel,
    private readonly enricher: Enricher<unknown, unknown>,
    private readonly concurrency: number,
    private readonly ordered: boolean,
    private readonly segment: FusedSegment,
    private readonly outs: readonly OutBuffer[],
    private readonly handler: StageErrorHandler,
    private readonly counters: StageCounters,
    private readonly batchSize: number,
    private readonly control: TaskControl,
    private readonly checkpointing: Checkpointing | undefined,
    private readonly limit?: { readonly limiter: RateLimiter; readonly counters: LimitCounters },
  ) {
    registerSegmentTask(checkpointing, name, segment);
  }

  async run(): Promise<void> {
    this.limit?.counters.watch('start');
    // A cancel must wake a wait on calls that may never settle.
    const onAbort = () => {
      for (const cancel of this.timers) cancel();
      this.timers.clear();
      this.settleWake();
    };
    this.control.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await driveSegment(
        this.name,
        this.control,
        this.segment,
        this.outs,
        () => this.consume(),
        checkpointedEnd(this.checkpointing, this.name, this.segment),
      );
    } finally {
      this.control.signal.removeEventListener('abort', onAbort);
    }
  }

  private async consume(): Promise<void> {
    for (;;) {
      const batch = this.input.read();
      if (batch === null) break;
      if (batch === undefined) {
        this.deliverReady();
        await this.emit();
        const due = fireDueTimers(this.segment, this.control.clock, this.outs, this.control);
        if (due !== undefined) await due;
        await untilInputOrTimer(
          this.held() === 0 && !this.signalled ? this.input.readable() : this.completion(true),
          this.segment,
          this.control.clock,
        );
        continue;
      }
      if (batch.barrier !== undefined) {
        await this.barrier(batch.barrier, batch.watermark);
        if (this.control.cancelled) return;
        continue;
      }
      const { values, times, positions } = batch;
      const mark: Mark = { remaining: values.length, watermark: batch.watermark };
      this.marks.push(mark);
      for (let i = 0; i < values.length; i++) {
        while (this.held() >= this.concurrency) {
          this.deliverReady();
          if (this.values.length >= this.batchSize) await this.emit();
          if (this.held() >= this.concurrency) await this.completion();
          if (this.control.cancelled) return;
        }
        let probe = false;
        if (this.handler.breaker !== undefined) {
          // Only stages with a circuit breaker ask it, once per record.
          const admitted = await this.admit();
          if (admitted === undefined) return;
          if (admitted === 'reject') {
            mark.remaining--;
            this.handler.reject({ value: values[i], position: positions[i]!, time: times[i]!, attempts: 0, firstFailureAt: 0 });
            continue;
          }
          probe = admitted === 'probe';
        }
        if (this.limit !== undefined && !(await this.permit())) return;
        this.start(mark, values[i], positions[i]!, times[i]!, probe);
      }
      this.input.release(values.length);
      this.deliverReady();
      if (this.values.length >= this.batchSize || this.watermark > this.emittedWatermark) await this.emit();
      const due = fireDueTimers(this.segment, this.control.clock, this.outs, this.control);
      if (due !== undefined) await due;
      if (this.control.cancelled) return;
    }
    while (this.held() > 0 && !this.control.cancelled) {
      this.deliverReady();
      if (this.held() > 0) await this.completion();
    }
    if (this.control.cancelled) return;
    this.deliverReady();
    await this.emit();
  }

  /**
   * A checkpoint barrier: the calls in flight finish and their results leave before the snapshot,
   * so no record is in flight in this stage when the barrier passes (its snapshot holds only the
   * segment after it). This costs the barrier the time of the slowest call in flight.
   */
  private async barrier(id: number, watermark: number): Promise<void> {
    this.marks.push({ remaining: 0, watermark });
    while (this.held() > 0 && !this.control.cancelled) {
      this.deliverReady();
      if (this.held() > 0) await this.completion();
    }
    if (this.control.cancelled) return;
    this.deliverReady();
    await this.emit();
    await passBarrier(this.checkpointing!, this.name, id, this.segment, this.outs);
  }

  // A call may settle while nobody waits (e.g. during a blocked emit): remember it, so the next
  // wait returns at once instead of sleeping until unrelated input arrives.
  private settleWake(): void {
    this.signalled = true;
    const wake = this.wake;
    if (wake !== undefined) {
      this.wake = undefined;
      wake();
    }
  }

  /** Records this stage holds: in flight, or (ordered) finished but waiting behind the head. */
  private held(): number {
    return this.ordered ? this.queue.length - this.queueHead : this.inFlight;
  }

  /**
   * Asks the circuit breaker whether the next record may be called: `pass`, `probe`, `reject`
   * (dead-letter it), or undefined when the pipeline was cancelled meanwhile. With `whileOpen:
   * 'pause'` it waits, having handed on what is ready, until the probe may go.
   */
  private async admit(): Promise<'pass' | 'probe' | 'reject' | undefined> {
    for (;;) {
      const a = this.handler.admission(this.control.clock.now());
      if (typeof a !== 'number') return a;
      this.deliverReady();
      await this.emit();
      // Open: wait for the cooldown; half-open with a probe out: wait for a call to settle.
      if (a === Infinity) await this.completion();
      else await until(this.control.clock, a, this.control.signal);
      if (this.control.cancelled) return undefined;
    }
  }

  // Waits on the clock for one permit of the stage's limiter, handing on what is ready meanwhile;
  // false when the pipeline was cancelled.
  private async permit(): Promise<boolean> {
    const { limiter, counters } = this.limit!;
    const clock = this.control.clock;
    for (;;) {
      if (this.control.cancelled) return false;
      const wait = limiter.acquire(1, clock.now());
      counters.watch('limiter');
      if (!(wait > 0)) return true;
      this.deliverReady();
      await this.emit();
      const start = clock.now();
      await until(clock, start + wait, this.control.signal);
      counters.throttledMs += Math.max(0, clock.now() - start);
    }
  }

  private start(mark: Mark, value: unknown, position: number, time: number, probe: boolean): void {
    const slot: Slot = {
      mark,
      done: false,
      failed: false,
      result: undefined,
      value,
      position,
      time,
      attempts: 0,
      firstFailureAt: 0,
      probe,
      action: 'fail',
    };
    this.inFlight++;
    this.counters.inFlight = this.inFlight;
    if (this.inFlight > this.counters.maxInFlight) this.counters.maxInFlight = this.inFlight;
    if (this.ordered) this.queue.push(slot);
    this.call(slot);
  }

  private call(slot: Slot): void {
    let r: unknown;
    try {
      r = this.enricher.enrich(slot.value, this.control.signal);
    } catch (err) {
      this.failed(slot, err);
      return;
    }
    if (isThenable(r)) {
      r.then(
        (v) => this.settle(slot, false, v),
        (e: unknown) => this.failed(slot, e),
      );
    } else {
      this.settle(slot, false, r);
    }
  }

  /**
   * A call failed: ask the error strategy. A retry keeps the slot (and so its place in ordered
   * mode, and its share of the concurrency) and calls again after the back-off on the clock;
   * otherwise the slot settles with the final decision, carried out when it is delivered.
   */
  private failed(slot: Slot, err: unknown): void {
    if (this.control.cancelled) {
      this.settle(slot, true, err);
      return;
    }
    const probe = slot.probe;
    slot.probe = false;
    let decision;
    try {
      decision = this.handler.decideAsync(err, slot, probe);
    } catch (failure) {
      // The strategy itself failed: the pipeline is failing already; deliver rethrows it.
      this.settle(slot, true, failure);
      return;
    }
    if (typeof decision === 'object') {
      this.retryAt(slot, this.control.clock.now() + decision.retryInMs);
      return;
    }
    slot.action = decision;
    this.settle(slot, true, err);
  }

  private retryAt(slot: Slot, due: number): void {
    let cancel: () => void = () => undefined;
    const fire = () => {
      this.timers.delete(cancel);
      this.retry(slot);
    };
    if (due <= this.control.clock.now()) {
      setImmediate(fire);
      return;
    }
    cancel = this.control.clock.schedule(due, fire);
    this.timers.add(cancel);
  }

  private retry(slot: Slot): void {
    if (this.control.cancelled) {
      this.settle(slot, true, undefined);
      return;
    }
    const a = this.handler.admission(this.control.clock.now());
    if (a === 'reject') {
      slot.action = 'reject';
      this.settle(slot, true, undefined);
    } else if (typeof a === 'number') {
      // Pause: try again when the breaker lets a probe through (or after a cooldown, if one is out).
      this.retryAt(slot, a === Infinity ? this.control.clock.now() + this.handler.breaker!.cooldownMs : a);
    } else {
      slot.probe = a === 'probe';
      this.handler.countRetry();
      this.call(slot);
    }
  }

  private settle(slot: Slot, failed: boolean, result: unknown): void {
    if (slot.probe && !failed) this.handler.probeSucceeded();
    slot.done = true;
    slot.failed = failed;
    slot.result = result;
    this.inFlight--;
    this.counters.inFlight = this.inFlight;
    if (!this.ordered) this.ready.push(slot);
    this.settleWake();
  }

  private advanceWatermark(): void {
    while (this.marks.length > 0 && this.marks[0]!.remaining === 0)
      this.watermark = Math.max(this.watermark, this.marks.shift()!.watermark);
  }

  private deliverReady(): void {
    this.deliverSettled();
    this.advanceWatermark();
  }

  private deliverSettled(): void {
    if (this.ordered) {
      while (this.queueHead < this.queue.length && this.queue[this.queueHead]!.done) {
        this.deliver(this.queue[this.queueHead++]!);
      }
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue.splice(0, this.queueHead);
        this.queueHead = 0;
      }
    } else if (this.ready.length > 0) {
      const ready = this.ready;
      this.ready = [];
      for (const slot of ready) this.deliver(slot);
    }
  }

  private deliver(slot: Slot): void {
    slot.mark.remaining--;
    if (slot.failed) {
      if (slot.result instanceof PipelineFailure) throw slot.result;
      if (slot.action === 'reject') this.handler.reject(slot);
      else this.handler.apply(slot.action, slot.result, slot);
      return;
    }
    if (slot.result === undefined) return;
    this.counters.recordsOut++;
    this.values.push(slot.result);
    this.times.push(slot.time);
    this.positions.push(slot.position);
  }

  private async emit(): Promise<void> {
    // The watermark may pass only when every record before it has left: it must never overtake
    // a record (which would then be late downstream).
    this.advanceWatermark();
    if (this.values.length === 0 && !(this.watermark > this.emittedWatermark)) return;
    this.emittedWatermark = this.watermark;
    const values = this.values;
    const times = this.times;
    const positions = this.positions;
    this.values = [];
    this.times = [];
    this.positions = [];
    this.segment.run(values, times, positions, this.watermark);
    if (this.segment.parked()) await resumeParked(this.segment, this.control, this.outs);
    const blocked = writeOuts(this.outs);
    if (blocked !== undefined) await blocked;
  }

  /** Resolves when a call has settled since the last wait (at once if one already has). */
  private completion(orInput = false): Promise<void> {
    if (this.signalled) {
      this.signalled = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.wake = () => {
        this.signalled = false;
        resolve();
      };
      if (orInput) void this.input.readable().then(resolve);
    });
  }
}
