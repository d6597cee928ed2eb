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
  /**
   * How often the pipeline takes checkpoints, in ms; undefined without checkpoints. A source
   * that acknowledges messages on `commit` checks it against its broker's ack deadline: a
   * message must not be redelivered while its checkpoint is still being taken.
   */
  readonly checkpointIntervalMs?: number;
  /**
   * Sends a payload that the source could not decode (malformed JSON or CSV, a record that fails
   * validation, an oversize line) to the pipeline's dead letters, with why, and goes on: the
   * payload is kept, never dropped. `position` says where it was (a line number, a byte offset).
   */
  deadLetter(payload: unknown, error: Error, position: number): void;
}
