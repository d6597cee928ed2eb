/**
 * What {@link FileSink.preCommit} returns and a checkpoint stores: the durable, not yet visible
 * part file of one transaction and the name it gets when committed. `part` and `final` are
 * `null` when the transaction wrote nothing.
 * @public
 */
export interface FileSinkHandle {
  /** The checkpoint this transaction ends at. */
  readonly checkpointId: number;
  /** The in-progress part file (`<dir>/.<name>.inprogress.<id>`). */
  readonly part: string | null;
  /** The committed file name (`<dir>/<name>-<checkpoint, 12 digits>.<ext>`). */
  readonly final: string | null;
}
