/**
 * What an {@link OverflowPolicy} decides about a record pushed into a full buffer:
 * - `'wait'`: refuse it; `emit` returns false and the producer keeps it (nothing is dropped);
 * - `'drop-newest'`: drop the pushed record;
 * - `'drop-oldest'`: drop the oldest buffered record and buffer the pushed one.
 *
 * A dropped record is counted under the decision's name in `SourceStats.dropped`.
 *
 * @example
 * ```ts
 * const dropNewest: OverflowPolicy = { decide: (): OverflowDecision => 'drop-newest' }
 * ```
 * @see docs/flow-control.md
 * @public
 */
export type OverflowDecision = 'wait' | 'drop-newest' | 'drop-oldest';
