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
import { fireDueTimers, untilInputOrTimer } from './processing-time.js';
import { resumeParked } from './resume-parked.js';
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
  // Clock time of the last batch with records (or of the start): idleness is measured from it.
  private quietSince = 0;

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
    const clock = this.control.clock;
    let position = 0;
    let lastYield = performance.now();
    let attempt = 0;
    let idle = 0;
    this.quietSince = clock.now();
    while (!this.control.stopping && !this.control.cancelled) {
      const due = fireDueTimers(this.segment, clock, this.outs, this.control);
      if (due !== undefined) await due;
      let values: readonly unknown[];
      try {
        const r = this.connector.read(this.batchSize);
        values = isThenable(r) ? await this.awaitRead(r as PromiseLike<readonly unknown[]>) : r;
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
        else await untilInputOrTimer(sleep(Math.min(2 ** (idle - 1), MAX_IDLE_WAIT_MS), this.control.stopSignal), this.segment, clock);
        idle++;
        lastYield = performance.now();
        await this.markIdleIfQuiet();
        continue;
      }
      idle = 0;
      let times: number[] | undefined;
      if (this.eventTime !== undefined) {
        times = this.times(values);
        this.watermarks.observe(times);
      }
      this.quietSince = clock.now();
      if (this.outs.some((o) => o.idle)) for (const out of this.outs) out.idle = false;
      this.segment.run(values, times, position, this.watermarks.watermark);
      if (this.segment.parked()) await resumeParked(this.segment, this.control, this.outs);
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

  /**
   * Awaits a pending read; meanwhile runs the segment's processing-time work as it falls due, and
   * marks the source idle once it has been quiet for `idleTimeout`: a read that blocks is as
   * quiet as one that returns nothing.
   */
  private async awaitRead(r: PromiseLike<readonly unknown[]>): Promise<readonly unknown[]> {
    if (!this.segment.usesProcessingTime && this.idleTimeoutMs === 0) return r;
    const clock = this.control.clock;
    const read = Promise.resolve(r);
    const settled = read.then(
      () => true,
      () => true,
    );
    for (;;) {
      const idleAt = this.idleTimeoutMs > 0 && !this.outs.every((o) => o.idle) ? this.quietSince + this.idleTimeoutMs : Infinity;
      const next = Math.min(this.segment.usesProcessingTime ? this.segment.nextProcessingTime() : Infinity, idleAt);
      if (next === Infinity) return read;
      let cancel: () => void = () => undefined;
      const timer = new Promise<boolean>((resolve) => {
        cancel = clock.schedule(next, () => resolve(false));
      });
      const done = await Promise.race([settled, timer]);
      cancel();
      if (done) return read;
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

  openContext() {
    return { name: this.name, batchSize: this.batchSize, signal: this.control.stopSignal };
  }
}
