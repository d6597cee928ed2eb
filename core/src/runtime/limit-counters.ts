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

  constructor(private readonly plan: RateLimitPlan) {}

  snapshot(): LimitStats {
    const base = { limit: this.plan.limiter.limit, throttledMs: this.throttledMs };
    if (this.plan.perKey === undefined) return base;
    return { ...base, keys: this.lanes?.keys ?? 0, heldRecords: this.lanes?.held ?? 0 };
  }
}
