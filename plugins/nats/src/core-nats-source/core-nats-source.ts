import type { Subscription } from '@nats-io/transport-node';
import {
  DisconnectedError,
  Inject,
  Source,
  validateOptions,
  type PushEmitter,
  type PushSourceConnector,
  type SourceContext,
} from '@sluice/sdk';
import { checkConnectionOptions, openNatsConnection, type TrackedConnection } from '../connection/open-nats-connection.js';
import type { CoreNatsSourceMetrics } from './core-nats-source-metrics.js';
import { decodePayload, type NatsDecode } from '../decode/decode-payload.js';
import { NatsDecodeError } from '../decode/nats-decode-error.js';
import { CoreNatsSourceSchema, type CoreNatsSourceSettings } from './core-nats-source-settings.js';

/**
 * A push source over a plain (core) NATS subscription: low latency, at-most-once. Core NATS
 * keeps nothing: a message published while the pipeline is not subscribed, or while the
 * connection is down, is not seen; and the source has no position to rewind to, so checkpoints
 * accept it only in `at-least-once` mode. Messages are handed to the engine's bounded buffer,
 * where the source's overflow policy (`overflow: { policy, buffer }` in its options: `block`,
 * `drop-oldest`, `drop-newest`, `sample`) decides what happens when the pipeline falls behind;
 * under `block` the subscription waits for room, and messages queue in the client up to its
 * pending limits (beyond them the client drops them and reports a slow consumer).
 *
 * @example
 * ```ts
 * defineSource(
 *   { name: 'quotes', overflow: { policy: 'drop-oldest', buffer: 10_000 } },
 *   new CoreNatsSource<Quote>({ connection: { servers: 'nats://127.0.0.1:4222' }, subject: 'quotes.>' }),
 * )
 * ```
 * @see docs/nats-sources.md
 * @public
 */
@Source({ name: 'nats' })
export class CoreNatsSource<T = unknown> implements PushSourceConnector<T> {
  /** The token under which a host binds this class's settings (see docs/plugin-authoring.md). */
  static readonly settings = Symbol.for('@sluice/plugin-nats:CoreNatsSource.settings');

  private readonly settings: CoreNatsSourceSettings;
  private readonly decode: NatsDecode;
  private conn: TrackedConnection | undefined;
  private sub: Subscription | undefined;
  // Drops of the connections before the current one.
  private past = { disconnects: 0, reconnects: 0 };
  private received = 0;
  private deadLettered = 0;

  constructor(@Inject(CoreNatsSource.settings) settings: CoreNatsSourceSettings) {
    const target = typeof settings === 'object' && settings !== null ? String(settings.subject) : 'CoreNatsSource';
    validateOptions(CoreNatsSourceSchema, settings, { decorator: 'CoreNatsSource', target });
    checkConnectionOptions(settings.connection, { decorator: 'CoreNatsSource', target: `${target} (option "connection")` });
    this.settings = settings;
    this.decode = settings.decode ?? 'json';
  }

  /** Connects and subscribes; the subscription is flushed, so messages published after it are received. */
  async subscribe(emitter: PushEmitter<T>, ctx: SourceContext): Promise<void> {
    const who = `CoreNatsSource '${ctx.name}'`;
    if (this.conn !== undefined && this.conn.nc.isClosed()) this.keepCounts(this.conn);
    if (this.conn === undefined || this.conn.nc.isClosed())
      this.conn = await openNatsConnection(this.settings.connection, who, (m) => console.warn(m));
    const nc = this.conn.nc;
    const sub = nc.subscribe(this.settings.subject, this.settings.queue === undefined ? {} : { queue: this.settings.queue });
    this.sub = sub;
    // The server has the subscription once the flush returns: what is published next reaches it.
    await nc.flush();
    void this.feed(sub, emitter, ctx, who);
  }

  /** Unsubscribes and closes the connection. */
  async unsubscribe(): Promise<void> {
    const sub = this.sub;
    this.sub = undefined;
    sub?.unsubscribe();
    // The closed connection stays, for its counts in the metrics; subscribe opens a new one.
    await this.conn?.close();
  }

  /** Messages received and dead-lettered, and the connection's state. */
  metrics(): CoreNatsSourceMetrics {
    const now = this.conn?.metrics() ?? { connected: 0, disconnects: 0, reconnects: 0 };
    return {
      received: this.received,
      deadLettered: this.deadLettered,
      // A closed connection may not have reported its close: it is not connected.
      connected: this.conn === undefined || this.conn.nc.isClosed() ? 0 : now.connected,
      disconnects: this.past.disconnects + now.disconnects,
      reconnects: this.past.reconnects + now.reconnects,
    };
  }

  // A connection about to be replaced: its drops still count.
  private keepCounts(conn: TrackedConnection): void {
    const m = conn.metrics();
    this.past = { disconnects: this.past.disconnects + m.disconnects, reconnects: this.past.reconnects + m.reconnects };
  }

  private async feed(sub: Subscription, emitter: PushEmitter<T>, ctx: SourceContext, who: string): Promise<void> {
    try {
      for await (const msg of sub) {
        const n = ++this.received;
        const decoded = decodePayload(msg.data, this.decode);
        if (!decoded.ok) {
          this.deadLettered++;
          ctx.deadLetter(
            decoded.payload,
            new NatsDecodeError(`${who}: message ${n}`, msg.subject, n, decoded.reason, { cause: decoded.cause }),
            n,
          );
          continue;
        }
        // `false` only under `block` with a full buffer (wait for room), or once the source has
        // stopped (then the record cannot be taken: stop reading).
        while (!emitter.emit(decoded.value as T)) {
          if (ctx.signal.aborted || this.sub !== sub) return;
          await emitter.ready();
        }
      }
    } catch (err) {
      if (this.sub === sub)
        emitter.fail(
          new DisconnectedError(`${who}: the subscription to ${this.settings.subject} failed: ${(err as Error).message}`, { cause: err }),
        );
      return;
    }
    // The subscription ended without unsubscribe: the connection closed for good. Subscribe again.
    if (this.sub === sub && !ctx.signal.aborted) emitter.fail(new DisconnectedError(`${who}: the connection to NATS closed`));
  }
}
