import type { Clock } from '@sluice/sdk';

/**
 * The wall clock: `Date.now()`, and `setTimeout` for scheduled calls. The default clock of
 * every pipeline.
 * @public
 */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  schedule(time: number, callback: () => void): () => void {
    const timer = setTimeout(callback, Math.max(0, time - Date.now()));
    return () => clearTimeout(timer);
  }
}
