import { ErrorCodes, SluiceError, type WindowResult, type WindowStats } from '@sluice/sdk';
import type { WindowAggregate } from './window-aggregate.js';
import type { WindowCounters } from './window-operator.js';

/**
 * @internal What every window operator shares: the callbacks the fused segment sets, and how
 * a window's result is computed and emitted (a failing `result` for one key costs only that
 * key's result) and a too-late record routed.
 */
export abstract class WindowEmitter {
  /** Where results go. */
  emit: (result: WindowResult<unknown>) => void = () => undefined;
  /** Where records later than the lateness go, when the stage's late output has readers. */
  emitLate: ((value: unknown) => void) | undefined;
  /** How a failing `result()` for one key is handled. */
  onError: (error: unknown, value: unknown) => void = (e) => {
    throw e;
  };
  /** Event time of the result being emitted (the window's last instant), read by the fused segment. */
  readonly resultTime: number[] = [Number.NaN];

  protected constructor(
    protected readonly stage: string,
    protected readonly aggregate: WindowAggregate,
    readonly counters: WindowCounters,
  ) {}

  protected emitResult(key: unknown, start: number, end: number, acc: unknown, update: boolean, time = end - 1): void {
    this.resultTime[0] = time;
    let value: unknown;
    try {
      value = this.aggregate.result(acc, key, start, end);
    } catch (err) {
      this.onError(err, { key, start, end, accumulator: acc });
      return;
    }
    this.counters.fired++;
    this.emit({ key, start, end, value, update });
  }

  /** A record later than the lateness, under the `side-output` or `drop` policy. */
  protected tooLate(value: unknown, policy: 'side-output' | 'update' | 'drop'): void {
    if (policy === 'side-output') {
      // Counted even when nobody reads the late output, so that it is never lost unseen.
      this.counters.lateSideOutput++;
      this.emitLate?.(value);
    } else {
      this.counters.lateDropped++;
    }
  }

  protected noEventTime(): SluiceError {
    return new SluiceError(
      ErrorCodes.STAGE_FAILED,
      `Window stage '${this.stage}': the record has no event time; give its source an eventTime option (or use time: 'processing')`,
      { details: { stage: this.stage } },
    );
  }

  protected windowStats(openWindows: number): WindowStats {
    const c = this.counters;
    return {
      fired: c.fired,
      lateUpdates: c.lateUpdates,
      lateSideOutput: c.lateSideOutput,
      lateDropped: c.lateDropped,
      openWindows,
      lateness: c.lateness.snapshot(),
    };
  }
}
