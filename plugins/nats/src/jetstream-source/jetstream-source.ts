import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  jetstream,
  jetstreamManager,
  type Consumer,
  type ConsumerConfig,
  type ConsumerInfo,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import {
  DisconnectedError,
  EndOfStreamError,
  ErrorCodes,
  Inject,
  SluiceError,
  Source,
  validateOptions,
  type SourceConnector,
  type SourceContext,
} from '@sluice/sdk';
import { checkConnectionOptions, openNatsConnection, type TrackedConnection } from '../connection/open-nats-connection.js';
import type { JetStreamSourceMetrics } from './jetstream-source-metrics.js';
import { decodePayload, type NatsDecode } from '../decode/decode-payload.js';
import { NatsDecodeError } from '../decode/nats-decode-error.js';
import { JetStreamSourceSchema, type JetStreamSourceSettings } from './jetstream-source-settings.js';

/** Default of `ackWaitMs`. */
const DEFAULT_ACK_WAIT_MS = 30_000;
/** Default of `maxAckPending`: room for a second of a fast feed between two checkpoints. */
const DEFAULT_MAX_ACK_PENDING = 100_000;
/** What the ack wait must exceed besides two checkpoint intervals: time to take and store one. */
const ACK_WAIT_MARGIN_MS = 5_000;
/** How long one pull waits on the server for messages (the client's minimum is 1 s). */
const PULL_EXPIRES_MS = 2_000;
/** How often a read that waits for messages checks that the connection has not dropped. */
const CONNECTION_CHECK_MS = 250;

// The last message of a batch read and not yet acknowledged, with how many messages the batch
// had. With ack policy `all`, acknowledging it acknowledges the whole batch (and those before).
interface HeldBatch {
  seq: number;
  msg: JsMsg;
  count: number;
}

/**
 * A rewindable source over a durable JetStream pull consumer. Its position is the stream
 * sequence of the last message it returned. Messages are acknowledged only once the checkpoint
 * that recorded them is stored (`commit`), so a crash never loses one: after a restart the
 * source goes on from the checkpointed sequence, and anything at or before it that the server
 * still delivers is dropped (counted as `redelivered`). With a transactional or idempotent sink,
 * results are exactly-once.
 *
 * Without checkpoints, each batch is acknowledged when the engine asks for the next one: a batch
 * read but not yet passed on when the process dies is delivered again (at-least-once at the
 * source); records already in the pipeline's channels are lost with the process.
 *
 * Backpressure: one pull request of at most `batchSize` messages is outstanding at a time, and
 * the next is sent only when the engine reads again; a pipeline that stops reading stops pulling.
 *
 * In a pipeline file, the entry's `settings` are the {@link JetStreamSourceSettings}; in code,
 * wrap an instance with `defineSource` of `@sluice/core`.
 *
 * @example
 * ```ts
 * createPipeline({
 *   components: [
 *     defineSource({ name: 'orders' }, new JetStreamSource<Order>({
 *       connection: { servers: 'nats://127.0.0.1:4222' }, stream: 'ORDERS', durable: 'orders-pipeline',
 *     })),
 *     ...
 *   ],
 *   checkpoints: { store: new FileCheckpointStore('./checkpoints'), interval: '1s' },
 * })
 * ```
 * @see docs/nats-sources.md
 * @public
 */
@Source({ name: 'jetstream' })
export class JetStreamSource<T = unknown> implements SourceConnector<T> {
  /** The token under which a host binds this class's settings (see docs/plugin-authoring.md). */
  static readonly settings = Symbol.for('@sluice/plugin-nats:JetStreamSource.settings');

  private readonly settings: JetStreamSourceSettings;
  private readonly ackWaitMs: number;
  private readonly decode: NatsDecode;
  private readonly startTime: string | undefined;
  private ctx: SourceContext | undefined;
  private conn: TrackedConnection | undefined;
  private jsm: JetStreamManager | undefined;
  private js: JetStreamClient | undefined;
  private consumer: Consumer | undefined;
  // Disconnects of the connection when it was last checked: a new one means messages in flight
  // may have been lost, so the consumer must start again from what is covered.
  private seenDisconnects = 0;
  private opened = false;

