/** @internal What every task of one pipeline run watches. */
export interface TaskControl {
  /** Sources stop pulling; everything in flight drains (a graceful stop). */
  stopping: boolean;
  /** Everything stops at once; in-flight records are discarded (cancel or failure). */
  cancelled: boolean;
  /** Aborted on cancel or failure; passed to enrich calls and sinks. */
  readonly signal: AbortSignal;
  /** Aborted on stop, cancel or failure; passed to sources so a pending read can end early. */
  readonly stopSignal: AbortSignal;
}
