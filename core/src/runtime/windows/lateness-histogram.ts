import type { LatenessStats } from '@sluice/sdk';

// Upper bounds (ms, inclusive) of the buckets: 1-2-5 steps up to a minute, then everything else.
const BOUNDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, Infinity];

/**
 * @internal How far behind the watermark late records arrived. Recorded only for late records
 * (event time below the watermark), so the on-time hot path never touches it.
 */
export class LatenessHistogram {
  private readonly counts = new Array<number>(BOUNDS.length).fill(0);
  private total = 0;
  private max = 0;

  record(ms: number): void {
    let i = 0;
    while (ms > BOUNDS[i]!) i++;
    this.counts[i]!++;
    this.total++;
    if (ms > this.max) this.max = ms;
  }

  snapshot(): LatenessStats {
    return {
      count: this.total,
      maxMs: this.max,
      buckets: BOUNDS.map((le, i) => ({ le, count: this.counts[i]! })).filter((b) => b.count > 0),
    };
  }
}
