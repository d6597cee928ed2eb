import type { ErrorDecision, ErrorStrategy, ErrorStrategyProvider } from '@sluice/sdk';
import { RetryStrategy, type RetryStrategyOptions } from './retry-strategy.js';

/** @internal A strategy that gives up at once, the same way each time. */
class Immediate implements ErrorStrategy {
  constructor(private readonly decision: ErrorDecision) {}
  decide(): ErrorDecision {
    return this.decision;
  }
}

const immediate = (name: 'dead-letter' | 'skip' | 'fail'): ErrorStrategyProvider => ({
  name,
  create: () => new Immediate(name),
});

/**
 * @internal The error strategies core binds in every pipeline's container under
 * `ERROR_STRATEGY`: `retry` (what `@OnError({ retry })` uses; its options are the `retry`
 * object), and `dead-letter`, `skip`, `fail` (what `then` alone uses).
 */
export const BUILTIN_ERROR_STRATEGIES: readonly ErrorStrategyProvider[] = [
  {
    name: 'retry',
    create: (options, ctx) => {
      const attempts = options.attempts;
      if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 1 || attempts > 1000)
        throw new Error(`option "attempts" must be an integer from 1 to 1000, got ${String(attempts)}`);
      return new RetryStrategy(options as unknown as RetryStrategyOptions, ctx.then, ctx.random, `stage '${ctx.stage}'`);
    },
  },
  immediate('dead-letter'),
  immediate('skip'),
  immediate('fail'),
];