  // Stream sequence of the last message returned (or dropped as covered): position().
  private lastReturned = 0;
  // Everything at or before it is covered by a stored checkpoint (or a seek, or the consumer's
  // ack floor at start); undefined: nothing known yet, a new consumer starts at `startAt`.
  private covered: number | undefined;
  // The consumer must be re-created to deliver from covered + 1 before the next pull.
  private needsReset = false;
  private endSeq: number | undefined;
  private ended = false;

  private readonly held: HeldBatch[] = [];
  // Messages pulled and not yet returned: at most one pull's worth (a batch).
  private readonly queue: JsMsg[] = [];
  private pull: ConsumerMessages | undefined;
  private pullError: unknown;
  private wake: (() => void) | undefined;

  // Drops of the connections before the current one (one that gave up is replaced on re-open).
  private past = { disconnects: 0, reconnects: 0 };
  private redelivered = 0;
  private acked = 0;
  private deadLettered = 0;

  constructor(@Inject(JetStreamSource.settings) settings: JetStreamSourceSettings) {
    const where = { decorator: 'JetStreamSource', target: describeTarget(settings) };
    validateOptions(JetStreamSourceSchema, settings, where);
    checkConnectionOptions(settings.connection, { decorator: 'JetStreamSource', target: `${where.target} (option "connection")` });
    this.startTime = checkStartAt(settings.startAt, where);
    checkEndAt(settings.endAt, where);
    this.settings = settings;
    this.ackWaitMs = settings.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
    this.decode = settings.decode ?? 'json';
    if (settings.endAt !== undefined && settings.endAt !== 'now') this.endSeq = settings.endAt.seq;
  }

  /** Connects, checks the stream and the ack wait, and creates (or checks) the durable consumer. */
  async open(ctx: SourceContext): Promise<void> {
    this.ctx = ctx;
    const s = this.settings;
    // Refuse before connecting when the settings alone say the ack wait is too short.
    if (s.createConsumer !== false) this.checkAckWait(this.ackWaitMs, 'ackWaitMs');
    this.stopPull();
    const reopening = this.opened;
    if (this.conn === undefined || this.conn.nc.isClosed()) {
      if (this.conn !== undefined) {
        await this.conn.close();
        // Its drops still count in the metrics.
        const m = this.conn.metrics();
        this.past = { disconnects: this.past.disconnects + m.disconnects, reconnects: this.past.reconnects + m.reconnects };
      }
      try {
        this.conn = await openNatsConnection(s.connection, this.who(), (m) => console.warn(m));
      } catch (err) {
        // After a drop, a server still unreachable is retried by the engine with back-off; at the
        // first open, a clear failure beats waiting forever on a wrong address.
        if (reopening) throw new DisconnectedError(message(err), { cause: err });
        throw err;
      }
    }
    this.seenDisconnects = this.conn.metrics().disconnects;
    this.pullError = undefined;
    try {
      this.jsm = await jetstreamManager(this.conn.nc);
      this.js = jetstream(this.conn.nc);
      await this.checkStream(this.jsm);
      await this.prepareConsumer(this.jsm, reopening);
    } catch (err) {
      if (SluiceError.is(err)) throw err;
      if (reopening && !isApiError(err)) {
        throw new DisconnectedError(`${this.who()}: NATS at ${this.servers()} did not answer: ${message(err)}`, { cause: err });
      }
      throw new SluiceError(
        ErrorCodes.SOURCE_FAILED,
        `${this.who()}: could not set up consumer '${s.durable}' of stream '${s.stream}' on NATS at ${this.servers()}: ${message(err)}`,
        { cause: err, details: { source: ctx.name, stream: s.stream, durable: s.durable } },
      );
    }
    this.opened = true;
  }

