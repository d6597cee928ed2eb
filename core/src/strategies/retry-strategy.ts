import { parseDuration, SluiceError, type ErrorDecision, type ErrorStrategy, type RetryOn, type StageFailure } from '@sluice/sdk';

/** @internal The options of the built-in `retry` strategy: `@OnError({ retry })`. */
export interface RetryStrategyOptions {
  attempts: number;
  backoff?: 'fixed' | 'exponential';
  delay?: number | string;
  maxDelay?: number | string;
  jitter?: boolean;
  deadline?: number | string;
  retryOn?: RetryOn;
}

const DEFAULT_DELAY_MS = 100;
const DEFAULT_MAX_DELAY_MS = 30_000;

/**
 * @internal Retries a failed record up to `attempts` times in all, waiting `delay` (fixed) or
 * `delay · 2^(n-1)` (exponential) before the n-th retry, capped at `maxDelay`; with `jitter`, a
 * uniformly random wait between 0 and that (full jitter). Gives up with `then` when the attempts
 * are spent, the error is not retryable (`retryOn`), or the next attempt would start after the
 * `deadline` (measured from the record's first failure).
 */
export class RetryStrategy implements ErrorStrategy {
  private readonly delayMs: number;
  private readonly maxDelayMs: number;
  private readonly deadlineMs: number;

  constructor(
    private readonly options: RetryStrategyOptions,
    private readonly then: 'dead-letter' | 'skip' | 'fail',
    private readonly random: () => number,
    where: string,
  ) {
    this.delayMs = options.delay === undefined ? DEFAULT_DELAY_MS : parseDuration(options.delay, `${where} retry.delay`);
    this.maxDelayMs = options.maxDelay === undefined ? DEFAULT_MAX_DELAY_MS : parseDuration(options.maxDelay, `${where} retry.maxDelay`);
    this.deadlineMs = options.deadline === undefined ? Infinity : parseDuration(options.deadline, `${where} retry.deadline`);
  }

  decide(f: StageFailure): ErrorDecision {
    if (f.attempt >= this.options.attempts || !this.retryable(f.error)) return this.then;
    const wait = this.delayFor(f.attempt);
    if (f.now + wait - f.firstFailureAt > this.deadlineMs) return this.then;
    return { retryInMs: wait };
  }

  /** The wait after the `attempt`-th failed attempt (1-based). */
  delayFor(attempt: number): number {
    const base = this.options.backoff === 'exponential' ? this.delayMs * 2 ** Math.min(attempt - 1, 52) : this.delayMs;
    const capped = Math.min(base, this.maxDelayMs);
    return this.options.jitter === true ? Math.floor(this.random() * capped) : capped;
  }

  private retryable(error: unknown): boolean {
    const retryOn = this.options.retryOn;
    if (retryOn === undefined) return true;
    if (typeof retryOn === 'function') return retryOn(error) === true;
    const e = error as { name?: unknown; code?: unknown } | null;
    if (typeof e !== 'object' || e === null) return false;
    return retryOn.some((m) => m === e.name || m === e.code || (SluiceError.is(e) && m === e.code));
  }
}
