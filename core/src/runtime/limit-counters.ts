import type { KeyLanes } from './key-lanes.js';
import type { RateLimitPlan } from './rate-limit-plan.js';

/** @internal The rate-limit fields of `StageStats` and `SinkStats`. */
export interface LimitStats {
  readonly limit: number;
  readonly throttledMs: number;
  readonly keys?: number;
  readonly heldRecords?: number;
}

/** @internal Counters of a rate-limited stage or sink; its task adds to `throttledMs`. */
export class LimitCounters {
  throttledMs = 0;
  /** Set by the task of a keyed limit: the keys and held records are read from it. */
  lanes: KeyLanes | undefined;
  // The limiter's limit last reported.
  private reported = NaN;

  /** @param report - tells the metrics bus that the limit changed (or what it is at the start) */
  constructor(
    private readonly plan: RateLimitPlan,
    private readonly report: (limit: number, reason: string) => void = () => undefined,
  ) {}

  /** Reports the limiter's limit if it changed since the last report (`start`: the first one). */
  watch(reason: string): void {
    const limit = this.plan.limiter.limit;
    if (limit === this.reported) return;
    this.reported = limit;
    this.report(limit, reason);
  }

  snapshot(): LimitStats {
    const base = { limit: this.plan.limiter.limit, throttledMs: this.throttledMs };
    if (this.plan.perKey === undefined) return base;
    return { ...base, keys: this.lanes?.keys ?? 0, heldRecords: this.lanes?.held ?? 0 };
  }
}
