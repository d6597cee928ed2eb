/**
 * What a {@link ConcurrencyLimiterProvider} knows of the stage it creates a limiter for.
 *
 * @example
 * ```ts
 * create: (options, { concurrency }) => new Halving(Number(options.max ?? concurrency))
 * ```
 * @see docs/flow-control.md
 * @public
 */
export interface ConcurrencyLimiterContext {
  /** The stage's name. */
  readonly stage: string;
  /** The stage's `concurrency`: the most calls it ever runs at once, and so the highest limit that counts. */
  readonly concurrency: number;
}
