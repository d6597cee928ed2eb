import type { OverflowDecision } from './overflow-decision.js';

/**
 * Decides what happens to a record pushed by a {@link PushSourceConnector} while the source's
 * buffer is full. A policy only decides; the engine buffers, drops and counts. It is asked only
 * when the buffer is full, so a policy costs nothing while the pipeline keeps up.
 *
 * `overflowed` is how many records were pushed before this one since the buffer was last found
 * with room (0 for the first record that finds it full): what a policy that thins the stream,
 * like `sample`, counts with.
 *
 * @example
 * ```ts
 * // Keep the first record of each overload, then the newest ones.
 * class KeepFirst implements OverflowPolicy {
 *   decide(overflowed: number): OverflowDecision {
 *     return overflowed === 0 ? 'drop-newest' : 'drop-oldest'
 *   }
 * }
 * ```
 * @see docs/flow-control.md
 * @public
 */
export interface OverflowPolicy {
  decide(overflowed: number): OverflowDecision;
}
