/**
 * What the engine hands a {@link PushSourceConnector} in `subscribe`: the way in for the records
 * the source cannot hold back. Records go into the source's bounded buffer (`@Source({ overflow:
 * { buffer } })`), from which the engine reads as downstream has room; when the buffer is full,
 * the source's overflow policy decides.
 *
 * The contract of `emit` (a boolean plus `ready()`, like a Node writable's `write` and `'drain'`):
 * - `true`: the engine took the record. It is buffered, or, under a dropping policy, it or an
 *   older record was dropped and counted (`SourceStats.dropped`), and sent to the
 *   `'<source>:dropped'` output when something reads it. Either way the producer is done with it.
 * - `false`: the engine refused the record and it is still the producer's. That happens only
 *   under the `block` policy while the buffer is full, and after the source has stopped or
 *   ended. A producer that can wait awaits `ready()` and emits the record again; one that cannot
 *   has lost it on its side, and the engine counts it in `SourceStats.refused`.
 *
 * So memory never grows beyond the buffer, whatever the producer does with the answer.
 *
 * @example
 * ```ts
 * async subscribe(emitter: PushEmitter<Tick>) {
 *   for await (const tick of this.feed) {
 *     while (!emitter.emit(tick)) await emitter.ready()   // block: wait for room, drop nothing
 *   }
 *   emitter.end()
 * }
 * ```
 * @see docs/flow-control.md
 * @public
 */
export interface PushEmitter<T> {
  /** Offers one record; see the contract above. */
  emit(record: T): boolean;
  /**
   * Offers records in order, as `emit` would one by one, and returns how many were taken: all of
   * them, or under `block` the first `n` (the rest, from `records[n]`, are still the producer's).
   * A separate method rather than an overload of `emit`, so that a record may itself be an array.
   */
  emitAll(records: readonly T[]): number;
  /**
   * Resolves when the buffer has room again: at once if it has; else when the engine has read
   * from it, or when the source stops or ends (then `emit` refuses, so check its answer).
   */
  ready(): Promise<void>;
  /** The feed has no more records: the engine reads what is buffered, then ends the source. */
  end(): void;
  /**
   * The feed failed. A {@link DisconnectedError} makes the engine read what is buffered, call
   * `unsubscribe`, then `subscribe` again with back-off; any other error fails the pipeline with
   * `SLUICE_ERR_SOURCE_FAILED`.
   */
  fail(error: Error): void;
}
