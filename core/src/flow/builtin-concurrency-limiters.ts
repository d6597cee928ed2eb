import type { ConcurrencyLimiterProvider } from '@sluice/sdk';
import { AimdLimiter } from './aimd-limiter.js';
import { GradientLimiter } from './gradient-limiter.js';
import { limitBounds, numberIn, optionalDuration, positiveInteger, positiveNumber } from './limiter-option-checks.js';
import { checkKnownOptions } from './parse-rate.js';

/**
 * @internal The concurrency limiters core binds in every pipeline's container under
 * `CONCURRENCY_LIMITER`: `aimd` (`initial`, `min`, `max`, `increase`, `backoffRatio`,
 * `latencyTarget`, `timeout`) and `gradient` (`initial`, `min`, `max`, `smoothing`,
 * `queueSize`, `longWindow`, `backoffRatio`). `max` defaults to the stage's concurrency.
 */
export const BUILTIN_CONCURRENCY_LIMITERS: readonly ConcurrencyLimiterProvider[] = [
  {
    name: 'aimd',
    create: (options, { concurrency }) => {
      checkKnownOptions('aimd', options, ['initial', 'min', 'max', 'increase', 'backoffRatio', 'latencyTarget', 'timeout']);
      return new AimdLimiter({
        ...limitBounds(options, concurrency),
        increase: positiveNumber(options, 'increase', 1),
        backoffRatio: numberIn(options, 'backoffRatio', 0.9, 0.5, 1, true),
        latencyTarget: optionalDuration(options, 'latencyTarget'),
        timeout: optionalDuration(options, 'timeout'),
      });
    },
  },
  {
    name: 'gradient',
    create: (options, { concurrency }) => {
      checkKnownOptions('gradient', options, ['initial', 'min', 'max', 'smoothing', 'queueSize', 'longWindow', 'backoffRatio']);
      const smoothing = numberIn(options, 'smoothing', 0.2, 0, 1);
      if (smoothing === 0) throw new Error('option "smoothing" must be above 0 (at 0 the limit would never move), got 0');
      return new GradientLimiter({
        ...limitBounds(options, concurrency),
        smoothing,
        queueSize: numberIn(options, 'queueSize', 4, 0, Infinity),
        longWindow: positiveInteger(options, 'longWindow', 600),
        backoffRatio: numberIn(options, 'backoffRatio', 0.9, 0.5, 1, true),
      });
    },
  },
];
