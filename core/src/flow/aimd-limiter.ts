import type { ConcurrencyLimiter, ConcurrencySample } from '@sluice/sdk';
import type { LimitBounds } from './limiter-option-checks.js';

/** @internal The settings of {@link AimdLimiter}, checked (see the `aimd` provider). */
export interface AimdSettings extends LimitBounds {
  /** How much the limit grows per round trip of successful calls at the limit. */
  readonly increase: number;
  /** The factor a congestion signal multiplies the limit by, in [0.5, 1). */
  readonly backoffRatio: number;
  /** A success slower than this (ms) is a congestion signal; undefined: latency never is. */
  readonly latencyTarget: number | undefined;
  /** A call slower than this (ms) counts as a timeout; undefined: only a timeout error does. */
  readonly timeout: number | undefined;
}

/**
 * @internal The `aimd` concurrency limiter (additive increase, multiplicative decrease, as TCP's
 * congestion avoidance and Netflix's AIMDLimit): a success within the latency target adds
 * `increase / limit`, so the limit grows by about `increase` per round trip at the limit; a
 * back-off, a timeout, or a success slower than the target multiplies it by `backoffRatio`
 * (taking off at least 1). An ordinary error says nothing about load and changes nothing.
 */
export class AimdLimiter implements ConcurrencyLimiter {
  private estimate: number;
  private lastDecreaseAt = -Infinity;

  constructor(private readonly settings: AimdSettings) {
    this.estimate = settings.initial;
  }

  get limit(): number {
    return Math.floor(this.estimate);
  }

  onSample(sample: ConcurrencySample): void {
    const { rttMs, inFlight, outcome, now } = sample;
    const s = this.settings;
    const slow = (s.timeout !== undefined && rttMs > s.timeout) || (s.latencyTarget !== undefined && rttMs > s.latencyTarget);
    if (outcome === 'backoff' || outcome === 'timeout' || (outcome === 'success' && slow)) {
      // Once per round trip: the calls that started before the last decrease ran under the old
      // limit, so their bad news is already acted on (as TCP halves once per window, not per loss).
      if (now - rttMs < this.lastDecreaseAt) return;
      this.lastDecreaseAt = now;
      this.estimate = Math.max(s.min, Math.min(this.estimate - 1, this.estimate * s.backoffRatio));
      return;
    }
    // An error (a bad record, a bug) is no sign of load either way.
    if (outcome !== 'success') return;
    // Grow only when the limit is what holds the stage back: with few calls in flight (a slow
    // input), a success says nothing about how many more the service could take.
    if (inFlight * 2 < this.limit) return;
    this.estimate = Math.min(s.max, this.estimate + s.increase / Math.max(1, this.limit));
  }
}
