import type { Channel } from './channel.js';
import { driveSegment } from './drive-segment.js';
import { feedKeyLanes } from './feed-key-lanes.js';
import type { FusedSegment } from './fused-segment.js';
import { KeyLanes } from './key-lanes.js';
import type { LimitCounters } from './limit-counters.js';
import type { OutBuffer } from './out-buffer.js';
import type { SegmentMeter } from './segment-meter.js';
import { stampOuts } from './stamp-outs.js';
import { fireDueTimers, untilInputOrTimer } from './processing-time.js';
import type { RateLimitPlan } from './rate-limit-plan.js';
import { resumeParked } from './resume-parked.js';
import type { TaskControl } from './task-control.js';
import { waitForPermits } from './wait-for-permits.js';
import { writeOuts } from './write-outs.js';
import { checkpointedEnd, passBarrier, registerSegmentTask, type Checkpointing } from '../checkpoints/task-checkpointing.js';

/**
 * @internal Runs the segment of a rate-limited stage (`@Stage({ rateLimit })`): the stage starts
 * a segment of its own, so that its task can wait for the limiter before records enter it.
 *
 * With one limiter, the task asks it before each part of at most `maxPermits` records of a batch
 * and reads nothing from its channel while it waits: the channel fills and backpressure pauses
 * the source (as behind a rate-limited sink). A part other than a batch's last carries the
 * watermark the stage had before the batch, so no record of the batch is behind the watermark.
 *
 * With `perKey`, records go through `KeyLanes` (see `feedKeyLanes`): each key waits for its own
 * limiter, and the stage's watermark is held behind the oldest waiting record.
 *
 * Barriers, watermark-only batches and the end of input are never throttled: they take no permit.
 */
export class ThrottledSegmentTask {
  private watermark = -Infinity;
  private readonly lanes: KeyLanes | undefined;

  constructor(
    readonly name: string,
    private readonly input: Channel,
    private readonly segment: FusedSegment,
    private readonly outs: readonly OutBuffer[],
    private readonly control: TaskControl,
    private readonly checkpointing: Checkpointing | undefined,
    private readonly plan: RateLimitPlan,
    private readonly counters: LimitCounters,
    private readonly meter: SegmentMeter,
  ) {
    registerSegmentTask(checkpointing, name, segment);
    const k = plan.perKey;
    if (k !== undefined) this.lanes = counters.lanes = new KeyLanes(k.keyOf, k.create, k.maxKeys, k.maxHeld);
  }

  run(): Promise<void> {
    this.counters.watch('start');
    return driveSegment(
      this.name,
      this.control,
      this.segment,
      this.outs,
      () => (this.lanes === undefined ? this.consume() : this.consumeByKey(this.lanes)),
      checkpointedEnd(this.checkpointing, this.name, this.segment),
    );
  }

  private async consume(): Promise<void> {
    const limiter = this.plan.limiter;
    const part = limiter.maxPermits;
    for (;;) {
      const due = fireDueTimers(this.segment, this.control.clock, this.outs, this.control);
      if (due !== undefined) await due;
      const batch = this.input.read();
      if (batch === null) return;
      if (batch === undefined) {
        await untilInputOrTimer(this.input.readable(), this.segment, this.control.clock);
        continue;
      }
      const { values, times, positions } = batch;
      if (values.length <= part) {
        if (values.length > 0) {
          const granted = waitForPermits(limiter, values.length, this.control, this.counters);
          if (granted !== true && !(await granted)) return;
        }
        await this.push(values, times, positions, batch.watermark, batch.stamp);
      } else {
        for (let i = 0; i < values.length; i += part) {
          const end = Math.min(values.length, i + part);
          const granted = waitForPermits(limiter, end - i, this.control, this.counters);
          if (granted !== true && !(await granted)) return;
          const last = end === values.length;
          await this.push(
            values.slice(i, end),
            times.slice(i, end),
            positions.slice(i, end),
            last ? batch.watermark : this.watermark,
            batch.stamp,
          );
        }
      }
      if (this.control.cancelled) return;
      if (batch.barrier !== undefined) await passBarrier(this.checkpointing!, this.name, batch.barrier, this.segment, this.outs);
    }
  }

  // Runs records through the segment, hands the results on, then gives their credits back.
  private async push(
    values: readonly unknown[],
    times: readonly number[],
    positions: readonly number[],
    watermark: number,
    stamp: number | undefined,
  ): Promise<void> {
    this.watermark = watermark;
    // Busy from taking the part to having its results ready: neither the limiter's wait nor the wait for room is work.
    const from = this.meter.start();
    stampOuts(this.outs, stamp);
    this.segment.run(values, times, positions, watermark);
    if (this.segment.parked()) await resumeParked(this.segment, this.control, this.outs);
    if (values.length > 0) this.meter.done(from, values.length);
    const blocked = writeOuts(this.outs);
    if (blocked !== undefined) await blocked;
    this.input.release(values.length);
  }

  private async consumeByKey(lanes: KeyLanes): Promise<void> {
    await feedKeyLanes(this.name, this.input, lanes, this.control, this.counters, {
      emit: async (granted, watermark) => {
        const from = this.meter.start();
        this.segment.run(granted.values, granted.times, granted.positions, watermark);
        if (this.segment.parked()) await resumeParked(this.segment, this.control, this.outs);
        if (granted.values.length > 0) this.meter.done(from, granted.values.length);
        const blocked = writeOuts(this.outs);
        if (blocked !== undefined) await blocked;
        return !this.control.cancelled;
      },
      barrier: (id) => passBarrier(this.checkpointing!, this.name, id, this.segment, this.outs),
      timers: () => fireDueTimers(this.segment, this.control.clock, this.outs, this.control),
      nextTime: () => (this.segment.usesProcessingTime ? this.segment.nextProcessingTime() : Infinity),
      // Records wait in their keys' queues: the outputs keep the oldest read time until they send.
      stamp: (stamp) => stampOuts(this.outs, stamp),
    });
  }
}
