/**
 * The catalogue of Sluice error codes. Every {@link SluiceError} carries one of these; they are
 * stable across versions and documented in `docs/reference/errors.md`.
 *
 * @example
 * ```ts
 * if (SluiceError.is(err) && err.code === ErrorCodes.GRAPH_UNKNOWN_INPUT) { ... }
 * ```
 * @public
 */
export const ErrorCodes = {
  /** A decorator option broke a rule (wrong type, out of range, unknown key). */
  INVALID_OPTION: 'SLUICE_ERR_INVALID_OPTION',
  /** A duration string could not be parsed (`'250ms'`, `'1s'`, `'5m'` are valid). */
  INVALID_DURATION: 'SLUICE_ERR_INVALID_DURATION',
  /** A stage reads from a name that no source, stage or composite provides. */
  GRAPH_UNKNOWN_INPUT: 'SLUICE_ERR_GRAPH_UNKNOWN_INPUT',
  /** The stages' `from:` edges form a cycle. */
  GRAPH_CYCLE: 'SLUICE_ERR_GRAPH_CYCLE',
  /** Two components declare the same name. */
  GRAPH_DUPLICATE_NAME: 'SLUICE_ERR_GRAPH_DUPLICATE_NAME',
  /** A class carries no Sluice decorator, or its stage kind cannot be told from its methods. */
  GRAPH_UNKNOWN_KIND: 'SLUICE_ERR_GRAPH_UNKNOWN_KIND',
  /** A source (or stage) whose output nobody reads. */
  GRAPH_NO_CONSUMER: 'SLUICE_ERR_GRAPH_NO_CONSUMER',
  /** The pipeline has no source. */
  GRAPH_EMPTY: 'SLUICE_ERR_GRAPH_EMPTY',
  /** A stage needs a key (`key:` option) that it was not given. */
  GRAPH_KEY_REQUIRED: 'SLUICE_ERR_GRAPH_KEY_REQUIRED',
  /** The container could not build a component (a constructor dependency is not bound). */
  INJECTION_FAILED: 'SLUICE_ERR_INJECTION_FAILED',
  /** A stage threw while processing a record and its error policy is to fail the pipeline. */
  STAGE_FAILED: 'SLUICE_ERR_STAGE_FAILED',
  /** A record was not given to a stage because the stage's circuit breaker was open (in a dead letter's `error.code`). */
  CIRCUIT_OPEN: 'SLUICE_ERR_CIRCUIT_OPEN',
  /** A source failed to open or read. */
  SOURCE_FAILED: 'SLUICE_ERR_SOURCE_FAILED',
  /** A sink failed to open or write. */
  SINK_FAILED: 'SLUICE_ERR_SINK_FAILED',
  /** Checkpointing failed: the store could not be opened or read, a restore did not fit the pipeline, or a sink's commit failed. */
  CHECKPOINT_FAILED: 'SLUICE_ERR_CHECKPOINT_FAILED',
  /** A lifecycle hook (`onStart`, `onStop`, `close`) failed; a failing `open` is `SOURCE_FAILED` or `SINK_FAILED`. */
  LIFECYCLE_FAILED: 'SLUICE_ERR_LIFECYCLE_FAILED',
  /** The pipeline was used in a state that does not allow the call (e.g. `start()` on a pipeline that was already started; a second `run()` just waits for the end). */
  INVALID_STATE: 'SLUICE_ERR_INVALID_STATE',
  /** The pipeline was cancelled through its `AbortSignal`. */
  ABORTED: 'SLUICE_ERR_ABORTED',
  /** Control flow: a source has no more records; the engine drains and stops it. */
  END_OF_STREAM: 'SLUICE_ERR_END_OF_STREAM',
  /** Control flow: a source or sink lost its connection; the engine retries with back-off. */
  DISCONNECTED: 'SLUICE_ERR_DISCONNECTED',
  /** Control flow: the callee asks the engine to wait `waitMs` before trying again. */
  BACKOFF: 'SLUICE_ERR_BACKOFF',
} as const;

/**
 * One of the string codes in {@link ErrorCodes}.
 * @public
 */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
