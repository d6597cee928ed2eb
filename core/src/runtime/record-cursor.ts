/** @internal Where a fused segment is in its current batch: the context reads metadata through it. */
export interface RecordCursor {
  position(): number;
  /** NaN when the record has no event time. */
  time(): number;
}
