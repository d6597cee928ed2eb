import type { SourceContext } from './source-context.js';

/**
 * A source of records. The engine calls `read(max)` whenever downstream has room (this is how
 * backpressure reaches a source: a full pipeline simply stops calling `read`), so a pull
 * source never needs a buffer of its own.
 *
 * The contract of `read`:
 * - return an array of at most `max` records (synchronously when they are at hand: it is faster);
 *   an empty array means "nothing right now": the engine calls again soon, backing off (up to 50 ms) while reads stay empty;
 * - throw {@link EndOfStreamError} when there are no more records: the engine drains and completes;
 * - throw {@link DisconnectedError} when the connection is gone: the engine calls `open` again
 *   with exponential back-off, then `read`;
 * - throw {@link BackoffError} to make the engine wait `waitMs` before the next `read`;
 * - any other error fails the pipeline with `SLUICE_ERR_SOURCE_FAILED`.
 *
 * A source that implements `position` and `seek` can be rewound: see docs/fault-tolerance.md.
 *
 * @example
 * ```ts
 * @Source({ name: 'counter' })
 * class Counter implements SourceConnector<number> {
 *   private n = 0
 *   read(max: number) {
 *     if (this.n >= 1000) throw new EndOfStreamError()
 *     const out: number[] = []
 *     while (out.length < max && this.n < 1000) out.push(this.n++)
 *     return out
 *   }
 * }
 * ```
 * @see docs/concepts.md
 * @public
 */
export interface SourceConnector<T> {
  open?(ctx: SourceContext): void | Promise<void>;
  read(max: number): readonly T[] | Promise<readonly T[]>;
  close?(): void | Promise<void>;
  /**
   * Where the source stands: just after the last record `read` returned. Any value the
   * structured-clone algorithm can copy (a number, a string, a plain object). With `seek`, it
   * makes the source rewindable, which checkpoints need for exactly-once results: a checkpoint
   * records the position, and recovery seeks back to it.
   */
  position?(): unknown;
  /**
   * Moves the source to a position that `position()` returned (in this run or an earlier one),
   * so that the next `read` returns the record after it. Called after `open`, before the first
   * `read`, when the pipeline starts from a checkpoint or a replay position.
   */
  seek?(position: unknown): void | Promise<void>;
  /**
   * The checkpoint that recorded `position` is stored: everything the source returned up to it
   * is covered and will never be asked for again. A source over a broker acknowledges those
   * messages now (not when it reads them: a message acknowledged before its checkpoint is lost by
   * a crash in between). Called in checkpoint order, once per stored checkpoint that holds a new
   * position of this source, including the final one. A failure is logged and the run goes on:
   * the broker delivers the messages again, and the source drops those at or before a position
   * it has returned. After a restart, `seek` gets the restored position instead; anything at or
   * before it is covered too.
   */
  commit?(position: unknown): void | Promise<void>;
  /**
   * The connector's own figures (a broker's redeliveries, acks pending, reconnects), by name:
   * the engine copies them into the node's stats as `connector`, and the monitoring plugin
   * exports each as `sluice_source_connector_value{source, metric}` (or `sluice_sink_connector_value{sink, metric}`). Called on every stats read: keep it cheap.
   */
  metrics?(): Readonly<Record<string, number>>;
}
