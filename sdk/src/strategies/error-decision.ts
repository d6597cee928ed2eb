/**
 * What an {@link ErrorStrategy} decides for a failed record: try it again after `retryInMs`
 * milliseconds of the pipeline's clock (the record keeps its place: later records of the stage
 * wait behind it when the stage is ordered), or give up in one of three ways.
 *
 * @example
 * ```ts
 * decide(f) { return f.attempt < 3 ? { retryInMs: 100 * f.attempt } : 'dead-letter' }
 * ```
 * @see docs/fault-tolerance.md
 * @public
 */
export type ErrorDecision = { readonly retryInMs: number } | 'dead-letter' | 'skip' | 'fail';