  /** Reads up to `max` messages: those waiting, else waits for the next pull to bring some. */
  async read(max: number): Promise<readonly T[]> {
    if (this.conn === undefined || this.ctx === undefined) throw new DisconnectedError(`${this.who()} is not open`);
    const checkpoints = this.ctx.checkpointIntervalMs !== undefined;
    // Without checkpoints, the engine asking for more is the sign the last batch was taken.
    if (!checkpoints && this.held.length > 0) await this.ackQuietly(() => this.ackUpTo(this.lastReturned));
    // A bounded run already past its end (nothing on its subject, or a consumer that read it all
    // before): end now rather than after an empty pull.
    if (this.endSeq !== undefined && this.lastReturned >= this.endSeq && this.queue.length === 0) this.ended = true;
    if (this.ended) throw new EndOfStreamError();
    this.checkConnection();
    if (this.needsReset) await this.resetConsumer();
    if (this.queue.length === 0) await this.waitForMessages(max);
    const out: T[] = [];
    let last: JsMsg | undefined;
    let count = 0;
    let coveredRedelivery: JsMsg | undefined;
    // Taken by index and removed in one splice: a shift per message moves the rest each time.
    const queue = this.queue;
    let taken = 0;
    while (out.length < max && taken < queue.length) {
      const msg = queue[taken++]!;
      const seq = msg.seq;
      if (seq <= this.lastReturned) {
        // Returned before (or covered by a seek): never twice. Acknowledge it once it is covered.
        this.redelivered++;
        if (this.covered !== undefined && seq <= this.covered) coveredRedelivery = msg;
        else this.holdRedelivery(msg);
        continue;
      }
      if (this.endSeq !== undefined && seq > this.endSeq) {
        // Past the end of a bounded run: not returned, not acknowledged (the next run reads it).
        this.ended = true;
        taken = queue.length;
        break;
      }
      const decoded = decodePayload(msg.data, this.decode);
      if (decoded.ok) out.push(decoded.value as T);
      else {
        this.deadLettered++;
        const where = `${this.who()}: stream ${this.settings.stream} seq ${seq}`;
        this.ctx.deadLetter(decoded.payload, new NatsDecodeError(where, msg.subject, seq, decoded.reason, { cause: decoded.cause }), seq);
      }
      this.lastReturned = seq;
      last = msg;
      count++;
    }
    queue.splice(0, taken);
    if (last !== undefined) this.held.push({ seq: last.seq, msg: last, count });
    if (this.endSeq !== undefined && this.lastReturned >= this.endSeq) this.ended = true;
    // With ack policy `all`, one acknowledgement covers every redelivery before it.
    if (coveredRedelivery !== undefined) await this.ackQuietly(() => this.ack(coveredRedelivery, 0));
    return out;
  }

  /** The stream sequence of the last message returned. */
  position(): number {
    return this.lastReturned;
  }

  /**
   * Everything up to stream sequence `position` is covered: the consumer is re-created to
   * deliver from the next one at once, rather than after the ack wait of what an earlier run
   * had read and not acknowledged.
   */
  async seek(position: unknown): Promise<void> {
    if (typeof position !== 'number' || !Number.isInteger(position) || position < 0) {
      throw new SluiceError(
        ErrorCodes.SOURCE_FAILED,
        `${this.who()}: cannot seek to ${JSON.stringify(position)}: a position of this source is a stream sequence (an integer >= 0)`,
        { details: { source: this.ctx?.name } },
      );
    }
    this.stopPull();
    this.queue.length = 0;
    // What this process held belongs to the consumer about to be replaced.
    this.held.length = 0;
    this.lastReturned = position;
    this.covered = position;
    this.ended = this.endSeq !== undefined && position >= this.endSeq;
    await this.resetConsumer();
  }

