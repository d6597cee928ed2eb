import type { RateLimiter } from '@sluice/sdk';

// Tolerance for the float arithmetic of refills: a wait computed to cover a shortfall must cover it.
const EPSILON = 1e-9;

/**
 * @internal The `token-bucket` rate limiter: a bucket of `burst` tokens, full at the start,
 * refilled at `rate` tokens per ms; a grant takes one token per permit. Over any span `t` it
 * grants at most `burst + rate * t` permits.
 */
export class TokenBucket implements RateLimiter {
  private tokens: number;
  private last: number | undefined;

  constructor(
    private readonly ratePerMs: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  get limit(): number {
    return this.ratePerMs * 1000;
  }

  get maxPermits(): number {
    return this.burst;
  }

  acquire(permits: number, now: number): number {
    if (this.last !== undefined && now > this.last) this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.ratePerMs);
    if (this.last === undefined || now > this.last) this.last = now;
    if (this.tokens + EPSILON >= permits) {
      this.tokens = Math.max(0, this.tokens - permits);
      return 0;
    }
    return Math.max(1, Math.ceil((permits - this.tokens) / this.ratePerMs));
  }

  // Full again (as a new bucket starts): when the tokens missing at the last grant have refilled.
  idleAt(now: number): number {
    if (this.last === undefined) return now;
    return Math.max(now, this.last + Math.ceil((this.burst - this.tokens) / this.ratePerMs - EPSILON));
  }
}
