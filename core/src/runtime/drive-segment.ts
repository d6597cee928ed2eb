import type { FusedSegment } from './fused-segment.js';
import type { OutBuffer } from './out-buffer.js';
import type { TaskControl } from './task-control.js';
import { resumeParked } from './resume-parked.js';
import { writeOuts } from './write-outs.js';

/**
 * @internal The life of every task that feeds a fused segment: run `feed` (which pushes batches
 * through the segment), then at a normal end let the segment flush what it holds; on failure
 * cancel the pipeline *before* closing the outputs, so nothing downstream mistakes a failure for
 * the end of input; and always close the outputs.
 */
export async function driveSegment(
  task: string,
  control: TaskControl,
  segment: FusedSegment,
  outs: readonly OutBuffer[],
  feed: () => Promise<void>,
  end?: { readonly keepStateOnStop: boolean; readonly finished: () => void },
): Promise<void> {
  try {
    await feed();
    if (!control.cancelled) {
      // With checkpoints, a stop is not the end of input: windows stay open in the final
      // checkpoint and a restart goes on with them, instead of firing them incomplete.
      if (!(end?.keepStateOnStop === true && control.stopping)) {
        segment.flush();
        // A retry of a record emitted at end of input parks it like any other.
        if (segment.parked()) await resumeParked(segment, control, outs);
      }
      await writeOuts(outs);
      end?.finished();
    }
  } catch (err) {
    control.fail(err, task);
    throw err;
  } finally {
    for (const out of outs) out.close();
  }
}
