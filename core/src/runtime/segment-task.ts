import type { Channel } from './channel.js';
import type { FusedSegment } from './fused-segment.js';
import type { OutBuffer } from './out-buffer.js';
import type { TaskControl } from './task-control.js';
import { writeOuts } from './write-outs.js';

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
  ) {}

  async run(): Promise<void> {
    try {
      for (;;) {
        let batch = this.input.read();
        if (batch === null) break;
        if (batch === undefined) {
          await this.input.readable();
          continue;
        }
        this.segment.run(batch.values, batch.times, batch.positions, batch.watermark);
        const blocked = writeOuts(this.outs);
        if (blocked !== undefined) await blocked;
        this.input.release(batch.values.length);
        batch = undefined;
      }
      if (!this.control.cancelled) {
        this.segment.flush();
        await writeOuts(this.outs);
      }
    } catch (err) {
      // Cancel before the finally closes our outputs: downstream must not see an end of input.
      this.control.fail(err, this.name);
      throw err;
    } finally {
      for (const out of this.outs) out.close();
    }
  }
}