  /**
   * The checkpoint holding `position` is stored: acknowledges every message read up to it, with
   * one double acknowledgement (ack policy `all` acknowledges the messages before it too).
   */
  async commit(position: unknown): Promise<void> {
    if (typeof position !== 'number') return;
    if (this.covered === undefined || position > this.covered) this.covered = position;
    await this.ackUpTo(position);
  }

  /** Redeliveries, acknowledgements waiting and done, dead letters, and the connection's state. */
  metrics(): JetStreamSourceMetrics {
    const now = this.conn?.metrics() ?? { connected: 0, disconnects: 0, reconnects: 0 };
    return {
      redelivered: this.redelivered,
      pendingAcks: this.held.reduce((n, b) => n + b.count, 0),
      acked: this.acked,
      deadLettered: this.deadLettered,
      // A closed connection may not have reported its close: it is not connected.
      connected: this.conn === undefined || this.conn.nc.isClosed() ? 0 : now.connected,
      disconnects: this.past.disconnects + now.disconnects,
      reconnects: this.past.reconnects + now.reconnects,
    };
  }

  /** Stops pulling and drains the connection; what is not acknowledged is delivered again later. */
  async close(): Promise<void> {
    this.stopPull();
    this.queue.length = 0;
    const conn = this.conn;
    this.consumer = undefined;
    if (conn !== undefined) await conn.close();
  }

  private who(): string {
    return `JetStreamSource '${this.ctx?.name ?? describeTarget(this.settings)}'`;
  }

  private servers(): string {
    const s = this.settings.connection.servers;
    return typeof s === 'string' ? s : s.join(', ');
  }

  private checkAckWait(ackWaitMs: number, what: string): void {
    const interval = this.ctx?.checkpointIntervalMs;
    if (interval === undefined) return;
    const least = 2 * interval + ACK_WAIT_MARGIN_MS;
    if (ackWaitMs >= least) return;
    throw new SluiceError(
      ErrorCodes.INVALID_OPTION,
      `${this.who()}: ${what} ${ackWaitMs} ms is too short for checkpoints every ${interval} ms: messages are acknowledged only once the checkpoint after them is stored, so the server would deliver them again meanwhile. Set ackWaitMs to at least ${least} (2 × the checkpoint interval + ${ACK_WAIT_MARGIN_MS} ms), or take checkpoints more often`,
      { details: { source: this.ctx?.name, option: 'ackWaitMs', ackWaitMs, checkpointIntervalMs: interval } },
    );
  }

  private async checkStream(jsm: JetStreamManager): Promise<void> {
    const s = this.settings;
    let retention: string;
    let lastSeq: number;
    try {
      const info = await jsm.streams.info(s.stream);
      retention = info.config.retention;
      lastSeq = info.state.last_seq;
    } catch (err) {
      if (isApiError(err, JetStreamApiCodes.StreamNotFound)) {
        throw new SluiceError(
          ErrorCodes.SOURCE_FAILED,
          `${this.who()}: stream '${s.stream}' does not exist on NATS at ${this.servers()}; create it first (the source never creates streams)`,
          { cause: err, details: { source: this.ctx?.name, stream: s.stream } },
        );
      }
      throw err;
    }
    // Rewinding re-creates the consumer; on an interest or work-queue stream, messages acknowledged
    // or without a consumer may already be gone, so positions could not be read again.
    if (retention !== RetentionPolicy.Limits) {
      throw new SluiceError(
        ErrorCodes.SOURCE_FAILED,
        `${this.who()}: stream '${s.stream}' has ${retention} retention; the source needs limits retention, since it re-reads messages from a position after a restart`,
        { details: { source: this.ctx?.name, stream: s.stream } },
      );
    }
    if (s.endAt === 'now' && this.endSeq === undefined) this.endSeq = await this.lastSeqNow(jsm, lastSeq);
  }

