/**
 * What {@link SqliteSink.preCommit} returns and the checkpoint stores: the id of a transaction
 * whose rows are durable in the staging table, not yet in the target table.
 * @public
 */
export interface SqliteSinkHandle {
  readonly txn: number;
}
