/**
 * What {@link SqliteSink.preCommit} returns and the checkpoint stores: the id of a transaction
 * whose rows are durable in the staging table, not yet in the target table. Transaction ids
 * never repeat for a sink, so a handle stays valid across restarts.
 *
 * @example
 * ```ts
 * const handle = sink.preCommit(7) // { txn: 12 }
 * sink.commit(handle)
 * ```
 * @see docs/sqlite.md
 * @beta
 */
export interface SqliteSinkHandle {
  readonly txn: number;
}
