import { ErrorCodes, SluiceError, type Clock, type TimerService } from '@sluice/sdk';
import type { TimerQueue } from './timer-queue.js';

/** @internal `ctx.timers` of a keyed process stage: registers for whatever key is current. */
export class TimerServiceImpl implements TimerService {
  constructor(
    private readonly stage: string,
    private readonly clock: Clock,
    private readonly eventTimers: TimerQueue,
    private readonly processingTimers: TimerQueue,
    private readonly currentKey: () => unknown,
    private readonly currentWatermark: () => number,
  ) {}

  get watermark(): number {
    return this.currentWatermark();
  }

  now(): number {
    return this.clock.now();
  }

  registerEventTime(time: number): void {
    this.eventTimers.register(this.currentKey(), this.checked(time, 'registerEventTime'));
  }

  registerProcessingTime(time: number): void {
    this.processingTimers.register(this.currentKey(), this.checked(time, 'registerProcessingTime'));
  }

  deleteEventTime(time: number): void {
    this.eventTimers.delete(this.currentKey(), time);
  }

  deleteProcessingTime(time: number): void {
    this.processingTimers.delete(this.currentKey(), time);
  }

  private checked(time: number, method: string): number {
    if (typeof time !== 'number' || !Number.isFinite(time)) {
      throw new SluiceError(
        ErrorCodes.STAGE_FAILED,
        `Stage '${this.stage}': ctx.timers.${method}(time) needs a finite number of ms since the epoch, got ${String(time)}`,
        { details: { stage: this.stage } },
      );
    }
    return time;
  }
}