  // endAt 'now': the last message there is now on the source's subject. A literal subject asks
  // the stream for its last message; a wildcard (or none) takes the stream's last sequence, and
  // the run then ends at the first empty pull once its subjects have nothing left.
  private async lastSeqNow(jsm: JetStreamManager, streamLastSeq: number): Promise<number> {
    const subject = this.settings.subject;
    if (subject === undefined || /[*>]/.test(subject)) return streamLastSeq;
    try {
      const last = await jsm.streams.getMessage(this.settings.stream, { last_by_subj: subject });
      return last?.seq ?? 0;
    } catch (err) {
      if (isApiError(err, JetStreamApiCodes.NoMessageFound)) return 0;
      throw err;
    }
  }

  /** Finds or creates the consumer; decides whether it must be re-created before the next pull. */
  private async prepareConsumer(jsm: JetStreamManager, reopening: boolean): Promise<void> {
    const s = this.settings;
    let info: ConsumerInfo | undefined;
    try {
      info = await jsm.consumers.info(s.stream, s.durable);
    } catch (err) {
      if (!isApiError(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
    }
    if (info === undefined) {
      if (s.createConsumer === false) {
        throw new SluiceError(
          ErrorCodes.SOURCE_FAILED,
          `${this.who()}: consumer '${s.durable}' of stream '${s.stream}' does not exist on NATS at ${this.servers()}, and createConsumer is false; create it, or let the source create it (createConsumer: true)`,
          { details: { source: this.ctx?.name, stream: s.stream, durable: s.durable } },
        );
      }
      if (reopening) {
        // Deleted from under us: re-created (below, before the next pull) from what is covered.
        this.needsReset = true;
      } else {
        info = await jsm.consumers.add(s.stream, this.consumerConfig(this.startConfig()));
        // The server puts a new consumer's ack floor just before its first message (also for a
        // start time): that is what its start makes covered, and the position before any read.
        this.covered = info.ack_floor.stream_seq;
        this.lastReturned = info.ack_floor.stream_seq;
      }
    } else {
      this.checkConsumer(info);
      // A consumer from an earlier run: everything up to its ack floor is done. What it delivered
      // past the floor would come back only after its ack wait, and out of order; so it is
      // re-created to deliver from the floor on at once (also when its settings differ from ours).
      if (!reopening) {
        this.covered = info.ack_floor.stream_seq;
        this.lastReturned = info.ack_floor.stream_seq;
      }
      const stale = s.createConsumer !== false && !this.sameConfig(info.config);
      if (reopening || stale || info.delivered.stream_seq > info.ack_floor.stream_seq || info.num_ack_pending > 0) this.needsReset = true;
    }
    if (info !== undefined && s.createConsumer === false) {
      this.checkAckWait(nanosToMs(info.config.ack_wait), `consumer '${s.durable}' has an ack wait of`);
    }
    if (reopening) {
      // Acknowledgements of what this process holds belong to the consumer about to be replaced.
      this.held.length = 0;
      this.queue.length = 0;
    }
    if (!this.needsReset) this.consumer = await this.js!.consumers.get(s.stream, s.durable);
  }

  private checkConsumer(info: ConsumerInfo): void {
    const s = this.settings;
    if (info.config.deliver_subject !== undefined && info.config.deliver_subject !== '') {
      throw new SluiceError(
        ErrorCodes.SOURCE_FAILED,
        `${this.who()}: consumer '${s.durable}' of stream '${s.stream}' is a push consumer; the source needs a pull consumer (use another durable name)`,
        { details: { source: this.ctx?.name, stream: s.stream, durable: s.durable } },
      );
    }
    // The source acknowledges the last message of each covered batch, which covers the batch
    // only under ack policy `all`.
    if (s.createConsumer === false && info.config.ack_policy !== AckPolicy.All) {
      throw new SluiceError(
        ErrorCodes.SOURCE_FAILED,
        `${this.who()}: consumer '${s.durable}' of stream '${s.stream}' has ack policy '${info.config.ack_policy}'; the source needs ack policy 'all' (or let it create its consumer: createConsumer: true)`,
        { details: { source: this.ctx?.name, stream: s.stream, durable: s.durable } },
      );
    }
  }

  private sameConfig(config: ConsumerConfig): boolean {
    return (
      config.ack_policy === AckPolicy.All &&
      nanosToMs(config.ack_wait) === this.ackWaitMs &&
      (config.filter_subject ?? '') === (this.settings.subject ?? '') &&
      config.max_ack_pending === (this.settings.maxAckPending ?? DEFAULT_MAX_ACK_PENDING)
    );
  }

  // Where a (re-)created consumer starts: after what is covered, else where the settings say.
  private startConfig(): Partial<ConsumerConfig> {
    if (this.covered !== undefined) return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.covered + 1 };
    const startAt = this.settings.startAt;
    if (startAt !== undefined && 'seq' in startAt) return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: startAt.seq };
    if (this.startTime !== undefined) return { deliver_policy: DeliverPolicy.StartTime, opt_start_time: this.startTime };
    return { deliver_policy: DeliverPolicy.All };
  }

