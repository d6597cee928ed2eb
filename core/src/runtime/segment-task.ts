import type { Channel } from './channel.js';
import type { FusedSegment } from './fused-segment.js';
import type { OutBuffer } from './out-buffer.js';
import type { SegmentMeter } from './segment-meter.js';
import { stampOuts } from './stamp-outs.js';
import type { TaskControl } from './task-control.js';
import { driveSegment } from './drive-segment.js';
import { fireDueTimers, untilInputOrTimer } from './processing-time.js';
import { resumeParked } from './resume-parked.js';
import { writeOuts } from './write-outs.js';
import { checkpointedEnd, passBarrier, registerSegmentTask, type Checkpointing } from '../checkpoints/task-checkpointing.js';

/**
 * @internal Runs a fused segment fed by a channel: the segment after a union of several inputs.
 * The batch's credits go back only after its outputs were accepted downstream, so a blocked
 * downstream keeps this channel full too.
 */
export class SegmentTask {
  constructor(
    readonly name: string,
    private readonly input: Channel,
    private readonly segment: FusedSegment,
    private readonly outs: readonly OutBuffer[],
    private readonly control: TaskControl,
    private readonly checkpointing: Checkpointing | undefined,
    private readonly meter: SegmentMeter,
  ) {
    registerSegmentTask(checkpointing, name, segment);
  }

  run(): Promise<void> {
    return driveSegment(
      this.name,
      this.control,
      this.segment,
      this.outs,
      () => this.consume(),
      checkpointedEnd(this.checkpointing, this.name, this.segment),
    );
  }

  private async consume(): Promise<void> {
    for (;;) {
      const due = fireDueTimers(this.segment, this.control.clock, this.outs, this.control);
      if (due !== undefined) await due;
      const batch = this.input.read();
      if (batch === null) return;
      if (batch === undefined) {
        await untilInputOrTimer(this.input.readable(), this.segment, this.control.clock);
        continue;
      }
      // Busy from taking the batch to having its results ready; the wait for room is not work.
      const from = this.meter.start();
      stampOuts(this.outs, batch.stamp);
      this.segment.run(batch.values, batch.times, batch.positions, batch.watermark);
      if (this.segment.parked()) await resumeParked(this.segment, this.control, this.outs);
      if (batch.values.length > 0) this.meter.done(from, batch.values.length);
      const blocked = writeOuts(this.outs);
      if (blocked !== undefined) await blocked;
      this.input.release(batch.values.length);
      // Every input's barrier has come (the channel aligned them) and the batch's watermark is in.
      if (batch.barrier !== undefined) await passBarrier(this.checkpointing!, this.name, batch.barrier, this.segment, this.outs);
    }
  }
}
