import type { Clock, WindowResult, WindowStats } from '@sluice/sdk';
import type { WindowingOperator } from './windowing-operator.js';

/**
 * @internal Processing-time windows: a time-based window operator fed with the clock's time
 * instead of event time. Each record counts at the instant it reaches the stage, and the clock
 * plays the watermark, so windows close when the clock passes their end, with or without input.
 * Nothing is ever late, and the results depend on when records arrive (that is the point).
 */
export class ProcessingTimeWindows implements WindowingOperator {
  constructor(
    private readonly inner: WindowingOperator & { nextFireTime(): number },
    private readonly clock: Clock,
  ) {}

  get emit(): (result: WindowResult<unknown>) => void {
    return this.inner.emit;
  }
  set emit(f: (result: WindowResult<unknown>) => void) {
    this.inner.emit = f;
  }
  get emitLate(): ((value: unknown) => void) | undefined {
    return this.inner.emitLate;
  }
  set emitLate(f: ((value: unknown) => void) | undefined) {
    this.inner.emitLate = f;
  }
  get onError(): (error: unknown, value: unknown) => void {
    return this.inner.onError;
  }
  set onError(f: (error: unknown, value: unknown) => void) {
    this.inner.onError = f;
  }
  get resultTime(): number[] {
    return this.inner.resultTime;
  }

  add(value: unknown): void {
    this.inner.add(value, this.clock.now());
  }

  // The event-time watermark means nothing here; the clock is the watermark.
  advance(): void {
    this.inner.advance(this.clock.now());
  }

  nextProcessingTime(): number {
    return this.inner.nextFireTime();
  }

  onProcessingTime(now: number): void {
    this.inner.advance(now);
  }

  flush(): void {
    this.inner.flush();
  }

  stats(): WindowStats {
    return this.inner.stats();
  }

  snapshotState(): unknown {
    return this.inner.snapshotState();
  }

  restoreState(state: unknown): void {
    this.inner.restoreState(state);
  }
}
