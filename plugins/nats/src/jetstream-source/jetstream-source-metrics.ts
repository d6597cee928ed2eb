/**
 * The metrics of a `JetStreamSource` (`source.metrics()`): how many messages came again,
 * wait for their checkpoint, were acknowledged, went to the dead letters, and the connection's
 * state.
 * @public
 */
export interface JetStreamSourceMetrics {
  /** Messages delivered again (at or before the position already read): dropped, acknowledged once covered. */
  readonly redelivered: number;
  /** Messages read and not yet acknowledged: they wait for the checkpoint that covers them. */
  readonly pendingAcks: number;
  /** Messages acknowledged (confirmed by the server). */
  readonly acked: number;
  /** Messages whose payload could not be decoded, sent to the dead letters. */
  readonly deadLettered: number;
  /** 1 while connected, else 0. */
  readonly connected: number;
  readonly disconnects: number;
  readonly reconnects: number;
  /** Index signature, so that the metrics are a `Record<string, number>`. */
  readonly [name: string]: number;
}
