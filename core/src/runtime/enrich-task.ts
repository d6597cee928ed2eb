import { ErrorCodes, SluiceError, type ConcurrencyLimiter, type ConcurrencyOutcome, type Enricher, type RateLimiter } from '@sluice/sdk';
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
import { stateKey } from './state-key.js';
import { writeOuts } from './write-outs.js';
import type { SegmentMeter } from './segment-meter.js';
import { stampOuts } from './stamp-outs.js';
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
  /** Keyed mode: the record's key, compared by value. */
  key: unknown;
  /** When the current call started, on the pipeline clock, and the calls in flight then (for the limiter's sample). */
  calledAt: number;
  inFlightAtCall: number;
  /** When the current call started, on the precise clock (detailed metrics: the call's latency). */
  startedAt: number;
}

/**
 * @internal How an enrich stage orders its results: `ordered` (input order), `unordered` (as
 * calls complete) or `keyed` (each key's records in input order, keys independent).
 */
export type EnrichMode = 'ordered' | 'unordered' | 'keyed';

/** @internal What an enrich stage adapts with: its concurrency limiter, and the key of keyed mode. */
export interface EnrichAdaptation {
  readonly limiter?: ConcurrencyLimiter;
  readonly keyOf?: (value: unknown) => unknown;
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
 * result as it completes. Keyed mode runs one call per key at a time: a record whose key is busy
 * waits in its key's queue, so each key keeps its order while other keys go on; the records
 * held, running or waiting, stay within `concurrency`. Results are gathered into batches and
 * pushed through the fused segment that follows the stage.
 *
 * With a concurrency limiter, new calls start only while fewer than its limit are in flight,
 * and each finished call gives it a sample. A `BackoffError` pauses the stage: no call starts
 * until its wait has passed on the clock, then the record is called again (in its slot).
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
  /** The limit in force: the limiter's, within [1, concurrency]; `concurrency` without a limiter. */
  private limit: number;
  /** A `BackoffError` paused the stage until `pausedUntil`: no call starts meanwhile. */
  private paused = false;
  private pausedUntil = -Infinity;
  private pauseGeneration = 0;
  /** What waits for the end of the pause: calls again of backed-off records, and retries that fell due. */
  private afterPause: (() => void)[] = [];
  /** Keyed mode: the keys with a record in flight, each with its records waiting behind it. */
  private readonly busyKeys = new Map<unknown, Slot[]>();
  /** Keyed mode: records whose key is free (or whose turn came), waiting for the limit or the pause. */
  private runnable: Slot[] = [];
  private runnableHead = 0;
  /** Keyed mode: records held but not started (in `busyKeys` queues and `runnable`). */
  private waiting = 0;
  private pumping = false;
  private readonly limiter: ConcurrencyLimiter | undefined;
  private readonly keyOf: ((value: unknown) => unknown) | undefined;

  constructor(
    readonly name: string,
    private readonly input: Channel,
    private readonly enricher: Enricher<unknown, unknown>,
    private readonly concurrency: number,
    private readonly mode: EnrichMode,
    private readonly segment: FusedSegment,
    private readonly outs: readonly OutBuffer[],
    private readonly handler: StageErrorHandler,
    private readonly counters: StageCounters,
    private readonly batchSize: number,
    private readonly control: TaskControl,
    private readonly checkpointing: Checkpointing | undefined,
    adaptation: EnrichAdaptation = {},
    private readonly rateLimit?: { readonly limiter: RateLimiter; readonly counters: LimitCounters },
    // Its busy time is the time every call slot was taken (saturated); its latency, each call's.
    private readonly meter?: SegmentMeter,
  ) {
    registerSegmentTask(checkpointing, name, segment);
    this.limiter = adaptation.limiter;
    this.keyOf = adaptation.keyOf;
    this.limit = concurrency;
    if (this.limiter !== undefined) {
      this.limit = this.clampLimit(this.limiter.limit);
      counters.limit = this.limit;
    }
  }

