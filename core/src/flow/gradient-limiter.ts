import type { ConcurrencyLimiter, ConcurrencySample } from '@sluice/sdk';
import type { LimitBounds } from './limiter-option-checks.js';

/** @internal The settings of {@link GradientLimiter}, checked (see the `gradient` provider). */
export interface GradientSettings extends LimitBounds {
  /** How much of each new estimate the limit takes, in (0, 1]. */
  readonly smoothing: number;
  /** Calls allowed beyond the estimate, so the limit can probe upwards while latency holds. */
  readonly queueSize: number;
  /** Windows the long-term RTT averages over (its exponential moving average's span). */
  readonly longWindow: number;
  /** The factor a back-off or timeout multiplies the limit by, in [0.5, 1). */
  readonly backoffRatio: number;
}

// A window needs this many samples before it counts: fewer are noise.
const WINDOW_SAMPLES = 10;
// The long-term RTT is the plain mean of its first samples, then an exponential moving average.
const WARMUP_WINDOWS = 10;

/**
 * @internal The `gradient` concurrency limiter, after Netflix's Gradient2: successful calls are
 * gathered in windows (at least 10 samples and twice the window's shortest RTT); each window's
 * mean RTT is the short-term RTT, and an exponential moving average of those over `longWindow`
 * windows is the long-term baseline. Then
 *
 *     gradient = clamp(longRtt / shortRtt, 0.5, 1)       // < 1 when calls queue
 *     estimate = limit × gradient + queueSize
 *     limit    = limit × (1 - smoothing) + estimate × smoothing, within [min, max]
 *
 * so the limit settles where the latency just starts to rise, plus `queueSize` calls. A back-off
 * or a timeout multiplies the limit by `backoffRatio` (once per round trip); errors are ignored.
 */
export class GradientLimiter implements ConcurrencyLimiter {
  private estimate: number;
  private longRtt = 0;
  private longCount = 0;
  private lastDecreaseAt = -Infinity;
  private windowStart = 0;
  private windowCount = 0;
  private windowSum = 0;
  private windowMinRtt = Infinity;
  private windowMaxInFlight = 0;

  constructor(private readonly settings: GradientSettings) {
    this.estimate = settings.initial;
  }

  get limit(): number {
    return Math.floor(this.estimate);
  }

  onSample(sample: ConcurrencySample): void {
    const { rttMs, inFlight, outcome, now } = sample;
    const s = this.settings;
    if (outcome === 'backoff' || outcome === 'timeout') {
      // Once per round trip, as in `aimd`: the calls started before the last decrease saw the old limit.
      if (now - rttMs < this.lastDecreaseAt) return;
      this.lastDecreaseAt = now;
      this.estimate = Math.max(s.min, Math.min(this.estimate - 1, this.estimate * s.backoffRatio));
      return;
    }
    // A failed call's RTT (often a quick refusal) would read as a fast service.
    if (outcome !== 'success') return;
    if (this.windowCount === 0) this.windowStart = now;
    this.windowCount++;
    this.windowSum += rttMs;
    this.windowMinRtt = Math.min(this.windowMinRtt, rttMs);
    this.windowMaxInFlight = Math.max(this.windowMaxInFlight, inFlight);
    // A window spans about two round trips, so it holds calls started under the current limit.
    if (this.windowCount < WINDOW_SAMPLES || now - this.windowStart < 2 * this.windowMinRtt) return;
    const shortRtt = Math.max(this.windowSum / this.windowCount, Number.MIN_VALUE);
    const maxInFlight = this.windowMaxInFlight;
    this.windowCount = 0;
    this.windowSum = 0;
    this.windowMinRtt = Infinity;
    this.windowMaxInFlight = 0;
    this.updateLongRtt(shortRtt);
    // Latency is back to normal after a long overload: let the baseline come down quickly.
    if (this.longRtt / shortRtt > 2) this.longRtt *= 0.9;
    // Few calls in flight (a slow input): the RTT says nothing about a higher limit.
    if (maxInFlight < this.estimate / 2) return;
    const gradient = Math.max(0.5, Math.min(1, this.longRtt / shortRtt));
    const next = this.estimate * gradient + s.queueSize;
    this.estimate = Math.max(s.min, Math.min(s.max, this.estimate * (1 - s.smoothing) + next * s.smoothing));
  }

  private updateLongRtt(rtt: number): void {
    if (this.longCount < WARMUP_WINDOWS) {
      this.longCount++;
      this.longRtt += (rtt - this.longRtt) / this.longCount;
    } else {
      const factor = 2 / (this.settings.longWindow + 1);
      this.longRtt = this.longRtt * (1 - factor) + rtt * factor;
    }
  }
}
