import type { PushEmitter } from './push-emitter.js';
import type { SourceContext } from './source-context.js';

/**
 * A source that cannot be paused: a socket, a core NATS subscription, a multicast market-data
 * feed. Instead of answering `read(max)`, it pushes records through the {@link PushEmitter} it is
 * given in `subscribe`. The engine keeps them in a bounded buffer and reads from it as downstream
 * has room; when the buffer is full, the source's overflow policy (`@Source({ overflow })`:
 * `block`, `drop-oldest`, `drop-newest`, `sample` or one a plugin binds) decides, and every
 * dropped record is counted. The engine tells a push source from a pull source by the method it
 * implements: `subscribe` (push) or `read` (pull), never both.
 *
 * The engine calls `subscribe` when the pipeline starts (as it calls `open` on a pull source)
 * and does not wait for a promise it returns: an async `subscribe` may run the feed itself, for as
 * long as it lasts (a loop that awaits `emitter.ready()`). A `subscribe` that throws fails the
 * start; a promise it returns that rejects is the feed failing, as with `emitter.fail`. The engine
 * calls `unsubscribe` once it takes no more records: at `stop()` (the buffer is still drained), on
 * cancellation, after `end()` or a failure, and before subscribing again after a
 * {@link DisconnectedError}. `ctx.signal` is aborted at the same moments as for a pull source.
 *
 * A push source has no position to rewind to, so exactly-once checkpoints refuse it; it works
 * without checkpoints and with `checkpoints.mode: 'at-least-once'`.
 *
 * @example
 * ```ts
 * @Source({ name: 'ticks', overflow: { policy: 'drop-oldest', buffer: 10_000 } })
 * class MulticastTicks implements PushSourceConnector<Tick> {
 *   private socket?: Socket
 *   subscribe(emitter: PushEmitter<Tick>) {
 *     this.socket = dgram.createSocket('udp4').on('message', (m) => emitter.emit(decode(m)))
 *     this.socket.bind(5000)
 *   }
 *   unsubscribe() { this.socket?.close() }
 * }
 * ```
 * @see docs/flow-control.md
 * @public
 */
export interface PushSourceConnector<T> {
  /** Starts the feed: from now on, hand every record to `emitter`. */
  subscribe(emitter: PushEmitter<T>, ctx: SourceContext): void | Promise<void>;
  /** Stops the feed; called once per `subscribe`. */
  unsubscribe?(): void | Promise<void>;
  /**
   * The connector's own figures (a broker's redeliveries, acks pending, reconnects), by name:
   * the engine copies them into the node's stats as `connector`, and the monitoring plugin
   * exports each as `sluice_source_connector_value{source, metric}` (or `sluice_sink_connector_value{sink, metric}`). Called on every stats read: keep it cheap.
   */
  metrics?(): Readonly<Record<string, number>>;
}
