import { IsObject, IsOptional, IsString, Matches } from 'class-validator';
import { NAME_PATTERN } from '../options/name-pattern.js';

/**
 * How an enrich stage adapts how many calls it runs at once: the name of a concurrency limiter
 * bound in the container (under `CONCURRENCY_LIMITER`) and its options. The stage's
 * `concurrency` stays the most it ever runs at once. Built in: `aimd` (`{ initial, min, max,
 * increase, backoffRatio, latencyTarget, timeout }`) and `gradient` (`{ initial, min, max,
 * smoothing, queueSize, longWindow, backoffRatio }`).
 *
 * @example
 * ```ts
 * @Stage({ name: 'priced', from: 'ticks', concurrency: 64, concurrencyLimit: { strategy: 'aimd', options: { latencyTarget: '150ms' } } })
 * ```
 * @see docs/flow-control.md
 * @public
 */
export interface ConcurrencyLimitOptions {
  /** The limiter's name, e.g. `aimd` or `gradient`. */
  strategy: string;
  /** Options passed to the limiter's provider. */
  options?: Readonly<Record<string, unknown>>;
}

/** @internal The class-validator schema of {@link ConcurrencyLimitOptions}. */
export class ConcurrencyLimitSchema {
  @IsString()
  @Matches(NAME_PATTERN, { message: 'strategy must be a name: letters, digits, _ . - /' })
  strategy!: string;

  @IsOptional() @IsObject() options?: Record<string, unknown>;
}
