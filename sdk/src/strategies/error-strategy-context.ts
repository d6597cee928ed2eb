/**
 * What an {@link ErrorStrategyProvider} gets when the engine builds a strategy for one stage.
 * @public
 */
export interface ErrorStrategyContext {
  /** The stage's name. */
  readonly stage: string;
  /** The stage's class, for messages. */
  readonly label: string;
  /** The stage's `then` option: what to do when the strategy gives up (default `fail`). */
  readonly then: 'dead-letter' | 'skip' | 'fail';
  /** Random numbers in [0, 1): the pipeline's `random` option (default `Math.random`), for jitter. */
  readonly random: () => number;
}