  async run(): Promise<void> {
    this.rateLimit?.counters.watch('start');
    if (this.limiter !== undefined) this.counters.limitStarted(this.limit);
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
      this.meter?.busy?.end();
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
      if (this.meter !== undefined) {
        this.meter.batches++;
        if (values.length > this.meter.maxBatchSize) this.meter.maxBatchSize = values.length;
      }
      stampOuts(this.outs, batch.stamp);
      const mark: Mark = { remaining: values.length, watermark: batch.watermark };
      this.marks.push(mark);
      for (let i = 0; i < values.length; i++) {
        if (!(await this.room())) return;
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
        if (this.rateLimit !== undefined && !(await this.permit())) return;
        if (this.mode === 'keyed') this.enqueue(mark, values[i], positions[i]!, times[i]!, probe);
        else this.start(mark, values[i], positions[i]!, times[i]!, probe);
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

  /** Records this stage holds: in flight, (ordered) finished but waiting behind the head, or (keyed) waiting for their turn. */
  private held(): number {
    if (this.mode === 'ordered') return this.queue.length - this.queueHead;
    return this.mode === 'keyed' ? this.inFlight + this.waiting : this.inFlight;
  }

  /** Whether a new call may start now: below the limit and not paused by a back-off. */
  private canStart(): boolean {
    return !this.paused && this.inFlight < this.limit;
  }

  /**
   * Waits until the stage may take the next record: it holds fewer than `concurrency` and (but
   * in keyed mode, which queues records until they may start) a call may start. Meanwhile it
   * takes no input, so the channel fills and backpressure reaches the source. False: cancelled.
   */
  private async room(): Promise<boolean> {
    const full = () => this.held() >= this.concurrency || (this.mode !== 'keyed' && !this.canStart());
    while (full()) {
      this.deliverReady();
      // During a back-off, hand on what is done rather than sit on it for the whole wait.
      if (this.values.length >= this.batchSize || (this.paused && this.values.length > 0)) await this.emit();
      if (full()) await this.completion();
      if (this.control.cancelled) return false;
    }
    return !this.control.cancelled;
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
    const { limiter, counters } = this.rateLimit!;
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
    const slot = this.slot(mark, value, position, time, probe);
    if (this.mode === 'ordered') this.queue.push(slot);
    this.launch(slot);
  }

  /**
   * Keyed mode: takes a record in. Its key busy: it waits behind the key's records; else it is
   * runnable, and starts as soon as the limit and a back-off allow.
   */
  private enqueue(mark: Mark, value: unknown, position: number, time: number, probe: boolean): void {
    const slot = this.slot(mark, value, position, time, probe);
    slot.key = stateKey(this.keyOf!(value));
    this.waiting++;
    const queued = this.busyKeys.get(slot.key);
    if (queued !== undefined) {
      queued.push(slot);
      return;
    }
    this.busyKeys.set(slot.key, []);
    this.runnable.push(slot);
    this.pump();
  }

  /** Keyed mode: starts runnable records, oldest first, while the limit and a back-off allow. */
  private pump(): void {
    // A call that settles at once would pump again from inside this loop: the loop goes on instead.
    if (this.pumping || this.mode !== 'keyed') return;
    this.pumping = true;
    try {
      while (this.runnableHead < this.runnable.length && this.canStart() && !this.control.cancelled) {
        const slot = this.runnable[this.runnableHead++]!;
        this.waiting--;
        this.launch(slot);
      }
      if (this.runnableHead > 1024 && this.runnableHead * 2 > this.runnable.length) {
        this.runnable = this.runnable.slice(this.runnableHead);
        this.runnableHead = 0;
      }
    } finally {
      this.pumping = false;
    }
  }

  private slot(mark: Mark, value: unknown, position: number, time: number, probe: boolean): Slot {
    return {
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
      key: undefined,
      calledAt: 0,
      inFlightAtCall: 0,
      startedAt: 0,
    };
  }

  private launch(slot: Slot): void {
    this.inFlight++;
    this.counters.inFlight = this.inFlight;
    if (this.inFlight > this.counters.maxInFlight) this.counters.maxInFlight = this.inFlight;
    if (this.inFlight >= this.limit) this.meter?.busy?.begin();
    this.call(slot);
  }

  private call(slot: Slot): void {
    slot.calledAt = this.control.clock.now();
    slot.inFlightAtCall = this.inFlight;
    if (this.meter?.latency !== undefined) slot.startedAt = this.meter.now();
    let r: unknown;
    try {
      r = this.enricher.enrich(slot.value, this.control.signal);
    } catch (err) {
      this.failed(slot, err);
      return;
    }
    if (isThenable(r)) {
      r.then(
        (v) => this.succeeded(slot, v),
        (e: unknown) => this.failed(slot, e),
      );
    } else {
      this.succeeded(slot, r);
    }
  }

  private succeeded(slot: Slot, result: unknown): void {
    if (!this.control.cancelled) this.observe(slot, 'success');
    this.settle(slot, false, result);
  }

  /** Gives the limiter the finished call's sample, and records a change of the limit. */
  private observe(slot: Slot, outcome: ConcurrencyOutcome): void {
    if (this.limiter === undefined) return;
    const now = this.control.clock.now();
    let next: number;
    try {
      this.limiter.onSample({ rttMs: now - slot.calledAt, inFlight: slot.inFlightAtCall, outcome, now });
      next = this.clampLimit(this.limiter.limit);
    } catch (err) {
      this.control.fail(
        new SluiceError(ErrorCodes.STAGE_FAILED, `The concurrency limiter of stage '${this.name}' failed: ${errorText(err)}`, {
          cause: err,
          details: { stage: this.name },
        }),
        this.name,
      );
      return;
    }
    if (next === this.limit) return;
    const previous = this.limit;
    this.limit = next;
    this.counters.limitChanged(previous, next, outcome);
    // A higher limit lets waiting records start.
    if (next > previous) {
      this.pump();
      this.settleWake();
    }
  }

  // The engine keeps a limiter's limit to a whole number of calls in [1, concurrency]: a limiter
  // that says 0 (or nonsense) must not stall the stage, nor exceed what the stage promised.
  private clampLimit(limit: number): number {
    const n = Math.floor(limit);
    return Number.isFinite(n) ? Math.max(1, Math.min(this.concurrency, n)) : this.concurrency;
  }

  /**
   * A `BackoffError`: the service asks for a pause. No failure, no retry: no call starts until
   * the wait is over on the clock, then this record is called again, keeping its slot (its place
   * when ordered, its key's turn when keyed, its share of the limit).
   */
  private backOff(slot: Slot, waitMs: number): void {
    this.observe(slot, 'backoff');
    const now = this.control.clock.now();
    const until = now + (Number.isFinite(waitMs) && waitMs > 0 ? waitMs : 0);
    this.counters.backoffs++;
    this.afterPause.push(() => this.call(slot));
    if (this.paused && until <= this.pausedUntil) return;
    this.counters.backoffMs += until - Math.max(now, this.pausedUntil);
    this.pausedUntil = until;
    this.paused = true;
    const generation = ++this.pauseGeneration;
    let cancel: () => void = () => undefined;
    const end = () => {
      this.timers.delete(cancel);
      // A longer back-off since replaced this timer.
      if (generation === this.pauseGeneration) this.endPause();
    };
    if (until <= now) {
      setImmediate(end);
      return;
    }
    cancel = this.control.clock.schedule(until, end);
    this.timers.add(cancel);
  }

  private endPause(): void {
    if (this.control.cancelled) return;
    this.paused = false;
    const due = this.afterPause;
    this.afterPause = [];
    // Backed-off records first (in the order they backed off), then the records waiting to start.
    for (const resume of due) resume();
    this.pump();
    this.settleWake();
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
    if (SluiceError.is(err, ErrorCodes.BACKOFF)) {
      this.backOff(slot, Number(err.details.waitMs));
      return;
    }
    this.observe(slot, isTimeout(err) ? 'timeout' : 'error');
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
    if (this.paused) {
      // A back-off pauses retries too: this one goes when the pause ends.
      this.afterPause.push(() => this.retry(slot));
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
    const latency = this.meter?.latency;
    if (latency !== undefined) {
      const now = this.meter!.now();
      latency.record(now - slot.startedAt, 1, now);
      if (this.inFlight < this.limit) this.meter!.busy!.end(now);
    }
    if (this.mode !== 'ordered') this.ready.push(slot);
    if (this.mode === 'keyed') {
      // The key's next record takes its turn (behind records already runnable: they came first).
      const queued = this.busyKeys.get(slot.key)!;
      if (queued.length > 0) this.runnable.push(queued.shift()!);
      else this.busyKeys.delete(slot.key);
      this.pump();
    }
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
    if (this.mode === 'ordered') {
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

/** Whether an error says its call timed out: `AbortSignal.timeout`'s `TimeoutError`, or Node's `ETIMEDOUT`. */
function isTimeout(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { name?: unknown; code?: unknown };
  return e.name === 'TimeoutError' || e.code === 'ETIMEDOUT';
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
