/**
 * The metrics of a `CoreNatsSource` (`source.metrics()`). What the engine's overflow policy
 * dropped is in the pipeline's stats (`sources[name].dropped`), not here.
 * @public
 */
export interface CoreNatsSourceMetrics {
  /** Messages received from the subscription. */
  readonly received: number;
  /** Messages whose payload could not be decoded, sent to the dead letters. */
  readonly deadLettered: number;
  /** 1 while connected, else 0. */
  readonly connected: number;
  readonly disconnects: number;
  readonly reconnects: number;
  /** Index signature, so that the metrics are a `Record<string, number>`. */
  readonly [name: string]: number;
}
