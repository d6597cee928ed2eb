/**
 * The node that limits the pipeline's throughput now: busy most of the time while what feeds it
 * is held back by backpressure (or its input queue is filling) and what it feeds is not. Found
 * by the engine at every stats snapshot, so that reading backpressure needs no expertise.
 *
 * @example
 * ```ts
 * const b = pipeline.stats().bottleneck
 * if (b !== undefined) console.log(b.message)   // "bottleneck: enrich, busy 97%"
 * ```
 * @see docs/monitoring.md#the-bottleneck
 * @public
 */
export interface Bottleneck {
  /** The stage or sink. */
  readonly node: string;
  readonly role: 'stage' | 'sink';
  /** Its busy time over the last second, in percent (0–100). */
  readonly busyPercent: number;
  /** What gave it away: `upstream-backpressured` (what feeds it waited for room) or `queue-full` (its input queue is filling). */
  readonly evidence: 'upstream-backpressured' | 'queue-full';
  /** For people: `bottleneck: <node>, busy <n>%`. */
  readonly message: string;
}
