import { parseDuration, type SourceOptions } from '@sluice/sdk';

/**
 * @internal A source's watermark: bounded out-of-orderness (max event time seen − maxDelay) or
 * monotonous (the latest event time). -Infinity until the first record, and always for a source
 * without event time.
 */
export class WatermarkTracker {
  watermark = -Infinity;
  private readonly delay: number;
  private maxTime = -Infinity;

  constructor(options: Pick<SourceOptions<never>, 'watermark'>) {
    const w = options.watermark;
    this.delay = w === undefined || w === 'monotonous' ? 0 : parseDuration(w.maxDelay, 'watermark.maxDelay');
  }

  snapshot(): { watermark: number; maxTime: number } {
    return { watermark: this.watermark, maxTime: this.maxTime };
  }

  restore(state: { watermark: number; maxTime: number }): void {
    this.watermark = state.watermark;
    this.maxTime = state.maxTime;
  }

  /** Takes a batch's event times (in arrival order) and advances the watermark. */
  observe(times: readonly number[]): void {
    let max = this.maxTime;
    for (let i = 0; i < times.length; i++) if (times[i]! > max) max = times[i]!;
    this.maxTime = max;
    const next = max - this.delay;
    if (next > this.watermark) this.watermark = next;
  }
}
