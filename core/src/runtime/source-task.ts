import { ErrorCodes, SluiceError, type SourceConnector } from '@sluice/sdk';
import { recoverFromConnectorError } from './connector-retry.js';
import type { FusedSegment } from './fused-segment.js';
import type { OutBuffer } from './out-buffer.js';
import { PipelineFailure } from './pipeline-failure.js';
import type { SourceCounters } from './source-counters.js';
import type { TaskControl } from './task-control.js';
import { isThenable, sleep, yieldToEventLoop } from './timing.js';
import type { WatermarkTracker } from './watermark-tracker.js';
import { driveSegment } from './drive-segment.js';
import { writeOuts } from './write-outs.js';

// A busy source, and the tasks downstream that it wakes through promises only, would otherwise
// never let timers, I/O or signals run: give the event loop a turn at least this often.
const YIELD_EVERY_MS = 10;
// Longest wait between reads of a source that keeps returning nothing.
const MAX_IDLE_WAIT_MS = 50;

/**
 * @internal Pulls batches from one source and pushes each through the source's fused segment.
 * It reads only when the previous batch's outputs were accepted, so a full channel downstream
 * pauses the pull: that is where backpressure ends.
 */
export class SourceTask {
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
  ) {}

  run(): Promise<void> {
    return driveSegment(this.name, this.control, this.segment, this.outs, () => this.pull());
  }

  private async pull(): Promise<void> {
    let position = 0;
    let lastYield = performance.now();
    let attempt = 0;
    let idle = 0;
    let idleSince = 0;
    while (!this.control.stopping && !this.control.cancelled) {
      let values: readonly unknown[];
      try {
        const r = this.connector.read(this.batchSize);
        values = isThenable(r) ? await r : r;
        attempt = 0;
      } catch (err) {
        // A read cut short by stop() is the end of this source, not a failure.
        if (SluiceError.is(err, ErrorCodes.END_OF_STREAM) || this.control.stopping) break;
        if (await this.recover(err, attempt++)) continue;
        break;
      }
      if (this.control.cancelled) break;
      if (!Array.isArray(values)) throw this.badBatch(values);
      const n = values.length;
      if (n === 0) {
        // Nothing ready: poll again soon, but back off so an idle source does not spin a core.
        if (idle === 0) await yieldToEventLoop();
        else await sleep(Math.min(2 ** (idle - 1), MAX_IDLE_WAIT_MS), this.control.stopSignal);
        idle++;
        lastYield = performance.now();
        if (idleSince === 0) idleSince = lastYield;
        else if (this.idleTimeoutMs > 0 && lastYield - idleSince >= this.idleTimeoutMs && !this.outs.every((o) => o.idle)) {
          // Quiet for too long: tell downstream to stop waiting on this source's watermark.
          for (const out of this.outs) out.idle = true;
          await writeOuts(this.outs);
        }
        continue;
      }
      idle = 0;
      let times: number[] | undefined;
      if (this.eventTime !== undefined) {
        times = this.times(values);
        this.watermarks.observe(times);
      }
      if (idleSince !== 0) {
        idleSince = 0;
        for (const out of this.outs) out.idle = false;
      }
      this.segment.run(values, times, position, this.watermarks.watermark);
      position += n;
      this.counters.records += n;
      this.counters.batches++;
      const blocked = writeOuts(this.outs);
      if (blocked !== undefined) {
        this.counters.pausedCount++;
        const started = performance.now();
        await blocked;
        this.counters.pausedMs += performance.now() - started;
      }
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
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

  openContext() {
    return { name: this.name, batchSize: this.batchSize, signal: this.control.stopSignal };
  }
}
