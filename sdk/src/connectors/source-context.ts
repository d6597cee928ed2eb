/**
 * What the engine tells a source when it opens it.
 * @public
 */
export interface SourceContext {
  /** The source's name in the graph. */
  readonly name: string;
  /** The largest batch the engine will ask for in one `read`. */
  readonly batchSize: number;
  /** Aborted when the pipeline stops or is cancelled: end pending reads with it (a read that
   * rejects after a stop ends the source quietly). */
  readonly signal: AbortSignal;
}
