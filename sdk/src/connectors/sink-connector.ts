/**
 * A destination of records. The engine hands it whole batches; while a returned promise is
 * pending, no further batch is written and the channel in front of the sink fills, which
 * pauses everything upstream (backpressure). `flush` runs at end of input, before `close`.
 *
 * Errors: {@link DisconnectedError} makes the engine re-open and retry the same batch with
 * back-off; {@link BackoffError} makes it wait and retry; anything else fails the pipeline with
 * `SLUICE_ERR_SINK_FAILED`.
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
}