  private consumerConfig(start: Partial<ConsumerConfig>): Partial<ConsumerConfig> {
    const s = this.settings;
    // Ack policy `all`: acknowledging a message acknowledges every one before it. The source
    // acknowledges in stream order, up to checkpointed positions, so one double acknowledgement
    // per checkpoint (rather than one per message) does it, and the ack floor on the server is
    // exactly the last committed position.
    return {
      durable_name: s.durable,
      ack_policy: AckPolicy.All,
      ack_wait: msToNanos(this.ackWaitMs),
      max_ack_pending: s.maxAckPending ?? DEFAULT_MAX_ACK_PENDING,
      ...(s.subject === undefined ? {} : { filter_subject: s.subject }),
      ...start,
    };
  }

  /**
   * Re-creates the consumer so that it delivers from `covered + 1` now. NATS 2.9 cannot move a
   * consumer's start, and a consumer that has delivered messages nobody acknowledges would
   * redeliver them only after its ack wait, out of order; deleting and creating it again (same
   * name, same settings, a new start) is the way. Nothing is lost: everything before the new start
   * is covered by a checkpoint (or was acknowledged), and the stream keeps it (limits retention).
   */
  private async resetConsumer(): Promise<void> {
    const s = this.settings;
    const jsm = this.jsm;
    if (jsm === undefined) throw new DisconnectedError(`${this.who()} is not open`);
    this.stopPull();
    this.queue.length = 0;
    try {
      let config: Partial<ConsumerConfig>;
      if (s.createConsumer === false) {
        // An operator's consumer keeps its settings; only its start moves.
        const existing = (await jsm.consumers.info(s.stream, s.durable)).config;
        config = { ...existing, opt_start_seq: undefined, opt_start_time: undefined, ...this.startConfig() };
      } else config = this.consumerConfig(this.startConfig());
      if (this.covered !== undefined) {
        // Limits retention may have removed messages after the covered position (age, size):
        // they cannot be read any more. Say so, rather than skip them silently.
        const first = (await jsm.streams.info(s.stream)).state.first_seq;
        if (first > this.covered + 1) {
          console.warn(
            `${this.who()}: stream '${s.stream}' no longer holds sequences ${this.covered + 1} to ${first - 1} (removed by its retention limits); going on from ${first}`,
          );
        }
      }
      await jsm.consumers.delete(s.stream, s.durable).catch((err: unknown) => {
        if (!isApiError(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
      });
      await jsm.consumers.add(s.stream, config);
      this.consumer = await this.js!.consumers.get(s.stream, s.durable);
      this.needsReset = false;
    } catch (err) {
      if (SluiceError.is(err)) throw err;
      if (isApiError(err)) {
        throw new SluiceError(
          ErrorCodes.SOURCE_FAILED,
          `${this.who()}: could not re-create consumer '${s.durable}' of stream '${s.stream}': ${message(err)}`,
          {
            cause: err,
            details: { source: this.ctx?.name, stream: s.stream, durable: s.durable },
          },
        );
      }
      throw new DisconnectedError(`${this.who()}: could not re-create consumer '${s.durable}': ${message(err)}`, { cause: err });
    }
  }

  private checkConnection(): void {
    const conn = this.conn!;
    const disconnects = conn.metrics().disconnects;
    if (!conn.nc.isClosed() && disconnects === this.seenDisconnects && this.pullError === undefined) return;
    const why = this.pullError !== undefined ? `a pull failed: ${message(this.pullError)}` : 'the connection to NATS dropped';
    this.pullError = undefined;
    this.stopPull();
    // Messages in flight when it dropped are pending on the server: re-open, and re-create the
    // consumer from what is covered, so that none is skipped.
    throw new DisconnectedError(`${this.who()}: ${why}`);
  }

  /** Waits until a pull brings messages, the pull ends, the connection drops, or the source stops. */
  private async waitForMessages(max: number): Promise<void> {
    const signal = this.ctx!.signal;
    // One pull of at most a batch at a time, sent only when the engine reads: backpressure.
    if (this.pull === undefined) await this.startPull(max);
    while (this.queue.length === 0 && this.pull !== undefined) {
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error(`${this.who()} stopped`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          this.wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, CONNECTION_CHECK_MS);
        this.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
      this.checkConnection();
    }
    if (this.queue.length > 0) {
      // Woken by the first message of a burst: let the rest land while it keeps coming (each turn
      // of the event loop reads the socket once), so that a busy stream gives full batches; a
      // turn that brings nothing new ends the wait, so a quiet stream adds no latency.
      let before: number;
      do {
        before = this.queue.length;
        await new Promise((r) => setImmediate(r));
      } while (this.pull !== undefined && this.queue.length < max && this.queue.length > before);
      return;
    }
    // The pull ended empty. A bounded run whose subject has nothing left ends here, rather than
    // wait for a message past its end that may never come.
    if (this.endSeq !== undefined && (await this.nothingLeft())) {
      this.ended = true;
      throw new EndOfStreamError();
    }
  }

  private async startPull(max: number): Promise<void> {
    const consumer = this.consumer;
    if (consumer === undefined) throw new DisconnectedError(`${this.who()} has no consumer`);
    let iter: ConsumerMessages;
    try {
      // bind: the consumer is ours and known to exist; no info request before every pull.
      iter = await consumer.fetch({ max_messages: max, expires: PULL_EXPIRES_MS, bind: true });
    } catch (err) {
      throw new DisconnectedError(`${this.who()}: could not pull: ${message(err)}`, { cause: err });
    }
    this.pull = iter;
    void (async () => {
      try {
        for await (const m of iter) {
          if (this.pull !== iter) break;
          this.queue.push(m);
          this.wake?.();
        }
      } catch (err) {
        if (this.pull === iter) this.pullError = err;
      } finally {
        if (this.pull === iter) this.pull = undefined;
        this.wake?.();
      }
    })();
  }

  private stopPull(): void {
    const pull = this.pull;
    this.pull = undefined;
    if (pull !== undefined) void pull.close().catch(() => undefined);
    this.wake?.();
  }

  // Nothing matching the subject is left to deliver: a bounded run is over.
  private async nothingLeft(): Promise<boolean> {
    try {
      const info = await this.jsm!.consumers.info(this.settings.stream, this.settings.durable);
      return info.num_pending === 0;
    } catch {
      return false;
    }
  }

  // A redelivery of a message read and not yet covered: keep the newest delivery to acknowledge.
  // One not held (the consumer was re-created after a drop) is held again, as its own batch.
  private holdRedelivery(msg: JsMsg): void {
    const batch = this.held.find((b) => b.seq >= msg.seq);
    if (batch === undefined) this.held.push({ seq: msg.seq, msg, count: 1 });
    else if (batch.seq === msg.seq) batch.msg = msg;
  }

  // An acknowledgement that fails on the read path is not worth failing the pipeline: what it
  // should have covered stays held (or is delivered again and dropped), and the next one covers it.
  private async ackQuietly(ack: () => Promise<void>): Promise<void> {
    try {
      await ack();
    } catch (err) {
      console.warn(message(err));
    }
  }

  /** Acknowledges (double ack) every held message up to `position`. */
  private async ackUpTo(position: number): Promise<void> {
    let target: HeldBatch | undefined;
    let count = 0;
    for (const b of this.held) {
      if (b.seq > position) break;
      target = b;
      count += b.count;
    }
    if (target === undefined) return;
    await this.ack(target.msg, count);
    // Only now: a failed acknowledgement leaves them held, and the next one covers them.
    while (this.held.length > 0 && this.held[0]!.seq <= target.seq) this.held.shift();
  }

  private async ack(msg: JsMsg, count: number): Promise<void> {
    let ok: boolean;
    try {
      ok = await msg.ackAck();
    } catch (err) {
      throw new Error(`${this.who()}: the server did not confirm the acknowledgement up to seq ${msg.seq}: ${message(err)}`, {
        cause: err,
      });
    }
    if (!ok) throw new Error(`${this.who()}: the acknowledgement up to seq ${msg.seq} was refused (already acknowledged?)`);
    this.acked += count;
  }
}

function describeTarget(settings: Partial<JetStreamSourceSettings> | undefined): string {
  if (typeof settings !== 'object' || settings === null) return 'JetStreamSource';
  return `${String(settings.stream ?? '?')}/${String(settings.durable ?? '?')}`;
}

function checkStartAt(startAt: JetStreamSourceSettings['startAt'], where: { decorator: string; target: string }): string | undefined {
  if (startAt === undefined) return undefined;
  const bad = (rule: string) =>
    new SluiceError(
      ErrorCodes.INVALID_OPTION,
      `${where.decorator} on ${where.target}: option "startAt" ${rule}, got ${JSON.stringify(startAt)}`,
      {
        details: { ...where, option: 'startAt' },
      },
    );
  const hasSeq = 'seq' in startAt;
  const hasTime = 'time' in startAt;
  if (hasSeq === hasTime) throw bad('must be { seq } (a stream sequence) or { time } (an ISO date or ms since the epoch)');
  if (hasSeq) return undefined;
  const time = (startAt as { time: unknown }).time;
  const ms = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : NaN;
  if (!Number.isFinite(ms)) throw bad('time must be an ISO date or ms since the epoch');
  return new Date(ms).toISOString();
}

function checkEndAt(endAt: JetStreamSourceSettings['endAt'], where: { decorator: string; target: string }): void {
  if (endAt === undefined || endAt === 'now') return;
  const seq = typeof endAt === 'object' && endAt !== null ? (endAt as { seq?: unknown }).seq : undefined;
  if (typeof seq === 'number' && Number.isInteger(seq) && seq >= 0 && Object.keys(endAt).length === 1) return;
  throw new SluiceError(
    ErrorCodes.INVALID_OPTION,
    `${where.decorator} on ${where.target}: option "endAt" must be 'now' or { seq } (a stream sequence, an integer >= 0), got ${JSON.stringify(endAt)}`,
    { details: { ...where, option: 'endAt' } },
  );
}

function isApiError(err: unknown, code?: number): boolean {
  return err instanceof JetStreamApiError && (code === undefined || err.code === code);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function msToNanos(ms: number): number {
  return ms * 1_000_000;
}

// A consumer without an ack wait has the server's default, 30 s.
function nanosToMs(ns: number | undefined): number {
  return ns === undefined ? DEFAULT_ACK_WAIT_MS : Math.round(ns / 1_000_000);
}
