/**
 * A destination of records. The engine hands it whole batches; while a returned promise is
 * pending, no further batch is written and the channel in front of the sink fills, which
 * pauses everything upstream (backpressure). `flush` runs at end of input, before `close`.
 *
 * Errors: {@link DisconnectedError} makes the engine re-open and retry the same batch with
 * back-off; {@link BackoffError} makes it wait and retry; anything else fails the pipeline with
 * `SLUICE_ERR_SINK_FAILED`.
 *
 * With checkpoints, a sink that implements `preCommit`, `commit` and `recover` gives exactly-once
 * output (see docs/fault-tolerance.md); so does one that implements `writeIdempotent` over a store
 * that de-duplicates; any other sink gives at-least-once.
 *
 * @example
 * ```ts
 * @Sink({ name: 'db', from: 'candles' })
 * class DbSink implements SinkConnector<Candle> {
 *   constructor(private readonly db: Db) {}
 *   async write(batch: readonly Candle[]) { await this.db.insertMany(batch) }
 * }
 * ```
 * @see docs/concepts.md
 * @public
 */
export interface SinkConnector<T> {
  open?(ctx: { readonly name: string; readonly signal: AbortSignal }): void | Promise<void>;
  write(batch: readonly T[]): void | Promise<void>;
  flush?(): void | Promise<void>;
  close?(): void | Promise<void>;
  /**
   * Transactional sinks (two-phase commit, with `commit` and `recover`): a checkpoint's barrier
   * has reached the sink. Make everything written since the previous `preCommit` durable but not
   * yet visible, and return a handle for it — any structured-clonable value; the checkpoint
   * stores it. Later writes belong to the next transaction.
   */
  preCommit?(checkpointId: number): unknown;
  /**
   * The checkpoint holding `handle` is stored: make its writes visible. Must be idempotent — after
   * a crash the engine commits again the handles of the checkpoint it restores.
   */
  commit?(handle: unknown): void | Promise<void>;
  /**
   * The pipeline starts (called after `open`, before the first write). When it starts from
   * checkpoint `checkpointId`: commit `pending` (that checkpoint's handles, possibly committed
   * already) and discard everything written after it — open transactions, and transactions
   * committed under a later checkpoint id (the newest checkpoint was unusable and an older one
   * is restored): those records will be produced again. On a fresh start (`checkpointId`
   * undefined, `pending` empty) discard open transactions and keep what was committed.
   */
  recover?(pending: readonly unknown[], checkpointId: number | undefined): void | Promise<void>;
  /**
   * Idempotent sinks, for stores that de-duplicate (an upsert by key, a message-id check):
   * written instead of `write`, with the id of the batch's first record; record `i` has id
   * `firstId + i`. An id is the record's ordinal in this sink's output, carried by checkpoints, so
   * a record produced again after a restore gets the id it had before: write by id and a replay
   * overwrites instead of adding. Deterministic when the sink's records come in a deterministic
   * order — records of one source through any stages (a union of several sources may interleave
   * differently on a replay).
   */
  writeIdempotent?(batch: readonly T[], firstId: number): void | Promise<void>;
  /**
   * The connector's own figures (a broker's redeliveries, acks pending, reconnects), by name:
   * the engine copies them into the node's stats as `connector`, and the monitoring plugin
   * exports each as `sluice_source_connector_value{source, metric}` (or `sluice_sink_connector_value{sink, metric}`). Called on every stats read: keep it cheap.
   */
  metrics?(): Readonly<Record<string, number>>;
}
