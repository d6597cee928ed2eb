import { parseDuration, type RateLimiterProvider } from '@sluice/sdk';
import { checkKnownOptions, parseRate } from './parse-rate.js';
import { SlidingWindow } from './sliding-window.js';
import { TokenBucket } from './token-bucket.js';

function positiveInt(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new Error(`option "${option}" must be an integer >= 1, got ${JSON.stringify(value) ?? String(value)}`);
  return value;
}

/**
 * @internal The rate limiters core binds in every pipeline's container under `RATE_LIMITER`:
 * `token-bucket` (`rate`: records per second or `'<count>/<duration>'`; `burst`: records
 * allowed at once, default one second's worth) and `sliding-window` (`limit` records per
 * `interval`).
 */
export const BUILTIN_RATE_LIMITERS: readonly RateLimiterProvider[] = [
  {
    name: 'token-bucket',
    create: (options) => {
      checkKnownOptions('token-bucket', options, ['rate', 'burst']);
      if (options.rate === undefined) throw new Error(`option "rate" is required (records per second, or a string like '1000/s')`);
      const rate = parseRate(options.rate, 'rate');
      const burst = options.burst === undefined ? Math.max(1, Math.ceil(rate * 1000)) : positiveInt(options.burst, 'burst');
      return new TokenBucket(rate, burst);
    },
  },
  {
    name: 'sliding-window',
    create: (options) => {
      checkKnownOptions('sliding-window', options, ['limit', 'interval']);
      const limit = positiveInt(options.limit, 'limit');
      let interval: number;
      try {
        interval = parseDuration(options.interval as never, 'interval');
      } catch {
        interval = 0;
      }
      if (!(interval > 0))
        throw new Error(
          `option "interval" must be a duration above 0: milliseconds as a number, or a string like '1s', got ${JSON.stringify(options.interval) ?? String(options.interval)}`,
        );
      return new SlidingWindow(limit, interval);
    },
  },
];
